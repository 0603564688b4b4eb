#include "spawn_impl.h"

int posix_spawnattr_getcgroup_np(const posix_spawnattr_t *restrict attr, int *restrict cgroup)
{
	*cgroup = __attr_ext(attr)->cgroup;
	return 0;
}
