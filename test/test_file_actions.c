/* file_actions: (to be written) */
#include "common.h"

Suite *suite_file_actions(void)
{
	Suite *s = suite_create("file_actions");
	return s;
}
