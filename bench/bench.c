/* Spawn benchmark: spawnfd against the host libc, in one run.
 *
 * Every round runs each method once, in turn, so machine noise falls on all
 * of them alike. For each parent size (memory touched before the run) it
 * prints the median and spread of two latencies: the call (until the spawn
 * returns: the parent is suspended while the child prepares and execs, so an
 * implementation's own work shows here) and spawn-and-reap; and each
 * method's ratio to the host libc's posix_spawn. Then throughput with one and
 * two threads, and heap allocations per spawn.
 *
 *   bench [-q] [-s MiB,MiB,...] [-n METHOD,COUNT]
 *     -q   quick run (about 30 s)
 *     -s   parent sizes in MiB (default 0,256,1024,4096)
 *     -n   only spawn and reap with METHOD (0-6) COUNT times, for strace
 * The child is $BENCH_CHILD, default bench/nop.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawnfd.h"

typedef int spawn_fn(pid_t *restrict, const char *restrict, const posix_spawn_file_actions_t *,
	const posix_spawnattr_t *restrict, char *const [restrict], char *const [restrict]);
typedef int pidfd_spawn_fn(int *restrict, const char *restrict,
	const posix_spawn_file_actions_t *restrict, const posix_spawnattr_t *restrict,
	char *const [restrict], char *const [restrict]);

static const char *child_path;
static char *child_argv[] = { "nop", 0 };
static char *child_envp[] = { 0 };
static spawn_fn *host_spawn;
static pidfd_spawn_fn *host_pidfd_spawn;

/* Counts heap allocations, to show which methods allocate per spawn. */
static __thread int counting;
static long allocations;
extern void *__libc_malloc(size_t), *__libc_calloc(size_t, size_t), *__libc_realloc(void *, size_t);

void *malloc(size_t n)
{
	if (counting) __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
	if (counting) __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	if (counting) __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_realloc(p, n);
}

static int exec_child(void *arg)
{
	(void)arg;
	execve(child_path, child_argv, child_envp);
	_exit(127);
}

static pid_t vfork_exec(void)
{
	pid_t pid = vfork();
	if (!pid) exec_child(0);
	return pid;
}

/* Starts one child; returns its pid (and a pidfd to close, or -1). */
static pid_t start(int method, int *pidfd)
{
	static char stack[16384] __attribute__((__aligned__(16)));
	posix_spawnattr_t attr;
	pid_t pid = -1;
	int err = 0;

	*pidfd = -1;
	switch (method) {
	case 0:
		err = posix_spawn(&pid, child_path, 0, 0, child_argv, child_envp);
		break;
	case 1:
		posix_spawnattr_init(&attr);
		posix_spawnattr_setpidfd(&attr, pidfd);
		err = posix_spawn(&pid, child_path, 0, &attr, child_argv, child_envp);
		break;
	case 2:
		err = host_spawn(&pid, child_path, 0, 0, child_argv, child_envp);
		break;
	case 3:
		err = host_pidfd_spawn(pidfd, child_path, 0, 0, child_argv, child_envp);
		break;
	case 4:
		if (!(pid = fork())) exec_child(0);
		break;
	case 5:
		pid = vfork_exec();
		break;
	case 6:
		pid = clone(exec_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, 0);
		break;
	}
	if (err || pid < 0) {
		fprintf(stderr, "bench: method %d: %s\n", method, strerror(err ? err : errno));
		exit(1);
	}
	return pid;
}

static const char *const names[] = {
	"spawnfd posix_spawn", "spawnfd + pidfd", "host posix_spawn", "host pidfd_spawn",
	"fork + execve", "vfork + execve", "raw clone(VM|VFORK)",
};
#define METHODS 7
#define HOST 2

static int available(int method)
{
	return method != 3 || host_pidfd_spawn;
}

static void reap(pid_t pid, int pidfd)
{
	siginfo_t si;
	if (pidfd >= 0) {
		waitid(P_PIDFD, pidfd, &si, WEXITED);
		close(pidfd);
	} else {
		waitpid(pid, 0, 0);
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median and the 10th-90th percentile spread, in microseconds. */
static void summarise(double *v, int n, double *median, double *p10, double *p90)
{
	qsort(v, n, sizeof *v, by_value);
	*median = v[n / 2];
	*p10 = v[n / 10];
	*p90 = v[n * 9 / 10];
}

static void run_size(size_t mib, double seconds, int max_rounds)
{
	static double calls[METHODS][100000], totals[METHODS][100000];
	double med_call[METHODS], call_lo[METHODS], call_hi[METHODS], deadline;
	double med_total[METHODS], total_lo[METHODS], total_hi[METHODS];
	size_t size = mib << 20;
	char *ballast = 0;
	int rounds, m, pidfd;

	if (size) {
		ballast = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (ballast == MAP_FAILED) {
			printf("\n%zu MiB: cannot map the ballast: %s\n", mib, strerror(errno));
			return;
		}
		memset(ballast, 1, size);
	}
	deadline = now() + seconds * 1e6;
	for (rounds = 0; rounds < max_rounds && (rounds < 20 || now() < deadline); rounds++)
		for (m = 0; m < METHODS; m++) {
			double t0, t1;
			pid_t pid;
			if (!available(m)) continue;
			t0 = now();
			pid = start(m, &pidfd);
			t1 = now();
			reap(pid, pidfd);
			calls[m][rounds] = t1 - t0;
			totals[m][rounds] = now() - t0;
		}
	for (m = 0; m < METHODS; m++)
		if (available(m)) {
			summarise(calls[m], rounds, &med_call[m], &call_lo[m], &call_hi[m]);
			summarise(totals[m], rounds, &med_total[m], &total_lo[m], &total_hi[m]);
		}
	printf("\nparent %zu MiB, %d rounds; microseconds, median [p10 p90], and ratio to host posix_spawn\n",
		mib, rounds);
	printf("  %-20s %27s %6s %27s %6s\n", "method", "call", "ratio", "spawn and reap", "ratio");
	for (m = 0; m < METHODS; m++)
		if (available(m))
			printf("  %-20s %8.1f [%7.1f %8.1f] %6.2f %8.1f [%7.1f %8.1f] %6.2f\n", names[m],
				med_call[m], call_lo[m], call_hi[m], med_call[m] / med_call[HOST],
				med_total[m], total_lo[m], total_hi[m], med_total[m] / med_total[HOST]);
	if (ballast) munmap(ballast, size);
}

struct worker { int method; double seconds; long spawns; };

static void *throughput_worker(void *p)
{
	struct worker *w = p;
	double deadline = now() + w->seconds * 1e6;
	int pidfd;
	while (now() < deadline) {
		reap(start(w->method, &pidfd), pidfd);
		w->spawns++;
	}
	return 0;
}

static void run_throughput(double seconds)
{
	static const int methods[] = { 0, 1, 2, 4, 5 };
	struct worker w[2];
	pthread_t t[2];
	unsigned i;
	int threads, k;

	printf("\nthroughput, spawns per second (parent 0 MiB, %.0f s each)\n", seconds);
	printf("  %-22s %10s %10s\n", "method", "1 thread", "2 threads");
	for (i = 0; i < sizeof methods / sizeof *methods; i++) {
		printf("  %-22s", names[methods[i]]);
		for (threads = 1; threads <= 2; threads++) {
			long total = 0;
			for (k = 0; k < threads; k++) {
				w[k] = (struct worker){ methods[i], seconds, 0 };
				pthread_create(&t[k], 0, throughput_worker, &w[k]);
			}
			for (k = 0; k < threads; k++) {
				pthread_join(t[k], 0);
				total += w[k].spawns;
			}
			printf(" %10.0f", total / seconds);
		}
		putchar('\n');
	}
}

static void run_allocations(void)
{
	int m, i, pidfd;

	printf("\nheap allocations per spawn (malloc/calloc/realloc, counted by interposition)\n");
	for (m = 0; m < METHODS; m++) {
		if (!available(m)) continue;
		allocations = 0;
		for (i = 0; i < 100; i++) {
			pid_t pid;
			counting = 1;
			pid = start(m, &pidfd);
			counting = 0;
			reap(pid, pidfd);
		}
		printf("  %-22s %6.2f\n", names[m], allocations / 100.0);
	}
}

int main(int argc, char **argv)
{
	const char *sizes = "0,256,1024,4096";
	double seconds = 8, tput_seconds = 3;
	int quick = 0, opt, only_method = -1, only_count = 0, pidfd;
	char *list, *tok;
	void *libc;

	while ((opt = getopt(argc, argv, "qs:n:")) != -1) {
		switch (opt) {
		case 'q': quick = 1; break;
		case 's': sizes = optarg; break;
		case 'n':
			if (sscanf(optarg, "%d,%d", &only_method, &only_count) != 2) goto usage;
			break;
		default: goto usage;
		}
	}
	if (!(child_path = getenv("BENCH_CHILD"))) child_path = "bench/nop";
	if (!(libc = dlopen("libc.so.6", RTLD_NOW))) libc = dlopen("libc.so", RTLD_NOW);
	if (!libc || !(host_spawn = (spawn_fn *)dlsym(libc, "posix_spawn"))) {
		fprintf(stderr, "bench: cannot reach the host libc's posix_spawn: %s\n", dlerror());
		return 1;
	}
	host_pidfd_spawn = (pidfd_spawn_fn *)dlsym(libc, "pidfd_spawn");
	if (only_method >= 0) {
		if (only_method >= METHODS || !available(only_method)) goto usage;
		/* A marker for bench/syscalls.sh: counting starts after it. */
		if (write(-1, "start", 5) < 0) errno = 0;
		while (only_count-- > 0) reap(start(only_method, &pidfd), pidfd);
		return 0;
	}
	if (quick) seconds = 1.5, tput_seconds = 1;
	printf("spawnfd bench: child %s; host libc %s%s\n", child_path,
		host_pidfd_spawn ? "with" : "without", " pidfd_spawn");
	list = strdup(sizes);
	for (tok = strtok(list, ","); tok; tok = strtok(0, ","))
		run_size(strtoul(tok, 0, 10), seconds, quick ? 400 : 100000);
	free(list);
	run_throughput(tput_seconds);
	run_allocations();
	return 0;
usage:
	fprintf(stderr, "usage: bench [-q] [-s MiB,...] [-n METHOD,COUNT]\n");
	return 2;
}
