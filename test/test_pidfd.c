/* pidfd: (to be written) */
#include "common.h"

Suite *suite_pidfd(void)
{
	Suite *s = suite_create("pidfd");
	return s;
}
