/* Preloaded ahead of libspawnfd.so: logs each spawn call that passes through
 * to $SPAWNCOUNT_LOG and aborts if the next definition is not libspawnfd's,
 * so a count is also proof of where the calls were bound. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spawnfd.h"

static void *next(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);
	Dl_info info;
	const char *log = getenv("SPAWNCOUNT_LOG");
	int fd;

	if (!fn || !dladdr(fn, &info) || !strstr(info.dli_fname, "libspawnfd")) {
		fprintf(stderr, "spawncount: %s is not bound to libspawnfd\n", name);
		abort();
	}
	if (log && (fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) >= 0) {
		dprintf(fd, "%s\n", name);
		close(fd);
	}
	return fn;
}

#define FORWARD(name, ...) ((__typeof(name) *)next(#name))(__VA_ARGS__)

int posix_spawn(pid_t *restrict pid, const char *restrict path,
	const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	return FORWARD(posix_spawn, pid, path, fa, attr, argv, envp);
}

int posix_spawnp(pid_t *restrict pid, const char *restrict file,
	const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
	char *const argv[restrict], char *const envp[restrict])
{
	return FORWARD(posix_spawnp, pid, file, fa, attr, argv, envp);
}

int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from)
{
	return FORWARD(posix_spawn_file_actions_addclosefrom_np, fa, from);
}
