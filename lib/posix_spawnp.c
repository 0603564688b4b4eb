#include "spawn_impl.h"

int posix_spawnp(pid_t *restrict res, const char *restrict file,
	const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	return __spawnfd_spawn(res, __attr_pidfd(attr), file, fa, attr, argv, envp, SPAWN_SEARCH);
}
