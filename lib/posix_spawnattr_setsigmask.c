#include "spawn_impl.h"

int posix_spawnattr_setsigmask(posix_spawnattr_t *restrict attr, const sigset_t *restrict mask)
{
	__attr_sigmask(attr) = *mask;
	return 0;
}
