#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "spawn_impl.h"
#include "fdop.h"
#include "syscall.h"
#include "ksigaction.h"

#define SPAWN_CLONE_PIDFD 0x1000ULL
#define SPAWN_CLONE_CLEAR_SIGHAND 0x100000000ULL
#define SPAWN_CLONE_INTO_CGROUP 0x200000000ULL
#define SPAWN_P_PIDFD 3
#define SPAWN_CGROUP2_MAGIC 0x63677270
#define KSIGSET_SIZE (_NSIG / 8)

/* The child needs room for a path buffer in posix_spawnp and a few frames. */
#define CHILD_STACK (1024 + PATH_MAX + NAME_MAX + 1)

struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

hidden long __spawnfd_clone(int (*)(void *), void *, unsigned long, void *, int *);
hidden long __spawnfd_clone3(struct clone_args *, size_t, int (*)(void *), void *);

struct spawn_args {
	/* Written by the child; they reach the parent only when CLONE_VM
	 * really shares memory, which emulators such as qemu-user do not. */
	volatile int entered, err;
	int pipe[2];
	int clone3; /* handlers cleared and cgroup joined by the kernel */
	const char *path, *searchpath; /* searchpath: NULL, or PATH for a name to search */
	size_t pathlen;
	char *const *argv, *const *envp;
	const struct fdop *ops;
	const posix_spawnattr_t *attr;
	sigset_t oldmask;
};

/* What this process has learnt of its kernel, once for all spawns. */
static int channel_shared; /* 1: the child's writes reach us; -1: they do not */
static int clone3_unusable, clone_pidfd_refused, pidfd_open_state;

static int learnt(const int *fact)
{
	return __atomic_load_n(fact, __ATOMIC_RELAXED);
}

static void learn(int *fact, int value)
{
	__atomic_store_n(fact, value, __ATOMIC_RELAXED);
}

child_side static int in_set(const sigset_t *set, int sig)
{
	const unsigned long *words = (const unsigned long *)set;
	unsigned bits = 8 * sizeof *words;
	return words[(sig - 1) / bits] >> ((sig - 1) % bits) & 1;
}

child_side static void reset_signals(const struct spawn_args *a, int flags)
{
	struct k_sigaction dfl = { .handler = SIG_DFL }, old;
	const sigset_t *def = flags & POSIX_SPAWN_SETSIGDEF ? &__attr_sigdefault(a->attr) : 0;
	int sig;

	if (a->clone3 && !def) return;
	/* The kernel's count, not libc's _NSIG: mips has a signal 128. */
	for (sig = 1; sig <= 8 * KSIGSET_SIZE; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP) continue;
		if (!(def && in_set(def, sig))) {
			if (a->clone3) continue;
			__syscall(SYS_rt_sigaction, sig, 0, &old, KSIGSET_SIZE);
			if (old.handler == SIG_DFL || old.handler == SIG_IGN) continue;
		}
		__syscall(SYS_rt_sigaction, sig, &dfl, 0, KSIGSET_SIZE);
	}
}

child_side static int close_fds(unsigned from, unsigned to)
{
	struct { unsigned long long cur, max; } lim;
	struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *d;
	char buf[512], *name;
	long n, off;
	unsigned fd;
	int ret, dir;

	if (from > to) return 0;
	ret = __syscall(SYS_close_range, from, to, 0);
	if (ret != -ENOSYS) return ret;
	/* Kernels before 5.9: one by one. /proc/self/fd lists every open
	 * descriptor, those above a lowered limit too; the kernel walks it by
	 * number, so closing behind the walk loses nothing. */
	dir = __syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0) {
		while ((n = __syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0)
			for (off = 0; off < n; off += d->reclen) {
				d = (void *)(buf + off);
				for (fd = 0, name = d->name; *name >= '0' && *name <= '9'; name++)
					fd = 10 * fd + *name - '0';
				if (!*name && name != d->name && fd >= from && fd <= to && fd != (unsigned)dir)
					__syscall(SYS_close, fd);
			}
		__syscall(SYS_close, dir);
		return n;
	}
	/* No /proc (or no descriptor for it): every descriptor is below the
	 * hard limit, if not always below the soft one. */
	ret = __syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &lim);
	if (ret < 0) return ret;
	if (lim.max - 1 < to) to = lim.max - 1;
	for (; from <= to && from != 0u - 1; from++) __syscall(SYS_close, from);
	return 0;
}

child_side static int run_fdop(const struct fdop *op, int *pipe)
{
	int fd, ret, pgrp;

	/* The error pipe is ours: an action that names its number means a
	 * descriptor the caller had not open, or one it opens now. */
	if (*pipe >= 0 && op->srcfd == *pipe) return -EBADF;
	if (*pipe >= 0 && op->fd == *pipe && op->cmd != FDOP_CLOSEFROM) {
		fd = __syscall(SYS_fcntl, *pipe, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) return fd;
		__syscall(SYS_close, *pipe);
		*pipe = fd;
	}
	switch (op->cmd) {
	case FDOP_CLOSE:
		__syscall(SYS_close, op->fd);
		return 0;
	case FDOP_DUP2:
		if (op->srcfd != op->fd) return __syscall(SYS_dup3, op->srcfd, op->fd, 0);
		ret = __syscall(SYS_fcntl, op->fd, F_GETFD);
		if (ret < 0) return ret;
		return __syscall(SYS_fcntl, op->fd, F_SETFD, ret & ~FD_CLOEXEC);
	case FDOP_OPEN:
		/* Closing first lets the open land on its number even when
		 * every other descriptor is taken. */
		__syscall(SYS_close, op->fd);
		fd = __syscall(SYS_openat, AT_FDCWD, op->path, op->oflag | O_LARGEFILE, op->mode);
		if (fd < 0 || fd == op->fd) return fd;
		ret = __syscall(SYS_dup3, fd, op->fd, 0);
		__syscall(SYS_close, fd);
		return ret;
	case FDOP_CHDIR:
		return __syscall(SYS_chdir, op->path);
	case FDOP_FCHDIR:
		return __syscall(SYS_fchdir, op->srcfd);
	case FDOP_CLOSEFROM:
		if (*pipe < op->fd) return close_fds(op->fd, -1);
		ret = close_fds(op->fd, *pipe - 1);
		return ret < 0 ? ret : close_fds(*pipe + 1, -1);
	case FDOP_TCSETPGRP:
		/* Every signal is still blocked, so SIGTTOU cannot stop us. */
		pgrp = __syscall(SYS_getpgid, 0);
		return __syscall(SYS_ioctl, op->srcfd, TIOCSPGRP, &pgrp);
	}
	return -EINVAL;
}

/* No libc here, not even strlen or memcpy: a lazily bound call would run
 * the dynamic linker on the child's small stack. The volatile store keeps
 * the compiler from turning the copy loop back into memcpy. */
child_side static char *copy(volatile char *to, const char *from, size_t len)
{
	while (len--) *to++ = *from++;
	return (char *)to;
}

child_side static int exec_search(const struct spawn_args *a)
{
	char buf[PATH_MAX + NAME_MAX + 1], *end_of_dir;
	const char *dir = a->searchpath, *end;
	size_t dirlen;
	int ret = -ENOENT, eacces = 0;

	if (!a->pathlen) return -ENOENT;
	if (a->pathlen > NAME_MAX) return -ENAMETOOLONG;
	for (;; dir = end + 1) {
		for (end = dir; *end && *end != ':'; end++);
		dirlen = end - dir;
		if (dirlen < PATH_MAX) {
			/* An empty element is the current directory. */
			end_of_dir = copy(buf, dir, dirlen);
			if (dirlen) end_of_dir = copy(end_of_dir, "/", 1);
			copy(end_of_dir, a->path, a->pathlen + 1);
			ret = __syscall(SYS_execve, buf, a->argv, a->envp);
			switch (ret) {
			case -EACCES:
				eacces = 1;
			case -ENOENT: case -ENOTDIR: case -ESTALE: case -ENODEV: case -ETIMEDOUT:
				break;
			default:
				return ret;
			}
		}
		if (!*end) break;
	}
	return eacces ? -EACCES : ret;
}

/* Without clone3 the child joins the cgroup itself: "0" names the writer.
 * fstatfs first, so that as with CLONE_INTO_CGROUP a descriptor of no
 * cgroup2 directory is EBADF, and no cgroup v1 or ordinary file named
 * cgroup.procs is written to. f_type is 32 bits wide on s390x, a long
 * elsewhere: whichever it is, one of the two reads sees it. */
child_side static int join_cgroup(int dirfd)
{
	union { unsigned long l; uint32_t u; char room[256]; } st;
	int fd, ret;

	if (__syscall(SYS_fstatfs, dirfd, &st) < 0
	    || (st.l != SPAWN_CGROUP2_MAGIC && st.u != SPAWN_CGROUP2_MAGIC)) return -EBADF;
	fd = __syscall(SYS_openat, dirfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	/* a cgroup2 file, no directory: EBADF too, as clone3 says */
	if (fd == -ENOTDIR) return -EBADF;
	if (fd < 0) return fd;
	ret = __syscall(SYS_write, fd, "0", 1);
	__syscall(SYS_close, fd);
	return ret < 0 ? ret : 0;
}

/* Runs between clone and exec, sharing the parent's memory: raw system
 * calls only, and no writes to anything but the error words. */
child_side static int child(void *p)
{
	struct spawn_args *a = p;
	const posix_spawnattr_t *attr = a->attr;
	int flags = attr ? __attr_flags(attr) : 0, pipe = a->pipe[1], ret = 0, err;
	const struct fdop *op = a->ops;

	a->entered = 1;
	/* The read end is ours alone: an action naming its number must find
	 * it closed, as it would be without the pipe. */
	if (pipe >= 0) __syscall(SYS_close, a->pipe[0]);
	/* First, so that as little as possible runs in the parent's cgroup,
	 * the descriptor is the caller's (no file action has closed or
	 * replaced it yet) and the rights are the parent's (not yet reset by
	 * RESETIDS), as with CLONE_INTO_CGROUP. */
	if (flags & POSIX_SPAWN_SETCGROUP && !a->clone3
	    && (ret = join_cgroup(__attr_ext(attr)->cgroup)) < 0) goto fail;
	reset_signals(a, flags);
	if (flags & POSIX_SPAWN_SETSID && (ret = __syscall(SYS_setsid)) < 0) goto fail;
	if (flags & POSIX_SPAWN_SETPGROUP
	    && (ret = __syscall(SYS_setpgid, 0, __attr_pgrp(attr))) < 0) goto fail;
	if (flags & (POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSCHEDPARAM)) {
		struct sched_param param = { .sched_priority = __attr_prio(attr) };
		ret = flags & POSIX_SPAWN_SETSCHEDULER
			? __syscall(SYS_sched_setscheduler, 0, __attr_policy(attr), &param)
			: __syscall(SYS_sched_setparam, 0, &param);
		if (ret < 0) goto fail;
	}
	/* The group first: once the uid is dropped, setgid may be refused. */
	if (flags & POSIX_SPAWN_RESETIDS
	    && ((ret = __syscall(SYS_setgid, __syscall(SYS_getgid))) < 0
	        || (ret = __syscall(SYS_setuid, __syscall(SYS_getuid))) < 0)) goto fail;
	if (op) do {
		op = op->next;
		if ((ret = run_fdop(op, &pipe)) < 0) goto fail;
	} while (op != a->ops);
	/* A program started with every signal blocked would be a wrong result. */
	if ((ret = __syscall(SYS_rt_sigprocmask, SIG_SETMASK, flags & POSIX_SPAWN_SETSIGMASK
		? &__attr_sigmask(attr) : &a->oldmask, 0, KSIGSET_SIZE))) goto fail;
	if (a->searchpath) ret = exec_search(a);
	else ret = __syscall(SYS_execve, a->path, a->argv, a->envp);
fail:
	err = -ret;
	a->err = err;
	if (pipe >= 0) __syscall(SYS_write, pipe, &err, sizeof err);
	return 127;
}

static int probe_pidfd_open(void)
{
	int state = learnt(&pidfd_open_state), fd;
	if (state) return state;
	fd = __syscall(SYS_pidfd_open, __syscall(SYS_getpid), 0);
	if (fd >= 0) __syscall(SYS_close, fd);
	if (fd >= 0 || fd == -EMFILE || fd == -ENFILE) state = 1;
	else state = -1;
	learn(&pidfd_open_state, state);
	return state;
}

static int is_pidfd(int fd)
{
	int ret = __syscall(SYS_pidfd_send_signal, fd, 0, 0, 0);
	return ret == 0 || ret == -ESRCH;
}

/* The child is not reaped yet, so its pid cannot have been reused;
 * unless SIGCHLD is ignored, when pidfd_open may find it gone (ESRCH, or
 * EINVAL if it went between pidfd_open's lookup and its check, as seen
 * on 6.1) and, were the pids to wrap meanwhile, another process: the
 * legacy path cannot close that window, clone3 and CLONE_PIDFD have none. */
static int pidfd_of_child(long pid)
{
	int fd = __syscall(SYS_pidfd_open, pid, 0);
	return fd == -EINVAL ? -ESRCH : fd;
}

/* At the descriptor limit a spawn still goes ahead, without a pidfd, as
 * on the pidfd_open path; only pidfd_spawn insists. */
static int no_fd_for_pidfd(long pid, int *pidfd, int need_pidfd)
{
	if (!pidfd || need_pidfd || (pid != -EMFILE && pid != -ENFILE)) return 0;
	*pidfd = pid;
	return 1;
}

/* DESIGN 4: clone3, then clone with CLONE_PIDFD, then clone and
 * pidfd_open, each only when the one before says "not here". Where no
 * pidfd could be had, *pidfd is left holding -errno. */
static long start_child(struct spawn_args *a, char *stack, int *pidfd, int need_pidfd)
{
	const posix_spawnattr_t *attr = a->attr;
	int cgroup = attr && __attr_flags(attr) & POSIX_SPAWN_SETCGROUP;
	unsigned long flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
	long pid;

	if (cgroup && __attr_ext(attr)->cgroup < 0) return -EINVAL;
	if (!learnt(&clone3_unusable)) {
		struct clone_args args = {
			.flags = CLONE_VM | CLONE_VFORK | SPAWN_CLONE_CLEAR_SIGHAND
				| (pidfd ? SPAWN_CLONE_PIDFD : 0)
				| (cgroup ? SPAWN_CLONE_INTO_CGROUP : 0),
			.pidfd = (uintptr_t)pidfd,
			.exit_signal = SIGCHLD,
			.stack = (uintptr_t)stack,
			.stack_size = CHILD_STACK,
			.cgroup = cgroup ? __attr_ext(attr)->cgroup : 0,
		};
		a->clone3 = 1;
		pid = __spawnfd_clone3(&args, sizeof args, child, a);
		if (no_fd_for_pidfd(pid, pidfd, need_pidfd)) {
			args.flags &= ~SPAWN_CLONE_PIDFD;
			pid = __spawnfd_clone3(&args, sizeof args, child, a);
		}
		/* EINVAL: a kernel older than one of the flags; E2BIG: one whose
		 * clone_args ends before the cgroup field (before 5.7). Learnt
		 * whatever the flags, for one simple rule: on 5.5 and 5.6 a
		 * SETCGROUP spawn thus costs later spawns CLONE_CLEAR_SIGHAND. */
		if (pid != -ENOSYS && pid != -EPERM && pid != -EINVAL && pid != -E2BIG) return pid;
		learn(&clone3_unusable, 1);
		a->clone3 = 0;
	}
	if (pidfd && need_pidfd && probe_pidfd_open() < 0) return -ENOSYS;
	if (pidfd && !learnt(&clone_pidfd_refused)) {
		/* Linux 5.2 wants 0 in the slot; before 5.2 the flag is
		 * ignored and the slot keeps that 0, so check what it holds. */
		*pidfd = 0;
		pid = __spawnfd_clone(child, stack + CHILD_STACK, flags | CLONE_PIDFD, a, pidfd);
		if (no_fd_for_pidfd(pid, pidfd, need_pidfd))
			pid = __spawnfd_clone(child, stack + CHILD_STACK, flags, a, 0);
		/* A kernel before 5.2 leaves the 0; so does qemu-user 10, which
		 * emulates the flag with pidfd_open, where that fails. */
		if (pid != -EINVAL) {
			if (pid >= 0 && *pidfd == 0 && !is_pidfd(0)) *pidfd = pidfd_of_child(pid);
			return pid;
		}
		learn(&clone_pidfd_refused, 1);
	}
	pid = __spawnfd_clone(child, stack + CHILD_STACK, flags, a, 0);
	if (pid > 0 && pidfd) *pidfd = pidfd_of_child(pid);
	return pid;
}

int __spawnfd_spawn(pid_t *restrict res, int *restrict pidfd_out, const char *restrict path,
	const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict], int mode)
{
	static const unsigned long all_signals[KSIGSET_SIZE / sizeof(long)] = {
		[0 ... KSIGSET_SIZE / sizeof(long) - 1] = -1UL };
	static char *const no_env[] = { 0 };
	char stack[CHILD_STACK] __attribute__((__aligned__(16)));
	struct spawn_args a = {
		.pipe = { -1, -1 }, .path = path, .argv = argv, .envp = envp ? envp : no_env,
		.ops = fa ? (const struct fdop *)fa->__actions : 0, .attr = attr,
	};
	int *p = a.pipe, pidfd = -1, cs, ret, n, err;
	long pid;

	/* A name with a slash is not searched for. */
	if (mode & SPAWN_SEARCH && !strchr(path, '/')) {
		if (!(a.searchpath = getenv("PATH"))) a.searchpath = "/bin:/usr/bin";
		a.pathlen = strlen(path);
	}
	/* No handler may run in the child while it shares our memory: where
	 * the block is refused (only a seccomp filter can) there is no spawn. */
	if ((ret = __syscall(SYS_rt_sigprocmask, SIG_BLOCK, all_signals, &a.oldmask, KSIGSET_SIZE)))
		return -ret;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	/* A process at its descriptor limit can still spawn: it learns from
	 * the shared word instead. */
	if (learnt(&channel_shared) > 0 || __syscall(SYS_pipe2, p, O_CLOEXEC)) p[0] = p[1] = -1;

	/* pidfd_spawn with no place for the pidfd wants none, as glibc: the
	 * child is the caller's to reap like posix_spawn's without a pid. */
	if (!pidfd_out) mode &= ~SPAWN_NEED_PIDFD;
	pid = start_child(&a, stack, pidfd_out ? &pidfd : 0, mode & SPAWN_NEED_PIDFD);
	if (pid < 0) {
		ret = -pid;
		goto fail;
	}
	if (p[0] >= 0) {
		__syscall(SYS_close, p[1]);
		p[1] = -1;
		while ((n = __syscall(SYS_read, p[0], &err, sizeof err)) == -EINTR);
		ret = n == sizeof err ? err : 0;
	} else {
		ret = a.err;
	}
	if (!learnt(&channel_shared)) learn(&channel_shared, a.entered ? 1 : -1);
	/* pidfd_spawn's probe said pidfd_open works, yet it failed (EMFILE):
	 * a child nobody can hold must not outlive the call. ESRCH: SIGCHLD
	 * is ignored and the kernel has reaped the child already, so its pid
	 * may be another's by now: neither kill nor wait for it. */
	if (!ret && pidfd < 0 && mode & SPAWN_NEED_PIDFD) {
		ret = -pidfd;
		if (ret == ESRCH) goto fail;
		__syscall(SYS_kill, pid, SIGKILL);
	}
	if (ret) {
		/* A SIGCHLD handler or SIG_IGN may have reaped it already:
		 * ECHILD is fine, and the pidfd keeps a reused pid safe. */
		siginfo_t si;
		int r;
		while ((r = __syscall(SYS_waitid, pidfd >= 0 ? SPAWN_P_PIDFD : P_PID,
			pidfd >= 0 ? pidfd : pid, &si, WEXITED, 0)) == -EINTR);
		/* Linux 5.3 gives pidfds that waitid takes only from 5.4. */
		if (r == -EINVAL && pidfd >= 0)
			while (__syscall(SYS_waitid, P_PID, pid, &si, WEXITED, 0) == -EINTR);
		if (pidfd >= 0) __syscall(SYS_close, pidfd);
		goto fail;
	}
	if (res) *res = pid;
	if (pidfd_out) *pidfd_out = pidfd < 0 ? -1 : pidfd;
fail:
	if (p[0] >= 0) __syscall(SYS_close, p[0]);
	if (p[1] >= 0) __syscall(SYS_close, p[1]);
	__syscall(SYS_rt_sigprocmask, SIG_SETMASK, &a.oldmask, 0, KSIGSET_SIZE);
	pthread_setcancelstate(cs, 0);
	return ret;
}

int posix_spawn(pid_t *restrict res, const char *restrict path,
	const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	return __spawnfd_spawn(res, __attr_pidfd(attr), path, fa, attr, argv, envp, 0);
}
