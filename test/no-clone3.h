/* A seccomp program that fails clone3 with ENOSYS, as Docker's default
 * profile and kernels before 5.3 do, and allows the rest; for programs
 * that cannot use test/common.c (no-clone3.c, the freestanding bti_spawn). */
#ifndef SPAWNFD_TEST_NO_CLONE3_H
#define SPAWNFD_TEST_NO_CLONE3_H

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>

#define NO_CLONE3_FILTER { \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
}

#endif
