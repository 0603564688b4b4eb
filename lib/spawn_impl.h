#ifndef SPAWNFD_SPAWN_IMPL_H
#define SPAWNFD_SPAWN_IMPL_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
#include "spawnfd.h"

#define hidden __attribute__((__visibility__("hidden")))
#define weak_alias(old, new) \
	extern __typeof(old) new __attribute__((__weak__, __alias__(#old)))

/* For the code that runs in the vfork child, on the few KiB of stack it
 * borrows from the parent's frame: ASan's frames, its memset wrapper and
 * its fake frames for use-after-return would need more, and overflow into
 * the parent's (with gcc, onto the error channel); a report would run the
 * whole runtime there. */
#ifdef __has_attribute
#if __has_attribute(__no_sanitize__)
#define child_side __attribute__((__no_sanitize__("address", "undefined")))
#endif
#endif
#ifndef child_side
#define child_side
#endif

#define SPAWN_FLAGS_ALL (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP \
	| POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSCHEDPARAM \
	| POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_USEVFORK | POSIX_SPAWN_SETSID \
	| POSIX_SPAWN_SETCGROUP)

/* Standard fields stay where the host libc keeps them, so an attr made by
 * either library works with the other (DESIGN 6). */
#ifdef __GLIBC__
#define __attr_sigdefault(a) ((a)->__sd)
#define __attr_sigmask(a) ((a)->__ss)
#define __attr_prio(a) ((a)->__sp.sched_priority)
#define __attr_policy(a) ((a)->__policy)
/* glibc 2.39 names this word __cgroup; older glibc leaves it as padding. */
#define ATTR_EXT_OFFSET (offsetof(posix_spawnattr_t, __policy) + sizeof(int))
struct __attribute__((__may_alias__)) spawnattr_ext {
	int cgroup;
	int *pidfd;
};
#else
#define __attr_sigdefault(a) ((a)->__def)
#define __attr_sigmask(a) ((a)->__mask)
#define __attr_prio(a) ((a)->__prio)
#define __attr_policy(a) ((a)->__pol)
/* musl keeps its exec function for posix_spawnp in __fn. */
#define ATTR_EXT_OFFSET (offsetof(posix_spawnattr_t, __fn) + sizeof(void *))
struct __attribute__((__may_alias__)) spawnattr_ext {
	int *pidfd;
	int cgroup;
};
#endif
#define __attr_flags(a) ((a)->__flags)
#define __attr_pgrp(a) ((a)->__pgrp)

/* The extension fields, carved from the host's padding (above): the cgroup
 * where glibc 2.39 keeps it, the pidfd pointer where musl's patch series
 * puts it (patches/musl), so attrs of either libc work here. */
#define __attr_ext(a) ((struct spawnattr_ext *)((char *)(a) + ATTR_EXT_OFFSET))
#define __attr_pidfd(a) ((a) ? __attr_ext(a)->pidfd : 0)

_Static_assert(ATTR_EXT_OFFSET % _Alignof(struct spawnattr_ext) == 0,
	"extension fields misaligned in posix_spawnattr_t");
_Static_assert(ATTR_EXT_OFFSET + sizeof(struct spawnattr_ext) <= sizeof(posix_spawnattr_t),
	"extension fields do not fit in posix_spawnattr_t's padding");

#define SPAWN_SEARCH 1
#define SPAWN_NEED_PIDFD 2

hidden int __spawnfd_spawn(pid_t *restrict, int *restrict, const char *restrict,
	const posix_spawn_file_actions_t *, const posix_spawnattr_t *restrict,
	char *const [restrict], char *const [restrict], int);
hidden int __spawnfd_fd_valid(int);

#endif
