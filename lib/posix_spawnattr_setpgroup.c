#include "spawn_impl.h"

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup)
{
	__attr_pgrp(attr) = pgroup;
	return 0;
}
