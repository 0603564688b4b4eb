/* spawnfd: run a command, watch it through a pidfd, end it on a timeout. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawnfd.h"

/* P_PIDFD: older libcs lack the name, not the kernel the number. */
#define WAIT_PIDFD ((idtype_t)3)

#define EXIT_TIMEDOUT 124
#define EXIT_CANCELED 125
#define EXIT_CANNOT_INVOKE 126
#define EXIT_ENOENT 127

extern char **environ;

static const char usage[] =
	"Usage: spawnfd [-v] [-t SECONDS] [-s SIGNAL] [-k SECONDS] [--] COMMAND [ARG...]\n";

static const char help[] =
	"Run COMMAND with ARGs, wait for it through a pidfd, exit with its status.\n"
	"\n"
	"  -t SECONDS  send SIGNAL to COMMAND if it still runs after SECONDS\n"
	"              (fractions allowed; suffix s, m, h or d; 0: no limit)\n"
	"  -s SIGNAL   the signal for -t: a name (TERM, SIGTERM) or a number;\n"
	"              default TERM\n"
	"  -k SECONDS  then send KILL if it still runs SECONDS after SIGNAL\n"
	"  -v          print the child's pid and pidfd on standard error\n"
	"  -h, --help  print this help and exit\n"
	"  --version   print the version and exit\n"
	"\n"
	"Exit status: COMMAND's; 128+N if it died of signal N; 124 if the time\n"
	"limit was reached; 125 if spawnfd failed; 126 if COMMAND could not be\n"
	"run; 127 if it was not found.\n";

static const struct { char name[8]; int sig; } signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	if (fmt) fprintf(stderr, fmt, arg);
	fprintf(stderr, "%sTry 'spawnfd --help' for more information.\n", usage);
	exit(EXIT_CANCELED);
}

static int parse_signal(const char *s)
{
	const char *name = strncasecmp(s, "SIG", 3) ? s : s + 3;
	char *end;
	long n;
	size_t i;

	for (i = 0; i < sizeof signals / sizeof *signals; i++)
		if (!strcasecmp(name, signals[i].name)) return signals[i].sig;
	n = strtol(s, &end, 10);
	if (end == s || *end || n < 1 || n >= _NSIG) usage_error("spawnfd: invalid signal '%s'\n", s);
	return n;
}

static double parse_seconds(const char *s)
{
	static const struct { char unit; double scale; } units[] = {
		{ 0, 1 }, { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	char *end;
	double d = strtod(s, &end);
	size_t i;

	if (end != s && (!*end || !end[1]) && d >= 0)
		for (i = 0; i < sizeof units / sizeof *units; i++)
			if (*end == units[i].unit) return d * units[i].scale;
	usage_error("spawnfd: invalid time interval '%s'\n", s);
}

static struct timespec deadline_after(double secs)
{
	struct timespec t;
	/* Far beyond any real run; keeps the sum inside a 32-bit time_t. */
	if (secs > 1 << 30) secs = 1 << 30;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)secs;
	t.tv_nsec += (long)((secs - (time_t)secs) * 1e9);
	if (t.tv_nsec >= 1000000000) t.tv_sec++, t.tv_nsec -= 1000000000;
	return t;
}

/* Time left until *end in *left; 0 once it has passed. */
static int time_left(const struct timespec *end, struct timespec *left)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = end->tv_sec - now.tv_sec;
	left->tv_nsec = end->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) left->tv_sec--, left->tv_nsec += 1000000000;
	return left->tv_sec > 0 || (left->tv_sec == 0 && left->tv_nsec > 0);
}

/* Waits up to secs for the child to end, leaving it unreaped so that its
 * pid cannot be reused while we may still signal it; 1 if it has ended. */
static int ended(int pidfd, pid_t pid, double secs)
{
	struct timespec end = deadline_after(secs), left, nap = { 0, 5000000 };
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	siginfo_t si;

	while (time_left(&end, &left)) {
		if (pidfd >= 0) {
			if (ppoll(&pfd, 1, &left, 0) > 0) return 1;
			continue;
		}
		/* No pidfd, so nothing to poll and no SIGALRM to juggle: look often. */
		si.si_pid = 0;
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno != EINTR) return 1;
		if (si.si_pid) return 1;
		if (nap.tv_sec > left.tv_sec || (nap.tv_sec == left.tv_sec && nap.tv_nsec > left.tv_nsec))
			nap = left;
		nanosleep(&nap, 0);
	}
	return 0;
}

static void signal_child(int pidfd, pid_t pid, int sig)
{
	if (pidfd < 0 || (syscall(SYS_pidfd_send_signal, pidfd, sig, 0, 0) < 0 && errno == ENOSYS))
		kill(pid, sig);
	/* A stopped child would hold the signal pending forever. */
	if (sig != SIGKILL && sig != SIGCONT) signal_child(pidfd, pid, SIGCONT);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
		{ 0 } };
	double timeout = 0, kill_after = 0;
	int sig = SIGTERM, verbose = 0, pidfd = -1, timed_out = 0, err, opt;
	char optname[2] = { 0 };
	posix_spawnattr_t attr;
	siginfo_t si;
	pid_t pid;

	opterr = 0;
	/* '+': the first operand is the command; what follows is its own. */
	while ((opt = getopt_long(argc, argv, "+:ht:s:k:v", longopts, 0)) != -1) {
		optname[0] = optopt;
		switch (opt) {
		case 't': timeout = parse_seconds(optarg); break;
		case 's': sig = parse_signal(optarg); break;
		case 'k': kill_after = parse_seconds(optarg); break;
		case 'v': verbose = 1; break;
		case 'h': printf("%s%s", usage, help); return 0;
		case 'V': printf("spawnfd %s\n", PACKAGE_VERSION); return 0;
		case ':': usage_error("spawnfd: option requires an argument -- '%s'\n", optname);
		default:
			if (optopt) usage_error("spawnfd: invalid option -- '%s'\n", optname);
			usage_error("spawnfd: unrecognized option '%s'\n", argv[optind - 1]);
		}
	}
	if (optind == argc) usage_error("spawnfd: missing command\n", 0);

	/* An ignored SIGCHLD, inherited through exec, would reap the child
	 * behind our back. */
	signal(SIGCHLD, SIG_DFL);
	if ((err = posix_spawnattr_init(&attr)) || (err = posix_spawnattr_setpidfd(&attr, &pidfd))) {
		fprintf(stderr, "spawnfd: %s\n", strerror(err));
		return EXIT_CANCELED;
	}
	err = posix_spawnp(&pid, argv[optind], 0, &attr, argv + optind, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		fprintf(stderr, "spawnfd: %s: %s\n", argv[optind], strerror(err));
		return err == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
	}
	if (verbose) fprintf(stderr, "spawnfd: pid %d pidfd %d\n", (int)pid, pidfd);

	if (timeout > 0 && !ended(pidfd, pid, timeout)) {
		timed_out = 1;
		signal_child(pidfd, pid, sig);
		if (kill_after > 0 && !ended(pidfd, pid, kill_after)) signal_child(pidfd, pid, SIGKILL);
	}
	while ((pidfd >= 0 ? waitid(WAIT_PIDFD, pidfd, &si, WEXITED)
	                   : waitid(P_PID, pid, &si, WEXITED)) < 0) {
		if (errno == EINTR) continue;
		perror("spawnfd: waitid");
		return EXIT_CANCELED;
	}
	if (timed_out) return EXIT_TIMEDOUT;
	return si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
}
