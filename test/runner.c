/* The one test runner: a suite per area, exit status from the failures. */
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

int main(void)
{
	SRunner *sr = srunner_create(suite_attr());
	int failed;

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
