#include "spawn_impl.h"

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *restrict attr, sigset_t *restrict def)
{
	*def = __attr_sigdefault(attr);
	return 0;
}
