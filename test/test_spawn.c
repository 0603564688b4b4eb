/* posix_spawn: exec success and failure, edge arguments, the error channel. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "common.h"

START_TEST(spawn_runs_helper_and_reports_exit_status)
{
	char buf[256];
	int status;
	cloexec_all();
	helper_output(0, 0, &status, buf, sizeof buf, "fds", "exit", "7", (char *)0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 7);
	ck_assert_str_eq(buf, "0 1 2\n");
}
END_TEST

START_TEST(exec_failure_reports_enoent_and_leaves_no_zombie)
{
	char *argv[] = { "nonexistent", 0 };
	pid_t pid = -1;
	ck_assert_int_eq(posix_spawn(&pid, "/nonexistent/program", 0, 0, argv, 0), ENOENT);
	ck_assert_int_eq(pid, -1);
}
END_TEST

Suite *suite_spawn(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = leakcheck_tcase("spawn");
	tcase_add_test(tc, spawn_runs_helper_and_reports_exit_status);
	tcase_add_test(tc, exec_failure_reports_enoent_and_leaves_no_zombie);
	suite_add_tcase(s, tc);
	return s;
}
