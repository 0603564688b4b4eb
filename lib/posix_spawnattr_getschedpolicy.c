#include "spawn_impl.h"

int posix_spawnattr_getschedpolicy(const posix_spawnattr_t *restrict attr, int *restrict policy)
{
	*policy = __attr_policy(attr);
	return 0;
}
