#ifndef SPAWNFD_FDOP_H
#define SPAWNFD_FDOP_H

#include <sys/types.h>
#include "spawn_impl.h"

#define FDOP_CLOSE 1
#define FDOP_DUP2 2
#define FDOP_OPEN 3
#define FDOP_CHDIR 4
#define FDOP_FCHDIR 5
#define FDOP_CLOSEFROM 6
#define FDOP_TCSETPGRP 7

/* The host's __actions pointer names the newest action; the list is a
 * circle, so its next is the oldest: appending and replaying in order both
 * need nothing more than that one pointer. fd is the descriptor an action
 * creates or closes, srcfd the one it only uses; -1 where there is none. */
struct fdop {
	struct fdop *next;
	int cmd, fd, srcfd, oflag;
	mode_t mode;
	char path[];
};

hidden struct fdop *__spawnfd_fdop_add(posix_spawn_file_actions_t *, int cmd,
	int fd, int srcfd, const char *path);

#endif
