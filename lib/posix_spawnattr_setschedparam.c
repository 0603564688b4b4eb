#include <sched.h>
#include "spawn_impl.h"

int posix_spawnattr_setschedparam(posix_spawnattr_t *restrict attr,
	const struct sched_param *restrict param)
{
	__attr_prio(attr) = param->sched_priority;
	return 0;
}
