/* attr: (to be written) */
#include "common.h"

Suite *suite_attr(void)
{
	Suite *s = suite_create("attr");
	return s;
}
