/* The operands of timeout(1): shared by the tool and its Check tests. */
#ifndef SPAWNFD_TIMEOUT_ARGS_H
#define SPAWNFD_TIMEOUT_ARGS_H

#include <stddef.h>

/* The name timeout prints for signal sig (TERM, RTMIN+1, EXIT for 0) in
 * buf; -1 for a number that names no signal. */
int signal_name(int sig, char *buf, size_t size);

/* A SIGNAL operand: a name in any case, SIG optional, or a number, also a
 * shell's status of a process killed by it (137: SIGKILL); -1 if invalid. */
int parse_signal(const char *arg);

/* A DURATION operand in seconds: a number as strtod reads it with one
 * optional unit (s, m, h, d); -1 if invalid. */
double parse_duration(const char *arg);

#endif
