#include "fdop.h"

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int srcfd, int fd)
{
	if (!__spawnfd_fd_valid(srcfd) || !__spawnfd_fd_valid(fd)) return EBADF;
	return __spawnfd_fdop_add(fa, FDOP_DUP2, fd, srcfd, 0) ? 0 : ENOMEM;
}
