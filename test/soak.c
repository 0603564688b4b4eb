/* soak: 4 threads spawn with random attributes and file actions for
 * SOAK_SECONDS (600 by default), checking every result. Prints spawns per
 * second every 10 s, then the descriptor, child and RSS deltas; exits 1 on
 * any wrong result, a leaked descriptor or child, or RSS grown past noise.
 * The exec target is SPAWNFD_HELPER (test/helper). `make soak` runs it. */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawnfd.h"

#define THREADS 4
/* RSS may move by a few pages of malloc and stack; growth is a leak. */
#define RSS_NOISE_KB 512

extern char **environ;

static const char *helper;
static int stop, devnull, rootdir;
static long spawns[THREADS], failures;

struct worker {
	pthread_t thread;
	int id;
	unsigned seed;
};

static void report_failure(int id, long n, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

static void report_failure(int id, long n, const char *fmt, ...)
{
	va_list ap;
	if (__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED) > 20) return;
	flockfile(stderr);
	fprintf(stderr, "soak: thread %d, spawn %ld: ", id, n);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

static int pick(struct worker *w, int n)
{
	return rand_r(&w->seed) % n;
}

static void random_set(struct worker *w, sigset_t *set)
{
	int sig;
	sigemptyset(set);
	for (sig = 1; sig < SIGRTMIN; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && !pick(w, 4)) sigaddset(set, sig);
}

/* Random attributes that cannot make the spawn fail by themselves. */
static void random_attr(struct worker *w, posix_spawnattr_t *attr)
{
	struct sched_param param = { 0 };
	short flags = 0;
	sigset_t set;

	if (!pick(w, 3)) {
		random_set(w, &set);
		posix_spawnattr_setsigmask(attr, &set);
		flags |= POSIX_SPAWN_SETSIGMASK;
	}
	if (!pick(w, 3)) {
		random_set(w, &set);
		posix_spawnattr_setsigdefault(attr, &set);
		flags |= POSIX_SPAWN_SETSIGDEF;
	}
	/* A session leader may not change its group: one or the other. */
	switch (pick(w, 4)) {
	case 0: flags |= POSIX_SPAWN_SETSID; break;
	case 1:
		posix_spawnattr_setpgroup(attr, 0);
		flags |= POSIX_SPAWN_SETPGROUP;
		break;
	}
	if (!pick(w, 4)) flags |= POSIX_SPAWN_RESETIDS;
	if (!pick(w, 4)) {
		posix_spawnattr_setschedpolicy(attr, pick(w, 2) ? SCHED_OTHER : SCHED_BATCH);
		posix_spawnattr_setschedparam(attr, &param);
		flags |= POSIX_SPAWN_SETSCHEDULER;
	} else if (!pick(w, 4)) {
		posix_spawnattr_setschedparam(attr, &param);
		flags |= POSIX_SPAWN_SETSCHEDPARAM;
	}
	if (!pick(w, 8)) flags |= POSIX_SPAWN_USEVFORK;
	posix_spawnattr_setflags(attr, flags);
}

/* Random file actions on descriptors 0 to 9 (ours live at 100 and up, and
 * only a final closefrom touches them); returns the errno they must make
 * the spawn fail with, or 0. */
static int random_actions(struct worker *w, posix_spawn_file_actions_t *fa)
{
	int n = pick(w, 6), i, err = 0;

	for (i = 0; i < n; i++) {
		switch (pick(w, 6)) {
		case 0:
			posix_spawn_file_actions_addopen(fa, 3 + pick(w, 7), "/dev/null",
				pick(w, 2) ? O_RDONLY : O_WRONLY | O_CLOEXEC, 0);
			break;
		case 1: posix_spawn_file_actions_adddup2(fa, devnull, pick(w, 10)); break;
		case 2: posix_spawn_file_actions_addclose(fa, 3 + pick(w, 7)); break;
		case 3: posix_spawn_file_actions_addchdir_np(fa, pick(w, 2) ? "/" : "/tmp"); break;
		case 4: posix_spawn_file_actions_addfchdir_np(fa, rootdir); break;
		case 5: posix_spawn_file_actions_adddup2(fa, devnull, devnull); break;
		}
	}
	if (!pick(w, 20)) {
		posix_spawn_file_actions_addopen(fa, 4, "/nonexistent/file", O_RDONLY, 0);
		err = ENOENT;
	}
	if (!pick(w, 4)) posix_spawn_file_actions_addclosefrom_np(fa, 3 + pick(w, 8));
	return err;
}

/* One spawn of every kind at random; its result checked. */
static void spawn_one(struct worker *w, long n)
{
	char code[8], *argv[] = { (char *)helper, "exit", code, 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int status = pick(w, 256), want, err, pidfd = -42, use_fa = pick(w, 4), use_attr = pick(w, 4);
	int with_pidfd = pick(w, 2), how = pick(w, 8), r;
	const char *path = helper;
	siginfo_t si = { 0 };
	pid_t pid = -42;

	snprintf(code, sizeof code, "%d", status);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	want = use_fa ? random_actions(w, &fa) : 0;
	if (use_attr) random_attr(w, &attr);
	if (with_pidfd) posix_spawnattr_setpidfd(&attr, &pidfd);
	if (!pick(w, 16)) {
		path = "/nonexistent/program";
		if (!want) want = ENOENT;
	}
	switch (how) {
	case 0: case 1: case 2:
		err = posix_spawn(&pid, path, use_fa ? &fa : 0, &attr, argv, environ);
		break;
	case 3:
		err = posix_spawnp(&pid, path, use_fa ? &fa : 0, &attr, argv, environ);
		break;
	case 4:
		/* A search through PATH: true(1) ignores the arguments. */
		err = posix_spawnp(&pid, path == helper ? "true" : "nonexistent-program",
			use_fa ? &fa : 0, &attr, argv, environ);
		if (path == helper) status = 0;
		break;
	case 5: case 6:
		err = pidfd_spawn(&pidfd, path, use_fa ? &fa : 0, &attr, argv, environ);
		with_pidfd = 1;
		break;
	default:
		err = pidfd_spawnp(&pidfd, path, use_fa ? &fa : 0, &attr, argv, environ);
		with_pidfd = 1;
		break;
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err != want) {
		report_failure(w->id, n, "returned %d (%s), not %d", err, strerror(err), want);
		if (!err) {
			if (with_pidfd && pidfd >= 0) close(pidfd);
			if (how < 5) waitpid(pid, 0, 0);
		}
		return;
	}
	if (err) {
		if ((how < 5 && pid != -42) || pidfd != -42)
			report_failure(w->id, n, "a failed spawn stored pid %d, pidfd %d", (int)pid, pidfd);
		return;
	}
	if (with_pidfd && pidfd < 0) {
		report_failure(w->id, n, "no pidfd");
		if (how < 5) waitpid(pid, 0, 0);
		return;
	}
	if (with_pidfd) {
		if (how >= 5) pid = pidfd_getpid(pidfd);
		while ((r = waitid(P_PIDFD, pidfd, &si, WEXITED)) && errno == EINTR);
		close(pidfd);
	} else {
		while ((r = waitid(P_PID, pid, &si, WEXITED)) && errno == EINTR);
	}
	if (r || si.si_pid != pid || si.si_code != CLD_EXITED || si.si_status != status)
		report_failure(w->id, n, "waitid %d: pid %d/%d, code %d, status %d, not %d", r,
			(int)si.si_pid, (int)pid, si.si_code, si.si_status, status);
}

static void *work(void *p)
{
	struct worker *w = p;
	long n;
	for (n = 0; !__atomic_load_n(&stop, __ATOMIC_RELAXED); n++) {
		spawn_one(w, n);
		__atomic_store_n(&spawns[w->id], n + 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = -1;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') n++;
	if (d) closedir(d);
	return n;
}

static long rss_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1) break;
	if (f) fclose(f);
	return kb;
}

/* Our children, running or zombie, from every thread's list. */
static int children(void)
{
	char path[64], buf[4096];
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0, fd, i;
	ssize_t len;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.') continue;
		snprintf(path, sizeof path, "/proc/self/task/%.16s/children", e->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) continue;
		len = read(fd, buf, sizeof buf);
		close(fd);
		for (i = 0; i < len; i++) n += buf[i] == ' ';
	}
	if (d) closedir(d);
	return n;
}

static int high_fd(int fd)
{
	int high = fd < 0 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 100);
	if (fd >= 0) close(fd);
	return high;
}

static long total(void)
{
	long sum = 0;
	int i;
	for (i = 0; i < THREADS; i++) sum += __atomic_load_n(&spawns[i], __ATOMIC_RELAXED);
	return sum;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	const char *env = getenv("SOAK_SECONDS");
	int seconds = env ? atoi(env) : 600, fds, kids, i, ok;
	struct worker w[THREADS];
	double start, last;
	long rss_start, rss_settled = -1, rss_end, count, last_count = 0;

	helper = getenv("SPAWNFD_HELPER") ? getenv("SPAWNFD_HELPER") : "test/helper";
	if (access(helper, X_OK)) {
		fprintf(stderr, "soak: cannot run %s: %s\n", helper, strerror(errno));
		return 1;
	}
	devnull = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
	rootdir = high_fd(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (devnull < 0 || rootdir < 0) {
		perror("soak: /dev/null or /");
		return 1;
	}
	fds = fd_count();
	kids = children();
	rss_start = rss_kb();
	printf("soak: %d threads for %d s; fds %d, children %d, RSS %ld kB\n", THREADS, seconds,
		fds, kids, rss_start);
	fflush(stdout);
	start = last = now();
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .id = i, .seed = (unsigned)time(0) * 31 + i };
		if (pthread_create(&w[i].thread, 0, work, &w[i])) {
			perror("soak: pthread_create");
			return 1;
		}
	}
	while (now() - start < seconds) {
		sleep(1);
		if (now() - last < 10 && now() - start < seconds) continue;
		count = total();
		/* The threads' stacks and malloc arenas are in place by now. */
		if (rss_settled < 0) rss_settled = rss_kb();
		printf("soak: %4.0f s: %ld spawns, %.0f/s, %ld wrong, RSS %ld kB\n", now() - start,
			count, (count - last_count) / (now() - last), failures, rss_kb());
		fflush(stdout);
		last = now();
		last_count = count;
	}
	/* Measured while the threads still run: their exit itself costs a
	 * few pages once, leak or not. */
	rss_end = rss_kb();
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < THREADS; i++) pthread_join(w[i].thread, 0);
	count = total();
	if (rss_settled < 0) rss_settled = rss_start;
	printf("soak: %ld spawns in %.0f s (%.0f/s), %ld wrong; deltas: fds %d, children %d, "
		"RSS %+ld kB from the first report to the last (%+ld kB since the start)\n", count, now() - start,
		count / (now() - start), failures, fd_count() - fds, children() - kids,
		rss_end - rss_settled, rss_end - rss_start);
	ok = !failures && fd_count() == fds && children() == kids
		&& waitpid(-1, 0, WNOHANG) == -1 && errno == ECHILD
		&& rss_end - rss_settled <= RSS_NOISE_KB;
	puts(ok ? "soak: passed" : "soak: FAILED");
	close(devnull);
	close(rootdir);
	return !ok;
}
