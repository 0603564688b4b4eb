/* pidfd: posix_spawnattr_setpidfd and pidfd_spawn(p) on the kernel's first path; pidfd_getpid on its ioctl path and on the fdinfo fallback (seccomp). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

/* The helper, blocked reading a pipe whose write end only we hold:
 * it exits 0 once *wr is closed. */
static pid_t spawn_blocked(posix_spawnattr_t *attr, int *wr)
{
	char *argv[] = { (char *)helper_path(), "cat", "0", 0 };
	posix_spawn_file_actions_t fa;
	int p[2];
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, attr, argv, 0), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[0]);
	*wr = p[1];
	return pid;
}

static char *saved_path;

/* A PATH whose first element lacks the helper and whose second has it;
 * path_restore() puts the old one back for tests that share a process. */
static void path_to_helper(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	const char *old = getenv("PATH");

	saved_path = old ? strdup(old) : 0;
	snprintf(dir, sizeof dir, "%s", helper_path());
	snprintf(path, sizeof path, "/nonexistent:%s", dirname(dir));
	ck_assert_int_eq(setenv("PATH", path, 1), 0);
}

static void path_restore(void)
{
	if (saved_path) setenv("PATH", saved_path, 1);
	else unsetenv("PATH");
	free(saved_path);
	saved_path = 0;
}

START_TEST(no_pidfd_is_made_unless_asked)
{
	posix_spawnattr_t attr;
	int *ptr = (int *)&attr, wr, before;
	pid_t pid;

	posix_spawnattr_init(&attr);
	ck_assert_int_eq(posix_spawnattr_getpidfd(&attr, &ptr), 0);
	ck_assert_ptr_null(ptr);
	before = fd_count();
	pid = spawn_blocked(&attr, &wr);
	/* the write end of the pipe is the only new descriptor */
	ck_assert_int_eq(fd_count(), before + 1);
	close(wr);
	ck_assert_int_eq(wait_status(pid), 0);
	ck_assert_int_eq(fd_count(), before);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setpidfd_stores_cloexec_pidfd_of_the_child)
{
	char *argv[] = { (char *)helper_path(), "exit", "7", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -1;
	siginfo_t si;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_code, CLD_EXITED);
	ck_assert_int_eq(si.si_status, 7);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(pidfd_polls_readable_only_once_the_child_exits)
{
	posix_spawnattr_t attr;
	int pidfd = -42, wr;
	struct pollfd pfd;
	siginfo_t si;
	pid_t pid;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	pid = spawn_blocked(&attr, &wr);
	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	close(wr);
	pfd.revents = 0;
	while (poll(&pfd, 1, -1) < 0) ck_assert_int_eq(errno, EINTR);
	ck_assert(pfd.revents & POLLIN);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_code, CLD_EXITED);
	ck_assert_int_eq(si.si_status, 0);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(pidfd_send_signal_kills_the_child)
{
	posix_spawnattr_t attr;
	int pidfd = -42, wr;
	siginfo_t si;
	pid_t pid;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	pid = spawn_blocked(&attr, &wr);
	ck_assert_int_eq(syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, 0, 0), 0);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_code, CLD_KILLED);
	ck_assert_int_eq(si.si_status, SIGKILL);
	close(wr);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(failed_spawn_leaves_pidfd_untouched)
{
	char *argv[] = { "nonexistent", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -42;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", 0, &attr, argv, 0), ENOENT);
	ck_assert_int_eq(pidfd, -42);
	ck_assert_int_eq(pid, -42);
	ck_assert_int_eq(posix_spawnp(&pid, "/nonexistent/program", 0, &attr, argv, 0), ENOENT);
	ck_assert_int_eq(posix_spawnp(&pid, "no-such-program-spawnfd", 0, &attr, argv, 0), ENOENT);
	ck_assert_int_eq(pidfd, -42);
	ck_assert_int_eq(pid, -42);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(posix_spawnp_stores_pidfd_of_the_child)
{
	char *argv[] = { "helper", "exit", "4", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -1;
	siginfo_t si;

	path_to_helper();
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawnp(&pid, "helper", 0, &attr, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_status, 4);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
	path_restore();
}
END_TEST

START_TEST(pidfd_spawn_returns_cloexec_pidfd_of_the_child)
{
	char *argv[] = { (char *)helper_path(), "exit", "3", 0 };
	int pidfd = -42;
	siginfo_t si;
	pid_t pid;

	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	pid = pidfd_getpid(pidfd);
	ck_assert_int_gt(pid, 0);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_code, CLD_EXITED);
	ck_assert_int_eq(si.si_status, 3);
	close(pidfd);
}
END_TEST

START_TEST(pidfd_spawn_exec_failure_returns_error_and_leaves_pidfd_untouched)
{
	char *argv[] = { "nonexistent", 0 };
	int pidfd = -42;

	ck_assert_int_eq(pidfd_spawn(&pidfd, "/nonexistent/program", 0, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pidfd, -42);
	ck_assert_int_eq(pidfd_spawnp(&pidfd, "no-such-program-spawnfd", 0, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pidfd, -42);
}
END_TEST

START_TEST(pidfd_spawnp_searches_path)
{
	char *argv[] = { "helper", "exit", "5", 0 };
	int pidfd = -42;
	siginfo_t si;
	pid_t pid;

	path_to_helper();
	ck_assert_int_eq(pidfd_spawnp(&pidfd, "helper", 0, 0, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	pid = pidfd_getpid(pidfd);
	ck_assert_int_gt(pid, 0);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_status, 5);
	close(pidfd);
	path_restore();
}
END_TEST

/* One owner per descriptor: pidfd_spawn's own argument is the only one. */
START_TEST(pidfd_spawn_ignores_the_attr_pidfd_pointer)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawnattr_t attr;
	int pidfd = -42, other = -42;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &other);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(other, -42);
	ck_assert_int_eq(wait_pidfd(pidfd).si_status, 0);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}
END_TEST

/* Loop index of the pidfd_getpid tests: 0 asks the kernel with
 * PIDFD_GET_INFO (Linux 6.13); the others refuse that ioctl by seccomp as
 * kernels before 6.11 do, as 6.11 and 6.12 do, and as 6.13 to early 6.18
 * answer for a process they cannot name. */
static const int getinfo_refusal[] = { 0, ENOTTY, EINVAL, ESRCH };
#define GET_INFO _IOWR(0xff, 11, char[64])

/* Sets up path i; returns the errno that PIDFD_GET_INFO gives there (0
 * where the kernel answers it), or -1 after printing why the test cannot
 * run. Natively a kernel before 6.13, or qemu-user (ENOSYS for any ioctl
 * it does not know), takes the fdinfo path. */
static int getinfo_path(int i)
{
	char info[64] = { 0 };
	int fd, r, err = getinfo_refusal[i];

	if (err && seccomp_fail_eq(SYS_ioctl, err, 1, GET_INFO)) return -1;
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	ck_assert_int_ge(fd, 0);
	r = ioctl(fd, GET_INFO, info) ? errno : 0;
	close(fd);
	if (err) ck_assert_int_eq(r, err);
	else if (r) printf("no PIDFD_GET_INFO here (Linux 6.13+): %s\n", strerror(r));
	return r;
}

/* "r:errno" of a call of f, for a child to report and a test to compare. */
static char *getpid_result(char *buf, pid_t (*f)(int), int fd)
{
	long r;
	errno = 0;
	r = f(fd);
	sprintf(buf, "%ld:%d", r, r < 0 ? errno : 0);
	return buf;
}

/* The line a forked child wrote to the pipe p before it and its own
 * children exited; NULL, after printing it, where the child could not set
 * up and reported "skipped: WHY". */
static char *child_report(pid_t child, int *p, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	close(p[1]);
	while (len < size - 1 && (n = read(p[0], buf + len, size - 1 - len))) {
		if (n < 0 && errno == EINTR) continue;
		ck_assert_int_gt(n, 0);
		len += n;
	}
	buf[len] = 0;
	close(p[0]);
	ck_assert_int_eq(wait_status(child), 0);
	if (strncmp(buf, "skipped:", 8)) return buf;
	puts(buf);
	return 0;
}

START_TEST(pidfd_getpid_names_a_live_child_a_zombie_and_fails_esrch_once_reaped)
{
	posix_spawnattr_t attr;
	int pidfd = -42, wr;
	siginfo_t si = { 0 };
	pid_t pid;

	if (getinfo_path(_i) < 0) return;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	pid = spawn_blocked(&attr, &wr);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	close(wr);
	while (waitid(P_PIDFD, pidfd, &si, WEXITED | WNOWAIT) < 0) ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	wait_pidfd(pidfd);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(pidfd), -1);
	ck_assert_int_eq(errno, ESRCH);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(pidfd_getpid_rejects_what_is_not_a_pidfd_with_ebadf)
{
	char got[32], want[32];
	int fds[9], k;

	if (getinfo_path(_i) < 0) return;
	fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fds[1] = open(helper_path(), O_RDONLY | O_CLOEXEC);
	fds[2] = open("/", O_RDONLY | O_CLOEXEC);
	for (k = 0; k < 3; k++) ck_assert_int_ge(fds[k], 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds + 3), 0);
	ck_assert_int_eq(pipe2(fds + 5, O_CLOEXEC), 0);
	fds[7] = -1;
	fds[8] = dup(fds[0]);
	close(fds[8]);
	snprintf(want, sizeof want, "-1:%d", EBADF);
	for (k = 0; k < 9; k++) ck_assert_str_eq(getpid_result(got, pidfd_getpid, fds[k]), want);
	for (k = 0; k < 7; k++) close(fds[k]);
}
END_TEST

/* At the descriptor limit: the ioctl needs no descriptor; the fdinfo
 * fallback says EMFILE (glibc's, EBADF). */
START_TEST(pidfd_getpid_needs_no_descriptor_on_the_ioctl_path)
{
	char *argv[] = { (char *)helper_path(), 0 }, got[32], want[32];
	int fill[64], n, pidfd, path;
	struct rlimit saved;
	siginfo_t si = { 0 };

	if ((path = getinfo_path(_i)) < 0) return;
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0), 0);
	while (waitid(P_PIDFD, pidfd, &si, WEXITED | WNOWAIT) < 0) ck_assert_int_eq(errno, EINTR);
	n = fill_descriptors(fill, &saved);
	getpid_result(got, pidfd_getpid, pidfd);
	unfill_descriptors(fill, n, &saved);
	if (path) snprintf(want, sizeof want, "-1:%d", EMFILE);
	else snprintf(want, sizeof want, "%d:0", (int)si.si_pid);
	ck_assert_str_eq(got, want);
	wait_pidfd(pidfd);
	close(pidfd);
}
END_TEST

/* Whether a pidfd polls POLLHUP once its process is reaped (6.9+). */
static int reaped_pidfd_hangs_up(void)
{
	char *argv[] = { (char *)helper_path(), 0 };
	struct pollfd p = { .events = POLLIN };

	ck_assert_int_eq(pidfd_spawn(&p.fd, argv[0], 0, 0, argv, 0), 0);
	wait_pidfd(p.fd);
	ck_assert_int_eq(poll(&p, 1, 0), 1);
	close(p.fd);
	return !!(p.revents & POLLHUP);
}

/* The first process of a new pid namespace asks about pidfds it inherited
 * of processes outside: a live one, a zombie and a reaped one; first with
 * no /proc at all, then with a /proc of its own, as glibc's test mounts
 * it; then about a process of its own. */
START_TEST(pidfd_getpid_fails_eremote_outside_our_pid_namespace)
{
	char *argv[] = { (char *)helper_path(), 0 }, out[256], want[128], r[32], *report;
	int live, zombie, reaped, outside[3], wr, p[2], own, status, path, k;
	posix_spawnattr_t attr;
	siginfo_t si;
	pid_t child, inner, g;

	if ((path = getinfo_path(_i)) < 0) return;
	/* The library tells a reaped process from one outside by POLLHUP,
	 * which every kernel with PIDFD_GET_INFO has: forced onto an older
	 * one, the ioctl's ESRCH meets a kernel that cannot say. */
	if (path == ESRCH && !reaped_pidfd_hangs_up()) {
		puts("skipped: this kernel's reaped pidfds do not poll POLLHUP (6.9+)");
		return;
	}
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &live);
	spawn_blocked(&attr, &wr);
	posix_spawnattr_destroy(&attr);
	ck_assert_int_eq(pidfd_spawn(&zombie, argv[0], 0, 0, argv, 0), 0);
	while (waitid(P_PIDFD, zombie, &si, WEXITED | WNOWAIT) < 0) ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(pidfd_spawn(&reaped, argv[0], 0, 0, argv, 0), 0);
	wait_pidfd(reaped);
	outside[0] = live, outside[1] = zombie, outside[2] = reaped;
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(child = fork(), 0);
	if (!child) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS) || mount("none", "/", "none", MS_REC | MS_PRIVATE, 0)) {
			dprintf(p[1], "skipped: no new pid and mount namespace here: %s", strerror(errno));
			_exit(0);
		}
		if (!(inner = fork())) {
			if (umount2("/proc", MNT_DETACH)
				|| mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0)) {
				dprintf(p[1], "skipped: cannot mount /proc in a new pid namespace: %s",
					strerror(errno));
				_exit(0);
			}
			umount2("/proc", MNT_DETACH);
			for (k = 0; k < 6; k++) {
				if (k == 3) mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0);
				dprintf(p[1], "%s ", getpid_result(r, pidfd_getpid, outside[k % 3]));
			}
			if (!(g = fork())) _exit(0);
			own = syscall(SYS_pidfd_open, g, 0);
			dprintf(p[1], "%d", pidfd_getpid(own) == g);
			_exit(0);
		}
		_exit(inner < 0 || waitpid(inner, &status, 0) != inner || status);
	}
	report = child_report(child, p, out, sizeof out);
	close(wr);
	wait_pidfd(live);
	wait_pidfd(zombie);
	close(live);
	close(zombie);
	close(reaped);
	if (!report) return;
	/* Without /proc, the fdinfo path knows no pidfd (as glibc's). */
	if (path && path != ESRCH)
		snprintf(want, sizeof want, "-1:%d -1:%d -1:%d ", EBADF, EBADF, EBADF);
	else
		snprintf(want, sizeof want, "-1:%d -1:%d -1:%d ", EREMOTE, EREMOTE, ESRCH);
	snprintf(want + strlen(want), sizeof want - strlen(want), "-1:%d -1:%d -1:%d 1",
		EREMOTE, EREMOTE, ESRCH);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A child in a mount namespace of its own detaches /proc: on the ioctl
 * path pidfd_getpid still names the process, where glibc's (2.39+) fails;
 * on the fdinfo path it fails with EBADF, as glibc's. */
START_TEST(pidfd_getpid_needs_no_proc_on_the_ioctl_path)
{
	char out[256], want[128], ours[32], theirs[32], *report;
	void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
	pid_t (*host)(int) = libc ? (pid_t (*)(int))dlsym(libc, "pidfd_getpid") : 0;
	posix_spawnattr_t attr;
	int pidfd, wr, p[2], path;
	pid_t child, pid;

	if ((path = getinfo_path(_i)) < 0) return;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	pid = spawn_blocked(&attr, &wr);
	posix_spawnattr_destroy(&attr);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(child = fork(), 0);
	if (!child) {
		if (unshare(CLONE_NEWNS) || mount("none", "/", "none", MS_REC | MS_PRIVATE, 0)
			|| umount2("/proc", MNT_DETACH)) {
			dprintf(p[1], "skipped: cannot unmount /proc in a mount namespace: %s",
				strerror(errno));
			_exit(0);
		}
		dprintf(p[1], "%s %s %s", access("/proc/self", F_OK) ? "gone" : "there",
			getpid_result(ours, pidfd_getpid, pidfd),
			host ? getpid_result(theirs, host, pidfd) : "none");
		_exit(0);
	}
	report = child_report(child, p, out, sizeof out);
	close(wr);
	wait_pidfd(pidfd);
	close(pidfd);
	if (!report) return;
	if (path) snprintf(ours, sizeof ours, "-1:%d", EBADF);
	else snprintf(ours, sizeof ours, "%d:0", (int)pid);
	if (host) snprintf(theirs, sizeof theirs, "-1:%d", EBADF);
	else puts("the host libc has no pidfd_getpid to compare with");
	snprintf(want, sizeof want, "gone %s %s", ours, host ? theirs : "none");
	ck_assert_str_eq(out, want);
}
END_TEST

Suite *suite_pidfd(void)
{
	Suite *s = suite_create("pidfd");
	TCase *tc = leakcheck_tcase("pidfd");

	tcase_add_test(tc, no_pidfd_is_made_unless_asked);
	tcase_add_test(tc, setpidfd_stores_cloexec_pidfd_of_the_child);
	tcase_add_test(tc, pidfd_polls_readable_only_once_the_child_exits);
	tcase_add_test(tc, pidfd_send_signal_kills_the_child);
	tcase_add_test(tc, failed_spawn_leaves_pidfd_untouched);
	tcase_add_test(tc, posix_spawnp_stores_pidfd_of_the_child);
	tcase_add_test(tc, pidfd_spawn_returns_cloexec_pidfd_of_the_child);
	tcase_add_test(tc, pidfd_spawn_exec_failure_returns_error_and_leaves_pidfd_untouched);
	tcase_add_test(tc, pidfd_spawnp_searches_path);
	tcase_add_test(tc, pidfd_spawn_ignores_the_attr_pidfd_pointer);
	tcase_add_loop_test(tc, pidfd_getpid_names_a_live_child_a_zombie_and_fails_esrch_once_reaped, 0, 4);
	tcase_add_loop_test(tc, pidfd_getpid_rejects_what_is_not_a_pidfd_with_ebadf, 0, 4);
	tcase_add_loop_test(tc, pidfd_getpid_needs_no_descriptor_on_the_ioctl_path, 0, 4);
	tcase_add_loop_test(tc, pidfd_getpid_fails_eremote_outside_our_pid_namespace, 0, 4);
	tcase_add_loop_test(tc, pidfd_getpid_needs_no_proc_on_the_ioctl_path, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
