#include "spawn_impl.h"

int posix_spawnattr_getpidfd(const posix_spawnattr_t *restrict attr, int **restrict pidfd)
{
	*pidfd = __attr_ext(attr)->pidfd;
	return 0;
}
