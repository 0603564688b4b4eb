/* threads: concurrent spawns, spawns amid signal changes, small caller stacks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

/* What one spawning thread saw; the first failure is kept for the report. */
struct spawner {
	pthread_t thread;
	int count, done;
	const char *command;
	char expect[32], failure[160];
};

/* Spawns the helper with a pidfd; the child reports `command` through a
 * pipe of its own on its standard output. */
static void spawn_and_check(struct spawner *s)
{
	char *argv[] = { (char *)helper_path(), (char *)s->command, 0 }, buf[64];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int p[2], pidfd = -77, err, len = 0, n;
	siginfo_t si = { 0 };
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		snprintf(s->failure, sizeof s->failure, "pipe2: %s", strerror(errno));
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	err = posix_spawn(&pid, argv[0], &fa, &attr, argv, 0);
	close(p[1]);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	while (len < (int)sizeof buf - 1 && (n = read(p[0], buf + len, sizeof buf - 1 - len))) {
		if (n > 0) len += n;
		else if (errno != EINTR) break;
	}
	buf[len] = 0;
	close(p[0]);
	if (err) {
		snprintf(s->failure, sizeof s->failure, "spawn %d: %s", s->done, strerror(err));
		return;
	}
	if (pidfd < 0) {
		snprintf(s->failure, sizeof s->failure, "spawn %d: no pidfd", s->done);
		return;
	}
	while ((n = waitid(P_PIDFD, pidfd, &si, WEXITED)) && errno == EINTR);
	close(pidfd);
	if (n || si.si_pid != pid || si.si_code != CLD_EXITED || si.si_status)
		snprintf(s->failure, sizeof s->failure, "spawn %d: waitid %d, pid %d/%d, code %d, status %d",
			s->done, n, (int)si.si_pid, (int)pid, si.si_code, si.si_status);
	else if (strcmp(buf, s->expect))
		snprintf(s->failure, sizeof s->failure, "spawn %d: child saw \"%s\", not \"%s\"",
			s->done, buf, s->expect);
}

static void *spawn_many(void *p)
{
	struct spawner *s = p;
	for (s->done = 0; s->done < s->count && !s->failure[0]; s->done++) spawn_and_check(s);
	return 0;
}

static void check_spawners(struct spawner *s, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(pthread_join(s[i].thread, 0), 0);
		ck_assert_msg(!s[i].failure[0], "thread %d: %s", i, s[i].failure);
		ck_assert_int_eq(s[i].done, s[i].count);
	}
}

START_TEST(concurrent_spawns_with_pidfds_see_only_standard_fds)
{
	struct spawner s[4];
	int i;

	cloexec_all();
	for (i = 0; i < 4; i++) {
		s[i] = (struct spawner){ .count = 250, .command = "fds", .expect = "0 1 2\n" };
		ck_assert_int_eq(pthread_create(&s[i].thread, 0, spawn_many, &s[i]), 0);
	}
	check_spawners(s, 4);
}
END_TEST

static volatile int stop_changing;

static void caught(int sig)
{
	(void)sig;
}

/* Flips handlers and its own mask, and sends the signals it flips to the
 * process, until the spawners are done. SIGUSR1 is never at SIG_DFL. */
static void *change_signals(void *p)
{
	struct sigaction on = { .sa_handler = caught }, off = { .sa_handler = SIG_IGN };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int rt = SIGRTMIN + 5, i;
	sigset_t set;

	(void)p;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGURG);
	sigaddset(&set, rt);
	for (i = 0; !__atomic_load_n(&stop_changing, __ATOMIC_RELAXED); i++) {
		sigaction(SIGUSR1, i & 1 ? &off : &on, 0);
		sigaction(SIGURG, i & 2 ? &dfl : &on, 0);
		sigaction(rt, i & 4 ? &off : &on, 0);
		pthread_sigmask(i & 8 ? SIG_BLOCK : SIG_UNBLOCK, &set, 0);
		kill(getpid(), SIGUSR1);
		kill(getpid(), SIGURG);
		kill(getpid(), rt);
	}
	return 0;
}

START_TEST(spawns_succeed_while_threads_change_handlers_and_masks)
{
	struct sigaction on = { .sa_handler = caught }, old[3];
	int sigs[3] = { SIGUSR1, SIGURG, SIGRTMIN + 5 }, i;
	pthread_t changers[2];
	struct spawner s[2];
	sigset_t set;

	/* qemu-user 7.2 crashes delivering this storm to threads, spawns or
	 * not, and renumbers the real-time signal the helper reports. */
	if (emulated(QEMU_STORMS)) return;
	for (i = 0; i < 3; i++) ck_assert_int_eq(sigaction(sigs[i], &on, &old[i]), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&changers[i], 0, change_signals, 0), 0);
	/* Each spawner blocks one signal of its own: its children show it. */
	sigemptyset(&set);
	for (i = 0; i < 2; i++) {
		s[i] = (struct spawner){ .count = 150, .command = "mask" };
		snprintf(s[i].expect, sizeof s[i].expect, "%d\n", i ? SIGRTMIN + 7 : SIGUSR2);
		sigaddset(&set, i ? SIGRTMIN + 7 : SIGUSR2);
		pthread_sigmask(SIG_SETMASK, &set, 0);
		ck_assert_int_eq(pthread_create(&s[i].thread, 0, spawn_many, &s[i]), 0);
		sigdelset(&set, i ? SIGRTMIN + 7 : SIGUSR2);
	}
	pthread_sigmask(SIG_SETMASK, &set, 0);
	check_spawners(s, 2);
	__atomic_store_n(&stop_changing, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 2; i++) pthread_join(changers[i], 0);
	for (i = 0; i < 3; i++) sigaction(sigs[i], &old[i], 0);
}
END_TEST

static void *spawn_on_small_stack(void *p)
{
	struct spawner *s = p;
	char *argv[] = { "nonexistent", 0 };
	pid_t pid;
	int err;

	spawn_and_check(s);
	if (s->failure[0]) return 0;
	err = posix_spawn(&pid, "/nonexistent/program", 0, 0, argv, 0);
	if (err != ENOENT) snprintf(s->failure, sizeof s->failure, "exec failure gave %d", err);
	s->done = 1;
	return 0;
}

/* The child's stack is carved from the caller's frame, so it must fit. */
START_TEST(spawn_works_from_a_thread_with_a_64k_stack)
{
	struct spawner s = { .count = 1, .command = "fds", .expect = "0 1 2\n" };
	pthread_attr_t attr;

	cloexec_all();
	ck_assert_int_eq(pthread_attr_init(&attr), 0);
	/* mips will not go below its PTHREAD_STACK_MIN of 128 KiB. */
	ck_assert_int_eq(pthread_attr_setstacksize(&attr, 64 << 10 < PTHREAD_STACK_MIN
		? PTHREAD_STACK_MIN : 64 << 10), 0);
	ck_assert_int_eq(pthread_create(&s.thread, &attr, spawn_on_small_stack, &s), 0);
	pthread_attr_destroy(&attr);
	check_spawners(&s, 1);
}
END_TEST

Suite *suite_threads(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = leakcheck_tcase("threads");
	tcase_add_test(tc, concurrent_spawns_with_pidfds_see_only_standard_fds);
	tcase_add_test(tc, spawns_succeed_while_threads_change_handlers_and_masks);
	tcase_add_test(tc, spawn_works_from_a_thread_with_a_64k_stack);
	suite_add_tcase(s, tc);
	return s;
}
