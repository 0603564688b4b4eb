/* compat: (to be written) */
#include "common.h"

Suite *suite_compat(void)
{
	Suite *s = suite_create("compat");
	return s;
}
