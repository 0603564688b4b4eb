#include <sys/resource.h>
#include "spawn_impl.h"

/* POSIX: EBADF for a descriptor that is negative or not below OPEN_MAX. */
int __spawnfd_fd_valid(int fd)
{
	struct rlimit rl;
	if (fd < 0) return 0;
	return getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY
		|| (rlim_t)fd < rl.rlim_cur;
}
