/* pidfd: posix_spawnattr_setpidfd, pidfd_spawn(p) and pidfd_getpid, on the kernel's first path. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

START_TEST(pidfd_getpid_rejects_what_is_not_a_pidfd)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), closed = dup(fd);

	ck_assert_int_ge(fd, 0);
	close(closed);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(-1), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(closed), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(fd), -1);
	ck_assert_int_eq(errno, EBADF);
	close(fd);
}
END_TEST

START_TEST(pidfd_getpid_names_a_zombie_and_fails_esrch_once_reaped)
{
	char *argv[] = { (char *)helper_path(), 0 };
	int pidfd = -42;
	siginfo_t si = { 0 };
	pid_t pid;

	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0), 0);
	pid = pidfd_getpid(pidfd);
	ck_assert_int_gt(pid, 0);
	while (waitid(P_PIDFD, pidfd, &si, WEXITED | WNOWAIT) < 0) ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	wait_pidfd(pidfd);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(pidfd), -1);
	ck_assert_int_eq(errno, ESRCH);
	close(pidfd);
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
	tcase_add_test(tc, pidfd_getpid_rejects_what_is_not_a_pidfd);
	tcase_add_test(tc, pidfd_getpid_names_a_zombie_and_fails_esrch_once_reaped);
	suite_add_tcase(s, tc);
	return s;
}
