/* faults: system calls made to fail (seccomp, rlimits, signals), each with the right errno and nothing leaked. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define NOBODY 65534

static int clone3_is_the_kernels(void)
{
	if (syscall(SYS_clone3, 0, 0) < 0 && errno == ENOSYS) {
		puts("skipped: no clone3 here (valgrind answers ENOSYS itself)");
		return 0;
	}
	return 1;
}

/* valgrind (3.19) runs CLONE_VM|CLONE_VFORK as a fork, and after a fork
 * that fails it leaves every signal blocked (ML_(do_fork_clone) restores
 * the mask on success only): the test then dies of a SIGSEGV it cannot take. */
#define FAILED_FORK_KILLS_VALGRIND "a fork that fails leaves valgrind unable to take signals"

static void assert_nothing_left(int fds)
{
	int status;
	ck_assert_int_eq(fd_count(), fds);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

/* Every way in must fail with err, leave *pid and *pidfd as they were,
 * and leave no child and no descriptor: posix_spawn with and without a
 * pidfd, posix_spawnp searching PATH, pidfd_spawn. */
static void every_spawn_fails_with(int err)
{
	char *argv[] = { (char *)helper_path(), "exit", "3", 0 };
	posix_spawnattr_t plain, with_pidfd;
	int pidfd = -42, fds = fd_count(), ret = 0, i;
	pid_t pid = -42;

	posix_spawnattr_init(&plain);
	posix_spawnattr_init(&with_pidfd);
	posix_spawnattr_setpidfd(&with_pidfd, &pidfd);
	for (i = 0; i < 5; i++) {
		switch (i) {
		case 0: ret = posix_spawn(&pid, argv[0], 0, 0, argv, 0); break;
		case 1: ret = posix_spawn(&pid, argv[0], 0, &with_pidfd, argv, 0); break;
		case 2: ret = posix_spawnp(&pid, "true", 0, &plain, argv, 0); break;
		case 3: ret = posix_spawnp(&pid, "true", 0, &with_pidfd, argv, 0); break;
		case 4: ret = pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0); break;
		}
		ck_assert_msg(ret == err, "call %d returned %d (%s), not %s", i, ret,
			strerror(ret), strerror(err));
		ck_assert_int_eq(pid, -42);
		ck_assert_int_eq(pidfd, -42);
		assert_nothing_left(fds);
	}
	posix_spawnattr_destroy(&plain);
	posix_spawnattr_destroy(&with_pidfd);
}

/* A spawn that works, its status read through the pidfd. */
static void spawn_exits_with(int code)
{
	char arg[12], *argv[] = { (char *)helper_path(), "exit", arg, 0 };
	int pidfd = -42, fds = fd_count();
	siginfo_t si;

	snprintf(arg, sizeof arg, "%d", code);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(fd_count(), fds + 1);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_code, CLD_EXITED);
	ck_assert_int_eq(si.si_status, code);
	close(pidfd);
	assert_nothing_left(fds);
}

/* No pipe at all: from the very first spawn, before the process has
 * learnt that its children share its memory, errors travel in the word. */
START_TEST(pipe2_emfile_reports_every_error_through_shared_memory)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)helper_path(), 0 };
	int fds = fd_count(), pidfd = -42;
	pid_t pid = -42;

	if (emulated("a fork has no shared word, and a full fd table leaves it nothing")) return;
	if (seccomp_fail(SYS_pipe2, EMFILE, 0, 0)) return;
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", 0, 0, argv, 0), ENOENT);
	assert_nothing_left(fds);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 5, "/nonexistent/file", O_RDONLY, 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], &fa, 0, argv, 0), ENOENT);
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_int_eq(pid, -42);
	ck_assert_int_eq(pidfd, -42);
	assert_nothing_left(fds);
	spawn_exits_with(5);
	ck_assert_int_eq(posix_spawnp(&pid, "nonexistent-program", 0, 0, argv, 0), ENOENT);
	assert_nothing_left(fds);
}
END_TEST

/* EAGAIN means "try later", not "not here": the chain must not fall back
 * to clone, which would answer with the marker errno. Nor may the process
 * learn from it: the next spawn tries clone3 again. */
START_TEST(clone3_eagain_is_returned_without_fallback_or_child)
{
	if (!clone3_is_the_kernels()) return;
	if (seccomp_fail(SYS_clone3, EAGAIN, 0, 0) || seccomp_fail(SYS_clone, ENOTRECOVERABLE, 0, 0)) return;
	every_spawn_fails_with(EAGAIN);
	every_spawn_fails_with(EAGAIN);
}
END_TEST

START_TEST(clone_eagain_after_clone3_enosys_is_returned_without_child)
{
	if (emulated(FAILED_FORK_KILLS_VALGRIND)) return;
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0) || seccomp_fail(SYS_clone, EAGAIN, 0, 0)) return;
	every_spawn_fails_with(EAGAIN);
	every_spawn_fails_with(EAGAIN);
}
END_TEST

/* The tasks (threads count against RLIMIT_NPROC too) whose real uid is uid. */
static int tasks_of(uid_t uid)
{
	char path[64], line[128];
	unsigned real, threads = 0;
	int n = 0, mine;
	DIR *proc = opendir("/proc");
	struct dirent *e;
	FILE *f;

	while (proc && (e = readdir(proc))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
		snprintf(path, sizeof path, "/proc/%.16s/status", e->d_name);
		if (!(f = fopen(path, "re"))) continue;
		mine = 0;
		while (fgets(line, sizeof line, f)) {
			if (sscanf(line, "Uid: %u", &real) == 1) mine = real == uid;
			if (sscanf(line, "Threads: %u", &threads) == 1 && mine) n += threads;
		}
		fclose(f);
	}
	if (proc) closedir(proc);
	return n;
}

/* Runs as uid 65534 in a forked copy of the test, no Check there: returns
 * what went wrong, or NULL. */
static const char *spawn_at_nproc_limit(const char *helper)
{
	char *argv[] = { (char *)helper, "exit", "7", 0 };
	static char why[160];
	posix_spawnattr_t attr;
	struct rlimit lim;
	int pidfd = -42, fds, ret, status;
	pid_t pid = -42;

	if (setgroups(0, 0) || setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
		return "cannot become uid 65534";
	/* Our own task is among them: one more is over the limit. */
	if (getrlimit(RLIMIT_NPROC, &lim)) return "getrlimit";
	lim.rlim_cur = tasks_of(NOBODY);
	if (lim.rlim_cur < 1 || setrlimit(RLIMIT_NPROC, &lim)) return "cannot lower RLIMIT_NPROC";
	fds = fd_count();
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	if ((ret = posix_spawn(&pid, argv[0], 0, &attr, argv, 0)) != EAGAIN
	    || (ret = pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0)) != EAGAIN) {
		snprintf(why, sizeof why, "at the limit a spawn returned %d (%s)", ret, strerror(ret));
		return why;
	}
	if (pid != -42 || pidfd != -42) return "a failed spawn stored a pid or pidfd";
	if (fd_count() != fds) return "a failed spawn leaked a descriptor";
	if (waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD) return "a failed spawn left a child";
	/* Back under the limit the same spawn works: it was the limit. */
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NPROC, &lim)) return "cannot restore RLIMIT_NPROC";
	if ((ret = posix_spawn(&pid, argv[0], 0, &attr, argv, 0))) {
		snprintf(why, sizeof why, "under the limit the spawn returned %s", strerror(ret));
		return why;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR);
	close(pidfd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 7) return "the child did not exit with 7";
	posix_spawnattr_destroy(&attr);
	return fd_count() == fds ? 0 : "a spawn leaked a descriptor";
}

/* Root is exempt from RLIMIT_NPROC: the limit is met for real by an
 * unprivileged uid, in a copy of the test that can drop to it. */
START_TEST(rlimit_nproc_for_unprivileged_uid_fails_eagain_without_child)
{
	const char *helper;
	char why[200];
	int p[2], len = 0, n;
	pid_t copy;

	if (geteuid()) {
		puts("skipped: only root can drop to uid 65534");
		return;
	}
	if (emulated(FAILED_FORK_KILLS_VALGRIND)) return;
	helper = helper_for_anyone();
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(copy = fork(), 0);
	if (!copy) {
		const char *err = spawn_at_nproc_limit(helper);
		if (err && write(p[1], err, strlen(err)) < 0) _exit(2);
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], why + len, sizeof why - 1 - len)) > 0) len += n;
	why[len] = 0;
	close(p[0]);
	ck_assert_int_eq(wait_status(copy), 0);
	ck_assert_msg(!len, "as uid 65534: %s", why);
}
END_TEST

/* The filter is inherited by the child, whose execve then fails: through
 * the pipe on the first spawn, through shared memory after it. */
static void exec_enomem_is_returned(void)
{
	/* valgrind checks an exec itself first; when the kernel then fails
	 * it, the child dies with status 101 and reports nothing. */
	if (emulated("valgrind cannot recover from an execve that the kernel refuses")) return;
	if (seccomp_fail(SYS_execve, ENOMEM, 0, 0)) return;
	every_spawn_fails_with(ENOMEM);
	every_spawn_fails_with(ENOMEM);
}

START_TEST(execve_enomem_is_returned_and_child_reaped)
{
	exec_enomem_is_returned();
}
END_TEST

START_TEST(execve_enomem_on_legacy_clone_is_returned_and_child_reaped)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	exec_enomem_is_returned();
}
END_TEST

/* Where the pidfd can only come from pidfd_open, and that fails after the
 * child exists: posix_spawn still succeeds with -1, pidfd_spawn must fail
 * and take its child with it. */
START_TEST(pidfd_open_emfile_on_legacy_clone_gives_minus_one_or_fails_pidfd_spawn)
{
	char *argv[] = { (char *)helper_path(), "exit", "4", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42, fds = fd_count(), status, i;
	pid_t pid = -42;

	if (emulated(FAILED_FORK_KILLS_VALGRIND)) return;
	if (seccomp_legacy_clone() || seccomp_fail(SYS_pidfd_open, EMFILE, 0, 0)) return;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
		ck_assert_int_eq(pidfd, -1);
		ck_assert_int_eq(fd_count(), fds);
		status = wait_status(pid);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 4);
		pidfd = -42, pid = -42;
		ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0), EMFILE);
		ck_assert_int_eq(pidfd_spawnp(&pidfd, "true", 0, 0, argv, 0), EMFILE);
		ck_assert_int_eq(pidfd, -42);
		assert_nothing_left(fds);
	}
	posix_spawnattr_destroy(&attr);
}
END_TEST

static void caller_mask(sigset_t *set)
{
	/* SIG_SETMASK with no set only reads: SIG_BLOCK may be the one failing. */
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, 0, set), 0);
}

static void assert_same_mask(const sigset_t *a, const sigset_t *b)
{
	int sig;
	for (sig = 1; sig < _NSIG; sig++)
		ck_assert_msg(sigismember(a, sig) == sigismember(b, sig), "signal %d changed in the mask", sig);
}

/* rt_sigprocmask cannot fail with the library's arguments; only a filter
 * can make it. We decide: a spawn whose block of every signal is refused
 * does not happen (without it a parent handler could run in the child on
 * our memory, and there is no saved mask to give the child or restore),
 * it returns the errno untouched; EINTR from a filter is permanent, so it
 * is not retried. The caller's mask and *pid, *pidfd stay as they were. */
START_TEST(sigprocmask_block_refused_fails_spawn_and_keeps_caller_mask)
{
	sigset_t usr2, before, after;

	if (!fresh_process() || emulated("valgrind keeps the signal mask itself")) return;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &usr2, 0), 0);
	caller_mask(&before);
	if (seccomp_fail_eq(SYS_rt_sigprocmask, EINTR, 0, SIG_BLOCK)) return;
	every_spawn_fails_with(EINTR);
	caller_mask(&after);
	assert_same_mask(&before, &after);
}
END_TEST

/* The child sets its mask last before exec: if that is refused, the new
 * program would start with every signal blocked; the spawn reports it.
 * (The parent's restore fails under this filter too; made with the
 * arguments of a block that just worked, it cannot fail otherwise, and
 * nothing could undo it: the library ignores it.) */
START_TEST(sigprocmask_refused_in_child_fails_spawn_and_reaps_it)
{
	if (emulated("valgrind keeps the signal mask itself")) return;
	if (seccomp_fail_eq(SYS_rt_sigprocmask, EFAULT, 0, SIG_SETMASK)) return;
	every_spawn_fails_with(EFAULT);
}
END_TEST

static volatile sig_atomic_t interrupts;

static void count_interrupt(int sig)
{
	(void)sig;
	interrupts++;
}

struct storm {
	pid_t target;
	int stop, fifo;
	long sent, opened;
};

static void *interrupt_target(void *p)
{
	struct storm *s = p;
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		if (!syscall(SYS_tgkill, getpid(), s->target, SIGUSR1)) s->sent++;
		sched_yield();
	}
	return 0;
}

/* A child opening the fifo waits there until this thread opens it too. */
static void *let_fifo_readers_on(void *p)
{
	struct storm *s = p;
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/proc/self/fd/%d", s->fifo);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
			close(fd);
			s->opened++;
		}
		sched_yield();
	}
	return 0;
}

/* The parent reads the error channel with every signal blocked, so a
 * signal storm at the spawning thread (a handler without SA_RESTART) can
 * never turn into EINTR or a short read taken for success. Children that
 * wait in their file actions keep the parent in the spawn for a while.
 * (Not under valgrind: its vfork holds every thread of the parent, so the
 * thread that lets them on would never run.) */
START_TEST(signal_storm_at_spawning_thread_never_interrupts_a_spawn)
{
	char fifo[] = "/tmp/spawnfd-faults-XXXXXX", path[64], code[12];
	char *argv[] = { (char *)helper_path(), "exit", code, 0 }, *bad[] = { "nonexistent", 0 };
	struct sigaction sa = { .sa_handler = count_interrupt }, old;
	struct storm s = { .target = syscall(SYS_gettid) };
	posix_spawn_file_actions_t slow, failing;
	pthread_t threads[2];
	sigset_t before, after;
	int i, fd, err, pidfd, fds, pidfd_open_works;
	posix_spawnattr_t attr;
	siginfo_t si;
	pid_t pid;

	if (emulated(QEMU_STORMS)) return;
	fd = mkstemp(fifo);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	s.fifo = open(fifo, O_PATH | O_CLOEXEC);
	unlink(fifo);
	ck_assert_int_ge(s.fifo, 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", s.fifo);
	posix_spawn_file_actions_init(&slow);
	if (!emulated("children are not made to wait"))
		posix_spawn_file_actions_addopen(&slow, s.fifo + 1, path, O_RDONLY, 0);
	posix_spawn_file_actions_init(&failing);
	posix_spawn_file_actions_addopen(&failing, 5, "/nonexistent/file", O_RDONLY, 0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	pidfd_open_works = (fd = syscall(SYS_pidfd_open, getpid(), 0)) >= 0;
	if (fd >= 0) close(fd);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, &old), 0);
	caller_mask(&before);
	fds = fd_count();
	ck_assert_int_eq(pthread_create(&threads[0], 0, interrupt_target, &s), 0);
	ck_assert_int_eq(pthread_create(&threads[1], 0, let_fifo_readers_on, &s), 0);
	/* The first spawn, the one that reads the pipe, fails slowly. */
	for (i = 0; i < 160; i++) {
		snprintf(code, sizeof code, "%d", i % 64);
		pidfd = -42, pid = -42;
		switch (i % 4) {
		case 0:
			err = posix_spawn(&pid, "/nonexistent/program", &slow, &attr, bad, 0);
			ck_assert_msg(err == ENOENT, "spawn %d: %s", i, strerror(err));
			ck_assert_int_eq(pidfd, -42);
			break;
		case 1:
			err = posix_spawn(&pid, argv[0], &slow, &attr, argv, 0);
			ck_assert_msg(err == 0, "spawn %d: %s", i, strerror(err));
			break;
		case 2:
			err = posix_spawn(&pid, argv[0], &failing, &attr, argv, 0);
			ck_assert_msg(err == ENOENT, "spawn %d: %s", i, strerror(err));
			ck_assert_int_eq(pidfd, -42);
			break;
		default:
			/* pidfd_spawn wants pidfd_open, which valgrind lacks */
			err = pidfd_open_works ? pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0)
				: posix_spawn(&pid, argv[0], 0, &attr, argv, 0);
			ck_assert_msg(err == 0, "spawn %d: %s", i, strerror(err));
			break;
		}
		if (!err) {
			ck_assert_int_ge(pidfd, 0);
			si = wait_pidfd(pidfd);
			ck_assert_int_eq(si.si_code, CLD_EXITED);
			ck_assert_int_eq(si.si_status, i % 64);
			close(pidfd);
		}
		caller_mask(&after);
		assert_same_mask(&before, &after);
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	pthread_join(threads[0], 0);
	pthread_join(threads[1], 0);
	ck_assert_int_eq(fd_count(), fds);
	ck_assert_int_gt(interrupts, 0);
	printf("faults: %ld signals sent at the spawning thread, %d handled between spawns\n",
		s.sent, (int)interrupts);
	sigaction(SIGUSR1, &old, 0);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&slow);
	posix_spawn_file_actions_destroy(&failing);
	close(s.fifo);
}
END_TEST

Suite *suite_faults(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = leakcheck_tcase("faults");

	scratch_fixture(tc);
	tcase_add_test(tc, pipe2_emfile_reports_every_error_through_shared_memory);
	tcase_add_test(tc, clone3_eagain_is_returned_without_fallback_or_child);
	tcase_add_test(tc, clone_eagain_after_clone3_enosys_is_returned_without_child);
	tcase_add_test(tc, rlimit_nproc_for_unprivileged_uid_fails_eagain_without_child);
	tcase_add_test(tc, execve_enomem_is_returned_and_child_reaped);
	tcase_add_test(tc, execve_enomem_on_legacy_clone_is_returned_and_child_reaped);
	tcase_add_test(tc, pidfd_open_emfile_on_legacy_clone_gives_minus_one_or_fails_pidfd_spawn);
	tcase_add_test(tc, sigprocmask_block_refused_fails_spawn_and_keeps_caller_mask);
	tcase_add_test(tc, sigprocmask_refused_in_child_fails_spawn_and_reaps_it);
	tcase_add_test(tc, signal_storm_at_spawning_thread_never_interrupts_a_spawn);
	suite_add_tcase(s, tc);
	return s;
}
