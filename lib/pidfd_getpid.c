#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spawn_impl.h"

/* The kernel names a pidfd's process only in its fdinfo: -1 once it has
 * been reaped, 0 when it lives outside our pid namespace. */
pid_t pidfd_getpid(int fd)
{
	char path[sizeof "/proc/self/fdinfo/" + 3 * sizeof(int)], buf[512], *line;
	ssize_t len;
	long pid;
	int info;

	if (fd < 0) goto badf;
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	if ((info = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT) goto badf;
		return -1;
	}
	len = read(info, buf, sizeof buf - 1);
	close(info);
	if (len < 0) return -1;
	buf[len] = 0;
	if (!(line = strstr(buf, "\nPid:"))) goto badf;
	pid = strtol(line + 5, 0, 10);
	if (pid > 0) return pid;
	errno = pid ? ESRCH : EREMOTE;
	return -1;
badf:
	errno = EBADF;
	return -1;
}
