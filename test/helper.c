/* The exec target of the tests: reports what the child sees. Each word on
 * the command line is a command, some taking the next word as argument;
 * every report is one line on standard output:
 *   fds            the open descriptors, e.g. "0 1 2"
 *   fd N           "closed", or "open cloexec=0|1 TARGET"
 *   mask           the blocked signals, e.g. "10 12", or "-" for none
 *   disp           signals not at SIG_DFL, e.g. "10:ignored 12:caught", or "-"
 *   ids            "pid ppid pgid sid uid euid gid egid"
 *   cwd            the working directory
 *   sched          "policy priority"
 *   tty N          "foreground" if our group owns terminal N, else "background"
 *   env            the environment, one variable a line
 *   args           the argument count, then every argument, a line each
 *   cat N          the contents of descriptor N
 *   write N TEXT   writes TEXT to descriptor N
 *   sleep N        sleeps N seconds
 *   exit N         exits with status N
 *   cgroup         our cgroup v2 path, from the "0::" line of /proc/self/cgroup
 * Run it with no command and it exits 0. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* Built with ASan (.ci/sanitize), the helper must still show only what the
 * library gave it: none of the runtime's own signal handlers, and no leak
 * check, which needs ptrace and so fails when we run with euid != uid.
 * The tests start us with an empty environment, so ASAN_OPTIONS cannot. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:detect_leaks=0";
}

static void list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self = dirfd(d), fds[1024], n = 0, i, j, t;

	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != self && n < 1024)
			fds[n++] = atoi(e->d_name);
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && fds[j - 1] > fds[j]; j--)
			t = fds[j], fds[j] = fds[j - 1], fds[j - 1] = t;
	for (i = 0; i < n; i++) printf("%s%d", i ? " " : "", fds[i]);
	putchar('\n');
}

static void describe_fd(int fd)
{
	char link[64], target[PATH_MAX];
	int flags = fcntl(fd, F_GETFD);
	ssize_t len;

	if (flags < 0) {
		puts("closed");
		return;
	}
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	len = readlink(link, target, sizeof target - 1);
	target[len < 0 ? 0 : len] = 0;
	printf("open cloexec=%d %s\n", !!(flags & FD_CLOEXEC), target);
}

static void list_mask(void)
{
	sigset_t set;
	int sig, any = 0;

	sigprocmask(SIG_BLOCK, 0, &set);
	for (sig = 1; sig < _NSIG; sig++)
		if (sigismember(&set, sig) == 1) printf(any++ ? " %d" : "%d", sig);
	puts(any ? "" : "-");
}

static void list_dispositions(void)
{
	struct sigaction sa;
	int sig, any = 0;

	for (sig = 1; sig < _NSIG; sig++) {
		if (sigaction(sig, 0, &sa) || sa.sa_handler == SIG_DFL) continue;
		printf(any++ ? " %d:%s" : "%d:%s", sig, sa.sa_handler == SIG_IGN ? "ignored" : "caught");
	}
	puts(any ? "" : "-");
}

static void show_cgroup(void)
{
	char line[PATH_MAX + 8];
	FILE *f = fopen("/proc/self/cgroup", "re");

	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "0::", 3)) fputs(line + 3, stdout);
	if (f) fclose(f);
}

static void copy_fd(int fd)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, n, stdout);
	putchar('\n');
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];
	struct sched_param sp;
	int i;

	for (i = 1; i < argc; i++) {
		const char *cmd = argv[i], *arg = i + 1 < argc ? argv[i + 1] : "0";
		if (!strcmp(cmd, "fds")) list_fds();
		else if (!strcmp(cmd, "fd")) describe_fd(atoi(arg)), i++;
		else if (!strcmp(cmd, "mask")) list_mask();
		else if (!strcmp(cmd, "disp")) list_dispositions();
		else if (!strcmp(cmd, "ids"))
			printf("%d %d %d %d %d %d %d %d\n", (int)getpid(), (int)getppid(),
				(int)getpgrp(), (int)getsid(0), (int)getuid(), (int)geteuid(),
				(int)getgid(), (int)getegid());
		else if (!strcmp(cmd, "cwd")) puts(getcwd(cwd, sizeof cwd) ? cwd : "?");
		else if (!strcmp(cmd, "sched")) {
			/* musl's wrappers answer ENOSYS: ask the kernel */
			syscall(SYS_sched_getparam, 0, &sp);
			printf("%d %d\n", (int)syscall(SYS_sched_getscheduler, 0), sp.sched_priority);
		} else if (!strcmp(cmd, "tty")) {
			puts(tcgetpgrp(atoi(arg)) == getpgrp() ? "foreground" : "background");
			i++;
		} else if (!strcmp(cmd, "env")) {
			for (char **e = environ; *e; e++) puts(*e);
		} else if (!strcmp(cmd, "args")) {
			printf("%d\n", argc);
			for (int j = 0; j < argc; j++) puts(argv[j]);
		} else if (!strcmp(cmd, "cat")) copy_fd(atoi(arg)), i++;
		else if (!strcmp(cmd, "write")) {
			const char *text = i + 2 < argc ? argv[i + 2] : "";
			if (write(atoi(arg), text, strlen(text)) < 0) return 2;
			i += 2;
		} else if (!strcmp(cmd, "cgroup")) show_cgroup();
		else if (!strcmp(cmd, "sleep")) sleep(atoi(arg)), i++;
		else if (!strcmp(cmd, "exit")) {
			fflush(stdout);
			return atoi(arg);
		} else {
			fprintf(stderr, "helper: unknown command %s\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
