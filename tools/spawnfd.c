/* spawnfd: timeout(1) that watches and signals its command through a pidfd. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawnfd.h"
#include "timeout_args.h"

/* P_PIDFD: older libcs lack the name, not the kernel the number. */
#define WAIT_PIDFD ((idtype_t)3)

#define EXIT_TIMEDOUT 124
#define EXIT_CANCELED 125
#define EXIT_CANNOT_INVOKE 126
#define EXIT_ENOENT 127

extern char **environ;

static const char help[] =
	"Usage: spawnfd [OPTION] DURATION COMMAND [ARG]...\n"
	"  or:  spawnfd [OPTION] -t DURATION [--] COMMAND [ARG]...\n"
	"Start COMMAND, and signal it if it still runs after DURATION; watch and\n"
	"signal it through a pidfd, so that no other process can be hit.\n"
	"\n"
	"  -s, --signal=SIGNAL       the signal to send on timeout: a name (TERM,\n"
	"                            SIGTERM, RTMIN+1) or a number; default TERM\n"
	"  -k, --kill-after=DURATION also send KILL if COMMAND still runs this long\n"
	"                            after the first signal\n"
	"      --preserve-status     exit with COMMAND's status even on timeout\n"
	"      --foreground          leave COMMAND in the foreground process group;\n"
	"                            its own children are then not signalled\n"
	"  -v, --verbose             report each signal sent, on standard error\n"
	"  -t DURATION               the time limit, instead of the DURATION operand\n"
	"      --report-pid          print COMMAND's pid and pidfd on standard error\n"
	"  -h, --help                print this help and exit\n"
	"      --version             print the version and exit\n"
	"\n"
	"DURATION is a number, fractions allowed, with an optional unit: s (the\n"
	"default), m, h or d. 0 sets no limit.\n"
	"\n"
	"Signals received (TERM, INT, HUP, QUIT, ALRM, USR1, USR2 and the like)\n"
	"go on to COMMAND. Exit status: COMMAND's; 128+N, or death by signal N,\n"
	"if it died of signal N; 124 if it timed out (without --preserve-status);\n"
	"125 if spawnfd failed; 126 if COMMAND could not be run; 127 if it was\n"
	"not found; 137 if it or spawnfd was ended by -k's KILL.\n";

/* What timeout(1) of coreutils 9.1 catches whatever their disposition:
 * its own timer and the usual ways to end a job. */
static const int forwarded[] = { SIGALRM, SIGINT, SIGQUIT, SIGHUP, SIGTERM };

/* Forwarded too where not ignored on entry, as later coreutils do; 9.1
 * dies of them and leaves the command running. */
static const int also_forwarded[] = {
	SIGPIPE, SIGUSR1, SIGUSR2, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
	SIGXCPU, SIGXFSZ, SIGSYS, SIGVTALRM, SIGPROF, SIGPOLL, SIGPWR,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};

static const char *command;
static int pidfd = -1, term_signal = SIGTERM, verbose, foreground, timed_out;
static double kill_after;
static pid_t pid;
/* Signals this process sent its own group: from then on it ignores them,
 * as timeout does, or each would come back to be passed on again. */
static sigset_t echoed;

static _Noreturn void try_help(void)
{
	fputs("Try 'spawnfd --help' for more information.\n", stderr);
	exit(EXIT_CANCELED);
}

/* Long options without a letter: values no short option can have. */
enum { OPT_FOREGROUND = 256, OPT_PRESERVE, OPT_REPORT, OPT_VERSION };

static const struct option longopts[] = {
	{ "kill-after", required_argument, 0, 'k' },
	{ "signal", required_argument, 0, 's' },
	{ "verbose", no_argument, 0, 'v' },
	{ "foreground", no_argument, 0, OPT_FOREGROUND },
	{ "preserve-status", no_argument, 0, OPT_PRESERVE },
	{ "report-pid", no_argument, 0, OPT_REPORT },
	{ "help", no_argument, 0, 'h' },
	{ "version", no_argument, 0, OPT_VERSION },
	{ 0 } };

/* getopt's complaint in glibc's words, which are timeout's, whatever the
 * libc: what went wrong is told by optopt (0: no such long option) and,
 * for a long option, by the argument it came in (arg, "" if none). */
static _Noreturn void bad_option(const char *arg)
{
	size_t len = strcspn(arg, "=");
	int n = 0, i, is_long;

	for (i = 0; optopt && longopts[i].name && longopts[i].val != optopt; i++);
	/* Within a cluster of short options, arg is still the one before. */
	is_long = !strncmp(arg, "--", 2) && longopts[i].name;
	if (!optopt) {
		for (i = 0; longopts[i].name; i++) n += !strncmp(longopts[i].name, arg + 2, len - 2);
		if (n < 2) {
			fprintf(stderr, "spawnfd: unrecognized option '%s'\n", arg);
		} else {
			fprintf(stderr, "spawnfd: option '%.*s' is ambiguous; possibilities:", (int)len, arg);
			for (i = 0; longopts[i].name; i++)
				if (!strncmp(longopts[i].name, arg + 2, len - 2))
					fprintf(stderr, " '--%s'", longopts[i].name);
			fputc('\n', stderr);
		}
	} else if (is_long && longopts[i].has_arg) {
		fprintf(stderr, "spawnfd: option '--%s' requires an argument\n", longopts[i].name);
	} else if (is_long) {
		fprintf(stderr, "spawnfd: option '--%s' doesn't allow an argument\n", longopts[i].name);
	} else if (strchr("kst", optopt)) {
		fprintf(stderr, "spawnfd: option requires an argument -- '%c'\n", optopt);
	} else {
		fprintf(stderr, "spawnfd: invalid option -- '%c'\n", optopt);
	}
	try_help();
}

static double duration_or_usage(const char *s)
{
	double d = parse_duration(s);
	if (d < 0) {
		fprintf(stderr, "spawnfd: invalid time interval '%s'\n", s);
		try_help();
	}
	return d;
}

static struct timespec deadline_after(double secs)
{
	struct timespec t;
	/* Far beyond any real run; keeps the sum inside a 32-bit time_t. A
	 * positive time too short for a nanosecond has passed at once. */
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

/* The child is not reaped before the end, so even its plain pid stays its own. */
static void signal_child(int sig)
{
	if (pidfd < 0 || (syscall(SYS_pidfd_send_signal, pidfd, sig, 0, 0) < 0 && errno == ENOSYS))
		kill(pid, sig);
}

static void signal_group(int sig)
{
	/* An ignored SIGCHLD would have the kernel reap the child unseen. */
	if (sig != SIGCHLD) signal(sig, SIG_IGN);
	if (sig > 0) sigaddset(&echoed, sig);
	kill(0, sig);
}

/* What timeout does on its timer (SIGALRM) or a signal it catches: the
 * first one starts the -k timer, and each is passed on to the command
 * and, unless --foreground, to the process group, then SIGCONT so that a
 * stopped command receives it. */
static void pass_on(int sig, struct timespec *kill_at, int *kill_armed)
{
	char name[32];

	if (sigismember(&echoed, sig) == 1) return;
	if (sig == SIGALRM) timed_out = 1, sig = term_signal;
	if (kill_after > 0) {
		term_signal = SIGKILL;
		*kill_at = deadline_after(kill_after);
		*kill_armed = 1;
		kill_after = 0;
	}
	if (verbose) {
		if (signal_name(sig, name, sizeof name)) snprintf(name, sizeof name, "%d", sig);
		fprintf(stderr, "spawnfd: sending signal %s to command '%s'\n", name, command);
	}
	signal_child(sig);
	if (foreground) return;
	signal_group(sig);
	if (sig != SIGKILL && sig != SIGCONT) {
		signal_child(SIGCONT);
		signal_group(SIGCONT);
	}
}

/* 1 once the child has ended; it stays unreaped. */
static int child_ended(void)
{
	siginfo_t si = { 0 };
	int r = pidfd >= 0 ? waitid(WAIT_PIDFD, pidfd, &si, WEXITED | WNOHANG | WNOWAIT)
	                   : waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT);
	return r < 0 ? errno != EINTR : si.si_pid != 0;
}

/* glibc's execvp runs a file the kernel cannot execute (ENOEXEC) with
 * /bin/sh, and timeout with it: find the file as it would. */
static int spawn_as_script(const posix_spawnattr_t *attr, char **argv)
{
	const char *path = getenv("PATH"), *p, *end;
	char **shargv, file[PATH_MAX];
	int argc, err;

	if (strchr(argv[0], '/')) {
		snprintf(file, sizeof file, "%s", argv[0]);
	} else {
		for (p = path ? path : "/bin:/usr/bin"; ; p = end + 1) {
			end = strchrnul(p, ':');
			snprintf(file, sizeof file, "%.*s%s%s", (int)(end - p), p, end > p ? "/" : "",
				argv[0]);
			if (!access(file, X_OK) || !*end) break;
		}
	}
	for (argc = 0; argv[argc]; argc++);
	if (!(shargv = malloc((argc + 2) * sizeof *shargv))) return ENOMEM;
	shargv[0] = "/bin/sh";
	shargv[1] = file;
	memcpy(shargv + 2, argv + 1, argc * sizeof *shargv);
	err = posix_spawn(&pid, "/bin/sh", 0, attr, shargv, environ);
	free(shargv);
	return err;
}

static int spawn(char **argv, const sigset_t *mask)
{
	static const int reset[] = { SIGALRM, SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGTTIN, SIGTTOU };
	posix_spawnattr_t attr;
	sigset_t dfl;
	size_t i;
	int err;

	/* The child starts as timeout's does: with the mask we were given,
	 * what timeout catches or ignores for itself back to the default, and
	 * what was ignored before still ignored. */
	sigemptyset(&dfl);
	for (i = 0; i < sizeof reset / sizeof *reset; i++) sigaddset(&dfl, reset[i]);
	if (term_signal != SIGKILL && term_signal != SIGSTOP) sigaddset(&dfl, term_signal);
	if ((err = posix_spawnattr_init(&attr))) return err;
	if (!(err = posix_spawnattr_setpidfd(&attr, &pidfd))
	    && !(err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
	    && !(err = posix_spawnattr_setsigmask(&attr, mask))
	    && !(err = posix_spawnattr_setsigdefault(&attr, &dfl))
	    && (err = posix_spawnp(&pid, argv[0], 0, &attr, argv, environ)) == ENOEXEC)
		err = spawn_as_script(&attr, argv);
	posix_spawnattr_destroy(&attr);
	return err;
}

int main(int argc, char **argv)
{
	struct timespec end_at, kill_at, left, *next;
	int end_armed, kill_armed = 0, preserve = 0, report = 0, have_t = 0, sfd, sig, err, opt;
	double timeout = 0;
	struct signalfd_siginfo ssi;
	struct pollfd pfd[2];
	sigset_t entry_mask, caught;
	struct sigaction sa;
	siginfo_t si;
	size_t i;

	opterr = 0;
	/* '+': the first operand after DURATION is the command; what follows is its own. */
	while ((opt = getopt_long(argc, argv, "+k:s:vt:h", longopts, 0)) != -1) {
		switch (opt) {
		case 'k': kill_after = duration_or_usage(optarg); break;
		case 's':
			if ((term_signal = parse_signal(optarg)) < 0) {
				fprintf(stderr, "spawnfd: '%s': invalid signal\n", optarg);
				try_help();
			}
			break;
		case 'v': verbose = 1; break;
		case OPT_FOREGROUND: foreground = 1; break;
		case OPT_PRESERVE: preserve = 1; break;
		case OPT_REPORT: report = 1; break;
		case 't': timeout = duration_or_usage(optarg), have_t = 1; break;
		case 'h': fputs(help, stdout); return 0;
		case OPT_VERSION: printf("spawnfd %s\n", PACKAGE_VERSION); return 0;
		/* musl leaves optind past argv's end for a missing argument. */
		default: bad_option(optind <= argc && argv[optind - 1] ? argv[optind - 1] : "");
		}
	}
	if (argc - optind < 2 - have_t) try_help();
	if (!have_t) timeout = duration_or_usage(argv[optind++]);
	command = argv[optind];

	/* Our own group, so that the command's children can be signalled too;
	 * fails harmlessly for a session leader, as timeout's does. */
	if (!foreground) setpgid(0, 0);
	/* Not stopped for writing to, or the child reading from, the terminal
	 * while in a background group. */
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	/* An ignored SIGCHLD, inherited through exec, would reap the child
	 * behind our back. */
	signal(SIGCHLD, SIG_DFL);

	/* Every signal we act on stays blocked from before the spawn to the
	 * end and is read from a signalfd polled along with the pidfd: none
	 * can arrive between the spawn and the wait, none interrupts anything,
	 * and no handler has to share state with the main loop. Like timeout,
	 * we never see what was blocked when we started (SIGALRM aside), but
	 * catch the usual ending signals even where they were ignored. */
	sigprocmask(SIG_SETMASK, 0, &entry_mask);
	sigemptyset(&caught);
	sigemptyset(&echoed);
	sigaddset(&caught, SIGCHLD);
	for (i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
		if (forwarded[i] == SIGALRM || !sigismember(&entry_mask, forwarded[i]))
			sigaddset(&caught, forwarded[i]);
	/* Like timeout, a -s TTIN or TTOU still ignores them for itself. */
	if (term_signal > 0 && term_signal != SIGTTIN && term_signal != SIGTTOU
	    && !sigismember(&entry_mask, term_signal))
		sigaddset(&caught, term_signal);
	for (i = 0; i < sizeof also_forwarded / sizeof *also_forwarded; i++)
		if (!sigismember(&entry_mask, also_forwarded[i])
		    && !sigaction(also_forwarded[i], 0, &sa) && sa.sa_handler != SIG_IGN)
			sigaddset(&caught, also_forwarded[i]);
	sigprocmask(SIG_BLOCK, &caught, 0);
	if ((sfd = signalfd(-1, &caught, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		perror("spawnfd: signalfd");
		return EXIT_CANCELED;
	}

	if ((err = spawn(argv + optind, &entry_mask))) {
		fprintf(stderr, "spawnfd: failed to run command '%s': %s\n", command, strerror(err));
		return err == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
	}
	if (report) fprintf(stderr, "spawnfd: pid %d pidfd %d\n", (int)pid, pidfd);

	if ((end_armed = timeout > 0)) end_at = deadline_after(timeout);
	while (!child_ended()) {
		next = end_armed ? &end_at : 0;
		if (kill_armed && (!next || kill_at.tv_sec < next->tv_sec
		    || (kill_at.tv_sec == next->tv_sec && kill_at.tv_nsec < next->tv_nsec)))
			next = &kill_at;
		if (next && !time_left(next, &left)) {
			/* Either timer firing is timeout's SIGALRM. */
			if (next == &end_at) end_armed = 0;
			else kill_armed = 0;
			pass_on(SIGALRM, &kill_at, &kill_armed);
			continue;
		}
		/* Without a pidfd, the SIGCHLD read from sfd wakes us instead. */
		pfd[0] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (ppoll(pfd, 2, next ? &left : 0, 0) < 0 && errno != EINTR) {
			perror("spawnfd: ppoll");
			return EXIT_CANCELED;
		}
		while (read(sfd, &ssi, sizeof ssi) == sizeof ssi)
			if (ssi.ssi_signo != SIGCHLD) pass_on(ssi.ssi_signo, &kill_at, &kill_armed);
	}
	while ((pidfd >= 0 ? waitid(WAIT_PIDFD, pidfd, &si, WEXITED)
	                   : waitid(P_PID, pid, &si, WEXITED)) < 0) {
		if (errno == EINTR) continue;
		perror("spawnfd: waitid");
		return EXIT_CANCELED;
	}
	if (si.si_code == CLD_EXITED) return timed_out && !preserve ? EXIT_TIMEDOUT : si.si_status;
	sig = si.si_status;
	if (si.si_code == CLD_DUMPED) fputs("spawnfd: the monitored command dumped core\n", stderr);
	/* Die of the command's signal, as timeout does, without a core of our own. */
	if (!timed_out && !prctl(PR_SET_DUMPABLE, 0)) {
		sigset_t one;
		signal(sig, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, sig);
		sigprocmask(SIG_UNBLOCK, &one, 0);
		raise(sig);
	}
	/* --foreground sends no KILL to this process: tell the killing so. */
	if (timed_out && sig == SIGKILL) preserve = 1;
	return timed_out && !preserve ? EXIT_TIMEDOUT : 128 + sig;
}
