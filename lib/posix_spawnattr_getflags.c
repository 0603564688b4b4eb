#include "spawn_impl.h"

int posix_spawnattr_getflags(const posix_spawnattr_t *restrict attr, short *restrict flags)
{
	*flags = __attr_flags(attr);
	return 0;
}
