/* spawnfd: the POSIX spawn family with a pidfd for the child.
 * Included instead of, or after, <spawn.h>; declares what the host lacks. */
#ifndef SPAWNFD_H
#define SPAWNFD_H

#include <spawn.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef POSIX_SPAWN_USEVFORK
#define POSIX_SPAWN_USEVFORK 0x40
#endif
#ifndef POSIX_SPAWN_SETSID
#define POSIX_SPAWN_SETSID 0x80
#endif
#ifndef POSIX_SPAWN_SETCGROUP
#define POSIX_SPAWN_SETCGROUP 0x100
#endif

int posix_spawnattr_setpidfd(posix_spawnattr_t *, int *);
int posix_spawnattr_getpidfd(const posix_spawnattr_t *__restrict, int **__restrict);

int posix_spawnattr_setcgroup_np(posix_spawnattr_t *, int);
int posix_spawnattr_getcgroup_np(const posix_spawnattr_t *__restrict, int *__restrict);

int posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *__restrict,
	const char *__restrict);
int posix_spawn_file_actions_addfchdir(posix_spawn_file_actions_t *, int);
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *__restrict,
	const char *__restrict);
int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *, int);
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);
int posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *, int);

int pidfd_spawn(int *__restrict, const char *__restrict,
	const posix_spawn_file_actions_t *__restrict, const posix_spawnattr_t *__restrict,
	char *const [], char *const []);
int pidfd_spawnp(int *__restrict, const char *__restrict,
	const posix_spawn_file_actions_t *__restrict, const posix_spawnattr_t *__restrict,
	char *const [], char *const []);
pid_t pidfd_getpid(int);

#ifdef __cplusplus
}
#endif

#endif
