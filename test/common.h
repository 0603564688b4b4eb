/* Shared test fixtures: leak checks, output capture, the helper child,
 * and seccomp filters that force the library's fallback paths. */
#ifndef SPAWNFD_TEST_COMMON_H
#define SPAWNFD_TEST_COMMON_H

#include <check.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <signal.h>
#include <sys/types.h>
#include "spawnfd.h"

#ifdef SPAWNFD_VIA_PRELOAD
/* Linked against the host libc alone (make check-preload): what the host
 * lacks must come from the LD_PRELOAD shim at run time. */
#pragma weak posix_spawnattr_setpidfd
#pragma weak posix_spawnattr_getpidfd
#pragma weak posix_spawnattr_setcgroup_np
#pragma weak posix_spawnattr_getcgroup_np
#pragma weak posix_spawn_file_actions_addchdir
#pragma weak posix_spawn_file_actions_addfchdir
#pragma weak pidfd_spawn
#pragma weak pidfd_spawnp
#pragma weak pidfd_getpid
#endif

/* The helper child (test/helper.c) and the spawnfd tool, from the
 * environment that `make check` sets. */
const char *helper_path(void);
const char *tool_path(void);

/* A test case whose every test checks on the way out that it left no
 * descriptor open and no child unreaped. */
TCase *leakcheck_tcase(const char *name);
int fd_count(void);

/* Marks every descriptor above 2 close-on-exec, as a careful parent has them. */
void cloexec_all(void);

/* Standard output of the test process goes to a pipe until
 * capture_finish(), which returns what children wrote there. */
struct capture { int saved, rd; };
void capture_start(struct capture *);
char *capture_finish(struct capture *, char *buf, size_t size);

/* waitpid() that retries EINTR; returns the raw status. */
int wait_status(pid_t);

/* Runs the helper with posix_spawn and the given fa/attr (either may be
 * NULL), waits for it, and returns its output; *status gets the raw wait
 * status. NULL-terminated argument list after the helper's name. */
char *helper_output(posix_spawn_file_actions_t *, posix_spawnattr_t *, int *status,
	char *buf, size_t size, ...);

/* The filters match only this architecture's calling convention. */
#if defined __x86_64__ && defined __ILP32__
#error "x32 shares x86_64's AUDIT_ARCH but not its system call numbers"
#elif defined __x86_64__
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined __i386__
#define TEST_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined __aarch64__ && !defined __AARCH64EB__
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined __arm__ && !defined __ARMEB__
#define TEST_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined __riscv && __riscv_xlen == 64
#define TEST_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined __s390x__
#define TEST_AUDIT_ARCH AUDIT_ARCH_S390X
#elif defined __powerpc64__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEST_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined __mips__ && defined __MIPSEL__ && _MIPS_SIM == _ABIO32
#define TEST_AUDIT_ARCH AUDIT_ARCH_MIPSEL
#elif defined __mips__ && defined __MIPSEL__ && _MIPS_SIM == _ABI64
#define TEST_AUDIT_ARCH AUDIT_ARCH_MIPSEL64
#elif defined __loongarch__ && __loongarch_grlen == 64
#define TEST_AUDIT_ARCH AUDIT_ARCH_LOONGARCH64
#else
#error "no AUDIT_ARCH for this target: add it here"
#endif

/* The low word of a 64-bit argument sits 4 bytes in on big-endian hosts. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ && __SIZEOF_LONG__ == 8
#define SECCOMP_ARG_LOW(i) (offsetof(struct seccomp_data, args[i]) + 4)
#else
#define SECCOMP_ARG_LOW(i) offsetof(struct seccomp_data, args[i])
#endif

/* The argument that holds clone's flags: s390 passes the stack first. */
#ifdef __s390x__
#define CLONE_FLAGS_ARG 1
#else
#define CLONE_FLAGS_ARG 0
#endif

/* A filter's first two instructions: calls made with another
 * architecture's convention jump over the next n, to their ALLOW. */
#define SECCOMP_THIS_ARCH(n) \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 0, n)

/* Installs a filter on the calling thread and what it spawns, after
 * fresh_process(); 0, or -1 after printing why it is unavailable. */
int seccomp_install(struct sock_filter *insns, unsigned short len);

/* Installs a seccomp filter on the calling thread (and what it spawns)
 * that fails system call nr with err; with a nonzero flag_mask only when
 * argument arg has one of those bits. Returns 0, or -1 where seccomp is
 * unavailable (e.g. under qemu-user), after printing why. */
int seccomp_fail(long nr, int err, int arg, unsigned long flag_mask);
/* The same with any SECCOMP_RET_ action, e.g. SECCOMP_RET_KILL_PROCESS
 * to prove that a path never makes that call. */
int seccomp_filter(long nr, unsigned action, int arg, unsigned long flag_mask);
/* The same as seccomp_fail, failing nr only when the low word of argument
 * arg is value (an ioctl request, say). */
int seccomp_fail_eq(long nr, int err, int arg, unsigned long value);

/* clone3 refused (ENOSYS), and clone refusing CLONE_PIDFD (EINVAL) as
 * emulators do: the library's legacy path. 0, or -1 as seccomp_fail. */
int seccomp_legacy_clone(void);

/* False, after printing why, under CK_FORK=no: a test that changes
 * process-wide state for good (a seccomp filter) needs its own process.
 * Under LeakSanitizer, the leak check runs here rather than at exit. */
int fresh_process(void);

/* waitid(P_PIDFD) that retries EINTR and must succeed. */
siginfo_t wait_pidfd(int pidfd);

/* Lowers RLIMIT_NOFILE to 64 and takes every free descriptor with an
 * inheritable dup of /dev/null (fill has room for 64); returns how many.
 * unfill_descriptors closes them and restores the limit. */
struct rlimit;
int fill_descriptors(int *fill, struct rlimit *saved);
void unfill_descriptors(int *fill, int n, const struct rlimit *saved);

/* True under an emulator such as qemu-user, which runs CLONE_VM|CLONE_VFORK
 * as a plain fork; prints "skipped: WHY" so the test can return. */
int emulated(const char *why);
/* qemu-user 7.2 crashes or loses signals aimed at emulated threads under a
 * storm, glibc's own posix_spawn or none; valgrind shares the skip. */
#define QEMU_STORMS "qemu-user cannot take signal storms aimed at threads"

/* A scratch directory under /tmp for a test case, made and removed by the
 * runner process around the case, so that a failed test (whose process
 * exits on the spot) leaves no files either. scratch_dir() makes a fresh
 * directory in it for the calling test and returns its path. */
void scratch_fixture(TCase *);
const char *scratch_dir(void);

/* The number the helper gives signal sig: under qemu-user the helper is
 * the host's, which numbers signals its own way (mips does not as x86). */
int helper_signo(int sig);

/* A copy of the helper in a fresh scratch directory that any uid may run,
 * whatever the build tree's modes and the umask. */
const char *helper_for_anyone(void);

/* scratch_enter() makes a fresh scratch directory the test's own;
 * scratch_file(name) is a path in it (the last four stay valid). */
void scratch_enter(void);
const char *scratch_current(void);
const char *scratch_file(const char *name);

#endif
