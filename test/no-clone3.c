/* no-clone3 PROGRAM [ARG]...: runs PROGRAM with clone3 answering ENOSYS, as
 * under Docker's default seccomp profile, so that what it spawns takes the
 * library's clone fallbacks. */
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "no-clone3.h"

int main(int argc, char **argv)
{
	struct sock_filter insns[] = NO_CLONE3_FILTER;
	struct sock_fprog prog = { .len = sizeof insns / sizeof *insns, .filter = insns };

	if (argc < 2) {
		fprintf(stderr, "usage: %s PROGRAM [ARG]...\n", argv[0]);
		return 125;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("seccomp");
		return 125;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
