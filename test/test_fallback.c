/* fallback: each step of the pidfd chain, the error channel without pipe2, close_range, and SETCGROUP with clone3 and without, forced by seccomp. */
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
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

/* With descriptor 0 free, clone's pidfd lands there: a slot holding 0 is
 * checked with pidfd_send_signal, whose EPERM (a child that a setuid
 * program made another user's) still means a pidfd. */
START_TEST(clone_pidfd_on_descriptor_0_is_kept_when_signalling_is_refused)
{
	char *argv[] = { (char *)helper_path(), "exit", "4", 0 };
	posix_spawnattr_t attr;
	int pidfd = -42, devnull;
	pid_t pid;
	siginfo_t si;

	if (emulated("every spawn's error pipe would take descriptor 0")) return;
	if (seccomp_fail(SYS_clone3, ENOSYS, 0, 0)
	    || seccomp_fail(SYS_pidfd_send_signal, EPERM, 0, 0)) return;
	/* the first spawn learns the channel: no pipe takes descriptor 0 */
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, 0, argv, 0), 0);
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid)), 4);
	ck_assert_int_ge(devnull = fcntl(0, F_DUPFD_CLOEXEC, 3), 0);
	close(0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpidfd(&attr, &pidfd);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_int_eq(pidfd, 0);
	si = wait_pidfd(pidfd);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_status, 4);
	ck_assert_int_eq(dup2(devnull, 0), 0);
	close(devnull);
	posix_spawnattr_destroy(&attr);
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
	if (variant == 2 && (unshare(CLONE_NEWNS) || mount("none", "/", "none", MS_REC | MS_PRIVATE, 0)
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

/* Where a file system of type fstype is mounted, from /proc/self/mountinfo;
 * NULL if nowhere. */
static char *mount_of(const char *fstype, char *buf, size_t size)
{
	char line[4096], *sep, *mnt, *end;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	size_t len = strlen(fstype);
	int found = 0, i;

	while (f && !found && fgets(line, sizeof line, f)) {
		if (!(sep = strstr(line, " - ")) || strncmp(sep + 3, fstype, len) || sep[3 + len] != ' ')
			continue;
		for (mnt = line, i = 0; i < 4 && mnt; i++)
			if ((mnt = strchr(mnt, ' '))) mnt++;
		if (!mnt || !(end = strchr(mnt, ' '))) continue;
		*end = 0;
		found = snprintf(buf, size, "%s", mnt) < (int)size;
	}
	if (f) fclose(f);
	return found ? buf : 0;
}

/* SETCGROUP tests share a cgroup2 directory of their own, made and removed
 * by the runner process around the case, so that a failed test leaves no
 * cgroup behind. A controller is enabled for its children, at the root
 * too where none was (and disabled there again), for a cgroup that cannot
 * take processes. cg_skip says why there is no directory. */
static char cg_mnt[PATH_MAX], cg_dir[PATH_MAX + 32], cg_skip[PATH_MAX + 64], cg_ctl[64];
static int cg_ctl_at_root;

/* 0, or the errno of the open or write */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;
	if (fd < 0) return errno;
	if (write(fd, text, strlen(text)) < 0) err = errno;
	close(fd);
	return err;
}

/* The first controller listed in dir's cgroup.controllers that only
 * domains take, or "": a threaded one (cpuset, cpu, perf_event, pids)
 * enabled for the children leaves the cgroup open to processes. */
static char *domain_controller(const char *dir, char buf[64])
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
	buf[0] = 0;
	if (!(f = fopen(path, "re"))) return buf;
	while (fscanf(f, "%63s", buf) == 1)
		if (strcmp(buf, "cpuset") && strcmp(buf, "cpu") && strcmp(buf, "perf_event")
		    && strcmp(buf, "pids")) {
			fclose(f);
			return buf;
		}
	fclose(f);
	buf[0] = 0;
	return buf;
}

static void cgroup_setup(void)
{
	char path[PATH_MAX + 64], ctl[64], op[80];

	cg_dir[0] = cg_ctl[0] = cg_ctl_at_root = 0;
	if (!mount_of("cgroup2", cg_mnt, sizeof cg_mnt)) {
		snprintf(cg_skip, sizeof cg_skip, "no cgroup2 mount");
		return;
	}
	snprintf(cg_dir, sizeof cg_dir, "%s/spawnfd-test-%d", cg_mnt, (int)getpid());
	if (mkdir(cg_dir, 0755)) {
		snprintf(cg_skip, sizeof cg_skip, "mkdir %s: %s", cg_dir, strerror(errno));
		cg_dir[0] = 0;
		return;
	}
	if (!*domain_controller(cg_dir, ctl) && *domain_controller(cg_mnt, ctl)) {
		snprintf(path, sizeof path, "%s/cgroup.subtree_control", cg_mnt);
		snprintf(op, sizeof op, "+%s", ctl);
		cg_ctl_at_root = !write_text(path, op);
	}
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", cg_dir);
	snprintf(op, sizeof op, "+%s", ctl);
	if (*ctl && !write_text(path, op)) strcpy(cg_ctl, ctl);
}

static int remove_cgroup(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_DP) rmdir(path);
	return 0;
}

static void cgroup_teardown(void)
{
	char path[PATH_MAX + 64], op[80];

	if (!cg_dir[0]) return;
	nftw(cg_dir, remove_cgroup, 16, FTW_DEPTH | FTW_PHYS);
	if (!cg_ctl_at_root) return;
	/* EBUSY while another run of these tests uses it: it then stays on */
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", cg_mnt);
	snprintf(op, sizeof op, "-%s", cg_ctl);
	write_text(path, op);
}

/* Makes a cgroup of the calling test's own in ours and returns its path,
 * or NULL after saying why there is none. */
static const char *new_cgroup(void)
{
	static char path[sizeof cg_dir + 32];
	static int n;

	if (!cg_dir[0]) {
		printf("skipped: %s\n", cg_skip);
		return 0;
	}
	snprintf(path, sizeof path, "%s/%d-%d", cg_dir, (int)getpid(), n++);
	ck_assert_msg(!mkdir(path, 0755), "mkdir %s: %s", path, strerror(errno));
	return path;
}

/* The path a spawn takes: clone3 (with CLONE_INTO_CGROUP) where the kernel
 * has it; clone3 refused as sandboxes (ENOSYS, EPERM) and kernels before
 * 5.7 (EINVAL, E2BIG) refuse it, so that clone with CLONE_PIDFD starts the
 * child; clone refusing CLONE_PIDFD too, so that the pidfd comes from
 * pidfd_open. 0, or -1 after saying why that path cannot be forced. */
static int force_path(int path)
{
	static const int clone3_refusals[] = { ENOSYS, EPERM, EINVAL, E2BIG };

	if (!path) return 0;
	if (path > 4) return seccomp_legacy_clone();
	return seccomp_fail(SYS_clone3, clone3_refusals[path - 1], 0, 0);
}

/* Spawns the helper to print its cgroup into buf, with posix_spawn (how
 * 0), posix_spawn and a pidfd (1) or pidfd_spawn (2), and reaps it; a
 * failed spawn must have touched neither the pid nor the pidfd. Returns
 * the spawn's error. */
static int spawn_into(posix_spawnattr_t *attr, int how, char *buf, size_t size)
{
	char *argv[] = { (char *)helper_path(), "cgroup", 0 };
	int pidfd = -42, err, status = -1;
	pid_t pid = -42;
	struct capture c;
	siginfo_t si;

	posix_spawnattr_setpidfd(attr, how == 1 ? &pidfd : 0);
	capture_start(&c);
	err = how == 2 ? pidfd_spawn(&pidfd, argv[0], 0, attr, argv, 0)
		: posix_spawn(&pid, argv[0], 0, attr, argv, 0);
	if (!err && !how) status = wait_status(pid);
	if (!err && how && pidfd >= 0) {
		si = wait_pidfd(pidfd);
		status = si.si_code == CLD_EXITED ? si.si_status : -1;
		close(pidfd);
	}
	capture_finish(&c, buf, size);
	if (err) {
		ck_assert_int_eq(pid, -42);
		ck_assert_int_eq(pidfd, -42);
	} else {
		ck_assert_int_ge(pidfd, how ? 0 : -42);
		ck_assert_int_eq(status, 0);
	}
	return err;
}

/* How many of spawn_into's ways can be had here: pidfd_spawn needs
 * pidfd_open, which valgrind 3.19 lacks. */
static int spawn_ways(void)
{
	int fd = syscall(SYS_pidfd_open, getpid(), 0);

	if (fd >= 0) return close(fd), 3;
	printf("pidfd_spawn skipped: pidfd_open: %s\n", strerror(errno));
	return 2;
}

START_TEST(setcgroup_starts_child_in_the_cgroup_on_every_path)
{
	const char *dir = new_cgroup();
	char buf[PATH_MAX + 64];
	posix_spawnattr_t attr;
	const char *want;
	int cg, round, how, ways;
	size_t len;

	if (!dir) return;
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(cg, 0);
	/* Path 0 is clone3 with CLONE_INTO_CGROUP where the kernel has
	 * clone3, proven: any clone kills this process. */
	if (!_i && !(syscall(SYS_clone3, 0, 0) < 0 && errno == ENOSYS)
	    && seccomp_filter(SYS_clone, SECCOMP_RET_KILL_PROCESS, 0, 0)) {
		close(cg);
		return;
	}
	if (force_path(_i)) {
		close(cg);
		return;
	}
	/* The child names its cgroup from the root of its cgroup namespace,
	 * the mount shows a subtree of it: compare the ends. */
	want = dir + strlen(cg_mnt);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, cg);
	ways = spawn_ways();
	/* Twice: while learning what the kernel refuses, and knowing it. */
	for (round = 0; round < 2; round++)
		for (how = 0; how < ways; how++) {
			ck_assert_int_eq(spawn_into(&attr, how, buf, sizeof buf), 0);
			len = strlen(buf);
			ck_assert_msg(len > strlen(want) && buf[len - 1] == '\n'
				&& !strncmp(buf + len - 1 - strlen(want), want, strlen(want)),
				"child in %s, not %s", buf, want);
		}
	/* and what was learnt does not hurt a spawn without the flag */
	spawn_checks_pidfd(0);
	posix_spawnattr_destroy(&attr);
	close(cg);
	ck_assert_msg(!rmdir(dir), "rmdir %s: %s", dir, strerror(errno));
}
END_TEST

/* A refused move fails the spawn with the kernel's error, the same on
 * clone3 and without it (_i % 3: clone3, clone3 refused, the legacy path),
 * and leaves no child (the fixture's check). _i / 3 is the case. */
START_TEST(setcgroup_refused_fails_with_its_errno_and_no_child)
{
	static const int want[] = { EBUSY, EOPNOTSUPP, ENOENT, EACCES, EBADF, EBADF, EBADF, EBADF };
	static const int paths[] = { 0, 1, 5 };
	const char *dir;
	char buf[PATH_MAX + 64], path[PATH_MAX + 64], file[sizeof path + 16];
	posix_spawnattr_t attr;
	int cg = -1, how, ways, err, drop = 0;

	if (!(dir = new_cgroup())) return;
	switch (_i / 3) {
	case 0:
		/* no process may join a cgroup whose controllers serve its children */
		if (!cg_ctl[0]) {
			puts("skipped: no cgroup2 controller to enable");
			return;
		}
		snprintf(file, sizeof file, "%s/cgroup.subtree_control", dir);
		snprintf(path, sizeof path, "+%s", cg_ctl);
		ck_assert_int_eq(write_text(file, path), 0);
		break;
	case 1:
		/* a domain cgroup beside a threaded one is invalid */
		snprintf(path, sizeof path, "%s/threaded", dir);
		ck_assert_int_eq(mkdir(path, 0755), 0);
		snprintf(file, sizeof file, "%s/cgroup.type", path);
		ck_assert_int_eq(write_text(file, "threaded"), 0);
		snprintf(path, sizeof path, "%s/invalid", dir);
		ck_assert_int_eq(mkdir(path, 0755), 0);
		dir = path;
		break;
	case 2:
		cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ck_assert_int_eq(rmdir(dir), 0);
		break;
	case 3:
		/* root's rights reach everywhere: a user's do not */
		drop = 1;
		break;
	case 4:
		dir = "/";
		break;
	case 5:
		dir = helper_path();
		break;
	case 6:
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		dir = path;
		break;
	case 7:
		if (!mount_of("cgroup", path, sizeof path)) {
			puts("skipped: no cgroup v1 mount");
			return;
		}
		dir = path;
		break;
	}
	if (cg < 0) cg = open(dir, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(cg, 0);
	if (force_path(paths[_i % 3])) {
		close(cg);
		return;
	}
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, cg);
	ways = spawn_ways();
	if (drop) ck_assert_int_eq(seteuid(65534), 0);
	for (how = 0; how < ways; how++) {
		err = spawn_into(&attr, how, buf, sizeof buf);
		ck_assert_msg(err == want[_i / 3], "spawn %d: %s, not %s", how, strerror(err),
			strerror(want[_i / 3]));
	}
	if (drop) ck_assert_int_eq(seteuid(0), 0);
	posix_spawnattr_destroy(&attr);
	close(cg);
}
END_TEST

/* Without clone3 the child needs a descriptor for cgroup.procs, before
 * any file action could free one: at the limit the spawn fails EMFILE. */
START_TEST(setcgroup_without_clone3_at_fd_limit_fails_emfile)
{
	const char *dir = new_cgroup();
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int fds[64], n, cg, err;
	struct rlimit old;
	pid_t pid = -42;

	if (!dir || emulated("the child of a fork has a descriptor table of its own")) return;
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(cg, 0);
	if (force_path(1)) {
		close(cg);
		return;
	}
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETCGROUP);
	posix_spawnattr_setcgroup_np(&attr, cg);
	posix_spawn_file_actions_init(&fa);
	n = fill_descriptors(fds, &old);
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, fds[0]), 0);
	err = posix_spawn(&pid, argv[0], &fa, &attr, argv, 0);
	unfill_descriptors(fds, n, &old);
	ck_assert_int_eq(err, EMFILE);
	ck_assert_int_eq(pid, -42);
	posix_spawn_file_actions_destroy(&fa);
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
	tcase_add_test(tc, clone_pidfd_on_descriptor_0_is_kept_when_signalling_is_refused);
	tcase_add_test(tc, exec_failure_on_legacy_paths_survives_sigchld_reaping);
	tcase_add_test(tc, exec_failure_reaps_the_child_where_waitid_takes_no_pidfd);
	tcase_add_test(tc, legacy_clone_runs_no_parent_handler_in_child);
	tcase_add_test(tc, exec_errors_reach_parent_without_pipe2);
	tcase_add_test(tc, exec_errors_reach_parent_without_pipe2_on_legacy_clone);
	tcase_add_test(tc, seccomp_filters_match_this_architecture);
	tcase_add_test(tc, spawns_after_the_first_open_no_pipe);
	tcase_add_test(tc, spawn_takes_clone3_and_clears_handlers_in_the_kernel);
	tcase_add_loop_test(tc, closefrom_without_close_range_closes_one_by_one, 0, 3);
	tcase_add_test(tc, setcgroup_with_negative_fd_fails_einval_without_child);
	tcase_add_loop_test(tc, spawn_at_fd_limit_gets_no_pidfd_but_a_child, 0, 2);
	tcase_add_test(tc, pidfd_spawn_on_legacy_clone_with_sigchld_ignored);
	suite_add_tcase(s, tc);

	tc = leakcheck_tcase("cgroup");
	tcase_add_unchecked_fixture(tc, cgroup_setup, cgroup_teardown);
	tcase_add_loop_test(tc, setcgroup_starts_child_in_the_cgroup_on_every_path, 0, 6);
	tcase_add_loop_test(tc, setcgroup_refused_fails_with_its_errno_and_no_child, 0, 24);
	tcase_add_test(tc, setcgroup_without_clone3_at_fd_limit_fails_emfile);
	suite_add_tcase(s, tc);
	return s;
}
