/* bti_spawn [PROGRAM] (aarch64): spawns PROGRAM (a copy of itself by
 * default, which exits at once; under qemu-user a native one) through
 * posix_spawn, first as the kernel lets it (clone3 from Linux 5.3), then
 * with clone3 refused by seccomp (clone), and checks that each exited 0. Built static with
 * -mbranch-protection=standard -Wl,-z,force-bti, all of its code is
 * BTI-guarded, so where BTI is enforced a branch into the clone assembly
 * or the child without a landing pad ends it with SIGILL. It stands alone:
 * Debian's static glibc has no landing pads (its ifunc resolvers, called
 * at start-up, die that way), so it carries the four libc functions the
 * library calls, and its own start. */
#include <spawn.h>
#include <sys/prctl.h>
#include "syscall.h"
#include "no-clone3.h"

/* Entered by the kernel, not by a branch: sp holds argc, then argv. */
__asm__(".text\n.global _start\n_start:\n\tmov x0,sp\n\tb start\n");

/* In .data: a program whose writable segment is only .bss gets one with
 * no file bytes, off a page boundary and past the end of the file, and
 * 5.10's ELF loader fails the exec on it with SIGSEGV. */
static int failures __attribute__((section(".data")));

char *getenv(const char *name)
{
	(void)name;
	return 0;
}

int pthread_setcancelstate(int state, int *old)
{
	(void)state;
	if (old) *old = 0;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p) p++;
	return p - s;
}

char *strchr(const char *s, int c)
{
	for (; *s != (char)c; s++) if (!*s) return 0;
	return (char *)s;
}

static void say(const char *s)
{
	__syscall(SYS_write, 1, s, strlen(s));
}

static void spawn(char *path, const char *how)
{
	char *argv[] = { path, "-", 0 }, *envp[] = { 0 };
	int status = 0, ok;
	pid_t pid;

	ok = !posix_spawn(&pid, path, 0, 0, argv, envp)
		&& __syscall(SYS_wait4, pid, &status, 0, 0) == pid && status == 0;
	failures += !ok;
	say(ok ? "ok: " : "FAIL: ");
	say(how);
	say("\n");
}

static int refuse_clone3(void)
{
	struct sock_filter insns[] = NO_CLONE3_FILTER;
	struct sock_fprog prog = { .len = sizeof insns / sizeof *insns, .filter = insns };

	return __syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
		|| __syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

void start(long *sp)
{
	char **argv = (char **)(sp + 1), *path = sp[0] > 1 ? argv[1] : "/proc/self/exe";

	/* The copy: its argument is "-", which is no program's path. */
	if (sp[0] > 1 && argv[1][0] == '-') __syscall(SYS_exit_group, 0);
	spawn(path, "spawned by the first path the kernel takes (clone3)");
	if (refuse_clone3()) say("skip: no seccomp here, so no clone3 refused\n");
	else spawn(path, "spawned with clone3 refused (clone)");
	for (;;) __syscall(SYS_exit_group, failures != 0);
}
