/* fallback: (to be written) */
#include "common.h"

Suite *suite_fallback(void)
{
	Suite *s = suite_create("fallback");
	return s;
}
