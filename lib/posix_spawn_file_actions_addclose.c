#include "fdop.h"

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	if (!__spawnfd_fd_valid(fd)) return EBADF;
	return __spawnfd_fdop_add(fa, FDOP_CLOSE, fd, -1, 0) ? 0 : ENOMEM;
}
