/* libFuzzer harness for the whole spawn API: each input is decoded into
 * attr and file-action calls with hostile arguments, and one spawn of a
 * harmless child (/bin/true, or a path that cannot run), under facts about
 * the kernel, signal dispositions and descriptor limits that the input
 * picks too. After every call it checks what a caller relies on: the
 * documented return values and read-backs, the child reaped, the caller's
 * descriptors, signal mask, dispositions and errno as they were; ASan's
 * leak check does the memory.
 *
 * Input: byte 0 the spawn call, byte 1 the learnt kernel facts, byte 2 the
 * program, byte 3 the caller's dispositions, byte 4 its descriptor limit,
 * for posix_spawnp a PATH, then up to MAX_OPS operations of a byte and
 * their arguments; a short input reads as zeros.
 *
 * Side effects stay in a private directory: every path an action can name
 * is absolute and inside it (or /, /dev/null, empty, or too long), no
 * symbolic link or FIFO is ever there, and nothing can create one. Actions
 * change the child's descriptors only; the one that reaches further,
 * tcsetpgrp, never gets a terminal: a source descriptor that is one in
 * this process is swapped for /dev/null. */

/* The library's core file itself, for the facts it learns about the
 * kernel: resetting them per input lets one process drive every fallback
 * path (the pipe channel, clone without clone3, pidfd_open) that a kernel
 * or emulator elsewhere would choose. */
#include "posix_spawn.c"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OPS 128
#define PIDFD_UNSET (-77)
#define ERRNO_UNSET 4242
#define KNOWN_FLAGS 0x1ff

#define fz_assert(c) do { if (!(c)) fz_fail(__LINE__, #c); } while (0)

extern char **environ;

struct fz_in { const uint8_t *p; size_t n; };

static struct {
	char dir[64], *long_path, *bound_ok, *bound_long, *long_dir, *max_dir;
	char long_name[NAME_MAX + 2], max_name[NAME_MAX + 1];
	char path_env[8 * (PATH_MAX + 64)];
	char **env;
	size_t path_slot;
	int procfd, dirfd, cgroupfd, nullfd;
	long nofile;
	const char *paths[16], *progs[16], *names[12], *path_dirs[10];
} fz;

static void fz_fail(int line, const char *what)
{
	fprintf(stderr, "spawn_fuzz.c:%d: check failed: %s\n", line, what);
	abort();
}

static unsigned fz_u8(struct fz_in *in)
{
	if (!in->n) return 0;
	in->n--;
	return *in->p++;
}

static uint32_t fz_u32(struct fz_in *in)
{
	uint32_t v = fz_u8(in);
	v |= fz_u8(in) << 8;
	v |= fz_u8(in) << 16;
	return v | (uint32_t)fz_u8(in) << 24;
}

/* Mostly small numbers, where the pipe and the standard descriptors are;
 * sometimes one of the edges of the descriptor space, or our own. */
static int fz_fd(struct fz_in *in, int source)
{
	unsigned b = fz_u8(in);
	int fd = b % 40;

	if (b >= 192) switch (b % 16) {
	case 0: fd = -1; break;
	case 1: fd = -2; break;
	case 2: fd = INT_MIN; break;
	case 3: fd = INT_MAX; break;
	case 4: fd = fz.nofile - 1; break;
	case 5: fd = fz.nofile; break;
	case 6: fd = fz.nofile + 1; break;
	case 7: fd = 1024; break;
	case 8: fd = 1 << 20; break;
	case 9: fd = (int)fz_u32(in); break;
	case 10: fd = fz.dirfd; break;
	case 11: fd = fz.cgroupfd; break;
	case 12: fd = fz.procfd; break;
	}
	if (source && fd >= 0) {
		int saved = errno;
		if (isatty(fd)) fd = fz.nullfd;
		errno = saved;
	}
	return fd;
}

static int fz_valid_fd(int fd)
{
	return fd >= 0 && fd < fz.nofile;
}

static void fz_sigset(struct fz_in *in, sigset_t *set)
{
	unsigned b = fz_u8(in), i;

	memset(set, 0, sizeof *set);
	switch (b % 5) {
	case 1: sigfillset(set); break;
	case 2: memset(set, 0xff, sizeof *set); break;
	case 3:
		for (i = 0; i < 16; i++) ((unsigned char *)set)[i] = fz_u8(in);
		break;
	/* By hand: sigaddset refuses the two that glibc keeps for itself. */
	case 4: ((unsigned long *)set)[0] |= 1UL << fz_u8(in) % 64; break;
	}
}

static int fz_pick_int(struct fz_in *in, const int *small, unsigned n)
{
	unsigned b = fz_u8(in);
	if (b % 16 < n) return small[b % 16];
	switch (b % 4) {
	case 0: return -1;
	case 1: return INT_MAX;
	case 2: return INT_MIN;
	}
	return (int)fz_u32(in);
}

static int fz_oflag(struct fz_in *in)
{
	static const int common[] = {
		O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_EXCL,
		O_RDONLY | O_DIRECTORY, O_WRONLY | O_APPEND, O_PATH, O_TMPFILE | O_RDWR,
		O_RDONLY | O_CLOEXEC, O_RDONLY | O_NOFOLLOW, O_RDWR | O_NONBLOCK,
	};
	unsigned b = fz_u8(in);
	if (b < 200) return common[b % (sizeof common / sizeof *common)];
	return (int)fz_u32(in);
}

static const char *fz_path(struct fz_in *in)
{
	return fz.paths[fz_u8(in) % 16];
}

static void fz_caught(int sig)
{
	(void)sig;
}

/* What the caller can see of itself: its descriptors, its mask and its
 * dispositions. */
struct fz_state {
	int fds[256], nfds;
	unsigned long mask;
	struct k_sigaction act[_NSIG];
};

static void fz_snapshot(struct fz_state *s)
{
	long buf[1024], n, off;
	int sig;

	s->nfds = 0;
	fz_assert(lseek(fz.procfd, 0, SEEK_SET) == 0);
	while ((n = syscall(SYS_getdents64, fz.procfd, buf, sizeof buf)) > 0)
		for (off = 0; off < n; off += ((struct dirent64 *)((char *)buf + off))->d_reclen) {
			const char *name = ((struct dirent64 *)((char *)buf + off))->d_name;
			if (*name != '.' && s->nfds < 256) s->fds[s->nfds++] = atoi(name);
		}
	fz_assert(n == 0);
	fz_assert(__syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, &s->mask, KSIGSET_SIZE) == 0);
	memset(s->act, 0, sizeof s->act);
	for (sig = 1; sig < _NSIG; sig++)
		__syscall(SYS_rt_sigaction, sig, 0, &s->act[sig], KSIGSET_SIZE);
}

static int fz_same(const struct fz_state *a, const struct fz_state *b)
{
	return a->nfds == b->nfds && !memcmp(a->fds, b->fds, a->nfds * sizeof *a->fds)
		&& a->mask == b->mask && !memcmp(a->act, b->act, sizeof a->act);
}

/* The errors a spawn may report: from clone, the attributes, the file
 * actions (open, dup3, close_range, chdir, ioctl) and execve. EFAULT or
 * EINTR would mean a bad pointer or a signal got through. */
static int fz_documented(int err)
{
	switch (err) {
	case 0: case EPERM: case ENOENT: case ESRCH: case ENXIO: case E2BIG: case ENOEXEC:
	case EBADF: case EAGAIN: case ENOMEM: case EACCES: case EBUSY: case EEXIST:
	case ENODEV: case ENOTDIR: case EISDIR: case EINVAL: case ENFILE: case EMFILE:
	case ENOTTY: case ETXTBSY: case EFBIG: case ENOSPC: case EROFS: case ENAMETOOLONG:
	case ELOOP: case EOVERFLOW: case EOPNOTSUPP: case ENOSYS:
		return 1;
	}
	return 0;
}

static void fz_set_path(struct fz_in *in)
{
	unsigned n = fz_u8(in) % 8, i;
	char *p = fz.path_env;

	if (n == 7) {
		fz.env[fz.path_slot] = "SPAWNFD_FUZZ_NO_PATH=1";
		return;
	}
	p += sprintf(p, "PATH=");
	for (i = 0; i < n; i++) {
		const char *dir = fz.path_dirs[fz_u8(in) % 10];
		if (i) *p++ = ':';
		p = stpcpy(p, dir);
	}
	fz.env[fz.path_slot] = fz.path_env;
}

/* One attr or file-action call, its result and what reads back. */
static void fz_op(struct fz_in *in, posix_spawnattr_t *attr, posix_spawn_file_actions_t *fa,
	int *nacts, int *pidfd)
{
	static const int prios[] = { 0, 1, 50, 99, 100 };
	static const int policies[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	unsigned op = fz_u8(in) % 16;
	int fd, fd2, r, v, *pp;
	short flags, was;
	sigset_t set, back;
	struct sched_param sp;
	const char *path;
	pid_t pg;

	errno = ERRNO_UNSET;
	switch (op) {
	case 0:
		flags = fz_u8(in) < 200 ? fz_u32(in) & KNOWN_FLAGS : (short)fz_u32(in);
		fz_assert(posix_spawnattr_getflags(attr, &was) == 0);
		r = posix_spawnattr_setflags(attr, flags);
		fz_assert(r == ((unsigned short)flags & ~KNOWN_FLAGS ? EINVAL : 0));
		fz_assert(posix_spawnattr_getflags(attr, &flags) == 0 && flags == (r ? was : flags));
		break;
	case 1: {
		const int pgs[] = { 0, getpid(), getpgrp(), 1 };
		pg = fz_pick_int(in, pgs, 4);
		fz_assert(posix_spawnattr_setpgroup(attr, pg) == 0);
		fz_assert(posix_spawnattr_getpgroup(attr, &v) == 0 && v == pg);
		break;
	}
	case 2:
	case 3:
		fz_sigset(in, &set);
		memset(&back, 0x5a, sizeof back);
		if (op == 2) {
			fz_assert(posix_spawnattr_setsigmask(attr, &set) == 0);
			fz_assert(posix_spawnattr_getsigmask(attr, &back) == 0);
		} else {
			fz_assert(posix_spawnattr_setsigdefault(attr, &set) == 0);
			fz_assert(posix_spawnattr_getsigdefault(attr, &back) == 0);
		}
		fz_assert(!memcmp(&set, &back, sizeof set));
		break;
	case 4:
		sp = (struct sched_param){ .sched_priority = fz_pick_int(in, prios, 5) };
		fz_assert(posix_spawnattr_setschedparam(attr, &sp) == 0);
		v = sp.sched_priority;
		fz_assert(posix_spawnattr_getschedparam(attr, &sp) == 0 && sp.sched_priority == v);
		break;
	case 5: {
		int pol = fz_pick_int(in, policies, 8), before, ok;
		ok = pol == SCHED_OTHER || pol == SCHED_FIFO || pol == SCHED_RR
			|| pol == SCHED_BATCH || pol == SCHED_IDLE;
		fz_assert(posix_spawnattr_getschedpolicy(attr, &before) == 0);
		fz_assert(posix_spawnattr_setschedpolicy(attr, pol) == (ok ? 0 : EINVAL));
		fz_assert(posix_spawnattr_getschedpolicy(attr, &v) == 0 && v == (ok ? pol : before));
		break;
	}
	case 6: {
		int *want = fz_u8(in) & 1 ? pidfd : 0;
		fz_assert(posix_spawnattr_setpidfd(attr, want) == 0);
		fz_assert(posix_spawnattr_getpidfd(attr, &pp) == 0 && pp == want);
		break;
	}
	case 7:
		fd = fz_fd(in, 1);
		fz_assert(posix_spawnattr_setcgroup_np(attr, fd) == 0);
		fz_assert(posix_spawnattr_getcgroup_np(attr, &v) == 0 && v == fd);
		break;
	case 8:
		fd = fz_fd(in, 0);
		path = fz_path(in);
		r = posix_spawn_file_actions_addopen(fa, fd, path, fz_oflag(in),
			fz_u8(in) < 128 ? 0644 : fz_u32(in));
		fz_assert(r == (fz_valid_fd(fd) ? 0 : EBADF));
		*nacts += !r;
		break;
	case 9:
		fd = fz_fd(in, 0);
		r = posix_spawn_file_actions_addclose(fa, fd);
		fz_assert(r == (fz_valid_fd(fd) ? 0 : EBADF));
		*nacts += !r;
		break;
	case 10:
		fd = fz_fd(in, 1);
		fd2 = fz_fd(in, 0);
		r = posix_spawn_file_actions_adddup2(fa, fd, fd2);
		fz_assert(r == (fz_valid_fd(fd) && fz_valid_fd(fd2) ? 0 : EBADF));
		*nacts += !r;
		break;
	case 11:
		path = fz_path(in);
		r = fz_u8(in) & 1 ? posix_spawn_file_actions_addchdir_np(fa, path)
			: posix_spawn_file_actions_addchdir(fa, path);
		fz_assert(r == 0);
		*nacts += 1;
		break;
	case 12:
		fd = fz_fd(in, 1);
		r = fz_u8(in) & 1 ? posix_spawn_file_actions_addfchdir_np(fa, fd)
			: posix_spawn_file_actions_addfchdir(fa, fd);
		fz_assert(r == (fz_valid_fd(fd) ? 0 : EBADF));
		*nacts += !r;
		break;
	case 13:
		fd = fz_fd(in, 0);
		r = posix_spawn_file_actions_addclosefrom_np(fa, fd);
		fz_assert(r == (fz_valid_fd(fd) ? 0 : EBADF));
		*nacts += !r;
		break;
	case 14:
		fd = fz_fd(in, 1);
		r = posix_spawn_file_actions_addtcsetpgrp_np(fa, fd);
		fz_assert(r == (fz_valid_fd(fd) ? 0 : EBADF));
		*nacts += !r;
		break;
	case 15:
		v = fz_u8(in);
		if (v & 1) {
			fz_assert(posix_spawnattr_destroy(attr) == 0);
			fz_assert(posix_spawnattr_init(attr) == 0);
			fz_assert(posix_spawnattr_getflags(attr, &flags) == 0 && !flags);
			fz_assert(posix_spawnattr_getpidfd(attr, &pp) == 0 && !pp);
		}
		if (v & 2) {
			fz_assert(posix_spawn_file_actions_destroy(fa) == 0);
			fz_assert(posix_spawn_file_actions_init(fa) == 0);
			*nacts = 0;
		}
		break;
	}
	/* The API returns its errors and leaves errno alone. */
	fz_assert(errno == ERRNO_UNSET);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *argv[] = { "true", 0 }, *small_env[] = { "SPAWNFD_FUZZ=1", 0 };
	struct fz_in in = { data, size };
	unsigned call = fz_u8(&in), facts = fz_u8(&in), prog = fz_u8(&in), world = fz_u8(&in);
	unsigned pressure = fz_u8(&in) % 4;
	unsigned variant = call % 4, i;
	int search = variant & 1, need_pidfd = variant >= 2, nacts = 0, pidfd = PIDFD_UNSET;
	int ret, err, status, sigchld_ignored = world >> 7, legacy = facts >> 2 & 1;
	/* Only pidfd_open gives one, and the kernel reaps exited children. */
	int late_pidfd = legacy && facts >> 3 & 1 && sigchld_ignored;
	const int sigs[] = { SIGURG, SIGWINCH, SIGRTMIN + 4, SIGCHLD };
	posix_spawnattr_t attr_store, *attr = call & 8 ? 0 : &attr_store;
	posix_spawn_file_actions_t fa_store, *fa = call & 16 ? 0 : &fa_store;
	pid_t pid = -1, *res = call & 32 ? 0 : &pid, got;
	char *const *envp = (call >> 6) == 1 ? environ : (call >> 6) == 2 ? small_env : 0;
	const char *path = search ? fz.names[prog % 12] : fz.progs[prog % 16];
	struct fz_state before, during, after;
	struct sigaction sa;
	struct rlimit lim;
	short flags = 0;

	fz_snapshot(&before);
	fz_assert(posix_spawnattr_init(&attr_store) == 0);
	fz_assert(posix_spawn_file_actions_init(&fa_store) == 0);
	if (search) fz_set_path(&in);
	for (i = 0; i < MAX_OPS && in.n; i++) fz_op(&in, &attr_store, &fa_store, &nacts, &pidfd);

	/* Handlers and ignored signals the child must not keep, or must; with
	 * SIGCHLD ignored, the kernel reaps the child itself. */
	for (i = 0; i < 4; i++) {
		unsigned how = i < 3 ? world >> (2 * i) & 3 : sigchld_ignored ? 2 : 0;
		sa = (struct sigaction){ .sa_handler = how == 1 ? fz_caught : how == 2 ? SIG_IGN : SIG_DFL };
		fz_assert(sigaction(sigs[i], &sa, 0) == 0);
	}
	fz_snapshot(&during);

	learn(&channel_shared, (int[]){ 0, 1, -1, 0 }[facts & 3]);
	learn(&clone3_unusable, facts >> 2 & 1);
	learn(&clone_pidfd_refused, facts >> 3 & 1);
	learn(&pidfd_open_state, (int[]){ 0, 1, -1, 0 }[facts >> 4 & 3]);

	/* Pressure: the lowest free descriptor, and 0 to 2 above it, are all
	 * the process may have during the call. */
	fz_assert(getrlimit(RLIMIT_NOFILE, &lim) == 0);
	if (pressure) {
		struct rlimit low = lim;
		int lowest = 0;
		for (i = 0; i < (unsigned)during.nfds && during.fds[i] == lowest; i++) lowest++;
		low.rlim_cur = lowest + pressure - 1;
		fz_assert(setrlimit(RLIMIT_NOFILE, &low) == 0);
	}
	errno = ERRNO_UNSET;
	switch (variant) {
	case 0: ret = posix_spawn(res, path, fa, attr, argv, envp); break;
	case 1: ret = posix_spawnp(res, path, fa, attr, argv, envp); break;
	case 2: ret = pidfd_spawn(&pidfd, path, fa, attr, argv, envp); break;
	default: ret = pidfd_spawnp(&pidfd, path, fa, attr, argv, envp); break;
	}
	err = errno;
	fz_assert(setrlimit(RLIMIT_NOFILE, &lim) == 0);

	fz_assert(err == ERRNO_UNSET);
	if (!fz_documented(ret)) {
		fprintf(stderr, "spawn returned %d (%s)\n", ret, strerror(ret));
		fz_fail(__LINE__, "fz_documented(ret)");
	}
	if (attr) posix_spawnattr_getflags(attr, &flags);
	/* /bin/true with nothing that may fail must start; pidfd_spawn
	 * fails where the facts say no pidfd can be had, and may where it
	 * could only come from pidfd_open after the child was reaped. */
	if (!search && !strcmp(path, "/bin/true") && !nacts && !pressure
	    && !(flags & ~(POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
	                   | POSIX_SPAWN_USEVFORK | POSIX_SPAWN_SETSID))
	    && !(need_pidfd && legacy && ((facts >> 4 & 3) == 2 || late_pidfd)))
		fz_assert(ret == 0);

	if (ret) {
		fz_assert(pid == -1);
		fz_assert(pidfd == PIDFD_UNSET);
	} else {
		int *want = need_pidfd ? &pidfd : attr ? __attr_pidfd(attr) : 0;
		if (res && !need_pidfd) fz_assert(pid > 0);
		if (want == &pidfd) {
			/* pidfd_spawn always has one; posix_spawn may give -1
			 * only when the descriptor limit stopped it, or the
			 * kernel reaped the child before pidfd_open. */
			fz_assert(pidfd >= 0 || (!need_pidfd && pidfd == -1 && (pressure || late_pidfd)));
			if (pidfd >= 0) {
				fz_assert(fcntl(pidfd, F_GETFD) == FD_CLOEXEC);
				/* Once the kernel has reaped it, the pidfd names
				 * no process. */
				got = pidfd_getpid(pidfd);
				if (got == -1 && sigchld_ignored) fz_assert(errno == ESRCH);
				else fz_assert(got > 0 && (!res || need_pidfd || got == pid));
				if (!res || need_pidfd) pid = got;
			}
		} else {
			fz_assert(pidfd == PIDFD_UNSET);
		}
		/* libFuzzer's timeout alarm may interrupt the wait. */
		while ((got = waitpid(res || want == &pidfd ? pid : -1, &status, 0)) == -1
		       && errno == EINTR);
		if (sigchld_ignored) {
			fz_assert(got == -1 && errno == ECHILD);
		} else {
			fz_assert(got > 0);
			/* Under pressure the loader of /bin/true may find no
			 * descriptor for libc, and give up after the exec. */
			fz_assert(WIFEXITED(status) && (WEXITSTATUS(status) == 0 || pressure));
		}
		if (pidfd >= 0) close(pidfd);
	}
	/* Every child reaped, by us or by the library on failure. */
	fz_assert(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);

	fz_snapshot(&after);
	fz_assert(fz_same(&during, &after));
	/* Raw, to put back the kernel's words exactly as they were. */
	for (i = 0; i < 4; i++)
		fz_assert(__syscall(SYS_rt_sigaction, sigs[i], &before.act[sigs[i]], 0, KSIGSET_SIZE) == 0);
	fz_assert(posix_spawnattr_destroy(&attr_store) == 0);
	fz_assert(posix_spawn_file_actions_destroy(&fa_store) == 0);
	fz_snapshot(&after);
	fz_assert(fz_same(&before, &after));
	return 0;
}

static char *fz_str(const char *head, const char *fill, size_t len, const char *tail)
{
	char *s = malloc(len + 1), *p = stpcpy(s, head);
	size_t f = strlen(fill);

	fz_assert(s && strlen(head) + strlen(tail) <= len);
	while ((size_t)(p - s) + strlen(tail) + f <= len) p = stpcpy(p, fill);
	while ((size_t)(p - s) + strlen(tail) < len) *p++ = '/';
	strcpy(p, tail);
	fz_assert(strlen(s) == len);
	return s;
}

/* A path in the private directory: fz_at's lasts until its next call,
 * fz_name's for good. */
static const char *fz_at(const char *rel)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", fz.dir, rel);
	return path;
}

static const char *fz_name(const char *rel)
{
	char *s = strdup(fz_at(rel));
	fz_assert(s);
	return s;
}

static int fz_remove(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static void fz_cleanup(void)
{
	nftw(fz.dir, fz_remove, 16, FTW_DEPTH | FTW_PHYS);
}

/* Our own descriptors go high, out of the way of the pipe and of the
 * numbers the actions name most. */
static int fz_high(int fd)
{
	int high;
	if (fd < 0) return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 900);
	close(fd);
	return high;
}

static int fz_open_cgroup(void)
{
	char line[PATH_MAX + 64], mnt[PATH_MAX], rel[PATH_MAX], full[2 * PATH_MAX + 2];
	FILE *f;
	int found = 0;

	if (!(f = fopen("/proc/self/mountinfo", "re"))) return -1;
	while (!found && fgets(line, sizeof line, f)) {
		char *dash = strstr(line, " - cgroup2 ");
		if (dash && sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) found = 1;
	}
	fclose(f);
	if (!found || !(f = fopen("/proc/self/cgroup", "re"))) return -1;
	found = 0;
	while (!found && fgets(line, sizeof line, f))
		if (!strncmp(line, "0::", 3) && sscanf(line + 3, "%4095s", rel) == 1) found = 1;
	fclose(f);
	if (!found) return -1;
	snprintf(full, sizeof full, "%s%s", mnt, rel);
	return open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char junk[64] = { 0 };
	struct rlimit lim;
	size_t n, i, k;
	int fd;

	(void)argc, (void)argv;
	snprintf(fz.dir, sizeof fz.dir, "%s/spawnfd-fuzz-XXXXXX",
		getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (strlen(fz.dir) > 48 || !mkdtemp(fz.dir)) {
		fprintf(stderr, "spawn_fuzz: no private directory %s\n", fz.dir);
		exit(1);
	}
	atexit(fz_cleanup);
	fz_assert(mkdir(fz_at("d"), 0755) == 0 && mkdir(fz_at("bin"), 0755) == 0);
	fz_assert((fd = open(fz_at("f"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0);
	fz_assert(write(fd, "data\n", 5) == 5 && close(fd) == 0);
	fz_assert((fd = open(fz_at("noexec"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0);
	fz_assert(close(fd) == 0);
	/* Executable, but neither ELF nor script: ENOEXEC. */
	fz_assert((fd = open(fz_at("bin/junk"), O_WRONLY | O_CREAT | O_CLOEXEC, 0755)) >= 0);
	fz_assert(write(fd, junk, sizeof junk) == sizeof junk && close(fd) == 0);

	/* Lengths at and past the limits: a PATH_MAX - 1 path to /bin/true
	 * runs, one byte more does not. */
	fz.long_path = fz_str(fz.dir, "/aaaaaaaa", PATH_MAX + 100, "");
	fz.bound_ok = fz_str("/", "./", PATH_MAX - 1, "bin/true");
	fz.bound_long = fz_str("/", "./", PATH_MAX, "bin/true");
	fz.long_dir = fz_str("/", "./", PATH_MAX + 10, "bin");
	fz.max_dir = fz_str("/", "./", PATH_MAX - 1, "bin");
	memset(fz.long_name, 'x', NAME_MAX + 1);
	memset(fz.max_name, 'x', NAME_MAX);

	const char *paths[16] = {
		fz_name("f"), fz_name("d"), fz_name("new"), fz_name("missing/x"),
		fz_name("f/x"), "", fz.long_path, fz_name(fz.long_name),
		fz_str(fz.dir, "/d/..", PATH_MAX - 1, "/f"), fz_str(fz.dir, "/d/..", PATH_MAX, "/f"),
		fz_name("bin/junk"), fz_name("noexec"), "/", "/dev/null", fz_name("d/new"),
		fz_name("bin"),
	};
	const char *progs[16] = {
		"/bin/true", fz_name("bin/junk"), fz_name("noexec"), fz_name("d"), "",
		fz.long_path, fz_name("missing"), fz.bound_ok, fz.bound_long,
	};
	const char *names[12] = {
		"true", "/bin/true", "", "spawnfd-fuzz-missing", fz.long_name, fz.max_name,
		"junk", "noexec", fz.bound_ok, "true", "true", "true",
	};
	const char *path_dirs[10] = {
		"/bin", "/usr/bin", "", fz.dir, fz_name("bin"), fz_name("missing"),
		fz_name("f"), fz.long_dir, fz.max_dir, fz_name("d"),
	};
	memcpy(fz.paths, paths, sizeof paths);
	for (i = 0; i < 16; i++) fz.progs[i] = progs[i] ? progs[i] : "/bin/true";
	memcpy(fz.names, names, sizeof names);
	memcpy(fz.path_dirs, path_dirs, sizeof path_dirs);

	/* Our own environment, with a slot for PATH that an input sets
	 * without setenv's allocations. */
	for (n = 0; environ[n]; n++);
	fz.env = calloc(n + 2, sizeof *fz.env);
	for (i = k = 0; i < n; i++)
		if (strncmp(environ[i], "PATH=", 5)) fz.env[k++] = environ[i];
	fz.path_slot = k;
	fz.env[k] = "PATH=/bin:/usr/bin";
	environ = fz.env;

	fz.procfd = fz_high(open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	fz.dirfd = fz_high(open(fz.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	fz.nullfd = fz_high(open("/dev/null", O_RDWR | O_CLOEXEC));
	fz.cgroupfd = fz_high(fz_open_cgroup());
	fz_assert(fz.procfd >= 0 && fz.dirfd >= 0 && fz.nullfd >= 0);
	fz_assert(getrlimit(RLIMIT_NOFILE, &lim) == 0);
	fz.nofile = lim.rlim_cur == RLIM_INFINITY ? INT_MAX : (long)lim.rlim_cur;
	fprintf(stderr, "spawn_fuzz: private directory %s, cgroup %s, descriptor limit %ld\n",
		fz.dir, fz.cgroupfd >= 0 ? "found" : "none", fz.nofile);
	return 0;
}
