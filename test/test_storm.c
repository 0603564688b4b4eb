/* storm: thousands of spawns under a signal storm, and spawns racing with fork, exec and setuid in other threads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define NOBODY 65534

/* One spawning thread: what it did and the first thing that went wrong. */
struct spawner {
	pthread_t thread;
	pid_t tid;
	int count, done, reports, devnull, finished;
	const char *expect_report;
	char failure[200];
};

static int stop_flag, pidfd_spawn_usable;

static int stopped(void)
{
	return __atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE);
}

static void stop(int value)
{
	__atomic_store_n(&stop_flag, value, __ATOMIC_RELEASE);
}

static void note_failure(struct spawner *s, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	if (s->failure[0]) return;
	len = snprintf(s->failure, sizeof s->failure, "spawn %d: ", s->done);
	va_start(ap, fmt);
	vsnprintf(s->failure + len, sizeof s->failure - len, fmt, ap);
	va_end(ap);
}

/* One spawn with file actions and a pidfd; one in 50 has the helper
 * report its dispositions and mask on a pipe, one in 10 is an exec
 * failure, one in 3 goes through pidfd_spawn (where it can work). Every
 * result is checked: the errno, or the exit status read through the pidfd. */
static void spawn_one(struct spawner *s)
{
	int i = s->done, code = (i * 7 + s->tid) & 0xff, report = s->expect_report && i % 50 == 0;
	int bad = i % 10 == 9, via_pidfd_spawn = pidfd_spawn_usable && i % 3 == 1;
	int p[2] = { -1, -1 }, pidfd = -42, err, n, len = 0;
	char arg[12], buf[256], *argv[] = { (char *)helper_path(), "exit", arg, 0 };
	char *report_argv[] = { (char *)helper_path(), "disp", "mask", 0 };
	const char *path = bad ? "/nonexistent/program" : argv[0];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	siginfo_t si = { 0 };
	pid_t pid = -42;

	snprintf(arg, sizeof arg, "%d", code);
	if (report && pipe2(p, O_CLOEXEC)) {
		note_failure(s, "pipe2: %s", strerror(errno));
		return;
	}
	/* The pipe and /dev/null first: the open may land on their numbers. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, s->devnull, 0);
	if (report) posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 7, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, "/");
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	if (via_pidfd_spawn)
		err = pidfd_spawn(&pidfd, path, &fa, 0, report ? report_argv : argv, 0);
	else
		err = posix_spawn(&pid, path, &fa, &attr, report ? report_argv : argv, 0);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (report) {
		close(p[1]);
		while (len < (int)sizeof buf - 1 && (n = read(p[0], buf + len, sizeof buf - 1 - len))) {
			if (n > 0) len += n;
			else if (errno != EINTR) break;
		}
		buf[len] = 0;
		close(p[0]);
	}
	if (bad) {
		if (err != ENOENT) note_failure(s, "exec failure gave %d", err);
		else if (pid != -42 || pidfd != -42)
			note_failure(s, "failed spawn stored pid %d, pidfd %d", pid, pidfd);
		return;
	}
	if (err) {
		note_failure(s, "returned %d", err);
		return;
	}
	if (pidfd < 0) {
		note_failure(s, "no pidfd (%d)", pidfd);
		return;
	}
	if (via_pidfd_spawn) pid = pidfd_getpid(pidfd);
	while ((n = waitid(P_PIDFD, pidfd, &si, WEXITED)) && errno == EINTR);
	close(pidfd);
	if (n || si.si_pid != pid) note_failure(s, "waitid gave pid %d, not %d", si.si_pid, pid);
	else if (si.si_code != CLD_EXITED) note_failure(s, "child died of signal %d", si.si_status);
	else if (report && si.si_status) note_failure(s, "report exited with %d", si.si_status);
	else if (!report && si.si_status != code)
		note_failure(s, "exit status %d, not %d", si.si_status, code);
	else if (report && strcmp(buf, s->expect_report))
		note_failure(s, "child reported \"%s\", not \"%s\"", buf, s->expect_report);
	s->reports += report;
}

static void *spawn_many(void *p)
{
	struct spawner *s = p;
	sigset_t none;

	/* The storm is aimed at the spawners: they alone take the signals. */
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, 0);
	__atomic_store_n(&s->tid, syscall(SYS_gettid), __ATOMIC_RELAXED);
	for (s->done = 0; s->done < s->count && !s->failure[0]; s->done++) spawn_one(s);
	__atomic_store_n(&s->finished, 1, __ATOMIC_RELEASE);
	return 0;
}

/* pidfd_spawn insists on pidfd_open (DESIGN 4), which valgrind lacks. */
static void probe_pidfd_spawn(void)
{
	int fd = syscall(SYS_pidfd_open, getpid(), 0);
	pidfd_spawn_usable = fd >= 0 || errno == EMFILE || errno == ENFILE;
	if (fd >= 0) close(fd);
}

static void start_spawners(struct spawner *s, int n, int count, const char *expect_report)
{
	int i;
	probe_pidfd_spawn();
	for (i = 0; i < n; i++) {
		s[i] = (struct spawner){ .count = count, .expect_report = expect_report };
		s[i].devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		ck_assert_int_ge(s[i].devnull, 0);
		ck_assert_int_eq(pthread_create(&s[i].thread, 0, spawn_many, &s[i]), 0);
	}
}

static int join_spawners(struct spawner *s, int n)
{
	int i, total = 0;
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(pthread_join(s[i].thread, 0), 0);
		close(s[i].devnull);
		ck_assert_msg(!s[i].failure[0], "thread %d: %s", i, s[i].failure);
		ck_assert_int_eq(s[i].done, s[i].count);
		total += s[i].done;
	}
	return total;
}

/* The storm: every kind of signal a process meets. Some are caught with
 * a handler that counts, some ignored, some left at a default that
 * ignores them. Those whose default is harmless to the helper also go to
 * our whole process group, so they reach children between clone and
 * exec: a parent handler left there would run in the child. */
struct kind {
	int sig;
	void (*disposition)(int);
	int to_group;
};

static void count_or_mark(int);

static struct kind kinds[] = {
	{ SIGUSR1, count_or_mark, 0 },
	{ SIGUSR2, count_or_mark, 0 },
	{ SIGALRM, count_or_mark, 0 },
	{ 0 /* SIGRTMIN + 1 */, count_or_mark, 0 },
	{ SIGWINCH, count_or_mark, 1 },
	{ SIGURG, count_or_mark, 1 },
	{ SIGPIPE, SIG_IGN, 1 },
	{ 0 /* SIGRTMIN + 3 */, SIG_IGN, 1 },
	{ SIGCHLD, SIG_DFL, 1 },
	{ SIGCONT, SIG_DFL, 1 },
};
#define NKINDS (int)(sizeof kinds / sizeof *kinds)

static pid_t parent;
static int marker[2];
static long handled;

/* Runs in the parent, or, were a handler ever let into a child that
 * shares our memory, there: then it touches nothing but the marker pipe. */
static void count_or_mark(int sig)
{
	int e = errno;
	(void)sig;
	if (getpid() != parent) {
		if (write(marker[1], "!", 1) < 0) abort();
	} else {
		__atomic_add_fetch(&handled, 1, __ATOMIC_RELAXED);
	}
	errno = e;
}

struct storm {
	pthread_t thread;
	struct spawner *targets;
	int ntargets;
	long sent, to_group;
};

static long spawns_done(const struct storm *st)
{
	long n = 0;
	int i;
	for (i = 0; i < st->ntargets; i++) n += __atomic_load_n(&st->targets[i].done, __ATOMIC_RELAXED);
	return n;
}

/* To the process (a spawner takes it: every other thread blocks them),
 * now and then straight at one spawner, and to the group for the kinds
 * that may go there. At most 100 signals a spawn: real-time signals queue
 * up, and on a loaded machine an unpaced storm outruns the spawners. */
static void *blow(void *p)
{
	struct storm *st = p;
	struct kind *k;
	pid_t tid;
	int i;

	for (i = 0; !stopped(); i++) {
		if (st->sent > 100 * (spawns_done(st) + 1)) {
			sched_yield();
			continue;
		}
		k = &kinds[i % NKINDS];
		tid = __atomic_load_n(&st->targets[i % st->ntargets].tid, __ATOMIC_RELAXED);
		if (k->to_group && i % 3 == 0) {
			if (!kill(0, k->sig)) st->sent++, st->to_group++;
		} else if (i % 4 == 3 && tid) {
			if (!syscall(SYS_tgkill, getpid(), tid, k->sig)) st->sent++;
		} else if (!kill(getpid(), k->sig)) st->sent++;
	}
	return 0;
}

/* SPAWNFD_STORM_SPAWNS (3000 by default) sizes the storm: percent of it
 * for each of the three spawners. .ci/valgrind makes it smaller. */
static int storm_share(int percent)
{
	const char *size = getenv("SPAWNFD_STORM_SPAWNS");
	int n = (size ? atoi(size) : 3000) * percent / 300;
	return n > 0 ? n : 1;
}

static void storm_of_spawns(int per_thread)
{
	struct sigaction old[NKINDS];
	char expect[64], c;
	struct spawner s[3];
	struct storm st = { .targets = s, .ntargets = 3 };
	sigset_t all, saved;
	pid_t group = getpgrp();
	int i, total;

	if (emulated(QEMU_STORMS)) return;
	kinds[3].sig = SIGRTMIN + 1;
	kinds[7].sig = SIGRTMIN + 3;
	parent = getpid();
	/* A group of our own: the test runner must not feel the storm. */
	ck_assert_int_eq(setpgid(0, 0), 0);
	ck_assert_int_eq(pipe2(marker, O_CLOEXEC | O_NONBLOCK), 0);
	for (i = 0; i < NKINDS; i++) {
		/* No SA_RESTART: every interrupted call in the spawners shows. */
		struct sigaction sa = { .sa_handler = kinds[i].disposition };
		ck_assert_int_eq(sigaction(kinds[i].sig, &sa, &old[i]), 0);
	}
	/* What every child's helper must see: only the ignored ones, and the
	 * spawner's empty mask. */
	snprintf(expect, sizeof expect, "%d:ignored %d:ignored\n-\n", SIGPIPE, SIGRTMIN + 3);
	sigfillset(&all);
	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &all, &saved), 0);
	stop(0);
	start_spawners(s, 3, per_thread, expect);
	ck_assert_int_eq(pthread_create(&st.thread, 0, blow, &st), 0);
	total = join_spawners(s, 3);
	stop(1);
	pthread_join(st.thread, 0);
	pthread_sigmask(SIG_SETMASK, &saved, 0);
	ck_assert_msg(read(marker[0], &c, 1) < 0 && errno == EAGAIN, "a handler ran in a child");
	ck_assert_int_gt(__atomic_load_n(&handled, __ATOMIC_RELAXED), 0);
	printf("storm: %d spawns (%d reports), %ld signals sent (%ld to the group), %ld handled\n",
		total, s[0].reports + s[1].reports + s[2].reports, st.sent, st.to_group, handled);
	for (i = 0; i < NKINDS; i++) sigaction(kinds[i].sig, &old[i], 0);
	setpgid(0, group);
	close(marker[0]);
	close(marker[1]);
}

START_TEST(signal_storm_over_3000_spawns_every_result_right_no_handler_in_child)
{
	cloexec_all();
	storm_of_spawns(storm_share(100));
}
END_TEST

/* Without clone3 the child resets the caught signals one by one, with
 * every signal blocked: the storm must not slip a handler in. */
START_TEST(signal_storm_over_legacy_clone_spawns_runs_no_handler_in_child)
{
	cloexec_all();
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	storm_of_spawns(storm_share(30));
}
END_TEST

/* POSIX: fork() in a threaded process copies only the calling thread, and
 * the copy may only make async-signal-safe calls before exec or _exit.
 * We guarantee: a fork in another thread never changes a spawn's result.
 * The copy may catch a spawn's pidfd or error pipe in flight (all
 * O_CLOEXEC); it holds them until it exits or execs, which can only delay
 * the end of a spawn that still reads the pipe, never change its answer. */
struct forker {
	pthread_t thread;
	long forks;
	char failure[100];
};

static void *fork_and_reap(void *p)
{
	struct forker *f = p;
	int status;
	pid_t pid, r;

	while (!stopped()) {
		if ((pid = fork()) < 0) {
			snprintf(f->failure, sizeof f->failure, "fork: %s", strerror(errno));
			break;
		}
		/* exec, not _exit: under valgrind an exit checks for leaks,
		 * and the spawners' buffers in flight look lost in the copy. */
		if (!pid) {
			execl("/bin/true", "true", (char *)0);
			_exit(127);
		}
		/* By pid: waitpid(-1) would steal the spawners' children, and
		 * a spawn that reaped by anything but its own child's pid or
		 * pidfd would steal ours. */
		while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR);
		if (r != pid) {
			snprintf(f->failure, sizeof f->failure, "forked child %d gone: %s", pid, strerror(errno));
			break;
		}
		if (status) {
			snprintf(f->failure, sizeof f->failure, "forked child status %#x", status);
			break;
		}
		f->forks++;
	}
	return 0;
}

START_TEST(spawns_racing_with_fork_in_another_thread_stay_right)
{
	struct spawner s[2];
	struct forker f = { 0 };
	int total;

	/* Seen with valgrind 3.19: a fork in one thread while another runs
	 * a spawn as a fork leaves the child stuck on a futex in valgrind. */
	if (emulated("two threads forking at once can hang valgrind's child")) return;
	cloexec_all();
	stop(0);
	ck_assert_int_eq(pthread_create(&f.thread, 0, fork_and_reap, &f), 0);
	start_spawners(s, 2, storm_share(30), 0);
	total = join_spawners(s, 2);
	stop(1);
	pthread_join(f.thread, 0);
	ck_assert_msg(!f.failure[0], "%s", f.failure);
	ck_assert_int_gt(f.forks, 0);
	printf("storm: %d spawns raced %ld forks\n", total, f.forks);
}
END_TEST

/* In a copy of the test: spawns from two threads until the main thread
 * execs. Never returns. */
static void spawn_until_replaced(struct spawner *s, int out)
{
	char *argv[] = { (char *)helper_path(), "fds", 0 };
	int i;

	stop(0);
	probe_pidfd_spawn();
	for (i = 0; i < 2; i++) {
		s[i] = (struct spawner){ .count = 1 << 30 };
		s[i].devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (s[i].devnull < 0 || pthread_create(&s[i].thread, 0, spawn_many, &s[i])) _exit(90);
	}
	/* Let both get going, then exec in the middle of their spawns. */
	while (__atomic_load_n(&s[0].done, __ATOMIC_RELAXED) < 20
	       || __atomic_load_n(&s[1].done, __ATOMIC_RELAXED) < 20) {
		if (s[0].failure[0] || s[1].failure[0]) _exit(91);
		sched_yield();
	}
	if (s[0].failure[0] || s[1].failure[0]) _exit(91);
	if (dup2(out, 1) != 1) _exit(92);
	execv(argv[0], argv);
	_exit(93);
}

/* POSIX: an exec in one thread ends every other thread and replaces the
 * image. We guarantee: spawns in flight neither block the exec (the
 * kernel's wait for a vfork child gives way to SIGKILL) nor leak into the
 * new program (every descriptor they hold is O_CLOEXEC); the children
 * they already started run their program and exit as usual. The exec'd
 * helper lists its descriptors; orphans come back to us as their subreaper. */
START_TEST(exec_in_another_thread_replaces_process_mid_spawns_cleanly)
{
	struct spawner s[2];
	char buf[64];
	int out[2], len = 0, n, status, orphans = 0;
	pid_t copy, pid;

	if (!fresh_process()) return;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) && errno == EINVAL) {
		puts("skipped: no subreaper here (qemu-user) to collect the exec'd copy's orphans");
		return;
	}
	cloexec_all();
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_ge(copy = fork(), 0);
	if (!copy) spawn_until_replaced(s, out[1]);
	close(out[1]);
	while (len < (int)sizeof buf - 1 && (n = read(out[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(out[0]);
	status = wait_status(copy);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status), "the copy ended with status %#x", status);
	ck_assert_str_eq(buf, "0 1 2\n");
	while ((pid = waitpid(-1, &status, 0)) > 0 || errno == EINTR) {
		if (pid < 0) continue;
		orphans++;
		ck_assert_msg(WIFEXITED(status), "an orphaned child ended with status %#x", status);
	}
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
	printf("storm: exec won over spawns in flight; %d orphaned children exited normally\n", orphans);
}
END_TEST

struct flipper {
	pthread_t thread;
	struct spawner *spawners;
	int n;
	long flips;
	char failure[100];
};

static int all_finished(const struct spawner *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!__atomic_load_n(&s[i].finished, __ATOMIC_ACQUIRE)) return 0;
	return 1;
}

/* glibc's setresgid changes every thread's ids: it signals each with
 * SIGSETXID and waits for all of them, and a spawning thread holds it off
 * while every signal is blocked. The flipper stops by itself when the
 * spawners are done: on one CPU, a thread that is the only one left to
 * answer wakes the flipper from its handler, is preempted there, and is
 * signalled again before it returns, so it never runs its own code again
 * (seen on the one-CPU mipsel guest) and could never tell us to stop. */
static void *flip_egid(void *p)
{
	struct flipper *f = p;
	do {
		if (setresgid(-1, f->flips & 1 ? 0 : NOBODY, -1)) {
			snprintf(f->failure, sizeof f->failure, "setresgid: %s", strerror(errno));
			break;
		}
		f->flips++;
	} while (!all_finished(f->spawners, f->n));
	if (f->flips & 1 && setresgid(-1, 0, -1)) snprintf(f->failure, sizeof f->failure, "restore");
	return 0;
}

/* Every thread of ours, each with the same effective gid. */
static void assert_all_threads_egid(unsigned want)
{
	char path[64], line[128];
	unsigned real, eff;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	FILE *f;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') continue;
		snprintf(path, sizeof path, "/proc/self/task/%.16s/status", e->d_name);
		/* A joined thread may still be listed, and gone by now. */
		if (!(f = fopen(path, "re"))) {
			ck_assert_int_eq(errno, ENOENT);
			continue;
		}
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "Gid: %u %u", &real, &eff) == 2)
				ck_assert_msg(eff == want, "thread %s has egid %u", e->d_name, eff);
		fclose(f);
	}
	closedir(d);
}

/* POSIX makes set*id process-wide and says nothing of spawns running
 * meanwhile: a child gets the ids of the moment it is cloned. We
 * guarantee: no deadlock (the blocked-signal window only delays glibc's
 * SIGSETXID broadcast until the spawn is done), every result right, and
 * every thread left with the same ids. */
START_TEST(setxid_in_another_thread_does_not_deadlock_spawns)
{
	struct spawner s[2];
	struct flipper f = { .spawners = s, .n = 2 };
	int total;

	if (geteuid()) {
		puts("skipped: flipping the egid needs root");
		return;
	}
	/* Under qemu-i386 7.2 this timed out once in CI: qemu-user delivers
	 * signals to emulated threads unreliably (see test_threads), and
	 * glibc's setxid waits for SIGSETXID on every thread. */
	if (emulated("qemu-user can hang glibc's setxid broadcast to its threads")) return;
	cloexec_all();
	start_spawners(s, 2, storm_share(30), 0);
	ck_assert_int_eq(pthread_create(&f.thread, 0, flip_egid, &f), 0);
	total = join_spawners(s, 2);
	pthread_join(f.thread, 0);
	ck_assert_msg(!f.failure[0], "%s", f.failure);
	ck_assert_int_gt(f.flips, 0);
	assert_all_threads_egid(0);
	printf("storm: %d spawns raced %ld setresgid calls\n", total, f.flips);
}
END_TEST

Suite *suite_storm(void)
{
	Suite *s = suite_create("storm");
	TCase *storm = leakcheck_tcase("signal storm"), *races = leakcheck_tcase("races");

	tcase_set_timeout(storm, 90);
	tcase_add_test(storm, signal_storm_over_3000_spawns_every_result_right_no_handler_in_child);
	tcase_add_test(storm, signal_storm_over_legacy_clone_spawns_runs_no_handler_in_child);
	suite_add_tcase(s, storm);
	tcase_set_timeout(races, 60);
	tcase_add_test(races, spawns_racing_with_fork_in_another_thread_stay_right);
	tcase_add_test(races, exec_in_another_thread_replaces_process_mid_spawns_cleanly);
	tcase_add_test(races, setxid_in_another_thread_does_not_deadlock_spawns);
	suite_add_tcase(s, races);
	return s;
}
