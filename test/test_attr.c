/* attr: the posix_spawnattr_* setters and getters, and each flag's effect in the child. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

struct ids { int pid, ppid, pgid, sid, uid, euid, gid, egid; };

static void parse_ids(const char *line, struct ids *id)
{
	ck_assert_int_eq(sscanf(line, "%d %d %d %d %d %d %d %d", &id->pid, &id->ppid,
		&id->pgid, &id->sid, &id->uid, &id->euid, &id->gid, &id->egid), 8);
}

static void child_ids(posix_spawnattr_t *attr, struct ids *id)
{
	char buf[256];
	int status;
	helper_output(0, attr, &status, buf, sizeof buf, "ids", (char *)0);
	ck_assert_int_eq(status, 0);
	parse_ids(buf, id);
}

static void attr_with_flags(posix_spawnattr_t *attr, short flags)
{
	ck_assert_int_eq(posix_spawnattr_init(attr), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(attr, flags), 0);
}

/* Real-time policies and uid changes are for root only. */
static int need_root(void)
{
	if (!geteuid()) return 0;
	printf("skipped: needs root\n");
	return -1;
}

static int sigset_empty(const sigset_t *set)
{
	for (int sig = 1; sig < _NSIG; sig++)
		if (sigismember(set, sig) == 1) return 0;
	return 1;
}

START_TEST(init_gives_empty_attr)
{
	posix_spawnattr_t attr;
	struct sched_param sp;
	sigset_t set;
	short flags;
	pid_t pgroup;
	int *pidfd, cgroup, policy;

	/* init must not rely on the caller's memory being clean */
	memset(&attr, 0xa5, sizeof attr);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_getflags(&attr, &flags), 0);
	ck_assert_int_eq(flags, 0);
	ck_assert_int_eq(posix_spawnattr_getpgroup(&attr, &pgroup), 0);
	ck_assert_int_eq(pgroup, 0);
	sigfillset(&set);
	ck_assert_int_eq(posix_spawnattr_getsigmask(&attr, &set), 0);
	ck_assert(sigset_empty(&set));
	sigfillset(&set);
	ck_assert_int_eq(posix_spawnattr_getsigdefault(&attr, &set), 0);
	ck_assert(sigset_empty(&set));
	sp.sched_priority = 99;
	ck_assert_int_eq(posix_spawnattr_getschedparam(&attr, &sp), 0);
	ck_assert_int_eq(sp.sched_priority, 0);
	ck_assert_int_eq(posix_spawnattr_getschedpolicy(&attr, &policy), 0);
	ck_assert_int_eq(policy, SCHED_OTHER);
	pidfd = &cgroup;
	ck_assert_int_eq(posix_spawnattr_getpidfd(&attr, &pidfd), 0);
	ck_assert_ptr_null(pidfd);
	cgroup = -7;
	ck_assert_int_eq(posix_spawnattr_getcgroup_np(&attr, &cgroup), 0);
	ck_assert_int_eq(cgroup, 0);
	ck_assert_int_eq(posix_spawnattr_destroy(&attr), 0);
}
END_TEST

START_TEST(getters_return_what_setters_stored)
{
	posix_spawnattr_t attr;
	struct sched_param sp = { .sched_priority = 42 }, got;
	sigset_t mask, def, out;
	short flags;
	pid_t pgroup;
	int slot, *pidfd, cgroup, policy;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGRTMIN + 3);
	sigemptyset(&def);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGCHLD);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID), 0);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&attr, 4242), 0);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&attr, &mask), 0);
	ck_assert_int_eq(posix_spawnattr_setsigdefault(&attr, &def), 0);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_RR), 0);
	ck_assert_int_eq(posix_spawnattr_setpidfd(&attr, &slot), 0);
	ck_assert_int_eq(posix_spawnattr_setcgroup_np(&attr, 17), 0);

	ck_assert_int_eq(posix_spawnattr_getflags(&attr, &flags), 0);
	ck_assert_int_eq(flags, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID);
	ck_assert_int_eq(posix_spawnattr_getpgroup(&attr, &pgroup), 0);
	ck_assert_int_eq(pgroup, 4242);
	ck_assert_int_eq(posix_spawnattr_getsigmask(&attr, &out), 0);
	for (int sig = 1; sig < _NSIG; sig++)
		ck_assert_int_eq(sigismember(&out, sig), sigismember(&mask, sig));
	ck_assert_int_eq(posix_spawnattr_getsigdefault(&attr, &out), 0);
	for (int sig = 1; sig < _NSIG; sig++)
		ck_assert_int_eq(sigismember(&out, sig), sigismember(&def, sig));
	ck_assert_int_eq(posix_spawnattr_getschedparam(&attr, &got), 0);
	ck_assert_int_eq(got.sched_priority, 42);
	ck_assert_int_eq(posix_spawnattr_getschedpolicy(&attr, &policy), 0);
	ck_assert_int_eq(policy, SCHED_RR);
	ck_assert_int_eq(posix_spawnattr_getpidfd(&attr, &pidfd), 0);
	ck_assert_ptr_eq(pidfd, &slot);
	ck_assert_int_eq(posix_spawnattr_getcgroup_np(&attr, &cgroup), 0);
	ck_assert_int_eq(cgroup, 17);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setflags_rejects_unknown_bits_and_keeps_flags)
{
	static const short unknown[] = { 0x200, 0x400, 0x4000, (short)0x8000, 0x200 | POSIX_SPAWN_SETSID };
	posix_spawnattr_t attr;
	short flags;

	attr_with_flags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
		ck_assert_int_eq(posix_spawnattr_setflags(&attr, unknown[i]), EINVAL);
		ck_assert_int_eq(posix_spawnattr_getflags(&attr, &flags), 0);
		ck_assert_int_eq(flags, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	}
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setflags_accepts_every_known_flag)
{
	static const short known[] = { POSIX_SPAWN_RESETIDS, POSIX_SPAWN_SETPGROUP,
		POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK, POSIX_SPAWN_SETSCHEDPARAM,
		POSIX_SPAWN_SETSCHEDULER, POSIX_SPAWN_USEVFORK, POSIX_SPAWN_SETSID,
		POSIX_SPAWN_SETCGROUP };
	posix_spawnattr_t attr;
	short flags, all = 0;
	char buf[64];
	int status;

	ck_assert_int_eq(POSIX_SPAWN_USEVFORK, 0x40);
	ck_assert_int_eq(POSIX_SPAWN_SETSID, 0x80);
	ck_assert_int_eq(POSIX_SPAWN_SETCGROUP, 0x100);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
		ck_assert_int_eq(posix_spawnattr_setflags(&attr, known[i]), 0);
		ck_assert_int_eq(posix_spawnattr_getflags(&attr, &flags), 0);
		ck_assert_int_eq(flags, known[i]);
		all |= known[i];
	}
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, all), 0);
	ck_assert_int_eq(posix_spawnattr_getflags(&attr, &flags), 0);
	ck_assert_int_eq(flags, all);

	/* USEVFORK is accepted and changes nothing */
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, POSIX_SPAWN_USEVFORK), 0);
	helper_output(0, &attr, &status, buf, sizeof buf, "exit", "3", (char *)0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setschedpolicy_accepts_the_five_policies)
{
	static const int ok[] = { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE };
	posix_spawnattr_t attr;
	int policy;

	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, ok[i]), 0);
		ck_assert_int_eq(posix_spawnattr_getschedpolicy(&attr, &policy), 0);
		ck_assert_int_eq(policy, ok[i]);
	}
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setschedpolicy_rejects_others_and_keeps_policy)
{
	static const int bad[] = { SCHED_DEADLINE, -1, 4, 7, 99 };
	posix_spawnattr_t attr;
	int policy;

	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_RR), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, bad[i]), EINVAL);
		ck_assert_int_eq(posix_spawnattr_getschedpolicy(&attr, &policy), 0);
		ck_assert_int_eq(policy, SCHED_RR);
	}
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setpgroup_zero_puts_child_in_its_own_group)
{
	posix_spawnattr_t attr;
	struct ids id;

	attr_with_flags(&attr, POSIX_SPAWN_SETPGROUP);
	child_ids(&attr, &id);
	ck_assert_int_eq(id.pgid, id.pid);
	ck_assert_int_ne(id.pgid, getpgrp());
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(pgroup_without_setpgroup_is_ignored)
{
	posix_spawnattr_t attr;
	struct ids id;

	attr_with_flags(&attr, POSIX_SPAWN_SETSIGMASK);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&attr, 0), 0);
	child_ids(&attr, &id);
	ck_assert_int_eq(id.pgid, getpgrp());
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setpgroup_joins_an_existing_group)
{
	char *argv[] = { (char *)helper_path(), "sleep", "5", 0 };
	posix_spawnattr_t attr;
	struct ids id;
	pid_t leader;
	int status;

	attr_with_flags(&attr, POSIX_SPAWN_SETPGROUP);
	ck_assert_int_eq(posix_spawn(&leader, argv[0], 0, &attr, argv, 0), 0);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&attr, leader), 0);
	child_ids(&attr, &id);
	kill(leader, SIGKILL);
	status = wait_status(leader);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(id.pgid, leader);
	ck_assert_int_ne(id.pid, leader);
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setsid_makes_child_a_session_leader)
{
	posix_spawnattr_t attr;
	struct ids id;

	attr_with_flags(&attr, POSIX_SPAWN_SETSID);
	child_ids(&attr, &id);
	ck_assert_int_eq(id.sid, id.pid);
	ck_assert_int_eq(id.pgid, id.pid);
	posix_spawnattr_destroy(&attr);
}
END_TEST

static char *child_sched(posix_spawnattr_t *attr, char *buf, size_t size)
{
	int status;
	helper_output(0, attr, &status, buf, size, "sched", (char *)0);
	ck_assert_int_eq(status, 0);
	return buf;
}

START_TEST(setscheduler_batch_and_idle_reach_the_child)
{
	struct sched_param sp = { .sched_priority = 0 };
	posix_spawnattr_t attr;
	char buf[64];

	attr_with_flags(&attr, POSIX_SPAWN_SETSCHEDULER);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_BATCH), 0);
	ck_assert_str_eq(child_sched(&attr, buf, sizeof buf), "3 0\n");
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_IDLE), 0);
	ck_assert_str_eq(child_sched(&attr, buf, sizeof buf), "5 0\n");
	/* without the flag the policy stays the parent's */
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, 0), 0);
	ck_assert_str_eq(child_sched(&attr, buf, sizeof buf), "0 0\n");
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setscheduler_fifo_with_priority_reaches_the_child)
{
	struct sched_param sp = { .sched_priority = 3 };
	posix_spawnattr_t attr;
	char buf[64];

	if (need_root()) return;
	attr_with_flags(&attr, POSIX_SPAWN_SETSCHEDULER);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_FIFO), 0);
	ck_assert_str_eq(child_sched(&attr, buf, sizeof buf), "1 3\n");
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(setschedparam_alone_keeps_the_policy)
{
	struct sched_param sp = { .sched_priority = 1 };
	posix_spawnattr_t attr;
	pid_t pid = -1;
	char *argv[] = { (char *)helper_path(), 0 };
	char buf[64];

	if (need_root()) return;
	/* Under SCHED_OTHER only priority 0 is valid. */
	attr_with_flags(&attr, POSIX_SPAWN_SETSCHEDPARAM);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_FIFO), 0);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), EINVAL);
	ck_assert_int_eq(pid, -1);

	/* Under SCHED_FIFO the priority changes and the policy stays, whatever
	 * the attr's policy says. */
	ck_assert_int_eq(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp), 0);
	sp.sched_priority = 7;
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_RR), 0);
	child_sched(&attr, buf, sizeof buf);
	sp.sched_priority = 0;
	ck_assert_int_eq(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp), 0);
	ck_assert_str_eq(buf, "1 7\n");
	posix_spawnattr_destroy(&attr);
}
END_TEST

START_TEST(invalid_scheduler_fails_the_spawn_and_leaves_no_child)
{
	struct sched_param sp = { .sched_priority = 0 };
	char *argv[] = { (char *)helper_path(), 0 };
	posix_spawnattr_t attr;
	pid_t pid = -1;

	attr_with_flags(&attr, POSIX_SPAWN_SETSCHEDULER);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_FIFO), 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], 0, &attr, argv, 0), EINVAL);
	ck_assert_int_eq(pid, -1);
	posix_spawnattr_destroy(&attr);
}
END_TEST

static void ids_of(const char *path, posix_spawnattr_t *attr, struct ids *id)
{
	char *argv[] = { (char *)path, "ids", 0 }, buf[256];
	struct capture c;
	pid_t pid;
	int err;

	capture_start(&c);
	err = posix_spawn(&pid, path, 0, attr, argv, 0);
	if (!err) ck_assert_int_eq(wait_status(pid), 0);
	capture_finish(&c, buf, sizeof buf);
	ck_assert_int_eq(err, 0);
	parse_ids(buf, id);
}

START_TEST(resetids_gives_the_child_the_real_uid)
{
	posix_spawnattr_t attr;
	struct ids with, without;
	const char *copy_path;

	if (need_root() || getuid()) return;
	copy_path = helper_for_anyone();
	attr_with_flags(&attr, POSIX_SPAWN_RESETIDS);
	ck_assert_int_eq(seteuid(65534), 0);
	ids_of(copy_path, &attr, &with);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, 0), 0);
	ids_of(copy_path, &attr, &without);
	ck_assert_int_eq(seteuid(0), 0);

	ck_assert_int_eq(with.uid, 0);
	ck_assert_int_eq(with.euid, 0);
	ck_assert_int_eq(without.uid, 0);
	ck_assert_int_eq(without.euid, 65534);
	posix_spawnattr_destroy(&attr);
}
END_TEST

Suite *suite_attr(void)
{
	Suite *s = suite_create("attr");
	TCase *tc = leakcheck_tcase("values");

	tcase_add_test(tc, init_gives_empty_attr);
	tcase_add_test(tc, getters_return_what_setters_stored);
	tcase_add_test(tc, setflags_rejects_unknown_bits_and_keeps_flags);
	tcase_add_test(tc, setflags_accepts_every_known_flag);
	tcase_add_test(tc, setschedpolicy_accepts_the_five_policies);
	tcase_add_test(tc, setschedpolicy_rejects_others_and_keeps_policy);
	suite_add_tcase(s, tc);

	tc = leakcheck_tcase("effects");
	scratch_fixture(tc);
	tcase_add_test(tc, setpgroup_zero_puts_child_in_its_own_group);
	tcase_add_test(tc, pgroup_without_setpgroup_is_ignored);
	tcase_add_test(tc, setpgroup_joins_an_existing_group);
	tcase_add_test(tc, setsid_makes_child_a_session_leader);
	tcase_add_test(tc, setscheduler_batch_and_idle_reach_the_child);
	tcase_add_test(tc, setscheduler_fifo_with_priority_reaches_the_child);
	tcase_add_test(tc, setschedparam_alone_keeps_the_policy);
	tcase_add_test(tc, invalid_scheduler_fails_the_spawn_and_leaves_no_child);
	tcase_add_test(tc, resetids_gives_the_child_the_real_uid);
	suite_add_tcase(s, tc);
	return s;
}
