/* tool: the spawnfd command: exit statuses, time limits, signals, options,
 * and how it reads timeout(1)'s operands (test/timeout-parity.sh compares
 * the rest with GNU timeout itself). */
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
#include "../tools/timeout_args.h"

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

/* As nohup and a shell's background jobs leave them, and more. */
static void ignore_and_block_some(void)
{
	sigset_t set;

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, 0);
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

/* Like timeout, the tool dies of the signal that ended its command. */
static int killed_by(const struct run *r)
{
	ck_assert_msg(WIFSIGNALED(r->status), "the tool exited %d; stderr: %s",
		WEXITSTATUS(r->status), r->err);
	return WTERMSIG(r->status);
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
	ck_assert_ptr_nonnull(strstr(r->err, "Try 'spawnfd --help' for more information.\n"));
}

START_TEST(exit_status_passes_through)
{
	struct run r;
	run_tool(&r, 0, 0, "0", helper_path(), "exit", "3", (char *)0);
	ck_assert_int_eq(exit_code(&r), 3);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(child_killed_by_signal_ends_the_tool_with_it)
{
	struct run r;
	run_tool(&r, 0, 0, "0", "/bin/sh", "-c", "kill -TERM $$", (char *)0);
	ck_assert_int_eq(killed_by(&r), SIGTERM);
	run_tool(&r, 0, 0, "--preserve-status", "10", "/bin/sh", "-c", "kill -USR2 $$", (char *)0);
	ck_assert_int_eq(killed_by(&r), SIGUSR2);
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
	static const char *names[] = { "INT", "SIGINT", "int", "2", "130" };
	struct run r;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		run_tool(&r, 0, 0, "-t", "0.2", "-s", names[i], "/bin/sh", "-c",
			IGNORE_TERM_AND_SLEEP, (char *)0);
		ck_assert_int_eq(exit_code(&r), 124);
		assert_no_child_left();
	}
}
END_TEST

/* KILL to the process group ends the tool as well; alone in the
 * foreground, the tool exits 137. */
START_TEST(kill_after_ends_a_child_that_ignores_the_signal)
{
	struct run r;
	int pid, status;

	run_tool(&r, 0, 0, "--report-pid", "-t", "0.2", "-k", "0.2", "/bin/sh", "-c",
		IGNORE_TERM_AND_SLEEP, (char *)0);
	ck_assert_int_eq(killed_by(&r), SIGKILL);
	ck_assert_int_eq(sscanf(r.err, "spawnfd: pid %d", &pid), 1);
	/* Orphaned, the command is ours to reap once the KILL has ended it
	 * (where we can be a subreaper). */
	if (waitpid(pid, &status, 0) == pid)
		ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_no_child_left();
	run_tool(&r, 0, 0, "--foreground", "-k", "0.2", "0.2", "/bin/sh", "-c",
		IGNORE_TERM_AND_SLEEP, (char *)0);
	ck_assert_int_eq(exit_code(&r), 137);
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

START_TEST(report_pid_gives_pid_and_pidfd)
{
	struct run r;
	int pid = 0, shell_pid = -1, pidfd = -2, fd;

	run_tool(&r, 0, 0, "--report-pid", "0", "/bin/sh", "-c", "echo $$", (char *)0);
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

	run_tool(&r, 0, refuse_pidfds, "--report-pid", "0", helper_path(), "exit", "3", (char *)0);
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
	run_tool(&r, 0, 0, "1", "/nonexistent/command", (char *)0);
	ck_assert_int_eq(exit_code(&r), 127);
	ck_assert_ptr_nonnull(strstr(r.err, "spawnfd: failed to run command '/nonexistent/command': "));
}
END_TEST

START_TEST(command_is_searched_in_path)
{
	struct run r;
	run_tool(&r, 0, 0, "1", "sh", "-c", "exit 4", (char *)0);
	ck_assert_int_eq(exit_code(&r), 4);
	run_tool(&r, 0, 0, "1", "spawnfd-no-such-command", (char *)0);
	ck_assert_int_eq(exit_code(&r), 127);
	ck_assert_ptr_nonnull(strstr(r.err, "command 'spawnfd-no-such-command': "));
}
END_TEST

/* "PATH=dir:" and our PATH, in env. */
static void path_with(char *env, size_t size, const char *dir)
{
	const char *old = getenv("PATH");
	snprintf(env, size, "PATH=%s:%s", dir, old ? old : "/bin:/usr/bin");
}

/* A file in dir, named name, that says "exit 42" but has no #!. */
static void write_script(const char *dir, const char *name, mode_t mode, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "exit 42\n", 8), 8);
	close(fd);
}

/* Mode 0600: EACCES, even for root. */
START_TEST(unexecutable_file_exits_126)
{
	char dir[] = "/tmp/spawnfd-tool-XXXXXX", path[64];
	struct run r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_script(dir, "prog", 0600, path, sizeof path);
	run_tool(&r, 0, 0, "1", path, (char *)0);
	unlink(path);
	rmdir(dir);
	ck_assert_int_eq(exit_code(&r), 126);
	ck_assert_ptr_nonnull(strstr(r.err, path));
}
END_TEST

/* As execvp, and so timeout, runs a file of no format the kernel knows
 * (ENOEXEC): with /bin/sh, given by path or found through PATH. */
START_TEST(file_without_a_format_runs_as_a_shell_script)
{
	char dir[] = "/tmp/spawnfd-tool-XXXXXX", path[64], env[4096];
	char *envp[] = { env, 0 };
	struct run r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_script(dir, "spawnfd-script", 0700, path, sizeof path);
	run_tool(&r, 0, 0, "1", path, (char *)0);
	ck_assert_int_eq(exit_code(&r), 42);
	path_with(env, sizeof env, dir);
	run_tool(&r, envp, 0, "1", "spawnfd-script", (char *)0);
	unlink(path);
	rmdir(dir);
	ck_assert_int_eq(exit_code(&r), 42);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(usage_errors_exit_125)
{
	struct run r;
	assert_usage_error(run_tool(&r, 0, 0, (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-v", "1", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-t", "1", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-t", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-t", "soon", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-k", "-1", "1", "/bin/true", (char *)0));
	assert_usage_error(run_tool(&r, 0, 0, "-s", "NOSUCHSIG", "1", "/bin/true", (char *)0));
}
END_TEST

/* A command named -v, found through PATH, runs as a command after --. */
START_TEST(double_dash_ends_the_options)
{
	char dir[] = "/tmp/spawnfd-tool-XXXXXX", link[64], path[4096];
	char *envp[] = { path, 0 };
	struct run r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof link, "%s/-v", dir);
	path_with(path, sizeof path, dir);
	ck_assert_int_eq(symlink(helper_path(), link), 0);
	run_tool(&r, envp, 0, "-t", "0", "--", "-v", "exit", "6", (char *)0);
	unlink(link);
	rmdir(dir);
	ck_assert_int_eq(exit_code(&r), 6);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(options_after_the_command_are_its_own)
{
	struct run r;
	run_tool(&r, 0, 0, "0", "/bin/sh", "-c", "exit 4", "-v", (char *)0);
	ck_assert_int_eq(exit_code(&r), 4);
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(environment_passes_through)
{
	char *envp[64];
	size_t n = 0;
	struct run r;

	/* First, so that a large environment cannot push it out of r.out. */
	envp[n++] = "SPAWNFD_TOOL_MARK=passed";
	for (char **e = environ; *e && n < 63; e++) envp[n++] = *e;
	envp[n] = 0;
	run_tool(&r, envp, 0, "0", helper_path(), "env", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "SPAWNFD_TOOL_MARK=passed\n"));
}
END_TEST

/* Left ignored, SIGCHLD would let the kernel reap the child before the tool. */
START_TEST(inherited_ignored_sigchld_still_gives_the_exit_status)
{
	struct run r;
	run_tool(&r, 0, ignore_sigchld, "0", helper_path(), "exit", "3", (char *)0);
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

/* The child starts as timeout's does: what the tool catches (HUP, INT,
 * QUIT, ALRM, TERM) and ignores for itself (TTIN, TTOU) back at the
 * default, even where ignored on entry; other ignored signals still
 * ignored; the mask the tool was given, SIGALRM included. */
START_TEST(child_starts_with_timeouts_dispositions_and_mask)
{
	int sig, ignored[_NSIG] = { 0 }, blocked[_NSIG] = { 0 }, n;
	char *p, *line;
	struct run r;

	run_tool(&r, 0, ignore_and_block_some, "0", helper_path(), "disp", "mask", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	line = strtok_r(r.out, "\n", &p);
	ck_assert_ptr_nonnull(line);
	for (char *q = line; sscanf(q, "%d:%*s%n", &sig, &n) == 1; q += n)
		if (sig > 0 && sig < _NSIG && strncmp(strchr(q, ':'), ":ignored", 8) == 0)
			ignored[sig] = 1;
	line = strtok_r(0, "\n", &p);
	ck_assert_ptr_nonnull(line);
	for (char *q = line; sscanf(q, "%d%n", &sig, &n) == 1; q += n)
		if (sig > 0 && sig < _NSIG) blocked[sig] = 1;
	/* in the helper's numbers: under qemu-user it is the host's */
	ck_assert(!ignored[helper_signo(SIGHUP)] && !ignored[helper_signo(SIGINT)]
		&& !ignored[helper_signo(SIGQUIT)]);
	ck_assert(!ignored[helper_signo(SIGTTIN)] && !ignored[helper_signo(SIGTTOU)]);
	ck_assert(ignored[helper_signo(SIGUSR1)]);
	ck_assert(blocked[helper_signo(SIGUSR2)] && blocked[helper_signo(SIGALRM)]
		&& !blocked[helper_signo(SIGTERM)]);
}
END_TEST

/* Helper "ids": pid ppid pgid ...; the tool is the child's parent. */
static void child_ids(const char *opt, int *ppid, int *pgid)
{
	struct run r;

	run_tool(&r, 0, 0, opt, "10", helper_path(), "ids", (char *)0);
	ck_assert_int_eq(exit_code(&r), 0);
	ck_assert_int_eq(sscanf(r.out, "%*d %d %d", ppid, pgid), 2);
}

/* Its own group holds the command's children too, for the signals it
 * passes on; --foreground leaves the command in the caller's group. */
START_TEST(tool_leads_a_new_process_group_unless_foreground)
{
	int ppid, pgid;

	child_ids("-v", &ppid, &pgid);
	ck_assert_int_eq(pgid, ppid);
	child_ids("--foreground", &ppid, &pgid);
	ck_assert_int_eq(pgid, getpgrp());
	ck_assert_int_ne(pgid, ppid);
}
END_TEST

START_TEST(durations_read_as_timeout_reads_them)
{
	static const struct { const char *arg; double secs; } good[] = {
		{ "0", 0 }, { "-0", 0 }, { "2", 2 }, { "0.5", 0.5 }, { ".5", 0.5 }, { "5.", 5 },
		{ " 1", 1 }, { "+1", 1 }, { "1e1", 10 }, { "0x1p-2", 0.25 }, { "1.5s", 1.5 },
		{ "1.5m", 90 }, { "2h", 7200 }, { "0.5d", 43200 },
	};
	static const char *bad[] = {
		"", " ", "x", "s", "-1", "-0.1s", "1x", "1ms", "1 ", "1s ", "nan", "1e", "1.5.",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof *good; i++)
		ck_assert_msg(parse_duration(good[i].arg) == good[i].secs, "%s", good[i].arg);
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(parse_duration(bad[i]) == -1, "'%s'", bad[i]);
	/* Beyond double's range or precision: no limit, or at once. */
	ck_assert(parse_duration("inf") > 1e300 && parse_duration("1e400") > 1e300);
	ck_assert(parse_duration("1e-400") >= 0 && parse_duration("1e-10") > 0);
}
END_TEST

START_TEST(signals_read_as_timeout_reads_them)
{
	static const struct { const char *arg; int sig; } good[] = {
		{ "TERM", SIGTERM }, { "term", SIGTERM }, { "SigTerm", SIGTERM }, { "9", SIGKILL },
		{ "09", SIGKILL }, { "SIG9", SIGKILL }, { "0", 0 }, { "EXIT", 0 }, { "IOT", SIGABRT },
		{ "CLD", SIGCHLD }, { "IO", SIGIO }, { "POLL", SIGIO }, { "STOP", SIGSTOP },
		/* A shell's status for a process killed by the signal. */
		{ "137", SIGKILL }, { "130", SIGINT }, { "265", SIGKILL },
	};
	static const char *bad[] = {
		"", "SIG", "SIGSIGTERM", "NOSUCH", "+9", " 9", "9 ", "9x", "0x9", "-1", "4294967305", "SIG 9", "RTMIN-1", "RTMAX+1", "RTMIN+1x", "RTMIN++1",
	};
	char name[16];
	size_t i;

	/* Past the last signal, which mips puts at 127, not 64. */
	snprintf(name, sizeof name, "%d", SIGRTMAX + 1);
	ck_assert_int_eq(parse_signal(name), -1);
	snprintf(name, sizeof name, "SIG%d", SIGRTMAX + 1);
	ck_assert_int_eq(parse_signal(name), -1);
	if (128 + SIGRTMAX + 1 < 256) {
		snprintf(name, sizeof name, "%d", 128 + SIGRTMAX + 1);
		ck_assert_int_eq(parse_signal(name), -1);
	}
	for (i = 0; i < sizeof good / sizeof *good; i++)
		ck_assert_msg(parse_signal(good[i].arg) == good[i].sig, "%s", good[i].arg);
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(parse_signal(bad[i]) == -1, "'%s'", bad[i]);
	ck_assert_int_eq(parse_signal("RTMIN"), SIGRTMIN);
	ck_assert_int_eq(parse_signal("sigrtmin+2"), SIGRTMIN + 2);
	ck_assert_int_eq(parse_signal("RTMAX-1"), SIGRTMAX - 1);
	ck_assert_int_eq(parse_signal("RTMAX"), SIGRTMAX);
	ck_assert_int_eq(parse_signal("RTMIN+99"), -1);
	/* Below SIGRTMIN, glibc's own real-time signals have no name. */
	for (i = 32; i < (size_t)SIGRTMIN; i++) ck_assert_int_eq(signal_name(i, name, sizeof name), -1);
	ck_assert_int_eq(signal_name(_NSIG, name, sizeof name), -1);
}
END_TEST

/* The first name wins where a number has two; real-time signals count
 * from the nearer end. */
START_TEST(signal_names_are_timeouts)
{
	static const struct { int sig; const char *name; } names[] = {
		{ 0, "EXIT" }, { SIGABRT, "ABRT" }, { SIGCHLD, "CHLD" }, { SIGIO, "POLL" },
		{ SIGTERM, "TERM" }, { SIGSYS, "SYS" },
	};
	int mid = SIGRTMIN + (SIGRTMAX - SIGRTMIN) / 2;
	char name[32], want[32];

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		ck_assert_int_eq(signal_name(names[i].sig, name, sizeof name), 0);
		ck_assert_str_eq(name, names[i].name);
	}
	ck_assert_int_eq(signal_name(SIGRTMIN, name, sizeof name), 0);
	ck_assert_str_eq(name, "RTMIN");
	ck_assert_int_eq(signal_name(mid, name, sizeof name), 0);
	snprintf(want, sizeof want, "RTMIN+%d", mid - SIGRTMIN);
	ck_assert_str_eq(name, want);
	ck_assert_int_eq(signal_name(mid + 1, name, sizeof name), 0);
	snprintf(want, sizeof want, "RTMAX-%d", SIGRTMAX - mid - 1);
	ck_assert_str_eq(name, want);
	ck_assert_int_eq(signal_name(SIGRTMAX, name, sizeof name), 0);
	ck_assert_str_eq(name, "RTMAX");
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
	tcase_add_test(tc, child_killed_by_signal_ends_the_tool_with_it);
	tcase_add_test(tc, timeout_exits_124_and_ends_the_child);
	tcase_add_test(tc, child_ending_within_timeout_keeps_its_status);
	tcase_add_test(tc, timeout_sends_the_signal_named_by_s);
	tcase_add_test(tc, kill_after_ends_a_child_that_ignores_the_signal);
	tcase_add_test(tc, timeout_signal_reaches_a_stopped_child);
	tcase_add_test(tc, report_pid_gives_pid_and_pidfd);
	tcase_add_test(tc, without_a_pidfd_waits_and_times_out_by_pid);
	tcase_add_test(tc, missing_command_exits_127);
	tcase_add_test(tc, command_is_searched_in_path);
	tcase_add_test(tc, unexecutable_file_exits_126);
	tcase_add_test(tc, file_without_a_format_runs_as_a_shell_script);
	tcase_add_test(tc, usage_errors_exit_125);
	tcase_add_test(tc, double_dash_ends_the_options);
	tcase_add_test(tc, options_after_the_command_are_its_own);
	tcase_add_test(tc, environment_passes_through);
	tcase_add_test(tc, inherited_ignored_sigchld_still_gives_the_exit_status);
	tcase_add_test(tc, help_and_version_exit_0);
	tcase_add_test(tc, child_starts_with_timeouts_dispositions_and_mask);
	tcase_add_test(tc, tool_leads_a_new_process_group_unless_foreground);
	tcase_add_test(tc, durations_read_as_timeout_reads_them);
	tcase_add_test(tc, signals_read_as_timeout_reads_them);
	tcase_add_test(tc, signal_names_are_timeouts);
	suite_add_tcase(s, tc);
	return s;
}
