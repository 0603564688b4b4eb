#ifndef SPAWNFD_SYSCALL_H
#define SPAWNFD_SYSCALL_H

/* Raw system calls returning -errno: they never touch errno, so they are
 * safe in the vfork child and leave the caller's errno as it was. */

#include <sys/syscall.h>
#include "syscall_arch.h"

#define __sc_nargs_pick(a, b, c, d, e, f, g, n, ...) n
#define __sc_nargs(...) __sc_nargs_pick(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0, )
#define __sc_join2(a, b) a##b
#define __sc_join(a, b) __sc_join2(a, b)
#define __syscall(...) __sc_join(__sc_call, __sc_nargs(__VA_ARGS__))(__VA_ARGS__)

#define __sc_call0(n) __syscall0(n)
#define __sc_call1(n, a) __syscall1(n, (long)(a))
#define __sc_call2(n, a, b) __syscall2(n, (long)(a), (long)(b))
#define __sc_call3(n, a, b, c) __syscall3(n, (long)(a), (long)(b), (long)(c))
#define __sc_call4(n, a, b, c, d) __syscall4(n, (long)(a), (long)(b), (long)(c), (long)(d))
#define __sc_call5(n, a, b, c, d, e) \
	__syscall5(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e))
#define __sc_call6(n, a, b, c, d, e, f) \
	__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Where the 32-bit id calls exist, the plain ones take 16-bit ids. */
#ifdef SYS_getuid32
#undef SYS_getuid
#define SYS_getuid SYS_getuid32
#undef SYS_getgid
#define SYS_getgid SYS_getgid32
#undef SYS_setuid
#define SYS_setuid SYS_setuid32
#undef SYS_setgid
#define SYS_setgid SYS_setgid32
#endif

#endif
