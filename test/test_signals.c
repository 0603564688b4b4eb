/* signals: (to be written) */
#include "common.h"

Suite *suite_signals(void)
{
	Suite *s = suite_create("signals");
	return s;
}
