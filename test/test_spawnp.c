/* spawnp: (to be written) */
#include "common.h"

Suite *suite_spawnp(void)
{
	Suite *s = suite_create("spawnp");
	return s;
}
