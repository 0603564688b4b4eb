/* The one test runner: a suite per area, exit status from the failures. */
#include <signal.h>
#include <stdlib.h>
#include <check.h>

Suite *suite_attr(void);
Suite *suite_file_actions(void);
Suite *suite_spawn(void);
Suite *suite_spawnp(void);
Suite *suite_pidfd(void);
Suite *suite_fallback(void);
Suite *suite_signals(void);
Suite *suite_threads(void);
Suite *suite_compat(void);
Suite *suite_tool(void);
Suite *suite_faults(void);
Suite *suite_storm(void);

/* nohup, a shell's background job or a careful parent may hand us signals
 * ignored or blocked; the suites assert exactly what a child inherits, so
 * they start from the defaults (the library's keeping of ignored signals
 * is tested by ignoring some on purpose). */
static void default_signal_state(void)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
}

int main(void)
{
	SRunner *sr;
	int failed;

	default_signal_state();
	sr = srunner_create(suite_attr());

	srunner_add_suite(sr, suite_file_actions());
	srunner_add_suite(sr, suite_spawn());
	srunner_add_suite(sr, suite_spawnp());
	srunner_add_suite(sr, suite_pidfd());
	srunner_add_suite(sr, suite_fallback());
	srunner_add_suite(sr, suite_signals());
	srunner_add_suite(sr, suite_threads());
	srunner_add_suite(sr, suite_compat());
	srunner_add_suite(sr, suite_tool());
	srunner_add_suite(sr, suite_faults());
	srunner_add_suite(sr, suite_storm());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
