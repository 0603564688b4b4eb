/* The benchmark's child: a static program that exits at once, so that a
 * spawn's cost is the spawn's, not the child's start-up. */
#include "syscall.h"

void _start(void)
{
	for (;;) __syscall(SYS_exit_group, 0);
}
