#include "spawn_impl.h"

int posix_spawnattr_setsigdefault(posix_spawnattr_t *restrict attr, const sigset_t *restrict def)
{
	__attr_sigdefault(attr) = *def;
	return 0;
}
