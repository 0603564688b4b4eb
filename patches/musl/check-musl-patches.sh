#!/bin/bash
# check-musl-patches.sh SRCDIR BUILDDIR: applies the musl patch series in
# this directory to the pristine musl 1.2.5 source, builds musl after every
# patch, installs the result, and runs the shared Check suites against it
# and against libspawnfd, which must pass the same tests. SRCDIR is the
# spawnfd source tree, BUILDDIR a configured spawnfd build tree (its
# libspawnfd, test/helper and tools/spawnfd are used and made if missing).
# For a fresh Debian 12 machine, as root; README in this directory says
# what each step checks. Environment: WORK (scratch directory, default
# /tmp/spawnfd-musl-patches, emptied first but for the verified downloads),
# JOBS (default: the number of CPUs), MUSL_CROSS (the clang targets the
# changed objects are also compiled for; "none" for none).
# shellcheck disable=SC2317 # functions run through check()
set -euo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

[ $# = 2 ] || { echo "usage: $0 SRCDIR BUILDDIR" >&2; exit 2; }
srcdir=$(cd "$1" && pwd)
builddir=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=${WORK:-/tmp/spawnfd-musl-patches}
jobs=${JOBS:-$(nproc)}
start=$SECONDS

# The upstream tarball's digest, as published with musl 1.2.5; Debian's
# .dsc must agree with it.
musl_version=1.2.5
musl_sha256=a9a118bbe84d8764da0ea0d28b3ab3fae8477fc7e4085d90102b8596fc7c75e4
# The suites run against both C libraries (test/test_<suite>.c).
suites="attr file_actions spawn spawnp pidfd fallback threads"
# What the series adds to libc.so, and nothing else may change there.
new_symbols="pidfd_getfd pidfd_getpid pidfd_open pidfd_send_signal pidfd_spawn
pidfd_spawnp posix_spawn_file_actions_addchdir posix_spawn_file_actions_addclosefrom_np
posix_spawn_file_actions_addfchdir posix_spawn_file_actions_addtcsetpgrp_np
posix_spawnattr_getpidfd posix_spawnattr_setpidfd"
# musl target : clang target, for the compile-only builds of other ports.
# Left out: loongarch64 (clang 16 rejects musl's "tp" register name),
# m68k (clang's long double is not musl's), microblaze, or1k and sh (no
# compiler in Debian 12).
cross=${MUSL_CROSS:-"aarch64-linux-musl:aarch64-linux-musl
arm-linux-musleabihf:armv7a-linux-musleabihf i686-linux-musl:i686-linux-musl
x86_64-linux-muslx32:x86_64-linux-muslx32 mips-linux-musl:mips-linux-musl
mips64-linux-musl:mips64-linux-muslabi64 mips64-linux-musln32:mips64-linux-gnuabin32
powerpc-linux-musl:powerpc-linux-musl powerpc64le-linux-musl:powerpc64le-linux-musl
riscv32-linux-musl:riscv32-linux-musl riscv64-linux-musl:riscv64-linux-musl
s390x-linux-musl:s390x-linux-musl"}
[ "$cross" = none ] && cross=

passed=0 failed=0
say() { printf '==> [%d s] %s\n' $((SECONDS - start)) "$*"; }
ok() { passed=$((passed + 1)); printf 'ok: %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }
finish() {
	printf 'musl-patches: %d passed, %d failed (%d s)\n' "$passed" "$failed" $((SECONDS - start))
	[ "$failed" = 0 ]
	exit
}
# A failure that leaves nothing further to check.
fatal() { bad "$*"; finish; }
# check DESCRIPTION COMMAND...: one counted check; its output goes to a log
# shown when it fails.
check() {
	local what=$1 log=$work/log/$((passed + failed)).log
	shift
	if "$@" >"$log" 2>&1; then ok "$what"; else bad "$what"; tail -n 40 "$log"; return 1; fi
}

[ "$(id -u)" = 0 ] || { echo "$0: run as root: it installs packages and adds apt sources" >&2; exit 2; }

# --- tools and sources -----------------------------------------------------

apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return
	# An unrelated index that fails (say bookworm-security for a foreign
	# architecture) must not stop us: retry once, then go on with what
	# was fetched; a missing source shows up at apt-get source.
	apt-get update -q || { sleep 5; apt-get update -q; } || say "apt-get update reported errors; going on"
	apt_updated=1
}

need_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return
	apt_update
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Whether any enabled deb-src entry, one-line or deb822, names this suite.
have_deb_src() {
	local suite=$1 f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && grep -Eq "^[[:space:]]*deb-src[[:space:]].*[[:space:]]$suite([[:space:]]|$)" "$f" && return 0
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			function flush() { if (src && hit && on) found = 1; src = hit = 0; on = 1 }
			BEGIN { on = 1 }
			/^[[:space:]]*$/ { flush(); next }
			tolower($1) == "types:" && / deb-src/ { src = 1 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
			tolower($1) == "enabled:" && tolower($2) == "no" { on = 0 }
			END { flush(); exit !found }' "$f" && return 0
	done
	return 1
}

add_deb_src() {
	local suite
	for suite in "$@"; do
		have_deb_src "$suite" && continue
		say "adding a deb-src entry for $suite"
		cat >>/etc/apt/sources.list.d/spawnfd-musl-patches.sources <<-EOF

		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: $suite
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
		apt_updated=0
	done
}

# verify_orig DIR PACKAGE: the .orig tarball of the one .dsc in DIR against
# the .dsc's Checksums-Sha256, as dpkg-source would check it.
verify_orig() {
	local dir=$1 pkg=$2 dsc tarball want got
	dsc=$(ls "$dir/${pkg}_"*.dsc)
	tarball=$(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 }
		on && $3 ~ /\.orig\.tar\.[a-z0-9]+$/ { print $3; exit }' "$dsc")
	want=$(awk -v f="$tarball" '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 }
		on && $3 == f { print $1 }' "$dsc")
	if [ -z "$tarball" ] || [ ! -f "$dir/$tarball" ]; then echo "no orig tarball for $dsc"; return 1; fi
	got=$(sha256sum "$dir/$tarball" | cut -d' ' -f1)
	echo "$tarball: sha256 $got, the .dsc says $want"
	[ "$got" = "$want" ]
}

# fetch PACKAGE SUITE: Debian's source package into $work/dl/PACKAGE,
# reused when it is there and verifies.
fetch() {
	local pkg=$1 suite=$2 dir=$work/dl/$1
	if ls "$dir/${pkg}_"*.dsc >/dev/null 2>&1 && verify_orig "$dir" "$pkg" >/dev/null 2>&1; then
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	# apt drops privileges to _apt for the download where it can.
	chown _apt "$dir" 2>/dev/null || true
	# The lists may already know the package; if not, refresh them.
	(cd "$dir" && apt-get source -q --download-only "$pkg/$suite") ||
		{ apt_updated=0; apt_update; (cd "$dir" && apt-get source -q --download-only "$pkg/$suite"); }
}

# Empty the scratch directory, but only one this script made.
if [ -d "$work" ] && [ -n "$(ls -A "$work")" ] && [ ! -f "$work/.check-musl-patches" ]; then
	echo "$0: $work is not empty and not ours; set WORK elsewhere" >&2
	exit 2
fi
mkdir -p "$work"
find "$work" -mindepth 1 -maxdepth 1 ! -name dl ! -name .check-musl-patches -exec rm -rf {} +
touch "$work/.check-musl-patches"
mkdir -p "$work/log"

say "tools"
need_packages debian-archive-keyring git gcc g++ make xz-utils pkg-config \
	check linux-libc-dev qemu-user ${cross:+clang-16}

say "sources: musl $musl_version (Debian trixie) and Check (Debian bookworm)"
add_deb_src trixie bookworm
fetch musl trixie || fatal "apt-get source musl/trixie"
fetch check bookworm || fatal "apt-get source check/bookworm"
check "musl's orig tarball matches Debian's .dsc" verify_orig "$work/dl/musl" musl || finish
check "Check's orig tarball matches Debian's .dsc" verify_orig "$work/dl/check" check || finish
musl_tarball=$work/dl/musl/musl_$musl_version.orig.tar.gz
check "musl's orig tarball is upstream musl $musl_version" \
	sh -c "sha256sum '$musl_tarball' | grep -q '^$musl_sha256 '" || finish

# --- the series --------------------------------------------------------------

say "the series on a pristine musl $musl_version"
tree=$work/musl
mkdir -p "$tree"
tar -xzf "$musl_tarball" -C "$tree" --strip-components=1
git -C "$tree" init -q
git -C "$tree" config user.name check-musl-patches
git -C "$tree" config user.email check-musl-patches@invalid
git -C "$tree" add -A
git -C "$tree" commit -q -m "musl $musl_version"
git -C "$tree" tag "v$musl_version"

patches=("$here"/0[0-9][0-9][0-9]-*.patch)
series=()
for p in "${patches[@]}"; do
	case $p in */0000-cover-letter.patch) continue ;; esac
	series+=("$p")
done
[ ${#series[@]} -gt 0 ] || fatal "no patches in $here"
check "the cover letter is there and filled in" \
	sh -c "grep -q '^Subject: ' '$here/0000-cover-letter.patch' && ! grep -q '\*\*\* .* HERE \*\*\*' '$here/0000-cover-letter.patch'"

# patch_style PATCH: musl's commit style, and what git am would not catch.
patch_style() {
	local subject
	subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$1")
	echo "subject: $subject"
	[[ $subject =~ ^[a-z0-9_./-]+:\ [a-z0-9] ]] || { echo "subject is not 'component: what'"; return 1; }
	[[ ! $subject =~ \.$ ]] || { echo "subject ends with a period"; return 1; }
	! grep -q '^Signed-off-by:' "$1" || { echo "has a Signed-off-by line"; return 1; }
	# a body that says why: some prose between the subject and the ---
	[ "$(awk '/^Subject:/ { s = 1; next } s && /^---$/ { exit } s && NF { n++ } END { print n + 0 }' "$1")" -ge 2 ] ||
		{ echo "no body"; return 1; }
}

# The objects a commit can affect: the files it changed, and the sources
# that include a header it changed (musl's Makefile tracks no header
# dependencies but a few internal ones).
affected_sources() {
	local f h
	for f in $(git -C "$tree" diff --name-only HEAD~1 HEAD); do
		case $f in
		src/*.c) [ -f "$tree/$f" ] && echo "$f" ;;
		include/*.h) h=${f#include/}
			(cd "$tree" && grep -rlE "#include <$h>" src --include='*.c') || true ;;
		src/include/*.h) h=${f#src/include/}
			(cd "$tree" && grep -rlE "#include <$h>" src --include='*.c') || true ;;
		src/*.h) h=${f##*/}
			(cd "$tree" && grep -rlE "#include \"$h\"" "$(dirname "$f")" --include='*.c') || true ;;
		# the generated syscall list, compiled through the syscall() wrapper
		arch/*/bits/syscall.h.in) echo src/misc/syscall.c ;;
		esac
	done | sort -u
}

# A native build tree, kept from the pristine tree through every step.
native=$work/build-native
mkdir -p "$native"
(cd "$native" && "$tree/configure" --prefix="$work/unused" >configure.log 2>&1) ||
	fatal "configure musl $musl_version (log: $native/configure.log)"
check "musl $musl_version builds as released" make -C "$native" -j"$jobs" || finish
nm -D --defined-only "$native/lib/libc.so" | awk '{ print $3 }' | sort -u >"$work/symbols.base"

# Compile-only trees for other ports; the size and alignment of the spawn
# types there, as released, for the ABI check at the end.
abi_probe() { # DIR CC...: prints "type size align" for the spawn types
	local dir=$1 arch
	shift
	arch=$(sed -n 's/^ARCH = //p' "$dir/config.mak")
	make -s -C "$dir" obj/include/bits/alltypes.h obj/include/bits/syscall.h >/dev/null
	printf '#include <spawn.h>\n%s\n' \
		'posix_spawnattr_t abi_attr; posix_spawn_file_actions_t abi_fa;' \
		'char abi_attr_align[_Alignof(posix_spawnattr_t)], abi_fa_align[_Alignof(posix_spawn_file_actions_t)];' |
		"$@" -std=c11 -nostdinc -ffreestanding -fno-common -I"$tree/arch/$arch" -I"$tree/arch/generic" \
			-I"$dir/obj/include" -I"$tree/include" -x c -c -o "$dir/abi.o" -
	nm -S "$dir/abi.o" | awk '$4 ~ /^abi_/ { print $4, $2 }' | while read -r sym size; do
		echo "$sym $((16#$size))"
	done | sort
}
declare -A cross_cc=()
for pair in $cross; do
	t=${pair%%:*}
	dir=$work/build-$t
	mkdir -p "$dir"
	if (cd "$dir" && "$tree/configure" --target="$t" CC="clang-16 --target=${pair##*:}" >configure.log 2>&1); then
		cross_cc[$t]="clang-16 --target=${pair##*:}"
	else
		bad "configure musl for $t with clang-16 (log: $dir/configure.log)"
	fi
done
abi_probe "$native" gcc >"$work/abi.base.native"
for t in "${!cross_cc[@]}"; do
	# shellcheck disable=SC2086 # the compiler and its options
	abi_probe "$work/build-$t" ${cross_cc[$t]} >"$work/abi.base.$t"
done

# cross_compile SOURCES...: the objects of these sources for every port,
# two ports at a time.
cross_compile() {
	local t objs=() s running=0 rc=0
	for s in "$@"; do objs+=("obj/${s%.c}.o"); done
	for t in "${!cross_cc[@]}"; do
		(
			cd "$work/build-$t" || exit 1
			rm -f "${objs[@]}"
			if ! make -s -j1 "${objs[@]}" >"$work/log/cross-$t.log" 2>&1; then
				echo "$t:"
				tail -n 20 "$work/log/cross-$t.log"
				exit 1
			fi
		) &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then wait -n || rc=1; running=$((running - 1)); fi
	done
	while [ "$running" -gt 0 ]; do wait -n || rc=1; running=$((running - 1)); done
	return "$rc"
}

# New compiler warnings in the sources a step touched.
no_new_warnings() { # LOG SOURCES...
	local log=$1 s
	shift
	for s in "$@"; do
		if grep -F "$s:" "$log" | grep -q 'warning:'; then grep -F "$s:" "$log" | grep 'warning:'; return 1; fi
	done
}

for p in "${series[@]}"; do
	name=${p##*/}
	say "$name"
	check "$name: musl's commit style" patch_style "$p" || true
	check "$name: applies exactly (git apply --check)" git -C "$tree" apply --check "$p" || fatal "$name does not apply"
	check "$name: git am" git -C "$tree" am -q --whitespace=error "$p" || fatal "git am $name"
	mapfile -t sources < <(affected_sources)
	for s in "${sources[@]}"; do rm -f "$native/obj/${s%.c}.o" "$native/obj/${s%.c}.lo"; done
	if check "$name: musl builds (make, ${#sources[@]} objects redone)" \
		sh -c "make -C '$native' -j'$jobs' >'$work/log/native.log' 2>&1 || { tail -n 30 '$work/log/native.log'; exit 1; }"; then
		check "$name: no new warnings in the objects it touches" \
			no_new_warnings "$work/log/native.log" "${sources[@]}" || true
		check "$name: libc.so has no undefined symbols" \
			sh -c "! nm -D --undefined-only '$native/lib/libc.so' | grep ." || true
	fi
	if [ ${#cross_cc[@]} -gt 0 ] && [ ${#sources[@]} -gt 0 ]; then
		check "$name: its objects compile for ${#cross_cc[@]} other ports" cross_compile "${sources[@]}" || true
	fi
done

# --- the patched musl, installed -----------------------------------------------

say "musl with the series: a fresh build, installed"
prefix=$work/prefix
final=$work/build-final
mkdir -p "$final"
# syslibdir inside the prefix: dynamic programs get the patched loader.
check "patched musl builds from scratch and installs into $prefix" sh -c "
	cd '$final' && '$tree/configure' --prefix='$prefix' --syslibdir='$prefix/lib' &&
	make -j'$jobs' && make install" || finish
musl_gcc=$prefix/bin/musl-gcc

nm -D --defined-only "$prefix/lib/libc.so" | awk '{ print $3 }' | sort -u >"$work/symbols.final"
tr ' ' '\n' <<<"$new_symbols" | grep . | sort >"$work/symbols.expected"
check "libc.so exports exactly the new symbols in addition" sh -c "
	comm -13 '$work/symbols.base' '$work/symbols.final' | diff -u '$work/symbols.expected' - &&
	comm -23 '$work/symbols.base' '$work/symbols.final' | diff -u /dev/null -" || true

abi_same() { # NAME DIR CC...
	local name=$1 dir=$2
	shift 2
	abi_probe "$dir" "$@" >"$work/abi.final.$name"
	cat "$work/abi.final.$name"
	[ -s "$work/abi.final.$name" ] && diff -u "$work/abi.base.$name" "$work/abi.final.$name"
}
check "x86_64: the spawn types keep their size and alignment" abi_same native "$final" gcc || true
for t in "${!cross_cc[@]}"; do
	# shellcheck disable=SC2086 # the compiler and its options
	check "$t: the spawn types keep their size and alignment" abi_same "$t" "$work/build-$t" ${cross_cc[$t]} || true
done

# headers CFLAGS...: both headers compile alone, warning-free, in that mode.
headers() {
	printf '#include <spawn.h>\n#include <sys/pidfd.h>\n' | "$musl_gcc" -Wall -Wextra -Werror -fsyntax-only "$@" -x c -
}
check "headers: strict ISO C99" headers -std=c99 -pedantic || true
check "headers: POSIX.1-2008" headers -std=c99 -D_POSIX_C_SOURCE=200809L || true
check "headers: _GNU_SOURCE, C11" headers -std=c11 -D_GNU_SOURCE || true
check "headers: C++ (g++)" sh -c "printf '#include <spawn.h>\n#include <sys/pidfd.h>\n' |
	g++ -nostdinc -isystem '$prefix/include' -Wall -Wextra -Werror -fsyntax-only -x c++ -" || true
# An extension declared in strict mode would clash with this definition.
check "headers: the extensions are hidden in strict ISO C" sh -c "
	printf '#include <spawn.h>\nint pidfd_spawn, posix_spawnattr_setpidfd, posix_spawn_file_actions_addclosefrom_np;\n' |
	'$musl_gcc' -std=c99 -pedantic -Werror -fsyntax-only -x c -" || true
check "headers: POSIX.1-2024's addchdir and addfchdir are declared in strict ISO C" sh -c "
	printf '#include <spawn.h>\nint f(posix_spawn_file_actions_t *fa)\n{\n%s\n}\n' \
		'return posix_spawn_file_actions_addchdir(fa, \"/\") + posix_spawn_file_actions_addfchdir(fa, 0);' |
	'$musl_gcc' -std=c99 -pedantic -Werror -fsyntax-only -x c -" || true

# --- the shared test suites ----------------------------------------------------

say "Check, built with the patched musl"
mkdir -p "$work/check-src"
tar -xzf "$work/dl/check/"check_*.orig.tar.gz -C "$work/check-src" --strip-components=1
checkdir=$work/check
check "Check builds with the patched musl-gcc (static)" sh -c "
	cd '$work/check-src' &&
	./configure -q CC='$musl_gcc' --prefix='$checkdir' --disable-shared --enable-static \
		--disable-subunit --disable-build-docs &&
	make -C lib -j'$jobs' && make -C src -j'$jobs' && make -C src install && make install-includeHEADERS" || finish

say "the spawnfd build tree: libspawnfd, the helper and the tool"
check "libspawnfd, test/helper and tools/spawnfd are built in $builddir" \
	make -C "$builddir" -j"$jobs" libspawnfd.la test/helper tools/spawnfd || finish
helper=$builddir/test/helper

t=$work/tests
mkdir -p "$t/shim" "$t/musl" "$t/lib" "$t/kernel"
# <spawnfd.h> for the musl build: everything comes from the C library.
cat >"$t/shim/spawnfd.h" <<'EOF'
/* The tests' spawnfd.h for the patched musl: the C library declares all. */
#include <spawn.h>
#include <sys/pidfd.h>
EOF
# musl-gcc searches musl's headers alone; the tests want the kernel's too.
ln -s /usr/include/linux "$t/kernel/linux"
ln -s /usr/include/asm-generic "$t/kernel/asm-generic"
ln -s "/usr/include/$(gcc -print-multiarch)/asm" "$t/kernel/asm"
# What the tests take from glibc and musl does not give: close_range()
# (glibc 2.34), and a working sched_setscheduler(), which musl makes a
# stub because the syscall acts on one thread; the tests call it only in
# their own single-threaded process. Not the code under test either way.
cat >"$t/compat.c" <<'EOF'
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>

__attribute__((__weak__)) int close_range(unsigned lo, unsigned hi, int flags)
{
	return syscall(SYS_close_range, lo, hi, flags);
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
	return syscall(SYS_sched_setscheduler, pid, policy, param);
}
EOF
{
	echo '/* Generated by check-musl-patches.sh: the suites shared with musl. */'
	echo '#include <stdlib.h>'
	echo '#include <check.h>'
	for s in $suites; do echo "Suite *suite_$s(void);"; done
	echo 'int main(void)'
	echo '{'
	echo '	SRunner *sr = srunner_create(0);'
	echo '	int failed;'
	for s in $suites; do echo "	srunner_add_suite(sr, suite_$s());"; done
	echo '	srunner_run_all(sr, CK_VERBOSE);'
	echo '	failed = srunner_ntests_failed(sr);'
	echo '	srunner_free(sr);'
	echo '	return failed ? EXIT_FAILURE : EXIT_SUCCESS;'
	echo '}'
} >"$t/runner.c"

# The tests that do not apply to the patched musl (excluded-tests says
# why) are blanked out of copies of the test files, lines kept in place.
excluded=$(awk '!/^#/ && NF { print $2 }' "$here/excluded-tests" | tr '\n' ' ')
sources=("$t/runner.c" "$srcdir/test/common.c")
for s in $suites; do
	awk -v drop="$excluded" '
		BEGIN { n = split(drop, d, " "); for (i = 1; i <= n; i++) skip[d[i]] = 1 }
		/^START_TEST\(/ {
			name = $0; sub(/^START_TEST\( */, "", name); sub(/ *\).*/, "", name)
			if (name in skip) { dropping = 1; print name > "/dev/stderr" }
		}
		dropping { if (/^END_TEST/) dropping = 0; print ""; next }
		/tcase_add_[a-z_]*test[a-z_]*\(/ {
			name = $0; sub(/.*tcase_add_[a-z_]*test[a-z_]*\([^,]*, */, "", name); sub(/[ ,)].*/, "", name)
			if (name in skip) { print ""; next }
		}
		{ print }' "$srcdir/test/test_$s.c" >"$t/test_$s.c" 2>>"$t/dropped"
	sources+=("$t/test_$s.c")
done
check "excluded-tests names only tests that exist in the shared suites" sh -c "
	awk '!/^#/ && NF { print \$2 }' '$here/excluded-tests' | sort >'$t/want-dropped'
	sort '$t/dropped' | diff -u '$t/want-dropped' -" || true

check "the shared suites build against the patched musl alone" \
	"$musl_gcc" -static -O1 -g -D_GNU_SOURCE -isystem "$t/kernel" -I"$t/shim" -I"$srcdir/test" \
	-I"$checkdir/include" -o "$t/musl/check_musl" "${sources[@]}" "$t/compat.c" \
	-L"$checkdir/lib" -lcheck -pthread || finish
lib=$builddir/.libs/libspawnfd.a
[ -f "$lib" ] || lib="-L$builddir/.libs -lspawnfd -Wl,-rpath,$builddir/.libs"
# shellcheck disable=SC2086,SC2046 # word lists
check "the same suites build against libspawnfd" \
	gcc -O1 -g -D_GNU_SOURCE -I"$srcdir/include" -I"$srcdir/test" -o "$t/lib/check_lib" \
	"${sources[@]}" $lib $(pkg-config --cflags --libs check) -pthread || finish
# Kernels before 5.3 as the library meets them, through clone; the
# patched musl has no other way.
cat >"$t/noclone3.c" <<'EOF'
/* Runs a program with clone3 failing ENOSYS, as before Linux 5.3. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof insns / sizeof *insns, .filter = insns };

	if (argc < 2 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
	    || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("noclone3");
		return 127;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
EOF
check "the clone3 blocker builds" gcc -O1 -o "$t/noclone3" "$t/noclone3.c" || finish

# run NAME COMMAND...: runs the suites; NAME.results gets "tcase:test:iteration
# P|F|E", one line a test.
run() {
	local name=$1
	shift
	(cd "$t" && SPAWNFD_HELPER=$helper SPAWNFD_TOOL=$builddir/tools/spawnfd \
		timeout 600 "$@" >"$t/$name.out" 2>&1) || true
	# P passed, F failed, E error; S a failure in a checked fixture
	# (such as the leak check) after the test body passed.
	awk -F: '$3 ~ /^[A-Z]$/ && NF >= 6 { print $4 ":" $5 ":" $6, $3 }' "$t/$name.out" | sort >"$t/$name.results"
	# Check's own count, so that a crash cannot hide a test.
	[ -s "$t/$name.results" ] &&
		grep -q "Checks: $(wc -l <"$t/$name.results")," "$t/$name.out"
}
runs="musl musl-qemu lib lib-noclone3 lib-qemu"
say "running the suites: the patched musl, natively and under qemu-x86_64; libspawnfd, also without clone3 and under qemu-x86_64"
run musl "$t/musl/check_musl" || bad "the musl run did not report every test (see $t/musl.out)"
run musl-qemu qemu-x86_64 "$t/musl/check_musl" || bad "the musl run under qemu did not report every test (see $t/musl-qemu.out)"
run lib "$t/lib/check_lib" || bad "the libspawnfd run did not report every test (see $t/lib.out)"
run lib-noclone3 "$t/noclone3" "$t/lib/check_lib" || bad "the libspawnfd run without clone3 did not report every test (see $t/lib-noclone3.out)"
run lib-qemu qemu-x86_64 "$t/lib/check_lib" || bad "the libspawnfd run under qemu did not report every test (see $t/lib-qemu.out)"
[ -s "$t/musl.results" ] || finish

# Every test of the musl run is a check; every run must pass the same
# tests as it, no more and no fewer.
while read -r key result; do
	if [ "$result" = P ]; then ok "musl: $key"; else bad "musl: $key"; grep -F ":$key" "$t/musl.out" || true; fi
done <"$t/musl.results"
for r in $runs; do
	[ "$r" = musl ] && continue
	[ -f "$t/$r.results" ] || continue
	if diff -u "$t/musl.results" "$t/$r.results" >"$t/$r.diff"; then
		ok "$r: the same $(wc -l <"$t/$r.results") tests pass as with the patched musl"
	else
		bad "$r: per-test outcomes differ from the patched musl's (- musl, + $r)"
		grep '^[-+][^-+]' "$t/$r.diff" || true
		grep -E ':[A-OQ-Z]:' "$t/$r.out" || true
	fi
done
finish
