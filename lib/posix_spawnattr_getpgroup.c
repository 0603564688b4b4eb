#include "spawn_impl.h"

int posix_spawnattr_getpgroup(const posix_spawnattr_t *restrict attr, pid_t *restrict pgroup)
{
	*pgroup = __attr_pgrp(attr);
	return 0;
}
