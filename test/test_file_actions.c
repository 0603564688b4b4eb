/* file_actions: every posix_spawn_file_actions_* call, checked when added and in the child. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"


static const char *make_file(const char *name, const char *text)
{
	const char *path = scratch_file(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static char *read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, size - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = 0;
	close(fd);
	return buf;
}

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static int lowest_free(int from)
{
	while (is_open(from)) from++;
	return from;
}

static char *num(int n)
{
	static char s[8][12];
	static int next;
	char *p = s[next++ % 8];
	snprintf(p, 12, "%d", n);
	return p;
}

START_TEST(actions_run_in_order)
{
	posix_spawn_file_actions_t fa;
	char buf[256];
	int status;

	scratch_enter();
	cloexec_all();
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 5, make_file("a", "first"), O_RDONLY, 0), 0);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, 5, 6), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, 5), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 5, make_file("b", "second"), O_RDONLY, 0), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "fds", "cat", "5", "cat", "6", (char *)0);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(buf, "0 1 2 5 6\nsecond\nfirst\n");
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(adds_reject_negative_fds_with_ebadf)
{
	static const int bad[] = { -1, -2, INT_MIN };
	posix_spawn_file_actions_t fa;

	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int fd = bad[i];
		ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDONLY, 0), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, fd, 3), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, 3, fd), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, fd), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_addfchdir(&fa, fd), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_addfchdir_np(&fa, fd), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_addclosefrom_np(&fa, fd), EBADF);
		ck_assert_int_eq(posix_spawn_file_actions_addtcsetpgrp_np(&fa, fd), EBADF);
	}
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(adds_reject_fds_at_the_descriptor_limit_with_ebadf)
{
	struct rlimit old, rl;
	posix_spawn_file_actions_t fa;
	int lim = 64;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	rl.rlim_cur = lim;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, lim, "/dev/null", O_RDONLY, 0), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, lim, 3), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, 3, lim), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, lim + 100), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addfchdir(&fa, lim), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addclosefrom_np(&fa, lim), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addtcsetpgrp_np(&fa, lim), EBADF);
	/* one below the limit is fine */
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, lim - 1, "/dev/null", O_RDONLY, 0), 0);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, lim - 1, lim - 1), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, lim - 1), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addclosefrom_np(&fa, lim - 1), 0);
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
}
END_TEST

START_TEST(rejected_add_leaves_the_list_unchanged)
{
	struct rlimit old, rl;
	posix_spawn_file_actions_t fa;
	char buf[256];
	int status;

	scratch_enter();
	cloexec_all();
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	rl.rlim_cur = 64;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 9, make_file("a", "kept"), O_RDONLY, 0), 0);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, -1, 10), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, 9, 64), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 64, "/nonexistent", O_RDONLY, 0), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addfchdir(&fa, 64), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addtcsetpgrp_np(&fa, 64), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addclosefrom_np(&fa, -1), EBADF);
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, -1), EBADF);
	helper_output(&fa, 0, &status, buf, sizeof buf, "fds", "cat", "9", (char *)0);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(buf, "0 1 2 9\nkept\n");
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
}
END_TEST

START_TEST(addopen_creates_the_file_with_the_given_mode)
{
	posix_spawn_file_actions_t fa;
	const char *path;
	struct stat st;
	char buf[64];
	int status;
	mode_t old = umask(0);

	scratch_enter();
	path = scratch_file("new");
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 7, path, O_CREAT | O_WRONLY | O_EXCL, 0604), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "write", "7", "made", (char *)0);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0604);
	ck_assert_str_eq(read_file(path, buf, sizeof buf), "made");
	posix_spawn_file_actions_destroy(&fa);
	umask(old);
}
END_TEST

START_TEST(addopen_onto_standard_descriptors)
{
	char *argv[] = { (char *)helper_path(), "cat", "0", "write", "2", "oops", 0 };
	posix_spawn_file_actions_t fa;
	char buf[64];
	pid_t pid;

	scratch_enter();
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 0, make_file("in", "input"), O_RDONLY, 0), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 1, scratch_file("out"),
		O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 2, scratch_file("err"),
		O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), 0);
	ck_assert_int_eq(wait_status(pid), 0);
	ck_assert_str_eq(read_file(scratch_file("out"), buf, sizeof buf), "input\n");
	ck_assert_str_eq(read_file(scratch_file("err"), buf, sizeof buf), "oops");
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(failing_addopen_fails_the_spawn_and_leaves_nothing)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;

	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 5, "/nonexistent/file", O_RDONLY, 0), 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pid, -1);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(adddup2_same_fd_clears_cloexec)
{
	posix_spawn_file_actions_t fa;
	char buf[PATH_MAX + 64], want[PATH_MAX + 64];
	int fd, status;

	scratch_enter();
	fd = open(make_file("f", ""), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, fd, fd), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "fd", num(fd), (char *)0);
	snprintf(want, sizeof want, "open cloexec=0 %s\n", scratch_file("f"));
	ck_assert_str_eq(buf, want);
	/* the parent's flag is left alone */
	ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(adddup2_gives_a_target_without_cloexec)
{
	posix_spawn_file_actions_t fa;
	char buf[PATH_MAX + 64], want[PATH_MAX + 64];
	int fd, to, status;

	scratch_enter();
	cloexec_all();
	fd = open(make_file("f", ""), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	to = lowest_free(fd + 1);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, fd, to), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "fd", num(to), "fd", num(fd), (char *)0);
	snprintf(want, sizeof want, "open cloexec=0 %s\nclosed\n", scratch_file("f"));
	ck_assert_str_eq(buf, want);
	close(fd);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(addchdir_then_relative_addopen_resolves_there)
{
	posix_spawn_file_actions_t fa;
	char buf[PATH_MAX + 64], want[PATH_MAX + 64], cwd[PATH_MAX];
	int status;

	scratch_enter();
	make_file("rel", "inside");
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addchdir(&fa, scratch_current()), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 5, "rel", O_RDONLY, 0), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "cwd", "cat", "5", (char *)0);
	snprintf(want, sizeof want, "%s\ninside\n", scratch_current());
	ck_assert_str_eq(buf, want);
	posix_spawn_file_actions_destroy(&fa);

	/* the _np name does the same, and the parent stays where it was */
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addchdir_np(&fa, scratch_current()), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "cwd", (char *)0);
	snprintf(want, sizeof want, "%s\n", scratch_current());
	ck_assert_str_eq(buf, want);
	ck_assert_str_eq(getcwd(buf, sizeof buf), cwd);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(addfchdir_uses_the_directory_fd)
{
	posix_spawn_file_actions_t fa;
	char buf[PATH_MAX + 64], want[PATH_MAX + 64];
	int dfd, status;

	scratch_enter();
	dfd = open(scratch_current(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	snprintf(want, sizeof want, "%s\n", scratch_current());
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addfchdir(&fa, dfd), 0);
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "cwd", (char *)0), want);
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addfchdir_np(&fa, dfd), 0);
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "cwd", (char *)0), want);
	posix_spawn_file_actions_destroy(&fa);
	close(dfd);
}
END_TEST

START_TEST(addchdir_to_a_missing_dir_fails_with_enoent)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;

	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addchdir(&fa, "/nonexistent/dir"), 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pid, -1);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(addclosefrom_np_leaves_only_lower_fds)
{
	posix_spawn_file_actions_t fa;
	char buf[256], want[64];
	int base, null, status;

	cloexec_all();
	for (base = 5; is_open(base) || is_open(base + 1) || is_open(base + 2); base++);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (int i = 0; i < 3; i++) ck_assert_int_eq(dup2(null, base + i), base + i);
	close(null);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addclosefrom_np(&fa, base + 1), 0);
	snprintf(want, sizeof want, "0 1 2 %d\n", base);
	/* the first spawn keeps an error pipe open across the actions, the
	 * second (the channel learnt) has none */
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0), want);
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0), want);
	for (int i = 0; i < 3; i++) close(base + i);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

/* Runs in a process of its own: makes the pty's slave the controlling
 * terminal of a new session, spawns the helper in a new group and lets it
 * say whether that group owns the terminal. Returns nonzero on a failure. */
static int tty_session(int with_action, int out)
{
	char *argv[] = { (char *)helper_path(), "tty", 0, 0 }, slavefd[12];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int master, slave, status;
	const char *name;
	pid_t pid;

	if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) return 10;
	if (grantpt(master) || unlockpt(master) || !(name = ptsname(master))) return 11;
	if (setsid() < 0) return 12;
	if ((slave = open(name, O_RDWR | O_NOCTTY)) < 0) return 13;
	if (ioctl(slave, TIOCSCTTY, 0)) return 14;
	snprintf(slavefd, sizeof slavefd, "%d", slave);
	argv[2] = slavefd;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	if (posix_spawn_file_actions_adddup2(&fa, out, 1)) return 15;
	if (with_action && posix_spawn_file_actions_addtcsetpgrp_np(&fa, slave)) return 16;
	if (posix_spawn(&pid, argv[0], &fa, &attr, argv, 0)) return 17;
	if (waitpid(pid, &status, 0) != pid || status) return 18;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	/* closing the master hangs up the terminal we lead */
	signal(SIGHUP, SIG_IGN);
	close(slave);
	close(master);
	return 0;
}

static char *tty_report(int with_action, char *buf, size_t size)
{
	int p[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) _exit(tty_session(with_action, p[1]));
	close(p[1]);
	while (len < size - 1 && (n = read(p[0], buf + len, size - 1 - len)) > 0) len += n;
	buf[len] = 0;
	close(p[0]);
	status = wait_status(pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status), "tty session failed: 0x%x", status);
	return buf;
}

START_TEST(addtcsetpgrp_np_gives_the_child_the_terminal)
{
	char buf[64];
	ck_assert_str_eq(tty_report(1, buf, sizeof buf), "foreground\n");
	ck_assert_str_eq(tty_report(0, buf, sizeof buf), "background\n");
}
END_TEST

/* The first spawn of a process opens its error pipe on the two lowest free
 * descriptors; each loop iteration is a fresh process. */
static void pipe_numbers(int *rd, int *wr)
{
	*rd = lowest_free(0);
	*wr = lowest_free(*rd + 1);
}

START_TEST(actions_onto_error_pipe_numbers_take_effect)
{
	posix_spawn_file_actions_t fa;
	char buf[2 * PATH_MAX + 64], want[2 * PATH_MAX + 64];
	char *argv[] = { (char *)helper_path(), "fd", 0, "fd", 0, "cat", 0, "cat", 0, 0 };
	int fa_fd, fb_fd, rd, wr, err;
	struct capture c;
	pid_t pid;

	scratch_enter();
	cloexec_all();
	fa_fd = open(make_file("a", "alpha"), O_RDONLY | O_CLOEXEC);
	fb_fd = open(make_file("b", "beta"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fa_fd, 0);
	ck_assert_int_ge(fb_fd, 0);
	capture_start(&c);
	pipe_numbers(&rd, &wr);
	argv[2] = argv[6] = num(rd);
	argv[4] = argv[8] = num(wr);
	posix_spawn_file_actions_init(&fa);
	if (_i == 0) {
		posix_spawn_file_actions_addopen(&fa, rd, scratch_file("a"), O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&fa, wr, scratch_file("b"), O_RDONLY, 0);
	} else {
		posix_spawn_file_actions_adddup2(&fa, fa_fd, rd);
		posix_spawn_file_actions_adddup2(&fa, fb_fd, wr);
	}
	err = posix_spawn(&pid, argv[0], &fa, 0, argv, 0);
	if (!err) wait_status(pid);
	capture_finish(&c, buf, sizeof buf);
	ck_assert_int_eq(err, 0);
	snprintf(want, sizeof want, "open cloexec=0 %s\nopen cloexec=0 %s\nalpha\nbeta\n",
		scratch_file("a"), scratch_file("b"));
	ck_assert_str_eq(buf, want);
	close(fa_fd);
	close(fb_fd);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(exec_failure_after_actions_on_error_pipe_numbers_is_reported)
{
	char *argv[] = { "nonexistent", 0 };
	posix_spawn_file_actions_t fa;
	int null, rd, wr;
	pid_t pid = -1;

	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(null, 0);
	pipe_numbers(&rd, &wr);
	posix_spawn_file_actions_init(&fa);
	switch (_i) {
	case 0:
		posix_spawn_file_actions_addopen(&fa, wr, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&fa, rd, "/dev/null", O_RDONLY, 0);
		break;
	case 1:
		posix_spawn_file_actions_adddup2(&fa, null, wr);
		posix_spawn_file_actions_adddup2(&fa, null, rd);
		break;
	case 2:
		posix_spawn_file_actions_addclose(&fa, wr);
		posix_spawn_file_actions_addclose(&fa, rd);
		break;
	case 3:
		posix_spawn_file_actions_addclosefrom_np(&fa, 3);
		break;
	}
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", &fa, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pid, -1);
	close(null);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(adddup2_from_error_pipe_numbers_fails_with_ebadf)
{
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawn_file_actions_t fa;
	int rd, wr, to;
	pid_t pid = -1;

	cloexec_all();
	pipe_numbers(&rd, &wr);
	to = lowest_free(wr + 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, _i ? wr : rd, to);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, 0, argv, 0), EBADF);
	ck_assert_int_eq(pid, -1);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

static int add_many(posix_spawn_file_actions_t *fa, const char *last)
{
	const char *early = scratch_file("a");
	int err = 0;
	for (int i = 0; i < 500 && !err; i++)
		err = posix_spawn_file_actions_addopen(fa, 9, early, O_RDONLY, 0)
			|| posix_spawn_file_actions_addclose(fa, 9)
			|| posix_spawn_file_actions_addchdir(fa, "/");
	return err || posix_spawn_file_actions_addopen(fa, 9, last, O_RDONLY, 0);
}

START_TEST(destroy_after_many_adds_frees_everything)
{
	posix_spawn_file_actions_t fa;
	char buf[64];
	int status, err;
	size_t before = 0, after = 0;

	scratch_enter();
	make_file("a", "early");
	make_file("b", "last");
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(add_many(&fa, scratch_file("b")), 0);
	helper_output(&fa, 0, &status, buf, sizeof buf, "cwd", "cat", "9", (char *)0);
	ck_assert_str_eq(buf, "/\nlast\n");
	ck_assert_int_eq(posix_spawn_file_actions_destroy(&fa), 0);

	/* Check's own asserts allocate: none between the two counts. */
#ifdef __GLIBC__
	before = mallinfo2().uordblks;
#endif
	posix_spawn_file_actions_init(&fa);
	err = add_many(&fa, scratch_file("b"));
	posix_spawn_file_actions_destroy(&fa);
#ifdef __GLIBC__
	after = mallinfo2().uordblks;
#endif
	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(after, before);
}
END_TEST

START_TEST(init_destroy_init_reuses_the_object)
{
	posix_spawn_file_actions_t fa;
	char buf[64];
	int status;

	cloexec_all();
	memset(&fa, 0xa5, sizeof fa);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0), "0 1 2\n");
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 8, "/dev/null", O_RDONLY, 0), 0);
	ck_assert_int_eq(posix_spawn_file_actions_destroy(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0), "0 1 2\n");
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 9, "/dev/null", O_RDONLY, 0), 0);
	ck_assert_str_eq(helper_output(&fa, 0, &status, buf, sizeof buf, "fds", (char *)0), "0 1 2 9\n");
	ck_assert_int_eq(posix_spawn_file_actions_destroy(&fa), 0);
}
END_TEST

Suite *suite_file_actions(void)
{
	Suite *s = suite_create("file_actions");
	TCase *tc = leakcheck_tcase("add");

	scratch_fixture(tc);

	tcase_add_test(tc, adds_reject_negative_fds_with_ebadf);
	tcase_add_test(tc, adds_reject_fds_at_the_descriptor_limit_with_ebadf);
	tcase_add_test(tc, rejected_add_leaves_the_list_unchanged);
	tcase_add_test(tc, destroy_after_many_adds_frees_everything);
	tcase_add_test(tc, init_destroy_init_reuses_the_object);
	suite_add_tcase(s, tc);

	tc = leakcheck_tcase("effects");
	scratch_fixture(tc);
	tcase_add_test(tc, actions_run_in_order);
	tcase_add_test(tc, addopen_creates_the_file_with_the_given_mode);
	tcase_add_test(tc, addopen_onto_standard_descriptors);
	tcase_add_test(tc, failing_addopen_fails_the_spawn_and_leaves_nothing);
	tcase_add_test(tc, adddup2_same_fd_clears_cloexec);
	tcase_add_test(tc, adddup2_gives_a_target_without_cloexec);
	tcase_add_test(tc, addchdir_then_relative_addopen_resolves_there);
	tcase_add_test(tc, addfchdir_uses_the_directory_fd);
	tcase_add_test(tc, addchdir_to_a_missing_dir_fails_with_enoent);
	tcase_add_test(tc, addclosefrom_np_leaves_only_lower_fds);
	tcase_add_test(tc, addtcsetpgrp_np_gives_the_child_the_terminal);
	suite_add_tcase(s, tc);

	tc = leakcheck_tcase("error_pipe");
	scratch_fixture(tc);
	tcase_add_loop_test(tc, actions_onto_error_pipe_numbers_take_effect, 0, 2);
	tcase_add_loop_test(tc, exec_failure_after_actions_on_error_pipe_numbers_is_reported, 0, 4);
	tcase_add_loop_test(tc, adddup2_from_error_pipe_numbers_fails_with_ebadf, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
