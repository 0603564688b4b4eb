#include <sched.h>
#include "spawn_impl.h"

int posix_spawnattr_setschedpolicy(posix_spawnattr_t *attr, int policy)
{
	switch (policy) {
	case SCHED_OTHER: case SCHED_FIFO: case SCHED_RR: case SCHED_BATCH: case SCHED_IDLE:
		__attr_policy(attr) = policy;
		return 0;
	}
	return EINVAL;
}
