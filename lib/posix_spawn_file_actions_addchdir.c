#include "fdop.h"

int posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *restrict fa,
	const char *restrict path)
{
	return __spawnfd_fdop_add(fa, FDOP_CHDIR, -1, -1, path) ? 0 : ENOMEM;
}

weak_alias(posix_spawn_file_actions_addchdir, posix_spawn_file_actions_addchdir_np);
