/* The operands of timeout(1) as coreutils 9.1 reads them: signals and durations. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "timeout_args.h"

/* Lookup order is timeout(1)'s: the first name of a number is the one printed. */
static const struct { char name[8]; int sig; } signals[] = {
	{ "EXIT", 0 }, { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
	{ "SEGV", SIGSEGV }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM },
#ifdef SIGSTKFLT
	{ "STKFLT", SIGSTKFLT },
#endif
	{ "CHLD", SIGCHLD }, { "CLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "POLL", SIGPOLL }, { "IO", SIGIO }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

int signal_name(int sig, char *buf, size_t size)
{
	int min = SIGRTMIN, max = SIGRTMAX;
	size_t i;

	for (i = 0; i < sizeof signals / sizeof *signals; i++)
		if (signals[i].sig == sig) return snprintf(buf, size, "%s", signals[i].name), 0;
	if (sig < min || sig > max) return -1;
	if (sig - min <= (max - min) / 2)
		snprintf(buf, size, sig > min ? "RTMIN+%d" : "RTMIN", sig - min);
	else
		snprintf(buf, size, sig < max ? "RTMAX-%d" : "RTMAX", max - sig);
	return 0;
}

/* An upper-case name without SIG, or digits; -1 if neither. */
static int name_to_sig(const char *s)
{
	int min = SIGRTMIN, max = SIGRTMAX;
	char *end;
	long n;
	size_t i;

	if (isdigit((unsigned char)*s)) {
		n = strtol(s, &end, 10);
		return *end || n > max ? -1 : n;
	}
	for (i = 0; i < sizeof signals / sizeof *signals; i++)
		if (!strcmp(s, signals[i].name)) return signals[i].sig;
	if (!strncmp(s, "RTMIN", 5) || !strncmp(s, "RTMAX", 5)) {
		n = strtol(s + 5, &end, 10);
		if (*end) return -1;
		if (s[4] == 'N') return n >= 0 && n <= max - min ? min + n : -1;
		return n <= 0 && n >= min - max ? max + n : -1;
	}
	return -1;
}

int parse_signal(const char *arg)
{
	char name[16], *up, *end;
	int sig = -1, i;
	long n;

	if (isdigit((unsigned char)*arg)) {
		errno = 0;
		n = strtol(arg, &end, 10);
		i = n;
		/* A shell's status for a killed process (128+N, ksh's 256+N), as
		 * timeout reads it through glibc's WIFSIGNALED and WTERMSIG;
		 * spelled out, since musl's macros answer otherwise past 255. */
		if (!*end && !errno && i == n) sig = i & 0x7f && (i & 0x7f) != 0x7f ? i & 0x7f : i;
	} else if ((up = strdup(arg))) {
		for (end = up; *end; end++) *end = toupper((unsigned char)*end);
		sig = name_to_sig(up);
		if (sig < 0 && !strncmp(up, "SIG", 3)) sig = name_to_sig(up + 3);
		free(up);
	}
	return sig < 0 || signal_name(sig, name, sizeof name) ? -1 : sig;
}

double parse_duration(const char *s)
{
	static const char units[] = "smhd";
	static const double scale[] = { 1, 60, 3600, 86400 };
	const char *unit;
	char *end;
	double d = strtod(s, &end);

	/* Overflow gives HUGE_VAL and underflow a tiny value: both are fine. */
	if (end == s || !(d >= 0)) return -1;
	if (!*end) return d;
	if (end[1] || !(unit = strchr(units, *end))) return -1;
	return d * scale[unit - units];
}

