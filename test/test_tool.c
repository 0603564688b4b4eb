/* tool: (to be written) */
#include "common.h"

Suite *suite_tool(void)
{
	Suite *s = suite_create("tool");
	return s;
}
