/* musl: what check-musl-patches.sh asks of the patched musl alone, where
 * the library differs or its suites do not reach (README in this directory). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#ifdef MUSL_PREFIX
/* Before the optional patch that honors them, the scheduling flags fail
 * the spawn, and no child is made. */
START_TEST(scheduling_flags_fail_enotsup_without_child)
{
	static const short flags[] = { POSIX_SPAWN_SETSCHEDPARAM, POSIX_SPAWN_SETSCHEDULER };
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawnattr_t attr;
	pid_t pid = -42;
	int status;

	posix_spawnattr_init(&attr);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, flags[_i]), 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), ENOTSUP);
	ck_assert_int_eq(posix_spawnp(&pid, argv[0], 0, &attr, argv, 0), ENOTSUP);
	ck_assert_int_eq(pid, -42);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	posix_spawnattr_destroy(&attr);
}
END_TEST
#endif

/* Before Linux 5.9, a descriptor above both limits, opened before they
 * were lowered, is still closed, and the error pipe still works. */
START_TEST(closefrom_without_close_range_closes_above_every_limit)
{
	struct rlimit low = { 64, 64 };
	posix_spawn_file_actions_t fa;
	char buf[256], *argv[] = { "nonexistent", 0 };
	int status, fd, high;

	cloexec_all();
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 3);
	high = fcntl(fd, F_DUPFD, 900);
	ck_assert_int_ge(high, 900);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!seccomp_fail(SYS_close_range, ENOSYS, 0, 0)) {
		helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0);
		ck_assert_int_eq(status, 0);
		ck_assert_str_eq(buf, "0 1 2\n");
		ck_assert_int_eq(posix_spawn(0, "/nonexistent/program", &fa, 0, argv, 0), ENOENT);
	}
	posix_spawn_file_actions_destroy(&fa);
	close(high), close(fd);
}
END_TEST

/* A null pidfd pointer is glibc's posix_spawn without a pid: on every
 * path, even where no pidfd can be had, a child to reap and no new
 * descriptor. Loop: 0 as the kernel offers, 1 clone refusing
 * CLONE_PIDFD, 2 that and no pidfd_open either. */
START_TEST(null_pidfd_pointer_spawns_a_child_to_reap)
{
	char *argv[] = { (char *)helper_path(), "exit", "7", 0 };
	int before, status, i;

	if (_i > 0 && seccomp_legacy_clone()) return;
	if (_i > 1 && seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	before = fd_count();
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq((i ? pidfd_spawnp : pidfd_spawn)(0, argv[0], 0, 0, argv, 0), 0);
		ck_assert_int_eq(fd_count(), before);
		ck_assert_int_gt(waitpid(-1, &status, 0), 0);
		ck_assert_int_eq(status, 7 << 8);
	}
}
END_TEST

/* pidfd_getpid with the ioctl (loop 0) and, where it is refused as by
 * kernels before 6.13, through fdinfo (loop 1). */
START_TEST(pidfd_getpid_names_the_child_until_it_is_reaped)
{
	char *argv[] = { (char *)helper_path(), 0 };
	int pidfd, p[2], status;
	pid_t pid;

	if (_i && seccomp_fail(SYS_ioctl, ENOTTY, 0, 0)) return;
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	pidfd = pidfd_open(pid, 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	ck_assert_int_eq(waitid(P_PID, pid, &(siginfo_t){ 0 }, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(pidfd), -1);
	ck_assert_int_eq(errno, ESRCH);
	close(pidfd);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(p[0]), -1);
	ck_assert_int_eq(errno, EBADF);
	close(p[0]), close(p[1]);
	errno = 0;
	ck_assert_int_eq(pidfd_getpid(p[0]), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* A process outside the caller's pid namespace: EREMOTE, and ESRCH once
 * it is reaped, as glibc has it. Loop 0 asks the ioctl, with the child's
 * /proc still that of the outer namespace, where fdinfo would give the
 * outer pids; loop 1 refuses the ioctl and mounts /proc for the new
 * namespace, as a container has it, for fdinfo to say 0; loop 2 has the
 * ioctl answer ESRCH, as the first kernels with it did. */
START_TEST(pidfd_getpid_outside_our_pid_namespace_is_eremote)
{
	char *argv[] = { (char *)helper_path(), 0 };
	int outer, reaped, status;
	pid_t pid;

	outer = pidfd_open(getpid(), 0);
	ck_assert_int_ge(outer, 0);
	ck_assert_int_eq(pidfd_spawn(&reaped, argv[0], 0, 0, argv, 0), 0);
	wait_pidfd(reaped);
	if (_i && seccomp_fail(SYS_ioctl, _i == 1 ? ENOTTY : ESRCH, 0, 0)) goto out;
	if (unshare(CLONE_NEWPID)) {
		printf("skipped: no new pid namespace here: %s\n", strerror(errno));
		goto out;
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		/* Our own mount namespace: the runner's /proc stays. */
		if (_i == 1 && (unshare(CLONE_NEWNS) || mount(0, "/", 0, MS_REC | MS_PRIVATE, 0)
		    || mount("proc", "/proc", "proc", 0, 0)))
			_exit(2);
		errno = 0;
		if (pidfd_getpid(outer) != -1 || errno != EREMOTE) _exit(3);
		errno = 0;
		_exit(pidfd_getpid(reaped) == -1 && errno == ESRCH ? 0 : 4);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
out:
	close(outer), close(reaped);
}
END_TEST

Suite *suite_musl(void)
{
	Suite *s = suite_create("musl");
	TCase *tc = leakcheck_tcase("musl");

#ifdef MUSL_PREFIX
	tcase_add_loop_test(tc, scheduling_flags_fail_enotsup_without_child, 0, 2);
#endif
	tcase_add_test(tc, closefrom_without_close_range_closes_above_every_limit);
	tcase_add_loop_test(tc, null_pidfd_pointer_spawns_a_child_to_reap, 0, 3);
	tcase_add_loop_test(tc, pidfd_getpid_names_the_child_until_it_is_reaped, 0, 2);
	tcase_add_loop_test(tc, pidfd_getpid_outside_our_pid_namespace_is_eremote, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}
