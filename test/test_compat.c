/* compat: attrs made by the host libc's own functions and by ours are interchangeable (DESIGN 6). */
#include <dlfcn.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

typedef int attr_fn(posix_spawnattr_t *);
typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
	const posix_spawnattr_t *, char *const [], char *const []);

/* The host libc's spawn functions, by their names in libc.so.6. */
static struct host {
	void *lib;
	attr_fn *init, *destroy;
	int (*setflags)(posix_spawnattr_t *, short);
	int (*getflags)(const posix_spawnattr_t *, short *);
	int (*setpgroup)(posix_spawnattr_t *, pid_t);
	int (*getpgroup)(const posix_spawnattr_t *, pid_t *);
	int (*setsigmask)(posix_spawnattr_t *, const sigset_t *);
	int (*getsigmask)(const posix_spawnattr_t *, sigset_t *);
	int (*setsigdefault)(posix_spawnattr_t *, const sigset_t *);
	int (*getsigdefault)(const posix_spawnattr_t *, sigset_t *);
	int (*setschedparam)(posix_spawnattr_t *, const struct sched_param *);
	int (*getschedparam)(const posix_spawnattr_t *, struct sched_param *);
	int (*setschedpolicy)(posix_spawnattr_t *, int);
	int (*getschedpolicy)(const posix_spawnattr_t *, int *);
	spawn_fn *spawn;
} host;

static int load_host(void)
{
	static const struct { const char *name; size_t off; } syms[] = {
#define SYM(field, name) { name, offsetof(struct host, field) }
		SYM(init, "posix_spawnattr_init"), SYM(destroy, "posix_spawnattr_destroy"),
		SYM(setflags, "posix_spawnattr_setflags"), SYM(getflags, "posix_spawnattr_getflags"),
		SYM(setpgroup, "posix_spawnattr_setpgroup"), SYM(getpgroup, "posix_spawnattr_getpgroup"),
		SYM(setsigmask, "posix_spawnattr_setsigmask"),
		SYM(getsigmask, "posix_spawnattr_getsigmask"),
		SYM(setsigdefault, "posix_spawnattr_setsigdefault"),
		SYM(getsigdefault, "posix_spawnattr_getsigdefault"),
		SYM(setschedparam, "posix_spawnattr_setschedparam"),
		SYM(getschedparam, "posix_spawnattr_getschedparam"),
		SYM(setschedpolicy, "posix_spawnattr_setschedpolicy"),
		SYM(getschedpolicy, "posix_spawnattr_getschedpolicy"),
		SYM(spawn, "posix_spawn"),
#undef SYM
	};

	if (!(host.lib = dlopen("libc.so.6", RTLD_NOW))) {
		printf("skipped: no host libc.so.6 to compare with: %s\n", dlerror());
		return -1;
	}
	/* musl's dynamic linker answers that name with itself */
	if (!dlsym(host.lib, "gnu_get_libc_version")) {
		printf("skipped: the host libc is not glibc\n");
		dlclose(host.lib);
		return -1;
	}
	for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
		void *fn = dlsym(host.lib, syms[i].name);
		if (!fn) {
			printf("skipped: the host libc lacks %s\n", syms[i].name);
			dlclose(host.lib);
			return -1;
		}
		memcpy((char *)&host + syms[i].off, &fn, sizeof fn);
	}
	/* dlsym must find the host's, not ours */
	ck_assert_ptr_ne((void *)host.init, (void *)posix_spawnattr_init);
	ck_assert_ptr_ne((void *)host.spawn, (void *)posix_spawn);
	return 0;
}

static void make_sets(sigset_t *mask, sigset_t *def)
{
	/* glibc's sigemptyset clears only the words its signals use, and
	 * the attributes these sets land in are compared byte for byte. */
	memset(mask, 0, sizeof *mask);
	memset(def, 0, sizeof *def);
	sigemptyset(mask);
	sigaddset(mask, SIGUSR1);
	sigaddset(mask, SIGUSR2);
	sigaddset(mask, SIGWINCH);
	sigemptyset(def);
	sigaddset(def, SIGINT);
	sigaddset(def, SIGTERM);
}

static void assert_same_set(const sigset_t *a, const sigset_t *b)
{
	for (int sig = 1; sig < _NSIG; sig++)
		ck_assert_msg(sigismember(a, sig) == sigismember(b, sig), "signal %d differs", sig);
}

static const short std_flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK
	| POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSCHEDULER;

/* Spawns the helper with attr through spawn (ours or the host's), with
 * SIGINT ignored in the parent so that SETSIGDEF shows, and checks that
 * every field reached the child. */
static void assert_attr_works(spawn_fn *spawn, const posix_spawnattr_t *attr)
{
	char *argv[] = { (char *)helper_path(), "ids", "mask", "sched", "disp", 0 };
	char buf[256], want[256];
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct capture c;
	pid_t pid;
	int err;

	if (geteuid()) {
		printf("skipped: spawning with SCHED_RR needs root\n");
		return;
	}
	ck_assert_int_eq(sigaction(SIGINT, &ign, &old), 0);
	capture_start(&c);
	err = spawn(&pid, argv[0], 0, attr, argv, 0);
	if (!err) ck_assert_int_eq(wait_status(pid), 0);
	capture_finish(&c, buf, sizeof buf);
	sigaction(SIGINT, &old, 0);
	ck_assert_int_eq(err, 0);
	/* pid ppid pgid: its own group */
	snprintf(want, sizeof want, "%d %d %d ", (int)pid, (int)getpid(), (int)pid);
	ck_assert_msg(!strncmp(buf, want, strlen(want)), "ids: %s", buf);
	/* the mask, in the helper's numbers: mips has its own */
	snprintf(want, sizeof want, "\n%d %d %d\n2 2\n", helper_signo(SIGUSR1),
		helper_signo(SIGUSR2), helper_signo(SIGWINCH));
	ck_assert_msg(strstr(buf, want) != 0, "mask and policy: %s", buf);
	ck_assert_ptr_null(strstr(buf, "2:ignored"));
}

START_TEST(host_filled_attr_reads_back_through_ours_and_spawns)
{
	struct sched_param sp = { .sched_priority = 9 }, got;
	posix_spawnattr_t attr;
	sigset_t mask, def, out;
	short flags;
	pid_t pgroup;
	int policy;

	if (load_host()) return;
	make_sets(&mask, &def);
	ck_assert_int_eq(host.init(&attr), 0);
	ck_assert_int_eq(host.setflags(&attr, std_flags), 0);
	ck_assert_int_eq(host.setpgroup(&attr, 4321), 0);
	ck_assert_int_eq(host.setsigmask(&attr, &mask), 0);
	ck_assert_int_eq(host.setsigdefault(&attr, &def), 0);
	ck_assert_int_eq(host.setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(host.setschedpolicy(&attr, SCHED_RR), 0);

	ck_assert_int_eq(posix_spawnattr_getflags(&attr, &flags), 0);
	ck_assert_int_eq(flags, std_flags);
	ck_assert_int_eq(posix_spawnattr_getpgroup(&attr, &pgroup), 0);
	ck_assert_int_eq(pgroup, 4321);
	ck_assert_int_eq(posix_spawnattr_getsigmask(&attr, &out), 0);
	assert_same_set(&out, &mask);
	ck_assert_int_eq(posix_spawnattr_getsigdefault(&attr, &out), 0);
	assert_same_set(&out, &def);
	ck_assert_int_eq(posix_spawnattr_getschedparam(&attr, &got), 0);
	ck_assert_int_eq(got.sched_priority, 9);
	ck_assert_int_eq(posix_spawnattr_getschedpolicy(&attr, &policy), 0);
	ck_assert_int_eq(policy, SCHED_RR);

	sp.sched_priority = 2;
	ck_assert_int_eq(host.setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(host.setpgroup(&attr, 0), 0);
	assert_attr_works(posix_spawn, &attr);
	host.destroy(&attr);
	dlclose(host.lib);
}
END_TEST

START_TEST(our_attr_reads_back_through_the_host_and_spawns_with_it)
{
	struct sched_param sp = { .sched_priority = 9 }, got;
	posix_spawnattr_t attr;
	sigset_t mask, def, out;
	short flags;
	pid_t pgroup;
	int policy;

	if (load_host()) return;
	make_sets(&mask, &def);
	ck_assert_int_eq(posix_spawnattr_init(&attr), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(&attr, std_flags), 0);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&attr, 4321), 0);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&attr, &mask), 0);
	ck_assert_int_eq(posix_spawnattr_setsigdefault(&attr, &def), 0);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&attr, SCHED_RR), 0);

	ck_assert_int_eq(host.getflags(&attr, &flags), 0);
	ck_assert_int_eq(flags, std_flags);
	ck_assert_int_eq(host.getpgroup(&attr, &pgroup), 0);
	ck_assert_int_eq(pgroup, 4321);
	ck_assert_int_eq(host.getsigmask(&attr, &out), 0);
	assert_same_set(&out, &mask);
	ck_assert_int_eq(host.getsigdefault(&attr, &out), 0);
	assert_same_set(&out, &def);
	ck_assert_int_eq(host.getschedparam(&attr, &got), 0);
	ck_assert_int_eq(got.sched_priority, 9);
	ck_assert_int_eq(host.getschedpolicy(&attr, &policy), 0);
	ck_assert_int_eq(policy, SCHED_RR);

	sp.sched_priority = 2;
	ck_assert_int_eq(posix_spawnattr_setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&attr, 0), 0);
	assert_attr_works(host.spawn, &attr);
	posix_spawnattr_destroy(&attr);
	dlclose(host.lib);
}
END_TEST

START_TEST(extension_fields_leave_standard_fields_alone)
{
	static const short all_std = POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP
		| POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSCHEDPARAM
		| POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_USEVFORK | POSIX_SPAWN_SETSID;
	struct sched_param sp = { .sched_priority = 77 };
	posix_spawnattr_t attr;
	sigset_t mask, def, out;
	short flags;
	pid_t pgroup;
	int slot, *pidfd, cgroup, policy;

	if (load_host()) return;
	/* every bit set, so a stray write of zeros shows too */
	sigfillset(&mask);
	sigdelset(&mask, SIGUSR1);
	sigemptyset(&def);
	sigaddset(&def, SIGTERM);
	ck_assert_int_eq(host.init(&attr), 0);
	ck_assert_int_eq(host.setflags(&attr, all_std), 0);
	ck_assert_int_eq(host.setpgroup(&attr, -1), 0);
	ck_assert_int_eq(host.setsigmask(&attr, &mask), 0);
	ck_assert_int_eq(host.setsigdefault(&attr, &def), 0);
	ck_assert_int_eq(host.setschedparam(&attr, &sp), 0);
	ck_assert_int_eq(host.setschedpolicy(&attr, SCHED_FIFO), 0);
	ck_assert_int_eq(posix_spawnattr_setpidfd(&attr, &slot), 0);
	ck_assert_int_eq(posix_spawnattr_setcgroup_np(&attr, 0x5a5a5a5a), 0);

	ck_assert_int_eq(host.getflags(&attr, &flags), 0);
	ck_assert_int_eq(flags, all_std);
	ck_assert_int_eq(host.getpgroup(&attr, &pgroup), 0);
	ck_assert_int_eq(pgroup, -1);
	ck_assert_int_eq(host.getsigmask(&attr, &out), 0);
	assert_same_set(&out, &mask);
	ck_assert_int_eq(host.getsigdefault(&attr, &out), 0);
	assert_same_set(&out, &def);
	ck_assert_int_eq(host.getschedparam(&attr, &sp), 0);
	ck_assert_int_eq(sp.sched_priority, 77);
	ck_assert_int_eq(host.getschedpolicy(&attr, &policy), 0);
	ck_assert_int_eq(policy, SCHED_FIFO);

	/* and the host's setters leave ours alone */
	ck_assert_int_eq(host.setschedpolicy(&attr, SCHED_RR), 0);
	ck_assert_int_eq(host.setsigdefault(&attr, &mask), 0);
	ck_assert_int_eq(posix_spawnattr_getpidfd(&attr, &pidfd), 0);
	ck_assert_ptr_eq(pidfd, &slot);
	ck_assert_int_eq(posix_spawnattr_getcgroup_np(&attr, &cgroup), 0);
	ck_assert_int_eq(cgroup, 0x5a5a5a5a);
	host.destroy(&attr);
	dlclose(host.lib);
}
END_TEST

START_TEST(same_calls_give_the_same_bytes_as_the_host)
{
	struct sched_param sp = { .sched_priority = 5 };
	posix_spawnattr_t ours, theirs;
	sigset_t mask, def;

	if (load_host()) return;
	make_sets(&mask, &def);
	memset(&ours, 0xa5, sizeof ours);
	memset(&theirs, 0x5a, sizeof theirs);
	ck_assert_int_eq(host.init(&theirs), 0);
	ck_assert_int_eq(posix_spawnattr_init(&ours), 0);
	ck_assert_mem_eq(&ours, &theirs, sizeof ours);
	ck_assert_int_eq(host.setflags(&theirs, std_flags), 0);
	ck_assert_int_eq(posix_spawnattr_setflags(&ours, std_flags), 0);
	ck_assert_int_eq(host.setpgroup(&theirs, 1234), 0);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&ours, 1234), 0);
	ck_assert_int_eq(host.setsigmask(&theirs, &mask), 0);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&ours, &mask), 0);
	ck_assert_int_eq(host.setsigdefault(&theirs, &def), 0);
	ck_assert_int_eq(posix_spawnattr_setsigdefault(&ours, &def), 0);
	ck_assert_int_eq(host.setschedparam(&theirs, &sp), 0);
	ck_assert_int_eq(posix_spawnattr_setschedparam(&ours, &sp), 0);
	ck_assert_int_eq(host.setschedpolicy(&theirs, SCHED_RR), 0);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&ours, SCHED_RR), 0);
	ck_assert_mem_eq(&ours, &theirs, sizeof ours);
	host.destroy(&theirs);
	posix_spawnattr_destroy(&ours);
	dlclose(host.lib);
}
END_TEST

Suite *suite_compat(void)
{
	Suite *s = suite_create("compat");
	TCase *tc = leakcheck_tcase("host_attr");

	tcase_add_test(tc, host_filled_attr_reads_back_through_ours_and_spawns);
	tcase_add_test(tc, our_attr_reads_back_through_the_host_and_spawns_with_it);
	tcase_add_test(tc, extension_fields_leave_standard_fields_alone);
	tcase_add_test(tc, same_calls_give_the_same_bytes_as_the_host);
	suite_add_tcase(s, tc);
	return s;
}
