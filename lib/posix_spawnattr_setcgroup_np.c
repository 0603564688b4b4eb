#include "spawn_impl.h"

int posix_spawnattr_setcgroup_np(posix_spawnattr_t *attr, int cgroup)
{
	__attr_ext(attr)->cgroup = cgroup;
	return 0;
}
