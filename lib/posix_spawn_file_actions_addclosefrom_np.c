#include "fdop.h"

int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from)
{
	if (!__spawnfd_fd_valid(from)) return EBADF;
	return __spawnfd_fdop_add(fa, FDOP_CLOSEFROM, from, -1, 0) ? 0 : ENOMEM;
}
