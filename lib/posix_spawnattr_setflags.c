#include "spawn_impl.h"

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
	if ((unsigned short)flags & ~SPAWN_FLAGS_ALL) return EINVAL;
	__attr_flags(attr) = flags;
	return 0;
}
