#!/bin/bash
# make check-glibc-tests: glibc 2.41's own tests of pidfd_spawn, run as they
# ship against libspawnfd. The sources come from Debian's glibc package
# (trixie); their test harness (support/) is built outside glibc's build
# system, with the few internal macros it wants defined here. Each test
# runs as glibc's makefiles run it: `tst-X -- tst-X`, restarting itself.
# tst-spawn-cgroup wants cgroup2 at /sys/fs/cgroup and a process outside
# the root cgroup: it runs in a private mount namespace that has both.
# Every test runs twice: on the first path, and with clone3 refused
# (no-clone3.c), where the library falls back to clone.
#
# Usage: check-glibc-tests.sh BUILDDIR (with .libs/libspawnfd.so built);
# as root, on Debian 12. GLIBC_WORK (default /tmp/spawnfd-glibc-tests) is reused.
set -euo pipefail

builddir=$(cd "${1:?usage: $0 BUILDDIR}" && pwd)
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
work=${GLIBC_WORK:-/tmp/spawnfd-glibc-tests}
version=2.41
# Debian's glibc_2.41.orig.tar.xz, the same for every 2.41 revision.
orig_sha256=f24aa441021121a79266f0d75242706cab8843a47901fefe74527491807f1998
tests="tst-spawn-pidfd tst-spawn2-pidfd tst-spawn3-pidfd tst-spawn4-pidfd tst-spawn5-pidfd
	tst-spawn6-pidfd tst-spawn7-pidfd tst-spawn-chdir-pidfd tst-spawn-cgroup"

say() { printf '==> %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "$0: run as root: it adds an apt source" >&2; exit 2; }

tarball=$work/dl/glibc_$version.orig.tar.xz
verified() { [ -f "$tarball" ] && [ "$(sha256sum "$tarball" | cut -d' ' -f1)" = "$orig_sha256" ]; }
if ! verified; then
	list=/etc/apt/sources.list.d/spawnfd-glibc-tests.sources
	[ -f "$list" ] || printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' \
		'Suites: trixie' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' >"$list"
	apt-get update -q -o DPkg::Lock::Timeout=600 || say "apt-get update reported errors; going on"
	rm -rf "$work/dl"
	mkdir -p "$work/dl"
	chown _apt "$work/dl" 2>/dev/null || true
	# Only the orig tarball is used, and checked by its hash: a .dsc or
	# Debian tarball that a mirror in mid-sync lacks does not matter.
	(cd "$work/dl" && apt-get source -q --download-only "glibc/trixie") || true
	verified || { echo "$0: no glibc_$version.orig.tar.xz with sha256 $orig_sha256" >&2; exit 1; }
fi
say "glibc_$version.orig.tar.xz: sha256 verified"

g=$work/glibc-$version
if [ ! -d "$g/support" ]; then
	tar -xf "$tarball" -C "$work" --wildcards "glibc-$version/support" "glibc-$version/include" \
		"glibc-$version/malloc/dynarray*" "glibc-$version/posix/tst-spawn*" \
		"glibc-$version/sysdeps/unix/sysv/linux/*.h" "glibc-$version/sysdeps/unix/sysv/linux/tst-spawn*"
fi

# The host's headers first; glibc's internal ones only for what they lack.
cflags=(-O1 -w -D_GNU_SOURCE -DTIMEOUTFACTOR=1 -DOBJPFX="\"$work/obj/\""
	'-Dlibc_hidden_proto(...)=' '-Dlibc_hidden_def(...)=' '-D__set_errno(e)=(errno = (e))'
	-include limits.h -I"$g/support" -idirafter "$g" -idirafter "$g/include"
	-idirafter "$g/malloc" -idirafter "$g/posix" -idirafter "$g/sysdeps/unix/sysv/linux")
for dir in BINDIR COMPLOCALEDIR INSTDIR LIBDIR OBJDIR_ELF_LDSO OBJDIR ROOTSBINDIR SBINDIR \
	SLIBDIR SRCDIR SYSCONFDIR; do
	cflags+=("-D${dir}_PATH=\"$work/obj\"")
done
rm -rf "$work/obj"
mkdir -p "$work/obj"
say "building glibc's test harness"
# Everything that builds outside glibc; the tests link what they use.
ls "$g"/support/*.c "$g"/malloc/dynarray_*.c | grep -Ev '/(test-driver|tst-[^/]*|[^/]*-container|links-dso-program[^/]*|support_fuse|[^/]*_main)\.c$|support_test_main' >"$work/obj/sources"
echo "$g/support/support_test_main.c" >>"$work/obj/sources"
while read -r src; do
	obj=$work/obj/$(basename "$src" .c).o
	gcc -c "${cflags[@]}" -o "$obj" "$src" 2>/dev/null || rm -f "$obj"
done <"$work/obj/sources"
ar rcs "$work/obj/libsupport.a" "$work"/obj/*.o

passed=0 failed=0
run() {
	local t=$1 log=$work/obj/$((passed + failed)).log status=0
	shift
	"$@" >"$log" 2>&1 || status=$?
	if [ $status = 0 ]; then
		echo "PASS: $t"
		passed=$((passed + 1))
	else
		echo "FAIL: $t (exit $status)"
		sed 's/^/    /' "$log" | tail -n 20
		failed=$((failed + 1))
	fi
}

# In its own mount namespace: cgroup2 at /sys/fs/cgroup, the test in a
# cgroup of ours, removed with what the test made in it.
cgroup_run() {
	local mnt=/sys/fs/cgroup own=/sys/fs/cgroup/spawnfd-glibc-tests status=0
	mount -t cgroup2 none "$mnt"
	mkdir -p "$own"
	echo $$ >"$own/cgroup.procs"
	"$@" || status=$?
	echo $$ >"$mnt/cgroup.procs"
	find "$own" -depth -type d -exec rmdir {} +
	return $status
}

gcc -O2 -o "$work/obj/no-clone3" "$srcdir/test/no-clone3.c"
export -f cgroup_run
for t in $tests; do
	gcc "${cflags[@]}" -include "$srcdir/include/spawnfd.h" -o "$work/obj/$t" \
		"$g/sysdeps/unix/sysv/linux/$t.c" "$work/obj/libsupport.a" \
		-L"$builddir/.libs" -lspawnfd -Wl,-rpath,"$builddir/.libs"
	cmd=("$work/obj/$t" -- "$work/obj/$t")
	[ $t = tst-spawn-cgroup ] && cmd=(unshare -m --propagation private \
		bash -c 'cgroup_run "$@"' _ "${cmd[@]}")
	run "$t" "${cmd[@]}"
	run "$t, clone3 refused" "$work/obj/no-clone3" "${cmd[@]}"
done
echo "glibc $version tests against libspawnfd: $passed passed, $failed failed"
[ $failed = 0 ]
