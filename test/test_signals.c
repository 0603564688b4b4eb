/* signals: dispositions and mask in the child, the parent's state after the call. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static void caught(int sig)
{
	(void)sig;
}

static void set_handler(int sig, void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };
	ck_assert_int_eq(sigaction(sig, &sa, 0), 0);
}

/* SIGUSR1, SIGTERM 15 and SIGRTMIN+3 caught; SIGPIPE 13, SIGALRM 14 ignored. The
 * helper prints its own numbers: those above 15 differ on mips, and under
 * qemu-user the helper is a native program. */
static void catch_some_ignore_some(void)
{
	set_handler(SIGUSR1, caught);
	set_handler(SIGTERM, caught);
	set_handler(SIGRTMIN + 3, caught);
	set_handler(SIGALRM, SIG_IGN);
	set_handler(SIGPIPE, SIG_IGN);
}

static void restore_dispositions(void)
{
	int sigs[] = { SIGUSR1, SIGTERM, SIGRTMIN + 3, SIGALRM, SIGPIPE }, i;
	for (i = 0; i < 5; i++) set_handler(sigs[i], SIG_DFL);
}

static void check_inherited_dispositions(void)
{
	char buf[256];
	int status;

	catch_some_ignore_some();
	helper_output(0, 0, &status, buf, sizeof buf, "disp", (char *)0);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(buf, "13:ignored 14:ignored\n");
	restore_dispositions();
}

static void check_sigdefault(void)
{
	posix_spawnattr_t attr;
	sigset_t def;
	char buf[256];
	int status;

	catch_some_ignore_some();
	sigemptyset(&def);
	sigaddset(&def, SIGALRM);
	sigaddset(&def, SIGTERM);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setsigdefault(&attr, &def), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF), 0);
	helper_output(0, &attr, &status, buf, sizeof buf, "disp", (char *)0);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(buf, "13:ignored\n");
	posix_spawnattr_destroy(&attr);
	restore_dispositions();
}

START_TEST(caught_signals_are_default_and_ignored_stay_ignored_in_child)
{
	check_inherited_dispositions();
}
END_TEST

START_TEST(setsigdef_resets_listed_ignored_and_caught_signals)
{
	check_sigdefault();
}
END_TEST

/* Without clone3 there is no CLONE_CLEAR_SIGHAND: the child resets
 * signal by signal. */
START_TEST(legacy_clone_keeps_ignored_signals_ignored)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	check_inherited_dispositions();
}
END_TEST

START_TEST(legacy_clone_honours_setsigdef)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	check_sigdefault();
}
END_TEST

START_TEST(setsigmask_sets_the_child_mask_exactly)
{
	posix_spawnattr_t attr;
	sigset_t set, old;
	char buf[256], want[32];
	int status, rt;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, &old), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGTERM);
	/* qemu-user renumbers real-time signals on their way to the host. */
	rt = !emulated("the native helper sees other real-time signal numbers");
	if (rt) sigaddset(&set, SIGRTMIN + 1);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&attr, &set), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK), 0);
	helper_output(0, &attr, &status, buf, sizeof buf, "mask", (char *)0);
	ck_assert_int_eq(status, 0);
	snprintf(want, sizeof want, rt ? "14 15 %d\n" : "14 15\n", SIGRTMIN + 1);
	ck_assert_str_eq(buf, want);

	sigemptyset(&set);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&attr, &set), 0);
	helper_output(0, &attr, &status, buf, sizeof buf, "mask", (char *)0);
	ck_assert_str_eq(buf, "-\n");
	posix_spawnattr_destroy(&attr);
	sigprocmask(SIG_SETMASK, &old, 0);
}
END_TEST

START_TEST(child_inherits_the_parent_mask_without_setsigmask)
{
	sigset_t set, old;
	char buf[256], want[32];
	int status, rt;

	helper_output(0, 0, &status, buf, sizeof buf, "mask", (char *)0);
	ck_assert_str_eq(buf, "-\n");
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	rt = !emulated("the native helper sees other real-time signal numbers");
	if (rt) sigaddset(&set, SIGRTMIN);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, &old), 0);
	helper_output(0, 0, &status, buf, sizeof buf, "mask", (char *)0);
	ck_assert_int_eq(status, 0);
	snprintf(want, sizeof want, rt ? "1 %d\n" : "1\n", SIGRTMIN);
	ck_assert_str_eq(buf, want);
	sigprocmask(SIG_SETMASK, &old, 0);
}
END_TEST

static void check_parent_state_kept(const char *path)
{
	char *argv[] = { (char *)helper_path(), 0 };
	sigset_t set, before, after;
	int state, cancel[2] = { PTHREAD_CANCEL_ENABLE, PTHREAD_CANCEL_DISABLE }, i, sig, err, saved;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN + 2);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, &before), 0);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, 0, &before), 0);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_setcancelstate(cancel[i], 0), 0);
		errno = 12345;
		err = posix_spawn(&pid, path, 0, 0, argv, 0);
		saved = errno;
		ck_assert_int_eq(saved, 12345);
		ck_assert_int_eq(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &state), 0);
		ck_assert_int_eq(state, cancel[i]);
		ck_assert_int_eq(sigprocmask(SIG_BLOCK, 0, &after), 0);
		for (sig = 1; sig < _NSIG; sig++)
			ck_assert_msg(sigismember(&before, sig) == sigismember(&after, sig),
				"signal %d changed in the mask", sig);
		if (!err) ck_assert_int_eq(wait_status(pid), 0);
		else ck_assert_int_eq(err, ENOENT);
	}
	sigprocmask(SIG_UNBLOCK, &set, 0);
}

START_TEST(parent_mask_errno_and_cancel_state_survive_successful_spawn)
{
	check_parent_state_kept(helper_path());
}
END_TEST

START_TEST(parent_mask_errno_and_cancel_state_survive_failed_spawn)
{
	check_parent_state_kept("/nonexistent/program");
}
END_TEST

/* A parent handler that ran in the child would write here. */
static int marker[2];

static void mark(int sig)
{
	(void)sig;
	if (write(marker[1], "!", 1) < 0) abort();
}

struct window {
	pid_t spawner;
	int fifo, spawn_returned;
};

/* Signals the child while it waits in its file actions with every signal
 * blocked, then lets it go on: unblocking, it must die of the default
 * action, not run our handler on our memory and exec. */
static void *signal_the_child(void *p)
{
	struct window *w = p;
	char path[64], buf[32], *err = 0;
	int fd, n;
	pid_t pid = 0;

	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)w->spawner);
	while (!pid && !err && !__atomic_load_n(&w->spawn_returned, __ATOMIC_ACQUIRE)) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			err = "cannot read the spawner's children";
			break;
		}
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (!(pid = atoi(buf))) sched_yield();
	}
	if (!pid && !err) return "the spawn returned before a child showed";
	if (pid && kill(pid, SIGUSR1)) err = "kill failed";
	/* A writer lets the child's open return, also after a failure here,
	 * or the spawn would never return; this open fails until the child
	 * waits there as the reader. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", w->fifo);
	while ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0
	       && !__atomic_load_n(&w->spawn_returned, __ATOMIC_ACQUIRE))
		sched_yield();
	if (fd < 0) return "the child never opened the fifo";
	close(fd);
	return err;
}

static void check_no_handler_runs_in_child(void)
{
	char *argv[] = { (char *)helper_path(), 0 }, path[64], c;
	char fifo[] = "/tmp/spawnfd-fifo-XXXXXX";
	struct window w = { .spawner = syscall(SYS_gettid) };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t usr1, none, old, pending;
	pthread_t thread;
	void *thread_err;
	int fd, status, err;
	pid_t pid;

	/* Where CLONE_VM runs as a fork the child has no handler of ours on
	 * our memory to run; and valgrind keeps its lock through that fork's
	 * vfork wait, so the thread that must signal the child never runs. */
	if (emulated("the child shares no memory, and valgrind stalls the signalling thread"))
		return;
	/* The child opens the fifo through an O_PATH descriptor, so its name
	 * can go at once and nothing is left behind even by a crash. */
	fd = mkstemp(fifo);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	w.fifo = open(fifo, O_PATH | O_CLOEXEC);
	unlink(fifo);
	ck_assert_int_ge(w.fifo, 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", w.fifo);
	ck_assert_int_eq(pipe2(marker, O_CLOEXEC | O_NONBLOCK), 0);
	set_handler(SIGUSR1, mark);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 5, path, O_RDONLY, 0), 0);
	/* One pending in the parent too: it stays there, unhandled. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &usr1, &old), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&attr, &none), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK), 0);
	ck_assert_int_eq(pthread_create(&thread, 0, signal_the_child, &w), 0);
	err = posix_spawn(&pid, argv[0], &fa, &attr, argv, 0);
	__atomic_store_n(&w.spawn_returned, 1, __ATOMIC_RELEASE);
	pthread_join(thread, &thread_err);
	ck_assert_int_eq(err, 0);
	ck_assert_msg(!thread_err, "%s", (char *)thread_err);
	status = wait_status(pid);
	ck_assert_int_eq(read(marker[0], &c, 1), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1,
		"child status %#x, not killed by SIGUSR1", status);
	ck_assert_int_eq(sigpending(&pending), 0);
	ck_assert_int_eq(sigismember(&pending, SIGUSR1), 1);
	ck_assert_int_eq(sigtimedwait(&usr1, 0, &(struct timespec){ 0 }), SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, 0);
	set_handler(SIGUSR1, SIG_DFL);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(w.fifo);
	close(marker[0]);
	close(marker[1]);
}

START_TEST(no_parent_handler_runs_in_the_child)
{
	check_no_handler_runs_in_child();
}
END_TEST

START_TEST(no_parent_handler_runs_in_the_child_on_legacy_clone)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	check_no_handler_runs_in_child();
}
END_TEST

Suite *suite_signals(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = leakcheck_tcase("signals");
	tcase_add_test(tc, caught_signals_are_default_and_ignored_stay_ignored_in_child);
	tcase_add_test(tc, setsigdef_resets_listed_ignored_and_caught_signals);
	tcase_add_test(tc, legacy_clone_keeps_ignored_signals_ignored);
	tcase_add_test(tc, legacy_clone_honours_setsigdef);
	tcase_add_test(tc, setsigmask_sets_the_child_mask_exactly);
	tcase_add_test(tc, child_inherits_the_parent_mask_without_setsigmask);
	tcase_add_test(tc, parent_mask_errno_and_cancel_state_survive_successful_spawn);
	tcase_add_test(tc, parent_mask_errno_and_cancel_state_survive_failed_spawn);
	tcase_add_test(tc, no_parent_handler_runs_in_the_child);
	tcase_add_test(tc, no_parent_handler_runs_in_the_child_on_legacy_clone);
	suite_add_tcase(s, tc);
	return s;
}
