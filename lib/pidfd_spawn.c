#include "spawn_impl.h"

int pidfd_spawn(int *restrict pidfd, const char *restrict path,
	const posix_spawn_file_actions_t *restrict fa, const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	return __spawnfd_spawn(0, pidfd, path, fa, attr, argv, envp, SPAWN_NEED_PIDFD);
}
