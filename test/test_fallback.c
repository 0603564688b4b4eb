/* fallback: each step of the pidfd chain, the error channel without pipe2, close_range and SETCGROUP, forced by seccomp. */
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/procfs.h>
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

/* Where the tracer finds clone's flags at a seccomp stop: the word of
 * NT_PRSTATUS (of the regset CLONE_FLAGS_NOTE, if another) that holds
 * the argument the system call will read. */
#if defined __x86_64__
#define CLONE_FLAGS_WORD 14	/* rdi, after r15-r8, rax, rcx, rdx, rsi */
#elif defined __i386__
#define CLONE_FLAGS_WORD 0	/* ebx */
#elif defined __aarch64__ || defined __arm__
#define CLONE_FLAGS_WORD 0	/* x0, r0 */
#elif defined __riscv
/* a0 holds -ENOSYS by then and the call reads orig_a0, which only the
 * NT_RISCV_ORIG_A0 regset (6.15, and stable kernels) shows. */
#define CLONE_FLAGS_NOTE 0x903
#define CLONE_FLAGS_WORD 0
#elif defined __s390x__
#define CLONE_FLAGS_WORD 5	/* r3, after the two words of the psw, r0-r2 */
#elif defined __powerpc64__
#define CLONE_FLAGS_WORD 3	/* r3 */
#elif defined __mips__ && _MIPS_SIM == _ABIO32
#define CLONE_FLAGS_WORD 10	/* a0, after 6 words of padding, r0-r3 */
#elif defined __mips__ && _MIPS_SIM == _ABI64
#define CLONE_FLAGS_WORD 4	/* a0 */
#endif
#ifndef CLONE_FLAGS_NOTE
#define CLONE_FLAGS_NOTE NT_PRSTATUS
#endif

#ifdef CLONE_FLAGS_WORD
/* Plays a kernel before 5.2, which ignores CLONE_PIDFD: a tracer strips
 * the flag from each clone that the filter hands it, and writes to
 * *report 's' for each clone stripped, 'x' for each it could not strip.
 * Returns the tracer, or -1 after printing why it cannot be had. */
static pid_t strip_clone_pidfd(int *report)
{
	elf_gregset_t regs;
	struct iovec iov;
	pid_t parent = getpid(), tracer;
	int p[2], st, sig;
	char c;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(tracer = fork(), 0);
	if (!tracer) {
		close(p[0]);
		if (ptrace(PTRACE_SEIZE, parent, 0, PTRACE_O_TRACESECCOMP)) _exit(1);
		if (write(p[1], "y", 1) != 1) _exit(1);
		while (waitpid(parent, &st, __WALL) == parent && WIFSTOPPED(st)) {
			sig = WSTOPSIG(st);
			if (st >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
				iov.iov_base = regs;
				iov.iov_len = sizeof regs;
				c = 'x';
				if (!ptrace(PTRACE_GETREGSET, parent, CLONE_FLAGS_NOTE, &iov)) {
					regs[CLONE_FLAGS_WORD] &= ~(elf_greg_t)CLONE_PIDFD;
					if (!ptrace(PTRACE_SETREGSET, parent, CLONE_FLAGS_NOTE, &iov)) c = 's';
				}
				if (write(p[1], &c, 1) != 1) _exit(1);
				sig = 0;
			} else if (st >> 16 == PTRACE_EVENT_STOP) sig = 0;
			ptrace(PTRACE_CONT, parent, 0, sig);
		}
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		close(p[0]);
		wait_status(tracer);
		puts("skipped: cannot ptrace the test process");
		return -1;
	}
	*report = p[0];
	ck_assert_int_eq(seccomp_filter(SYS_clone, SECCOMP_RET_TRACE, CLONE_FLAGS_ARG, CLONE_PIDFD), 0);
	return tracer;
}
#endif

/* Kernels before 5.2 leave the CLONE_PIDFD slot as it was: the 0 there is
 * no pidfd, and the caller's descriptor 0 must survive an exec failure. */
START_TEST(clone_ignoring_clone_pidfd_yields_no_bogus_pidfd)
{
#ifdef CLONE_FLAGS_WORD
	char *argv[] = { (char *)helper_path(), "exit", "3", 0 }, *bad[] = { "nonexistent", 0 };
	posix_spawnattr_t attr;
	struct stat in, out;
	int pidfd = -42, ret, status, report;
	pid_t pid, tracer;
	char c;

	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0) || (tracer = strip_clone_pidfd(&report)) < 0) return;
	ck_assert_int_eq(fstat(0, &in), 0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
	/* the tracer answered before the clone went on */
	ck_assert_int_eq(read(report, &c, 1), 1);
	if (c != 's') {
		puts("skipped: this kernel lets no tracer change clone's flags");
		wait_status(pid);
		if (pidfd >= 0) close(pidfd);
		posix_spawnattr_destroy(&attr);
		close(report);
		kill(tracer, SIGKILL);
		wait_status(tracer);
		return;
	}
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
	close(report);
	kill(tracer, SIGKILL);
	wait_status(tracer);
#else
	puts("skipped: the tracer knows no registers of this architecture yet");
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
	struct sigaction sa = { .sa_handler = note_trap };
	struct rlimit nocore = { 0, 0 };
	char *argv[] = { (char *)helper_path(), 0 };
	int status, i;
	pid_t pid;

	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)) return;
	ck_assert_int_eq(seccomp_filter(SYS_execve, SECCOMP_RET_TRAP, 0, 0), 0);
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

/* The filters match this architecture's calls: were AUDIT_ARCH wrong,
 * every fallback test would run the primary path and prove nothing. */
START_TEST(seccomp_filters_match_this_architecture)
{
	if (seccomp_fail(SYS_getppid, EXDEV, 0, 0)) return;
	errno = 0;
	ck_assert_int_eq(syscall(SYS_getppid), -1);
	ck_assert_int_eq(errno, EXDEV);
}
END_TEST

/* DESIGN 2: the first spawn learns that the child's writes reach us; from
 * then on no spawn opens a pipe, or this process dies of SIGSYS. */
START_TEST(spawns_after_the_first_open_no_pipe)
{
	char *argv[] = { (char *)helper_path(), "exit", "6", 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	if (emulated("a fork shares no memory: every spawn needs its pipe")) return;
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid)), 6);
	if (seccomp_filter(SYS_pipe2, SECCOMP_RET_KILL_PROCESS, 0, 0)) return;
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid)), 6);
	spawn_checks_exec_failure();
	spawn_checks_pidfd(2);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 5, "/nonexistent/file", O_RDONLY, 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), ENOENT);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

/* The primary path, proven by what kills the process that leaves it: any
 * clone at all kills the parent, so the child came from clone3; setting a
 * handler kills the child, so the parent's handler was cleared by
 * CLONE_CLEAR_SIGHAND rather than reset signal by signal (DESIGN 3). */
START_TEST(spawn_takes_clone3_and_clears_handlers_in_the_kernel)
{
	struct sigaction sa = { .sa_handler = note_trap };
	char *argv[] = { (char *)helper_path(), "exit", "6", 0 };
	pid_t pid;

	if (emulated("no clone3 under emulation")) return;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, 0), 0);
	ck_assert_int_eq(sigaction(SIGTERM, &sa, 0), 0);
	if (seccomp_filter(SYS_clone, SECCOMP_RET_KILL_PROCESS, 0, 0)) return;
	/* rt_sigaction with a new action: the child's only way to reset one */
	if (seccomp_filter(SYS_rt_sigaction, SECCOMP_RET_KILL_PROCESS, 1, 0xffffffff)) return;
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(wait_status(pid), 6 << 8);
	spawn_checks_pidfd(2);
	spawn_checks_exec_failure();
}
END_TEST

START_TEST(closefrom_without_close_range_closes_one_by_one)
{
	posix_spawn_file_actions_t fa;
	char buf[256], want[32];
	int status, fd, keep, low, high;

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
	if (!seccomp_fail(SYS_close_range, ENOSYS, 0, 0)) {
		helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0);
		ck_assert_int_eq(status, 0);
		snprintf(want, sizeof want, "0 1 2 %d\n", keep);
		ck_assert_str_eq(buf, want);
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

	/* the second run refuses clone: only clone3 can put the child there */
	if (_i && seccomp_filter(SYS_clone, SECCOMP_RET_KILL_PROCESS, 0, 0)) return;
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

START_TEST(setcgroup_with_negative_fd_fails_ebadf_without_child)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawnattr_t attr;
	int pidfd = -42;
	pid_t pid = -42;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, -1);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), EBADF);
	ck_assert_int_eq(pidfd_spawn(&pidfd, argv[0], 0, &attr, argv, 0), EBADF);
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
	tcase_add_test(tc, pidfd_open_enosys_alone_leaves_clone3_pidfd);
	tcase_add_test(tc, clone_ignoring_clone_pidfd_yields_no_bogus_pidfd);
	tcase_add_test(tc, exec_failure_on_legacy_paths_survives_sigchld_reaping);
	tcase_add_test(tc, exec_failure_reaps_the_child_where_waitid_takes_no_pidfd);
	tcase_add_test(tc, legacy_clone_runs_no_parent_handler_in_child);
	tcase_add_test(tc, exec_errors_reach_parent_without_pipe2);
	tcase_add_test(tc, exec_errors_reach_parent_without_pipe2_on_legacy_clone);
	tcase_add_test(tc, seccomp_filters_match_this_architecture);
	tcase_add_test(tc, spawns_after_the_first_open_no_pipe);
	tcase_add_test(tc, spawn_takes_clone3_and_clears_handlers_in_the_kernel);
	tcase_add_test(tc, closefrom_without_close_range_closes_one_by_one);
	tcase_add_loop_test(tc, setcgroup_starts_child_in_the_cgroup, 0, 2);
	tcase_add_test(tc, setcgroup_without_clone3_fails_enotsup_without_child);
	tcase_add_test(tc, setcgroup_with_negative_fd_fails_ebadf_without_child);
	tcase_add_loop_test(tc, spawn_at_fd_limit_gets_no_pidfd_but_a_child, 0, 2);
	tcase_add_test(tc, pidfd_spawn_on_legacy_clone_with_sigchld_ignored);
	suite_add_tcase(s, tc);
	return s;
}
