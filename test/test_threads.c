/* threads: (to be written) */
#include "common.h"

Suite *suite_threads(void)
{
	Suite *s = suite_create("threads");
	return s;
}
