#include "fdop.h"

int posix_spawn_file_actions_addfchdir(posix_spawn_file_actions_t *fa, int fd)
{
	if (!__spawnfd_fd_valid(fd)) return EBADF;
	return __spawnfd_fdop_add(fa, FDOP_FCHDIR, -1, fd, 0) ? 0 : ENOMEM;
}

weak_alias(posix_spawn_file_actions_addfchdir, posix_spawn_file_actions_addfchdir_np);
