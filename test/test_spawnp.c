/* spawnp: posix_spawnp's PATH search, its errors, and a pidfd through it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

/* A name no real PATH directory holds. */
#define PROG "spawnfd-test-prog"


static const char *make_subdir(const char *name)
{
	const char *path = scratch_file(name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	return path;
}

/* sub/PROG as a link to the helper. */
static void link_helper(const char *sub)
{
	char path[PATH_MAX], target[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s/" PROG, scratch_current(), sub);
	ck_assert_ptr_nonnull(realpath(helper_path(), target));
	ck_assert_int_eq(symlink(target, path), 0);
}

static void make_file(const char *sub, const char *text, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof path, "%s/%s/" PROG, scratch_current(), sub);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void set_path(const char *fmt, const char *a, const char *b)
{
	char path[3 * PATH_MAX];
	snprintf(path, sizeof path, fmt, a, b);
	ck_assert_int_eq(setenv("PATH", path, 1), 0);
}

/* posix_spawnp of file with the given envp; on success waits and returns
 * the child's output in buf. */
static int spawnp_output(const char *file, char *const envp[], char *buf, size_t size, ...)
{
	char *argv[16] = { (char *)file };
	struct capture c;
	va_list ap;
	pid_t pid = -1;
	int argc = 1, err;

	va_start(ap, size);
	while ((argv[argc++] = va_arg(ap, char *))) ck_assert_int_lt(argc, 16);
	va_end(ap);
	capture_start(&c);
	err = posix_spawnp(&pid, file, 0, 0, argv, envp);
	if (!err) ck_assert_int_eq(wait_status(pid), 0);
	capture_finish(&c, buf, size);
	if (err) ck_assert_int_eq(pid, -1);
	return err;
}

START_TEST(spawnp_searches_the_parents_path_not_the_childs)
{
	char buf[PATH_MAX + 64], env[PATH_MAX + 8];
	char *envp[] = { env, 0 };

	scratch_enter();
	make_subdir("bin");
	link_helper("bin");
	snprintf(env, sizeof env, "PATH=/nowhere");
	set_path("/nonexistent:%s", scratch_file("bin"), 0);
	ck_assert_int_eq(spawnp_output(PROG, envp, buf, sizeof buf, "env", (char *)0), 0);
	ck_assert_str_eq(buf, "PATH=/nowhere\n");

	/* and the child's PATH finds nothing the parent's does not */
	snprintf(env, sizeof env, "PATH=%s", scratch_file("bin"));
	set_path("/nonexistent", 0, 0);
	ck_assert_int_eq(spawnp_output(PROG, envp, buf, sizeof buf, (char *)0), ENOENT);
}
END_TEST

START_TEST(spawnp_without_path_searches_bin_and_usr_bin)
{
	char buf[64];

	ck_assert_int_eq(unsetenv("PATH"), 0);
	ck_assert_int_eq(spawnp_output("true", 0, buf, sizeof buf, (char *)0), 0);
	/* the default has no empty element, so not the working directory */
	scratch_enter();
	link_helper(".");
	ck_assert_int_eq(chdir(scratch_current()), 0);
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, (char *)0), ENOENT);
}
END_TEST

START_TEST(spawnp_prefers_eacces_to_enoent)
{
	char buf[64];

	scratch_enter();
	make_subdir("noexec");
	make_subdir("empty");
	make_subdir("bin");
	make_file("noexec", "#!/bin/sh\n", 0644);
	link_helper("bin");
	set_path("%s:%s:/nonexistent", scratch_file("noexec"), scratch_file("empty"));
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, (char *)0), EACCES);
	/* but the search goes on past it, to an executable one */
	set_path("%s:%s", scratch_file("noexec"), scratch_file("bin"));
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, "exit", "0", (char *)0), 0);
}
END_TEST

START_TEST(spawnp_does_not_search_a_name_with_a_slash)
{
	char buf[64];

	scratch_enter();
	make_subdir("sub");
	link_helper("sub");
	ck_assert_int_eq(chdir(scratch_current()), 0);
	set_path("/nonexistent", 0, 0);
	ck_assert_int_eq(spawnp_output("sub/" PROG, 0, buf, sizeof buf, (char *)0), 0);
	/* a PATH directory holding sub/PROG is not looked at */
	ck_assert_int_eq(chdir("/"), 0);
	set_path("%s", scratch_current(), 0);
	ck_assert_int_eq(spawnp_output("sub/" PROG, 0, buf, sizeof buf, (char *)0), ENOENT);
}
END_TEST

START_TEST(spawnp_empty_path_element_is_the_working_directory)
{
	char buf[64];

	scratch_enter();
	link_helper(".");
	ck_assert_int_eq(chdir(scratch_current()), 0);
	set_path(":/nonexistent", 0, 0);
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, (char *)0), 0);
	set_path("/nonexistent:", 0, 0);
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, (char *)0), 0);
	set_path("/nonexistent::/nonexistent2", 0, 0);
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, (char *)0), 0);
	set_path("/nonexistent", 0, 0);
	ck_assert_int_eq(spawnp_output(PROG, 0, buf, sizeof buf, (char *)0), ENOENT);
}
END_TEST

START_TEST(script_without_shebang_gives_enoexec)
{
	char *argv[] = { PROG, 0 }, path[PATH_MAX];
	pid_t pid = -1;

	scratch_enter();
	make_file(".", "echo from a shell\n", 0755);
	snprintf(path, sizeof path, "%s/" PROG, scratch_current());
	ck_assert_int_eq(posix_spawn(&pid, path, 0, 0, argv, 0), ENOEXEC);
	set_path("%s:/bin", scratch_current(), 0);
	ck_assert_int_eq(posix_spawnp(&pid, PROG, 0, 0, argv, 0), ENOEXEC);
	ck_assert_int_eq(pid, -1);
}
END_TEST

START_TEST(spawnp_empty_name_gives_enoent)
{
	char *argv[] = { "", 0 };
	pid_t pid = -1;

	/* a PATH of real directories: "dir/" must not be tried */
	set_path("/bin:/usr/bin:/tmp", 0, 0);
	ck_assert_int_eq(posix_spawnp(&pid, "", 0, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pid, -1);
}
END_TEST

START_TEST(spawnp_too_long_name_gives_enametoolong)
{
	char name[NAME_MAX + 2], *argv[] = { name, 0 };
	pid_t pid = -1;

	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = 0;
	set_path("/bin:/usr/bin", 0, 0);
	ck_assert_int_eq(posix_spawnp(&pid, name, 0, 0, argv, 0), ENAMETOOLONG);
	ck_assert_int_eq(pid, -1);
}
END_TEST

START_TEST(spawnp_stores_a_pidfd)
{
	char *argv[] = { PROG, "exit", "4", 0 };
	posix_spawnattr_t attr;
	siginfo_t si;
	pid_t pid = -1;
	int pidfd = -2;

	scratch_enter();
	link_helper(".");
	set_path("/nonexistent:%s", scratch_current(), 0);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setpidfd(&attr, &pidfd), 0);
	ck_assert_int_eq(posix_spawnp(&pid, PROG, 0, &attr, argv, 0), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(pidfd_getpid(pidfd), pid);
	ck_assert_int_eq(waitid(P_PIDFD, pidfd, &si, WEXITED), 0);
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_eq(si.si_status, 4);
	close(pidfd);
	posix_spawnattr_destroy(&attr);
}
END_TEST

Suite *suite_spawnp(void)
{
	Suite *s = suite_create("spawnp");
	TCase *tc = leakcheck_tcase("search");

	scratch_fixture(tc);

	tcase_add_test(tc, spawnp_searches_the_parents_path_not_the_childs);
	tcase_add_test(tc, spawnp_without_path_searches_bin_and_usr_bin);
	tcase_add_test(tc, spawnp_prefers_eacces_to_enoent);
	tcase_add_test(tc, spawnp_does_not_search_a_name_with_a_slash);
	tcase_add_test(tc, spawnp_empty_path_element_is_the_working_directory);
	tcase_add_test(tc, script_without_shebang_gives_enoexec);
	tcase_add_test(tc, spawnp_empty_name_gives_enoent);
	tcase_add_test(tc, spawnp_too_long_name_gives_enametoolong);
	tcase_add_test(tc, spawnp_stores_a_pidfd);
	suite_add_tcase(s, tc);
	return s;
}
