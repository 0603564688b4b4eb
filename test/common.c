#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <linux/close_range.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

const char *helper_path(void)
{
	const char *p = getenv("SPAWNFD_HELPER");
	return p ? p : "test/helper";
}

const char *tool_path(void)
{
	const char *p = getenv("SPAWNFD_TOOL");
	return p ? p : "tools/spawnfd";
}

int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') n++;
	closedir(d);
	return n - 1;
}

void cloexec_all(void)
{
	struct dirent *e;
	DIR *d;
	int fd;

	/* musl before 1.2.5 has no close_range() */
	if (!syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC)) return;
	/* Linux before 5.11 knows no CLOSE_RANGE_CLOEXEC: one by one. */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(d = opendir("/proc/self/fd"));
	while ((e = readdir(d)))
		if ((fd = atoi(e->d_name)) > 2 && fd != dirfd(d))
			ck_assert_int_eq(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	closedir(d);
}

static int fds_before;

static void leak_setup(void)
{
	fds_before = fd_count();
}

static void leak_teardown(void)
{
	int status;
	ck_assert_int_eq(fd_count(), fds_before);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

TCase *leakcheck_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, leak_setup, leak_teardown);
	tcase_set_timeout(tc, 30);
	return tc;
}

void capture_start(struct capture *c)
{
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fflush(stdout);
	c->saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
	ck_assert_int_ge(c->saved, 0);
	ck_assert_int_eq(dup2(p[1], 1), 1);
	close(p[1]);
	c->rd = p[0];
}

char *capture_finish(struct capture *c, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	ck_assert_int_eq(dup2(c->saved, 1), 1);
	close(c->saved);
	while (len < size - 1 && (n = read(c->rd, buf + len, size - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR) continue;
		ck_assert_int_gt(n, 0);
		len += n;
	}
	close(c->rd);
	buf[len] = 0;
	return buf;
}

int wait_status(pid_t pid)
{
	int status;
	pid_t r;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR);
	ck_assert_int_eq(r, pid);
	return status;
}

char *helper_output(posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr, int *status,
	char *buf, size_t size, ...)
{
	char *argv[32];
	int argc = 0, err;
	struct capture c;
	va_list ap;
	pid_t pid;

	argv[argc++] = (char *)helper_path();
	va_start(ap, size);
	while ((argv[argc++] = va_arg(ap, char *)))
		ck_assert_int_lt(argc, 32);
	va_end(ap);
	capture_start(&c);
	err = posix_spawn(&pid, argv[0], fa, attr, argv, 0);
	if (err) {
		capture_finish(&c, buf, size);
		ck_abort_msg("posix_spawn of the helper: %s", strerror(err));
	}
	*status = wait_status(pid);
	return capture_finish(&c, buf, size);
}

extern void __lsan_do_leak_check(void) __attribute__((__weak__));

int fresh_process(void)
{
	const char *fork = getenv("CK_FORK");
	if (fork && !strcmp(fork, "no")) {
		puts("skipped: CK_FORK=no would leak this test's process state into later tests");
		return 0;
	}
	/* LeakSanitizer's check at exit needs clone and rt_sigprocmask, which
	 * what comes next may refuse: have it check now, not again at exit. */
	if (__lsan_do_leak_check) __lsan_do_leak_check();
	return 1;
}

int seccomp_legacy_clone(void)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return -1;
	return seccomp_fail(SYS_clone, EINVAL, CLONE_FLAGS_ARG, CLONE_PIDFD);
}

siginfo_t wait_pidfd(int pidfd)
{
	siginfo_t si = { 0 };
	int r;
	while ((r = waitid(P_PIDFD, pidfd, &si, WEXITED)) < 0 && errno == EINTR);
	ck_assert_int_eq(r, 0);
	return si;
}

int seccomp_install(struct sock_filter *insns, unsigned short len)
{
	struct sock_fprog prog = { .len = len, .filter = insns };

	if (!fresh_process()) return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		printf("skipped: seccomp unavailable here: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* nr gets action where the low word of argument arg matches k; jump is
 * BPF_JSET (any of the bits) or BPF_JEQ (that value). */
static int seccomp_match(long nr, unsigned action, int arg, int jump, unsigned long k)
{
	struct sock_filter insns[] = {
		SECCOMP_THIS_ARCH(5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_ARG_LOW(arg)),
		BPF_JUMP(BPF_JMP | jump | BPF_K, k, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	/* Without a flag mask every call fails: skip the argument test. */
	if (jump == BPF_JSET && !k) insns[3].jt = 2;
	return seccomp_install(insns, sizeof insns / sizeof *insns);
}

int seccomp_filter(long nr, unsigned action, int arg, unsigned long flag_mask)
{
	return seccomp_match(nr, action, arg, BPF_JSET, flag_mask);
}

#define RET_ERRNO(err) (SECCOMP_RET_ERRNO | ((err) & SECCOMP_RET_DATA))

int seccomp_fail(long nr, int err, int arg, unsigned long flag_mask)
{
	return seccomp_filter(nr, RET_ERRNO(err), arg, flag_mask);
}

int seccomp_fail_eq(long nr, int err, int arg, unsigned long value)
{
	return seccomp_match(nr, RET_ERRNO(err), arg, BPF_JEQ, value);
}

static char scratch_base[] = "/tmp/spawnfd-test-XXXXXX", scratch[sizeof scratch_base + 7];

static void scratch_setup(void)
{
	strcpy(scratch_base + sizeof scratch_base - 7, "XXXXXX");
	/* open to all: some tests drop their euid */
	if (mkdtemp(scratch_base)) chmod(scratch_base, 0755);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static void scratch_teardown(void)
{
	nftw(scratch_base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void scratch_fixture(TCase *tc)
{
	tcase_add_unchecked_fixture(tc, scratch_setup, scratch_teardown);
}

const char *scratch_dir(void)
{
	snprintf(scratch, sizeof scratch, "%s/XXXXXX", scratch_base);
	ck_assert_ptr_nonnull(mkdtemp(scratch));
	ck_assert_int_eq(chmod(scratch, 0755), 0);
	return scratch;
}

const char *helper_for_anyone(void)
{
	static char path[PATH_MAX];
	char buf[65536];
	int in, out;
	ssize_t n;

	snprintf(path, sizeof path, "%s/helper", scratch_dir());
	ck_assert_int_ge(in = open(helper_path(), O_RDONLY | O_CLOEXEC), 0);
	ck_assert_int_ge(out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700), 0);
	while ((n = read(in, buf, sizeof buf)) > 0) ck_assert_int_eq(write(out, buf, n), n);
	ck_assert_int_eq(n, 0);
	/* explicitly, whatever the umask */
	ck_assert_int_eq(fchmod(out, 0755), 0);
	close(in);
	ck_assert_int_eq(close(out), 0);
	return path;
}

int helper_signo(int sig)
{
	posix_spawnattr_t attr;
	sigset_t set;
	char buf[64];
	int status, n = -1;

	sigemptyset(&set);
	sigaddset(&set, sig);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setsigmask(&attr, &set);
	helper_output(0, &attr, &status, buf, sizeof buf, "mask", (char *)0);
	posix_spawnattr_destroy(&attr);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(sscanf(buf, "%d", &n), 1);
	return n;
}

static int mark_shared(void *word)
{
	*(volatile int *)word = 1;
	return 0;
}

int emulated(const char *why)
{
	static char stack[4096] __attribute__((__aligned__(16)));
	volatile int shared = 0;
	pid_t pid = clone(mark_shared, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD,
		(void *)&shared);

	ck_assert_int_gt(pid, 0);
	wait_status(pid);
	if (shared) return 0;
	printf("skipped under emulation (CLONE_VM is a fork here): %s\n", why);
	return 1;
}

/* Fills every free descriptor below a limit of 64, so that neither the
 * test nor the library can open anything; returns how many it took. */
int fill_descriptors(int *fill, struct rlimit *saved)
{
	struct rlimit lim;
	int devnull, n = 0, fd;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, saved), 0);
	lim = *saved;
	lim.rlim_cur = 64;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(devnull, 0);
	/* Inheritable on purpose: the child keeps what it is not told to close. */
	while ((fd = dup(devnull)) >= 0) fill[n++] = fd;
	ck_assert_int_eq(errno, EMFILE);
	close(devnull);
	fill[n++] = dup(fill[0]);
	ck_assert_int_eq(open("/dev/null", O_RDONLY), -1);
	ck_assert_int_eq(errno, EMFILE);
	ck_assert_int_gt(n, 8);
	return n;
}

void unfill_descriptors(int *fill, int n, const struct rlimit *saved)
{
	while (n) close(fill[--n]);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, saved), 0);
}

static char current[64];

void scratch_enter(void)
{
	snprintf(current, sizeof current, "%s", scratch_dir());
}

const char *scratch_current(void)
{
	return current;
}

const char *scratch_file(const char *name)
{
	static char path[4][PATH_MAX];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, PATH_MAX, "%s/%s", current, name);
	return p;
}
