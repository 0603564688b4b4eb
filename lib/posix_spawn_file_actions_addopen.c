#include "fdop.h"

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *restrict fa, int fd,
	const char *restrict path, int oflag, mode_t mode)
{
	struct fdop *op;
	if (!__spawnfd_fd_valid(fd)) return EBADF;
	if (!(op = __spawnfd_fdop_add(fa, FDOP_OPEN, fd, -1, path))) return ENOMEM;
	op->oflag = oflag;
	op->mode = mode;
	return 0;
}
