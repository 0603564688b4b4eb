#include "fdop.h"

int posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *fa, int tty)
{
	if (!__spawnfd_fd_valid(tty)) return EBADF;
	return __spawnfd_fdop_add(fa, FDOP_TCSETPGRP, -1, tty, 0) ? 0 : ENOMEM;
}
