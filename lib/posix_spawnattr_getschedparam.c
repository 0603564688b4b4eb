#include <sched.h>
#include "spawn_impl.h"

int posix_spawnattr_getschedparam(const posix_spawnattr_t *restrict attr,
	struct sched_param *restrict param)
{
	*param = (struct sched_param){ .sched_priority = __attr_prio(attr) };
	return 0;
}
