/* tool: the spawnfd command: exit statuses, time limits, signals, options. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define IGNORE_TERM_AND_SLEEP "trap '' TERM; exec /bin/sleep 20"

extern char **environ;

struct run { int status; char out[1024], err[1024]; };

static void read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	/* Non-blocking: a grandchild the tool failed to end may still hold
	 * the pipe, and the test must then fail, not hang. */
	ck_assert_int_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR) continue;
		if (n < 0 && errno == EAGAIN) break;
		ck_assert_int_gt(n, 0);
		len += n;
	}
	buf[len] = 0;
	close(fd);
}

/* Without a pidfd for the tool's child: clone3 and pidfd_open refused,
 * clone's CLONE_PIDFD unknown, as under an emulator. */
static void refuse_pidfds(void)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0) || seccomp_fail(SYS_clone, EINVAL, CLONE_FLAGS_ARG, CLONE_PIDFD)
	    || seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) _exit(99);
}

static void ignore_sigchld(void)
{
	signal(SIGCHLD, SIG_IGN);
}

/* Runs the tool with a NULL-terminated argument list and the environment
 * envp (NULL: ours) and waits for it; r gets its wait status and output.
 * With setup, the tool is started by fork, setup and exec instead. */
static struct run *run_tool(struct run *r, char *const envp[], void (*setup)(void), ...)
{
	char *argv[32];
	int argc = 0, out[2], err[2];
	posix_spawn_file_actions_t fa;
	va_list ap;
	pid_t pid;

	argv[argc++] = (char *)tool_path();
	va_start(ap, setup);
	while ((argv[argc++] = va_arg(ap, char *)))
		ck_assert_int_lt(argc, 32);
	va_end(ap);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	if (setup) {
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (!pid) {
			setup();
			dup2(out[1], 1);
			dup2(err[1], 2);
			execve(argv[0], argv, envp ? envp : environ);
			_exit(98);
		}
	} else {
		ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
		ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, out[1], 1), 0);
		ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, err[1], 2), 0);
		ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, envp ? envp : environ), 0);
		posix_spawn_file_actions_destroy(&fa);
	}
	close(out[1]);
	close(err[1]);
	r->status = wait_status(pid);
	read_all(out[0], r->out, sizeof r->out);
	read_all(err[0], r->err, sizeof r->err);
	return r;
}

static int exit_code(const struct run *r)
{
	ck_assert_msg(WIFEXITED(r->status), "the tool died of signal %d; stderr: %s",
		WTERMSIG(r->status), r->err);
	return WEXITSTATUS(r->status);
}

/* Any process the tool leaves behind becomes ours, so the leak check sees it. */
static void adopt_orphans(void)
{
	/* qemu-user refuses it; the tests still run, blind to orphans. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) && errno == EINVAL)
		printf("subreaper unavailable here: orphans of the tool go unseen\n");
	else
		ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

static void stop_adopting(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void assert_no_child_left(void)
{
	errno = 0;
	ck_assert_int_eq(waitpid(-1, 0, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

static void assert_usage_error(const struct run *r)
{
	ck_assert_int_eq(exit_code(r), 125);
	ck_assert_str_eq(r->out, "");
	ck_assert_ptr_nonnull(strstr(r->err, "Usage: spawnfd "));
}

START_TEST(exit_status_passes_through)
{
	struct run r;
	run_tool(&r, 0, 0, "--", helper_path(), "exit", "3", (char *)0);
	ck_assert_int_eq(exit_code(&r), 3);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(child_killed_by_signal_exits_128_plus_signal)
{
	struct run r;
	run_tool(&r, 0, 0, "/bin/sh", "-c", "kill -TERM $$", (char *)0);
	ck_assert_int_eq(exit_code(&r), 128 + SIGTERM);
}
END_TEST

START_TEST(timeout_exits_124_and_ends_the_child)
{
	struct run r;
	run_tool(&r, 0, 0, "-t", "0.2", "--", "/bin/sleep", "10", (char *)0);
	ck_assert_int_eq(exit_code(&r), 124);
	assert_no_child_left();
}
END_TEST

START_TEST(child_ending_within_timeout_keeps_its_status)
{
	struct run r;
	run_tool(&r, 0, 0, "-t", "30", "--", helper_path(), "exit", "5", (char *)0);
	ck_assert_int_eq(exit_code(&r), 5);
}
END_TEST

/* The child ignores SIGTERM: only the chosen signal can end it in time. */
START_TEST(timeout_sends_the_signal_named_by_s)
{
	static const char *names[] = { "KILL", "SIGKILL", "kill", "9" };
	struct run r;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		run_tool(&r, 0, 0, "-t", "0.2", "-s", names[i], "/bin/sh", "-c",
			IGNORE_TERM_AND_SLEEP, (char *)0);
		ck_assert_int_eq(exit_code(&r), 124);
		assert_no_child_left();
	}
}
END_TEST

START_TEST(kill_after_ends_a_child_that_ignores_the_signal)
{
	struct run r;
	run_tool(&r, 0, 0, "-t", "0.2", "-k", "0.2", "/bin/sh", "-c", IGNORE_TERM_AND_SLEEP,
		(char *)0);
	ck_assert_int_eq(exit_code(&r), 124);
	assert_no_child_left();
}
END_TEST

/* SIGTERM stays pending on a stopped process until something continues it. */
START_TEST(timeout_signal_reaches_a_stopped_child)
{
	struct run r;
	run_tool(&r, 0, 0, "-t", "0.2", "/bin/sh", "-c", "kill -STOP $$", (char *)0);
	ck_assert_int_eq(exit_code(&r), 124);
	assert_no_child_left();
}
END_TEST

START_TEST(verbose_reports_pid_and_pidfd)
{
	struct run r;
	int pid = 0, shell_pid = -1, pidfd = -2, fd;

	run_tool(&r, 0, 0, "-v", "/bin/sh", "-c", "echo $$", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_int_eq(sscanf(r.err, "spawnfd: pid %d pidfd %d\n", &pid, &pidfd), 2);
	ck_assert_int_eq(sscanf(r.out, "%d", &shell_pid), 1);
	ck_assert_int_eq(pid, shell_pid);
	/* Where this process can have pidfds, so can the tool. */
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	if (fd >= 0) {
		close(fd);
		ck_assert_int_ge(pidfd, 3);
	} else {
		ck_assert_int_eq(pidfd, -1);
	}
}
END_TEST

START_TEST(without_a_pidfd_waits_and_times_out_by_pid)
{
	struct run r;
	int pid, pidfd = 0;

	run_tool(&r, 0, refuse_pidfds, "-v", "--", helper_path(), "exit", "3", (char *)0);
	if (exit_code(&r) == 99) {
		puts("skipped: seccomp unavailable here");
		return;
	}
	ck_assert_int_eq(exit_code(&r), 3);
	ck_assert_int_eq(sscanf(r.err, "spawnfd: pid %d pidfd %d\n", &pid, &pidfd), 2);
	ck_assert_int_eq(pidfd, -1);
	run_tool(&r, 0, refuse_pidfds, "-t", "0.2", "/bin/sleep", "10", (char *)0);
	ck_assert_int_eq(exit_code(&r), 124);
	assert_no_child_left();
}
END_TEST

START_TEST(missing_command_exits_127)
{
	struct run r;
	run_tool(&r, 0, 0, "/nonexistent/command", (char *)0);
	ck_assert_int_eq(exit_code(&r), 127);
	ck_assert_ptr_nonnull(strstr(r.err, "spawnfd: /nonexistent/command: "));
}
END_TEST

START_TEST(command_is_searched_in_path)
{
	struct run r;
	run_tool(&r, 0, 0, "sh", "-c", "exit 4", (char *)0);
	ck_assert_int_eq(exit_code(&r), 4);
	run_tool(&r, 0, 0, "spawnfd-no-such-command", (char *)0);
	ck_assert_int_eq(exit_code(&r), 127);
	ck_assert_ptr_nonnull(strstr(r.err, "spawnfd: spawnfd-no-such-command: "));
}
END_TEST

/* A file to run that the kernel refuses: mode 0600 (EACCES, even for
 * root), or mode 0700 without a known format (ENOEXEC). */
static void refused_file_exits_126(mode_t mode)
{
	char path[] = "/tmp/spawnfd-tool-XXXXXX";
	int fd = mkostemp(path, O_CLOEXEC);
	struct run r;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "not a program\n", 14), 14);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	run_tool(&r, 0, 0, path, (char *)0);
	unlink(path);
	ck_assert_int_eq(exit_code(&r), 126);
	ck_assert_ptr_nonnull(strstr(r.err, path));
}

START_TEST(unexecutable_file_exits_126)
{
	refused_file_exits_126(0600);
}
END_TEST

START_TEST(unknown_executable_format_exits_126)
{
	refused_file_exits_126(0700);
}
END_TEST

START_TEST(usage_errors_exit_125)
{
	struct run r;
	assert_usage_error(run_tool(&r, 0, 0, (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-v", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-x", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "--bogus", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-t", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-t", "soon", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-k", "-1", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-s", "NOSUCHSIG", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-s", "0", "/bin/true", (char *)0));
}
END_TEST

/* A command named -v, found through PATH, runs as a command after --. */
START_TEST(double_dash_ends_the_options)
{
	char dir[] = "/tmp/spawnfd-tool-XXXXXX", link[64], path[4096];
	const char *old = getenv("PATH");
	char *envp[] = { path, 0 };
	struct run r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof link, "%s/-v", dir);
	snprintf(path, sizeof path, "PATH=%s:%s", dir, old ? old : "/bin:/usr/bin");
	ck_assert_int_eq(symlink(helper_path(), link), 0);
	run_tool(&r, envp, 0, "--", "-v", "exit", "6", (char *)0);
	unlink(link);
	rmdir(dir);
	ck_assert_int_eq(exit_code(&r), 6);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(options_after_the_command_are_its_own)
{
	struct run r;
	run_tool(&r, 0, 0, "/bin/sh", "-c", "exit 4", "-v", (char *)0);
	ck_assert_int_eq(exit_code(&r), 4);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(environment_passes_through)
{
	char *envp[64];
	size_t n = 0;
	struct run r;

	for (char **e = environ; *e && n < 62; e++) envp[n++] = *e;
	envp[n++] = "SPAWNFD_TOOL_MARK=passed";
	envp[n] = 0;
	run_tool(&r, envp, 0, helper_path(), "env", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\nSPAWNFD_TOOL_MARK=passed\n"));
}
END_TEST

/* Left ignored, SIGCHLD would let the kernel reap the child before the tool. */
START_TEST(inherited_ignored_sigchld_still_gives_the_exit_status)
{
	struct run r;
	run_tool(&r, 0, ignore_sigchld, "--", helper_path(), "exit", "3", (char *)0);
	ck_assert_int_eq(exit_code(&r), 3);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(help_and_version_exit_0)
{
	struct run r;
	run_tool(&r, 0, 0, "--help", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_ptr_eq(strstr(r.out, "Usage: spawnfd "), r.out);
	run_tool(&r, 0, 0, "-h", "/bin/false", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_ptr_eq(strstr(r.out, "Usage: spawnfd "), r.out);
	run_tool(&r, 0, 0, "--version", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_str_eq(r.out, "spawnfd " PACKAGE_VERSION "\n");
}
END_TEST

Suite *suite_tool(void)
{
	Suite *s = suite_create("tool");
	TCase *tc = leakcheck_tcase("tool");

	tcase_add_checked_fixture(tc, adopt_orphans, stop_adopting);
	/* A tool that misses its timeout waits out a 10 or 20 second child. */
	tcase_set_timeout(tc, 8);
	tcase_add_test(tc, exit_status_passes_through);
	tcase_add_test(tc, child_killed_by_signal_exits_128_plus_signal);
	tcase_add_test(tc, timeout_exits_124_and_ends_the_child);
	tcase_add_test(tc, child_ending_within_timeout_keeps_its_status);
	tcase_add_test(tc, timeout_sends_the_signal_named_by_s);
	tcase_add_test(tc, kill_after_ends_a_child_that_ignores_the_signal);
	tcase_add_test(tc, timeout_signal_reaches_a_stopped_child);
	tcase_add_test(tc, verbose_reports_pid_and_pidfd);
	tcase_add_test(tc, without_a_pidfd_waits_and_times_out_by_pid);
	tcase_add_test(tc, missing_command_exits_127);
	tcase_add_test(tc, command_is_searched_in_path);
	tcase_add_test(tc, unexecutable_file_exits_126);
	tcase_add_test(tc, unknown_executable_format_exits_126);
	tcase_add_test(tc, usage_errors_exit_125);
	tcase_add_test(tc, double_dash_ends_the_options);
	tcase_add_test(tc, options_after_the_command_are_its_own);
	tcase_add_test(tc, environment_passes_through);
	tcase_add_test(tc, inherited_ignored_sigchld_still_gives_the_exit_status);
	tcase_add_test(tc, help_and_version_exit_0);
	suite_add_tcase(s, tc);
	return s;
}
