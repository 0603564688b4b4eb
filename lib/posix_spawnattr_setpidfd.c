#include "spawn_impl.h"

int posix_spawnattr_setpidfd(posix_spawnattr_t *attr, int *pidfd)
{
	__attr_ext(attr)->pidfd = pidfd;
	return 0;
}
