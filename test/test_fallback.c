/* fallback: each step of the pidfd chain, the error channel without pipe2, close_range and SETCGROUP, forced by seccomp. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"


/* Spawns the helper with a pidfd asked for; it must be a real pidfd of
 * the child, which exits with status. */
static void spawn_checks_pidfd(int status)
{
	char code[12], *argv[] = { (char *)helper_path(), "exit", code, 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -1;
	siginfo_t si;

	snprintf(code, sizeof code, "%d", status);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_code, CLD_EXITED);
	ck_assert_int_eq(si.si_status, status);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}

/* An exec failure, with and without a pidfd asked for: reported, the
 * pidfd and pid untouched; the leak check sees to zombies and fds. */
static void spawn_checks_exec_failure(void)
{
	char *argv[] = { "nonexistent", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -42;

	posix_spawnattr_init(&attr);
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", 0, &attr, argv, 0), ENOENT);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", 0, &attr, argv, 0), ENOENT);
	ck_assert_int_eq(pidfd, -42);
	ck_assert_int_eq(pid, -42);
	posix_spawnattr_destroy(&attr);
}

/* pidfd_open refused too, so the pidfd can only come from clone. */
START_TEST(clone3_enosys_gets_pidfd_from_clone)
{
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0) || seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	spawn_checks_pidfd(3);
	spawn_checks_pidfd(4);
	spawn_checks_exec_failure();
}
END_TEST

START_TEST(clone3_eperm_gets_pidfd_from_clone)
{
	if (seccomp_fail(SYS_clone3, EPERM, 0, 0) || seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	spawn_checks_pidfd(5);
	spawn_checks_pidfd(6);
	spawn_checks_exec_failure();
}
END_TEST

START_TEST(clone_pidfd_einval_gets_pidfd_from_pidfd_open)
{
	if (seccomp_legacy_clone()) return;
	spawn_checks_pidfd(7);
	spawn_checks_pidfd(8);
	spawn_checks_exec_failure();
}
END_TEST

START_TEST(no_pidfd_anywhere_spawn_succeeds_with_minus_one)
{
	char *argv[] = { (char *)helper_path(), "exit", "9", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42, status, before;
	pid_t pid = -1;

	if (seccomp_legacy_clone() || seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	before = fd_count();
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_int_eq(pidfd, -1);
	ck_assert_int_eq(fd_count(), before);
	status = wait_status(pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 9);
	spawn_checks_exec_failure();
	posix_spawnattr_destroy(&attr);
}
END_TEST

/* A child would have created the file before its exec. */
START_TEST(no_pidfd_anywhere_pidfd_spawn_fails_enosys_without_child)
{
	char *argv[] = { (char *)helper_path(), 0 }, trace[64];
	posix_spawn_file_actions_t fa;
	int pidfd = -42, before, status, err;

	if (seccomp_legacy_clone() || seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	snprintf(trace, sizeof trace, "/tmp/spawnfd-fallback-%d", (int)getpid());
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 5, trace, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	before = fd_count();
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], &fa, 0, argv, 0), ENOSYS);
	ck_assert_int_eq(pidfd_spawnp(&pidfd, argv[0], &fa, 0, argv, 0), ENOSYS);
	err = unlink(trace) ? errno : 0;
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_msg(err == ENOENT, "a child ran its file actions");
	ck_assert_int_eq(pidfd, -42);
	ck_assert_int_eq(fd_count(), before);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* glibc's tst-spawn-pidfd: with nowhere to store a pidfd, pidfd_spawn(p)
 * spawns like posix_spawn without a pid, on every path of the chain, and
 * even where no pidfd can be had; loop: first path, clone with
 * CLONE_PIDFD, clone and pidfd_open, no pidfd at all. */
START_TEST(pidfd_spawn_with_null_pidfd_spawns_a_child_to_reap)
{
	char *argv[] = { (char *)helper_path(), "exit", "3", 0 };
	int before, status, i;

	if (_i == 1 && seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	if (_i >= 2 && seccomp_legacy_clone()) return;
	if (_i == 3 && seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	before = fd_count();
	ck_assert_int_eq(pidfd_spawn(0, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(pidfd_spawnp(0, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(fd_count(), before);
	for (i = 0; i < 2; i++) {
		ck_assert_int_gt(waitpid(-1, &status, 0), 0);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 3);
	}
	ck_assert_int_eq(pidfd_spawn(0, "/nonexistent/program", 0, 0, argv, 0), ENOENT);
}
END_TEST

/* clone3 hands out the pidfd itself: pidfd_open is never needed. */
START_TEST(pidfd_open_enosys_alone_leaves_clone3_pidfd)
{
	char *argv[] = { (char *)helper_path(), "exit", "2", 0 };
	int pidfd = -42;
	siginfo_t si;

	if (seccomp_fail(SYS_pidfd_open, ENOSYS, 0, 0)) return;
	spawn_checks_pidfd(1);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_gt(pidfd_getpid(pidfd), 0);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_status, 2);
	close(pidfd);
	spawn_checks_exec_failure();
}
END_TEST

#ifdef __x86_64__
/* Plays a kernel before 5.2, which ignores CLONE_PIDFD: a tracer strips
 * the flag from each clone that the filter hands it. Returns the tracer,
 * or -1 after printing why it cannot be had. */
static pid_t strip_clone_pidfd(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_PIDFD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof insns / sizeof *insns, .filter = insns };
	const long rdi = offsetof(struct user_regs_struct, rdi);
	pid_t parent = getpid(), tracer;
	int p[2], st, sig;
	char ok;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(tracer = fork(), 0);
	if (!tracer) {
		close(p[0]);
		if (ptrace(PTRACE_SEIZE, parent, 0, PTRACE_O_TRACESECCOMP)) _exit(1);
		if (write(p[1], "y", 1) != 1) _exit(1);
		close(p[1]);
		while (waitpid(parent, &st, __WALL) == parent && WIFSTOPPED(st)) {
			sig = WSTOPSIG(st);
			if (st >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
				ptrace(PTRACE_POKEUSER, parent, rdi,
					ptrace(PTRACE_PEEKUSER, parent, rdi, 0) & ~CLONE_PIDFD);
				sig = 0;
			} else if (st >> 16 == PTRACE_EVENT_STOP) sig = 0;
			ptrace(PTRACE_CONT, parent, 0, sig);
		}
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &ok, 1) != 1) {
		close(p[0]);
		wait_status(tracer);
		puts("skipped: cannot ptrace the test process");
		return -1;
	}
	close(p[0]);
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
	return tracer;
}
#endif

/* Kernels before 5.2 leave the CLONE_PIDFD slot as it was: the 0 there is
 * no pidfd, and the caller's descriptor 0 must survive an exec failure. */
START_TEST(clone_ignoring_clone_pidfd_yields_no_bogus_pidfd)
{
#ifdef __x86_64__
	char *argv[] = { (char *)helper_path(), "exit", "3", 0 }, *bad[] = { "nonexistent", 0 };
	posix_spawnattr_t attr;
	struct stat in, out;
	int pidfd = -42, ret, status;
	pid_t pid, tracer;

	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0) || (tracer = strip_clone_pidfd()) < 0) return;
	ck_assert_int_eq(fstat(0, &in), 0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_msg(pidfd == -1 || pidfd_getpid(pidfd) == pid, "bogus pidfd %d", pidfd);
	status = wait_status(pid);
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	if (pidfd >= 0) close(pidfd);
	pidfd = -42;
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", 0, &attr, bad, 0), ENOENT);
	ck_assert_int_eq(pidfd, -42);
	ck_assert_int_eq(fstat(0, &out), 0);
	ck_assert(in.st_dev == out.st_dev && in.st_ino == out.st_ino);
	/* pidfd_spawn either gets a real pidfd or fails leaving no child */
	ret = pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0);
	ck_assert_msg(ret ? pidfd == -42 : pidfd >= 0 && pidfd_getpid(pidfd) > 0,
		"pidfd_spawn returned %d with *pidfd %d", ret, pidfd);
	if (!ret) {
		ck_assert_int_eq(WEXITSTATUS(wait_status(pidfd_getpid(pidfd))), 3);
		close(pidfd);
	}
	posix_spawnattr_destroy(&attr);
	kill(tracer, SIGKILL);
	wait_status(tracer);
#else
	puts("skipped: the tracer knows only x86_64's registers");
#endif
}
END_TEST

/* Linux 5.3 hands out pidfds (clone3) that waitid cannot take before 5.4:
 * an exec failure must still reap its child. */
START_TEST(exec_failure_reaps_the_child_where_waitid_takes_no_pidfd)
{
	/* bit 1 of the idtype: P_PGID and P_PIDFD, never P_PID */
	if (seccomp_fail(SYS_waitid, EINVAL, 0, 2)) return;
	spawn_checks_exec_failure();
}
END_TEST

static void reap_all(int sig)
{
	int e = errno;
	(void)sig;
	while (waitpid(-1, 0, WNOHANG) > 0);
	errno = e;
}

START_TEST(exec_failure_on_legacy_paths_survives_sigchld_reaping)
{
	struct sigaction sa = { .sa_handler = reap_all }, dfl = { .sa_handler = SIG_DFL };

	if (seccomp_legacy_clone()) return;
	ck_assert_int_eq(sigaction(SIGCHLD, &sa, 0), 0);
	spawn_checks_exec_failure();
	sa.sa_handler = SIG_IGN;
	ck_assert_int_eq(sigaction(SIGCHLD, &sa, 0), 0);
	spawn_checks_exec_failure();
	ck_assert_int_eq(sigaction(SIGCHLD, &dfl, 0), 0);
}
END_TEST

static volatile sig_atomic_t trapped;

static void note_trap(int sig)
{
	(void)sig;
	trapped = 1;
}

/* SIGSYS from seccomp at execve, after the child has unblocked every
 * signal: were the parent's handler still there, it would run in the
 * child and write to our memory; at SIG_DFL the child dies of it. */
START_TEST(legacy_clone_runs_no_parent_handler_in_child)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof insns / sizeof *insns, .filter = insns };
	struct sigaction sa = { .sa_handler = note_trap };
	struct rlimit nocore = { 0, 0 };
	char *argv[] = { (char *)helper_path(), 0 };
	int status, i;
	pid_t pid;

	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_CORE, &nocore), 0);
	ck_assert_int_eq(prctl(PR_SET_DUMPABLE, 0), 0);
	ck_assert_int_eq(sigaction(SIGSYS, &sa, 0), 0);
	/* the first spawn falls back within the call, the second knows */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
		status = wait_status(pid);
		ck_assert_int_eq(trapped, 0);
		ck_assert(WIFSIGNALED(status));
		ck_assert_int_eq(WTERMSIG(status), SIGSYS);
	}
}
END_TEST

START_TEST(exec_errors_reach_parent_without_pipe2)
{
	char *argv[] = { (char *)helper_path(), "exit", "6", 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	if (seccomp_fail(SYS_pipe2, EMFILE, 0, 0)) return;
	spawn_checks_exec_failure();
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid)), 6);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 5, "/nonexistent/file", O_RDONLY, 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), ENOENT);
	posix_spawn_file_actions_destroy(&fa);
	spawn_checks_exec_failure();
}
END_TEST

START_TEST(exec_errors_reach_parent_without_pipe2_on_legacy_clone)
{
	char *argv[] = { (char *)helper_path(), "exit", "6", 0 };
	pid_t pid;

	if (seccomp_fail(SYS_pipe2, EMFILE, 0, 0) || seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	spawn_checks_exec_failure();
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid)), 6);
	spawn_checks_pidfd(2);
	spawn_checks_exec_failure();
}
END_TEST

/* Spawns the helper to report on keep, low and high; the report, or NULL
 * after printing why the variant cannot run here. */
static char *closefrom_report(posix_spawn_file_actions_t *fa, int variant, int keep, int low,
	int high, char *buf, size_t size)
{
	char k[12], l[12], h[12];
	struct rlimit lim;
	int status;

	snprintf(k, sizeof k, "%d", keep);
	snprintf(l, sizeof l, "%d", low);
	snprintf(h, sizeof h, "%d", high);
	/* a descriptor above the soft limit, as after a lowered limit */
	if (variant) {
		ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &lim), 0);
		lim.rlim_cur = high - 10;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
	}
	if (variant == 2 && (unshare(CLONE_NEWNS) || mount(0, "/", 0, MS_REC | MS_PRIVATE, 0)
		|| umount2("/proc", MNT_DETACH))) {
		printf("skipped: cannot unmount /proc in a mount namespace: %s\n", strerror(errno));
		return 0;
	}
	helper_output(fa, 0, &status, buf, size, "fd", k, "fd", l, "fd", h, (char *)0);
	ck_assert_int_eq(status, 0);
	return buf;
}

/* Kernels before 5.9, with /proc (loop 0), with a descriptor above the
 * soft limit (1), and that without /proc either (2). The test's own leak
 * check needs /proc: a forked copy runs the spawn. */
START_TEST(closefrom_without_close_range_closes_one_by_one)
{
	posix_spawn_file_actions_t fa;
	char buf[256], *report;
	int fd, keep, low, high, p[2], n;
	pid_t copy;

	cloexec_all();
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	/* Inherited descriptors: one kept below the bound, one just above
	 * it, one far above; the error pipe takes numbers between them. */
	keep = dup(fd);
	low = dup(fd);
	high = fcntl(fd, F_DUPFD, 200);
	ck_assert_int_gt(keep, fd);
	ck_assert_int_eq(low, keep + 1);
	ck_assert_int_ge(high, 200);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclosefrom_np(&fa, low);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(copy = fork(), 0);
	if (!copy) {
		close(p[0]);
		if (seccomp_fail(SYS_close_range, ENOSYS, 0, 0)) _exit(0);
		report = closefrom_report(&fa, _i, keep, low, high, buf, sizeof buf);
		if (report) dprintf(p[1], "%s", report);
		fflush(stdout);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof buf - 1);
	close(p[0]);
	ck_assert_int_eq(wait_status(copy), 0);
	if (n > 0) {
		buf[n] = 0;
		ck_assert_msg(!strncmp(buf, "open cloexec=0 ", 15), "kept: %s", buf);
		ck_assert_str_eq(strchr(buf, '\n') + 1, "closed\nclosed\n");
	}
	posix_spawn_file_actions_destroy(&fa);
	close(keep), close(low), close(high), close(fd);
}
END_TEST

/* The cgroup2 mount point from /proc/self/mountinfo, or NULL. */
static char *cgroup2_mount(char *buf, size_t size)
{
	char line[4096], *sep, *mnt, *end;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0, i;

	while (f && !found && fgets(line, sizeof line, f)) {
		if (!(sep = strstr(line, " - ")) || strncmp(sep + 3, "cgroup2 ", 8)) continue;
		for (mnt = line, i = 0; i < 4 && mnt; i++)
			if ((mnt = strchr(mnt, ' '))) mnt++;
		if (!mnt || !(end = strchr(mnt, ' '))) continue;
		*end = 0;
		found = snprintf(buf, size, "%s", mnt) < (int)size;
	}
	if (f) fclose(f);
	return found ? buf : 0;
}

START_TEST(setcgroup_starts_child_in_the_cgroup)
{
	char mnt[1024], dir[1100], want[64], buf[512];
	char *argv[] = { (char *)helper_path(), "cgroup", 0 };
	posix_spawnattr_t attr;
	struct capture c;
	int cg, status = -1, err, gone;
	size_t len;
	pid_t pid;

	if (!cgroup2_mount(mnt, sizeof mnt)) {
		puts("skipped: no cgroup2 mount");
		return;
	}
	snprintf(want, sizeof want, "/spawnfd-test-%d\n", (int)getpid());
	snprintf(dir, sizeof dir, "%s/spawnfd-test-%d", mnt, (int)getpid());
	if (mkdir(dir, 0755)) {
		printf("skipped: mkdir %s: %s\n", dir, strerror(errno));
		return;
	}
	if ((cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		printf("skipped: open %s: %s\n", dir, strerror(errno));
		rmdir(dir);
		return;
	}
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, cg);
	capture_start(&c);
	if (!(err = posix_spawn(&pid, argv[0], 0, &attr, argv, 0))) status = wait_status(pid);
	capture_finish(&c, buf, sizeof buf);
	close(cg);
	gone = rmdir(dir) ? errno : 0;
	posix_spawnattr_destroy(&attr);
	/* Without clone3 (qemu-user) ENOTSUP is the answer DESIGN 4 asks for. */
	if (err == ENOTSUP && syscall(SYS_clone3, 0, 0) < 0 && errno == ENOSYS) {
		puts("skipped: no clone3 here");
		return;
	}
	ck_assert_msg(!err, "posix_spawn into %s: %s", dir, strerror(err));
	ck_assert_int_eq(status, 0);
	len = strlen(buf);
	ck_assert_uint_ge(len, strlen(want));
	ck_assert_str_eq(buf + len - strlen(want), want);
	ck_assert_msg(!gone, "rmdir %s: %s", dir, strerror(gone));
}
END_TEST

START_TEST(setcgroup_without_clone3_fails_enotsup_without_child)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawnattr_t attr;
	int cg = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), pidfd = -42;
	pid_t pid = -42;

	ck_assert_int_ge(cg, 0);
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) {
		close(cg);
		return;
	}
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, cg);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), ENOTSUP);
	/* again once the process knows clone3 is not to be had */
	spawn_checks_pidfd(0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), ENOTSUP);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, &attr, argv, 0), ENOTSUP);
	ck_assert_int_eq(pid, -42);
	ck_assert_int_eq(pidfd, -42);
	posix_spawnattr_destroy(&attr);
	close(cg);
}
END_TEST

/* glibc's tst-spawn-cgroup: EINVAL, clone3's own answer for it. */
START_TEST(setcgroup_with_negative_fd_fails_einval_without_child)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -42;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, -1);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), EINVAL);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, &attr, argv, 0), EINVAL);
	ck_assert_int_eq(pid, -42);
	ck_assert_int_eq(pidfd, -42);
	posix_spawnattr_destroy(&attr);
}
END_TEST

/* With SIGCHLD ignored the kernel may reap the child before pidfd_open
 * can reach it: pidfd_spawn then says ESRCH, and must neither signal nor
 * wait for a pid that may be another's by now; no child is ever left. */
START_TEST(pidfd_spawn_on_legacy_clone_with_sigchld_ignored)
{
	char *argv[] = { "/bin/true", 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int i, ret, pidfd, got = 0;
	siginfo_t si;

	if (seccomp_legacy_clone()) return;
	ck_assert_int_eq(sigaction(SIGCHLD, &ign, &old), 0);
	for (i = 0; i < 200; i++) {
		pidfd = -42;
		ret = pidfd_spawn(&pidfd, argv[0], 0, 0, argv, 0);
		ck_assert_msg(ret == 0 || ret == ESRCH, "pidfd_spawn: %s", strerror(ret));
		if (ret) {
			ck_assert_int_eq(pidfd, -42);
			continue;
		}
		ck_assert_int_ge(pidfd, 0);
		got++;
		/* With SIGCHLD ignored this waits for the end, then says ECHILD. */
		ck_assert_int_eq(waitid(P_PIDFD, pidfd, &si, WEXITED), -1);
		ck_assert_int_eq(errno, ECHILD);
		close(pidfd);
	}
	sigaction(SIGCHLD, &old, 0);
	printf("pidfd_spawn with SIGCHLD ignored: %d of 200 got a pidfd\n", got);
}
END_TEST

/* No descriptor is free for a pidfd: posix_spawn still spawns and says -1,
 * on the clone3 path (_i == 0) as on the legacy one, where pidfd_open fails
 * only once the child exists; pidfd_spawn fails with EMFILE either way and
 * leaves no child (the fixture's check). */
START_TEST(spawn_at_fd_limit_gets_no_pidfd_but_a_child)
{
	char *argv[] = { (char *)helper_path(), "exit", "5", 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int fds[64], n, i, pidfd = -42, spawn_ret, pidfd_spawn_ret, spawned_pidfd = -42;
	struct rlimit old;
	pid_t pid;

	if (_i && seccomp_legacy_clone()) return;
	n = fill_descriptors(fds, &old);
	/* The helper's loader needs a few descriptors of its own. */
	posix_spawn_file_actions_init(&fa);
	for (i = 0; i < 8; i++) ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, fds[i]), 0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &spawned_pidfd);
	spawn_ret = posix_spawn(&pid, argv[0], &fa, &attr, argv, 0);
	pidfd_spawn_ret = pidfd_spawn(&pidfd, argv[0], &fa, 0, argv, 0);
	unfill_descriptors(fds, n, &old);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	ck_assert_int_eq(spawn_ret, 0);
	ck_assert_int_eq(spawned_pidfd, -1);
	ck_assert_int_eq(wait_status(pid), 5 << 8);
	ck_assert_int_eq(pidfd_spawn_ret, EMFILE);
	ck_assert_int_eq(pidfd, -42);
}
END_TEST

Suite *suite_fallback(void)
{
	Suite *s = suite_create("fallback");
	TCase *tc = leakcheck_tcase("fallback");

	tcase_add_test(tc, clone3_enosys_gets_pidfd_from_clone);
	tcase_add_test(tc, clone3_eperm_gets_pidfd_from_clone);
	tcase_add_test(tc, clone_pidfd_einval_gets_pidfd_from_pidfd_open);
	tcase_add_test(tc, no_pidfd_anywhere_spawn_succeeds_with_minus_one);
	tcase_add_test(tc, no_pidfd_anywhere_pidfd_spawn_fails_enosys_without_child);
	tcase_add_loop_test(tc, pidfd_spawn_with_null_pidfd_spawns_a_child_to_reap, 0, 4);
	tcase_add_test(tc, pidfd_open_enosys_alone_leaves_clone3_pidfd);
	tcase_add_test(tc, clone_ignoring_clone_pidfd_yields_no_bogus_pidfd);
	tcase_add_test(tc, exec_failure_on_legacy_paths_survives_sigchld_reaping);
	tcase_add_test(tc, exec_failure_reaps_the_child_where_waitid_takes_no_pidfd);
	tcase_add_test(tc, legacy_clone_runs_no_parent_handler_in_child);
	tcase_add_test(tc, exec_errors_reach_parent_without_pipe2);
	tcase_add_test(tc, exec_errors_reach_parent_without_pipe2_on_legacy_clone);
	tcase_add_loop_test(tc, closefrom_without_close_range_closes_one_by_one, 0, 3);
	tcase_add_test(tc, setcgroup_starts_child_in_the_cgroup);
	tcase_add_test(tc, setcgroup_without_clone3_fails_enotsup_without_child);
	tcase_add_test(tc, setcgroup_with_negative_fd_fails_einval_without_child);
	tcase_add_loop_test(tc, spawn_at_fd_limit_gets_no_pidfd_but_a_child, 0, 2);
	tcase_add_test(tc, pidfd_spawn_on_legacy_clone_with_sigchld_ignored);
	suite_add_tcase(s, tc);
	return s;
}
