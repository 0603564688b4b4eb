#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include "spawn_impl.h"
#include "syscall.h"

/* Linux 6.13's <linux/pidfd.h>: the first version of the struct, which
 * later kernels only extend; named apart from the header's, which newer
 * hosts may bring along. */
struct pidfd_info0 {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid, spare;
};
#define INFO_PID 1
#define GET_INFO _IOWR(0xff, 11, struct pidfd_info0)
_Static_assert(sizeof(struct pidfd_info0) == 64, "PIDFD_INFO_SIZE_VER0 is 64");

/* Before 6.13 the kernel names a pidfd's process only in its fdinfo:
 * Pid: -1 once reaped, 0 outside the pid namespace of /proc (not ours). */
static long fdinfo_pid(int fd)
{
	char path[32] = "/proc/self/fdinfo/", buf[256], *s = path + 18;
	long n = fd, len, f;

	do s++; while (n /= 10);
	*s = 0;
	do *--s = '0' + fd % 10; while (fd /= 10);
	f = __syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (f < 0) return f == -ENOENT ? -EBADF : f;
	len = __syscall(SYS_read, f, buf, sizeof buf - 1);
	__syscall(SYS_close, f);
	if (len < 0) return len;
	buf[len] = 0;
	for (s = buf; strncmp(s, "Pid:", 4); s++)
		if (!(s = strchr(s, '\n'))) return -EBADF;
	for (s += 4; *s == '\t' || *s == ' '; s++);
	if (*s == '-') return -ESRCH;
	for (n = 0; (unsigned)(*s - '0') < 10; s++) n = 10 * n + *s - '0';
	return n ? n : -EREMOTE;
}

/* PIDFD_GET_INFO needs no /proc. Older kernels refuse it on a pidfd with
 * ENOTTY (before 6.11) or EINVAL (6.11, 6.12), other files with ENOTTY,
 * qemu-user with ENOSYS, sandboxes as they like: fdinfo then tells. The
 * ioctl says ESRCH once the process is reaped, and for one outside our
 * pid namespace ESRCH too until 7.0 (and late 6.18.y, 6.19.y) made that
 * EREMOTE, reaped or not; 6.13 and 6.14 also say ESRCH for a process
 * whose parent we cannot see. glibc's fdinfo answers ESRCH for any
 * reaped process: a reaped pidfd polls POLLHUP (6.9+), and
 * pidfd_send_signal refuses one outside our namespace with EINVAL, so
 * two cheap questions tell the cases apart. */
pid_t pidfd_getpid(int fd)
{
	struct pidfd_info0 info = { .mask = INFO_PID };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long r = fd < 0 ? -EBADF : __syscall(SYS_ioctl, fd, GET_INFO, &info);

	if (!r && info.mask & INFO_PID) return info.pid;
	if (r == -ESRCH || r == -EREMOTE) {
		/* a zero timeout reads alike in either time_t layout */
		if (__syscall(SYS_ppoll, &p, 1, &(struct timespec){ 0 }, 0, 0) > 0
			&& p.revents & POLLHUP)
			r = -ESRCH;
		else if (r == -EREMOTE || __syscall(SYS_pidfd_send_signal, fd, 0, 0, 0) == -EINVAL)
			r = -EREMOTE;
		else
			r = fdinfo_pid(fd);
	} else if (r != -EBADF) {
		r = fdinfo_pid(fd);
	}
	if (r > 0) return r;
	errno = -r;
	return -1;
}
