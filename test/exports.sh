#!/bin/bash
# The shared library exports the API and nothing else: every other symbol,
# the per-arch clone entry points included, is hidden (DESIGN 6).
set -eu
lib=${builddir:-.}/.libs/libspawnfd.so
[ -f "$lib" ] || { echo "SKIP: no shared library built"; exit 77; }
expected='pidfd_getpid pidfd_spawn pidfd_spawnp posix_spawn posix_spawn_file_actions_addchdir
posix_spawn_file_actions_addchdir_np posix_spawn_file_actions_addclose
posix_spawn_file_actions_addclosefrom_np posix_spawn_file_actions_adddup2
posix_spawn_file_actions_addfchdir posix_spawn_file_actions_addfchdir_np
posix_spawn_file_actions_addopen posix_spawn_file_actions_addtcsetpgrp_np
posix_spawn_file_actions_destroy posix_spawn_file_actions_init posix_spawnattr_destroy
posix_spawnattr_getcgroup_np posix_spawnattr_getflags posix_spawnattr_getpgroup
posix_spawnattr_getpidfd posix_spawnattr_getschedparam posix_spawnattr_getschedpolicy
posix_spawnattr_getsigdefault posix_spawnattr_getsigmask posix_spawnattr_init
posix_spawnattr_setcgroup_np posix_spawnattr_setflags posix_spawnattr_setpgroup
posix_spawnattr_setpidfd posix_spawnattr_setschedparam posix_spawnattr_setschedpolicy
posix_spawnattr_setsigdefault posix_spawnattr_setsigmask posix_spawnp'
actual=$(${NM:-nm} -D --defined-only "$lib" | awk '$2 ~ /^[TWiV]$/ { print $3 }' | sort)
want=$(echo "$expected" | tr ' ' '\n' | sort)
if [ "$actual" != "$want" ]; then
	echo "FAIL: exported symbols differ from the API (< exported, > expected):"
	diff <(echo "$actual") <(echo "$want") || true
	exit 1
fi
echo "PASS: libspawnfd.so exports exactly the $(echo "$want" | wc -l) API functions"
