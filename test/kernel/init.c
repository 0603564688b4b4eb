/* /init of the initramfs that .ci/kernel-check boots: mounts what the
 * suites need, runs the Check runner and then every program in /extra,
 * prints one verdict line for the host to read, and powers off. Past
 * KERNEL_CHECK_DEADLINE seconds it shows where every task is stuck and
 * fails, rather than leave the host to kill a silent guest. Static, and
 * built for the guest's architecture. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;
static volatile sig_atomic_t deadline_passed;

static void step(int ok, const char *what)
{
	if (!ok) {
		printf("kernel-check: %s: %s\n", what, strerror(errno));
		failed = 1;
	}
}

static void setup(void)
{
	int fd;

	/* The kernel gives /init no descriptors when the archive has no
	 * /dev/console: open it once devtmpfs is there. */
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, 0);
	if ((fd = open("/dev/console", O_RDWR)) >= 0) {
		dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
		if (fd > 2) close(fd);
	}
	setvbuf(stdout, 0, _IOLBF, 0);
	mkdir("/proc", 0555), mkdir("/sys", 0555), mkdir("/tmp", 01777);
	step(!mount("proc", "/proc", "proc", 0, 0), "mount /proc");
	step(!mount("sysfs", "/sys", "sysfs", 0, 0), "mount /sys");
	step(!mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777"), "mount /tmp");
	mkdir("/dev/pts", 0755);
	step(!mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666"), "mount /dev/pts");
	step(!mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, 0), "mount /sys/fs/cgroup");
	/* a cgroup v1 hierarchy too, with no controller, as hybrid hosts have */
	mkdir("/tmp/cgroup-v1", 0755);
	step(!mount("cgroup", "/tmp/cgroup-v1", "cgroup", 0, "none,name=spawnfd"), "mount cgroup v1");
	setenv("PATH", "/bin", 1);
	setenv("HOME", "/", 1);
	setenv("TMPDIR", "/tmp", 1);
	setenv("SPAWNFD_HELPER", "/test/helper", 1);
	setenv("SPAWNFD_TOOL", "/bin/spawnfd", 1);
	setenv("CK_VERBOSITY", "verbose", 1);
}

static void on_alarm(int sig)
{
	(void)sig;
	deadline_passed = 1;
}

static void print_file(const char *dir, const char *name, const char *prefix)
{
	char path[300], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return;
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(0, "\n"))
		printf("%s%s\n", prefix, line);
}

/* Each task of every process but the kernel's (whose command line is
 * empty): its stat line (state, ppid, ...), the system call it is in and
 * its kernel stack. */
static void show_tasks(void)
{
	char dir[64], task[128], c;
	struct dirent *p, *t;
	DIR *procs = opendir("/proc"), *tasks;
	ssize_t n;
	int fd;

	if (!procs) return;
	while ((p = readdir(procs))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9') continue;
		snprintf(dir, sizeof dir, "/proc/%.16s/cmdline", p->d_name);
		if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) < 0) continue;
		n = read(fd, &c, 1);
		close(fd);
		if (n != 1) continue;
		snprintf(dir, sizeof dir, "/proc/%.16s/task", p->d_name);
		if (!(tasks = opendir(dir))) continue;
		while ((t = readdir(tasks))) {
			if (t->d_name[0] == '.') continue;
			snprintf(task, sizeof task, "%s/%.16s", dir, t->d_name);
			print_file(task, "stat", "kernel-check: task ");
			print_file(task, "syscall", "kernel-check:   syscall ");
			print_file(task, "stack", "kernel-check:   ");
		}
		closedir(tasks);
	}
	closedir(procs);
}

/* Runs path and reaps every orphan that comes back to us meanwhile;
 * true if path exited with 0. */
static int run(const char *path)
{
	int status;
	pid_t pid = fork(), r;

	if (!pid) {
		execl(path, path, (char *)0);
		printf("kernel-check: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0) return 0;
	while ((r = wait(&status)) != pid) {
		if (r < 0 && errno == EINTR && deadline_passed) {
			printf("kernel-check: %s: still running at the deadline; every task:\n", path);
			show_tasks();
			kill(-1, SIGKILL);
			while (wait(0) > 0 || errno == EINTR) {}
			return 0;
		}
		if (r < 0 && errno != EINTR) return 0;
	}
	printf("kernel-check: %s: %s %d\n", path, WIFEXITED(status) ? "exit" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

int main(void)
{
	char path[512], *deadline;
	struct dirent *e;
	DIR *d;

	setup();
	if ((deadline = getenv("KERNEL_CHECK_DEADLINE"))) {
		sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, 0);
		alarm(atoi(deadline));
	}
	failed |= !run("/test/check_spawnfd");
	if ((d = opendir("/extra"))) {
		while ((e = readdir(d)) && !deadline_passed) {
			if (e->d_name[0] == '.') continue;
			snprintf(path, sizeof path, "/extra/%s", e->d_name);
			failed |= !run(path);
		}
		closedir(d);
	}
	printf("kernel-check: %s\n", failed ? "FAIL" : "PASS");
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
