#include <string.h>
#include "spawn_impl.h"

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	memset(fa, 0, sizeof *fa);
	return 0;
}
