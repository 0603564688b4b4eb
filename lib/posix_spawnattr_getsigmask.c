#include "spawn_impl.h"

int posix_spawnattr_getsigmask(const posix_spawnattr_t *restrict attr, sigset_t *restrict mask)
{
	*mask = __attr_sigmask(attr);
	return 0;
}
