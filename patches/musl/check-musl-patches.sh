#!/bin/bash
# check-musl-patches.sh SRCDIR BUILDDIR: applies the musl patch series in
# this directory to two bases, musl 1.2.5 (Debian's pristine orig tarball)
# and a snapshot of musl's master; builds musl after every patch; installs
# the series' glibc-compatible prefix (every patch before the extension)
# and the whole series; and runs the shared Check suites against each, and
# against libspawnfd, which must pass the same tests. SRCDIR is the spawnfd
# source tree, BUILDDIR a configured spawnfd build tree (its libspawnfd,
# test/helper and tools/spawnfd are used and made if missing). For a fresh
# Debian 12 machine, as root; README in this directory says what each step
# checks. Environment: WORK (scratch directory, default
# /tmp/spawnfd-musl-patches, emptied first but for the verified downloads),
# JOBS (default: the number of CPUs), MUSL_CROSS (the clang targets the
# changed objects are also compiled for on 1.2.5; "none" for none),
# MUSL_MASTER (the master snapshot tarball; by default looked for in
# ../shared/musl next to SRCDIR or next to the tree SRCDIR was cloned from).
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
# musl's master at 86373b49 (2025-05-27), made with git archive; the
# digest recorded when the snapshot was taken.
master_name=musl-v1.2.5-89-g86373b49
master_sha256=66274da53da18d39f0c90c23330a0038c69d482b5a1760b32afce08c3be31f47
# The suites run against both C libraries (test/test_<suite>.c); the
# patched musl also runs test_musl.c of this directory.
suites="attr file_actions spawn spawnp pidfd fallback threads"
# What the series adds to libc.so, and nothing else may change there; the
# prefix adds all but the extension's two.
extension_symbols="posix_spawnattr_getpidfd posix_spawnattr_setpidfd"
new_symbols="pidfd_getfd pidfd_getpid pidfd_open pidfd_send_signal pidfd_spawn
pidfd_spawnp posix_spawn_file_actions_addchdir posix_spawn_file_actions_addclosefrom_np
posix_spawn_file_actions_addfchdir posix_spawn_file_actions_addtcsetpgrp_np
$extension_symbols"
# The patches that apply, alone, to a pristine 1.2.5 (the cover letter
# says so), and the one that starts the extension: the ones before it are
# the glibc-compatible prefix, the ones after it optional.
alone="0001 0002 0003 0006"
extension_subject="posix_spawnattr_setpidfd"
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

# Counts per scope: each base, and what is common to both (tools,
# sources, the library's runs).
declare -A passed=() failed=()
scopes="common 1.2.5 master"
scope=common
for s in $scopes; do passed[$s]=0 failed[$s]=0; done
say() { printf '==> [%d s] %s\n' $((SECONDS - start)) "$*"; }
ok() { passed[$scope]=$((passed[$scope] + 1)); printf 'ok: [%s] %s\n' "$scope" "$*"; }
bad() { failed[$scope]=$((failed[$scope] + 1)); printf 'FAIL: [%s] %s\n' "$scope" "$*"; }
finish() {
	local s line='' p=0 f=0
	for s in $scopes; do
		line="$line$s: ${passed[$s]} passed, ${failed[$s]} failed; "
		p=$((p + passed[$s])) f=$((f + failed[$s]))
	done
	printf 'musl-patches: %sall: %d passed, %d failed (%d s)\n' "$line" "$p" "$f" $((SECONDS - start))
	[ "$f" = 0 ]
	exit
}
# A failure that leaves nothing further to check.
fatal() { bad "$*"; finish; }
# check DESCRIPTION COMMAND...: one counted check; its output goes to a log
# shown when it fails.
nlog=0
check() {
	local what=$1 log=$work/log/$((nlog += 1)).log
	shift
	if "$@" >"$log" 2>&1; then ok "$what"; else bad "$what"; tail -n 40 "$log"; return 1; fi
}

[ "$(id -u)" = 0 ] || { echo "$0: run as root: it installs packages and adds apt sources" >&2; exit 2; }

# --- tools and sources -----------------------------------------------------

# Other jobs on the machine may hold apt's locks for a while.
aptget() { apt-get -o DPkg::Lock::Timeout=900 "$@"; }
apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return
	# An unrelated index that fails (say bookworm-security for a foreign
	# architecture) must not stop us: retry once, then go on with what
	# was fetched; a missing source shows up at apt-get source.
	aptget update -q || { sleep 5; aptget update -q; } || say "apt-get update reported errors; going on"
	apt_updated=1
}

need_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return
	apt_update
	aptget install -y -q --no-install-recommends "${missing[@]}"
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
	(cd "$dir" && aptget source -q --download-only "$pkg/$suite") ||
		{ apt_updated=0; apt_update; (cd "$dir" && aptget source -q --download-only "$pkg/$suite"); }
}


# The master snapshot: MUSL_MASTER, or ../shared/musl next to the source
# tree or next to the tree it was cloned from.
find_master() {
	local d
	if [ -n "${MUSL_MASTER:-}" ]; then echo "$MUSL_MASTER"; return; fi
	for d in "$srcdir/.." "$(git -C "$srcdir" config remote.origin.url 2>/dev/null)/.."; do
		[ -f "$d/shared/musl/$master_name.tar.gz" ] && { echo "$d/shared/musl/$master_name.tar.gz"; return; }
	done
	return 1
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

say "sources: musl $musl_version (Debian trixie), musl's master ($master_name) and Check (Debian bookworm)"
add_deb_src trixie bookworm
fetch musl trixie || fatal "apt-get source musl/trixie"
fetch check bookworm || fatal "apt-get source check/bookworm"
check "musl's orig tarball matches Debian's .dsc" verify_orig "$work/dl/musl" musl || finish
check "Check's orig tarball matches Debian's .dsc" verify_orig "$work/dl/check" check || finish
declare -A tarball=()
tarball[1.2.5]=$work/dl/musl/musl_$musl_version.orig.tar.gz
check "musl's orig tarball is upstream musl $musl_version" \
	sh -c "sha256sum '${tarball[1.2.5]}' | grep -q '^$musl_sha256 '" || finish
scope=master
if tarball[master]=$(find_master); then
	check "the master snapshot $master_name has its recorded sha256" \
		sh -c "sha256sum '${tarball[master]}' | grep -q '^$master_sha256 '" || finish
else
	fatal "no $master_name.tar.gz in ../shared/musl next to $srcdir or its origin; set MUSL_MASTER"
fi
scope=common

# --- the series --------------------------------------------------------------

patches=("$here"/0[0-9][0-9][0-9]-*.patch)
series=() prefix=() optional=()
for p in "${patches[@]}"; do
	case $p in */0000-cover-letter.patch) continue ;; esac
	series+=("$p")
done
[ ${#series[@]} -gt 0 ] || fatal "no patches in $here"
for p in "${series[@]}"; do
	if [ -n "${ext:-}" ]; then optional+=("$p")
	elif grep -q "^Subject: .*$extension_subject" "$p"; then ext=$p
	else prefix+=("$p")
	fi
done
[ -n "${ext:-}" ] || fatal "no patch with $extension_subject in its subject"
check "the cover letter is there and filled in" \
	sh -c "grep -q '^Subject: ' '$here/0000-cover-letter.patch' && ! grep -q '\*\*\* .* HERE \*\*\*' '$here/0000-cover-letter.patch'"

# patch_style PATCH: musl's commit style, and what git am would not catch.
patch_style() {
	local subject
	subject=$(sed -n '/^Subject: /{N;s/\n / /;s/^Subject: \[PATCH[^]]*\] //;s/\n.*//;p}' "$1")
	echo "subject: $subject"
	# lower case, "component: what" or a plain "add ..."/"fix ...", no period
	[[ $subject =~ ^([a-z0-9_./-]+:\ )?[a-z0-9] ]] || { echo "subject is not lower-case 'component: what'"; return 1; }
	[[ ! $subject =~ \.$ ]] || { echo "subject ends with a period"; return 1; }
	! grep -q '^Signed-off-by:' "$1" || { echo "has a Signed-off-by line"; return 1; }
	! grep -Eq '^From: .*(example|placeholder|Seed )' "$1" || { echo "placeholder author"; return 1; }
	# a body that says why: some prose between the subject and the ---
	[ "$(awk '/^Subject:/ { s = 1; next } s && /^---$/ { exit } s && NF { n++ } END { print n + 0 }' "$1")" -ge 4 ] ||
		{ echo "no body"; return 1; }
	# musl's log: the body starts lower-case (names such as POSIX aside)
	awk '/^Subject:/ { s = 1; next } s && /^$/ { b = 1; next } b && NF { exit $0 ~ /^[A-Z][a-z]/ }' "$1" ||
		{ echo "the body starts with a capital"; return 1; }
}
for p in "${series[@]}"; do
	check "${p##*/}: musl's commit style" patch_style "$p" || true
done
# musl's own v1.2.5 commit, which the local tree made from the tarball
# stands for.
check "the series is based on musl's v$musl_version (git format-patch --base)" \
	grep -q '^base-commit: 0784374d561435f7c787a555aeab8ede699ed298$' "$here/0000-cover-letter.patch" || true

# The objects a commit can affect: the files it changed, and the sources
# that include a header it changed (musl's Makefile tracks no header
# dependencies but a few internal ones).
affected_sources() { # TREE
	local f h
	for f in $(git -C "$1" diff --name-only HEAD~1 HEAD); do
		case $f in
		src/*.c) [ -f "$1/$f" ] && echo "$f" ;;
		include/*.h) h=${f#include/}
			(cd "$1" && grep -rlE "#include <$h>" src --include='*.c') || true ;;
		src/include/*.h) h=${f#src/include/}
			(cd "$1" && grep -rlE "#include <$h>" src --include='*.c') || true ;;
		src/*.h) h=${f##*/}
			(cd "$1" && grep -rlE "#include \"$h\"" "$(dirname "$f")" --include='*.c') || true ;;
		# the generated syscall list, compiled through the syscall() wrapper
		arch/*/bits/syscall.h.in) echo src/misc/syscall.c ;;
		esac
	done | sort -u
}

abi_probe() { # TREE DIR CC...: prints "type size align" for the spawn types
	local tree=$1 dir=$2 arch
	shift 2
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

# cross_compile SOURCES...: the objects of these sources for every port,
# JOBS ports at a time.
cross_compile() {
	local t objs=() s running=0 rc=0
	for s in "$@"; do objs+=("obj/${s%.c}.o"); done
	for t in "${!cross_cc[@]}"; do
		(
			cd "$work/1.2.5/build-$t" || exit 1
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

# install_from BUILD PREFIX: installs what the build tree has built into
# PREFIX, with a musl-gcc that points there.
install_from() {
	rm -f "$1/lib/musl-gcc.specs" "$1/obj/musl-gcc"
	make -C "$1" -j"$jobs" install prefix="$2" syslibdir="$2/lib"
}

# exports BASE-SYMBOLS LIBC EXPECTED...: libc.so adds exactly these.
exports() {
	local base=$1 libc=$2
	shift 2
	nm -D --defined-only "$libc" | awk '{ print $3 }' | sort -u >"$base.now"
	tr ' ' '\n' <<<"$*" | grep . | sort >"$base.want"
	comm -13 "$base" "$base.now" | diff -u "$base.want" - &&
		comm -23 "$base" "$base.now" | diff -u /dev/null -
}

declare -A cross_cc=()
# series_on BASE: the series on a pristine tree of BASE, patch by patch;
# installs the prefix into $work/BASE/prefix and everything into
# $work/BASE/full. Cross builds only on 1.2.5.
series_on() {
	local base=$1 dir=$work/$1 tree native p name t s pair sources
	scope=$base
	tree=$dir/musl native=$dir/build
	say "[$base] the series on a pristine tree"
	mkdir -p "$tree" "$native"
	tar -xzf "${tarball[$base]}" -C "$tree" --strip-components=1
	git -C "$tree" init -q
	git -C "$tree" config user.name check-musl-patches
	git -C "$tree" config user.email check-musl-patches@invalid
	git -C "$tree" add -A
	git -C "$tree" commit -q -m "musl $base"
	git -C "$tree" tag base
	(cd "$native" && "$tree/configure" --prefix="$dir/unused" >configure.log 2>&1) ||
		fatal "configure musl $base (log: $native/configure.log)"
	check "musl $base builds as it is" make -C "$native" -j"$jobs" || finish
	nm -D --defined-only "$native/lib/libc.so" | awk '{ print $3 }' | sort -u >"$dir/symbols"
	abi_probe "$tree" "$native" gcc >"$dir/abi.native"
	if [ "$base" = 1.2.5 ]; then
		for pair in $cross; do
			t=${pair%%:*}
			mkdir -p "$dir/build-$t"
			if (cd "$dir/build-$t" && "$tree/configure" --target="$t" CC="clang-16 --target=${pair##*:}" >configure.log 2>&1); then
				cross_cc[$t]="clang-16 --target=${pair##*:}"
				# shellcheck disable=SC2086 # the compiler and its options
				abi_probe "$tree" "$dir/build-$t" ${cross_cc[$t]} >"$dir/abi.$t"
			else
				bad "configure musl for $t with clang-16 (log: $dir/build-$t/configure.log)"
			fi
		done
		for name in $alone; do
			for p in "$here/$name"-*.patch; do
				check "${p##*/} applies alone to pristine $base" git -C "$tree" apply --check "$p" || true
			done
		done
	fi
	for p in "${series[@]}"; do
		name=${p##*/}
		if [ "$p" = "$ext" ]; then
			say "[$base] the glibc-compatible prefix, installed"
			check "the prefix installs into $dir/prefix" install_from "$native" "$dir/prefix" || finish
			check "the prefix adds to libc.so exactly the new functions but the extension's" \
				exports "$dir/symbols" "$dir/prefix/lib/libc.so" \
				"$(tr ' ' '\n' <<<"$new_symbols" | grep -vxF -f <(tr ' ' '\n' <<<"$extension_symbols"))" || true
			# Every optional patch must apply without the extension.
			for s in "${optional[@]}"; do
				check "${s##*/} applies to the prefix without the extension" \
					git -C "$tree" apply --check "$s" || true
			done
		fi
		say "[$base] $name"
		check "$name: applies exactly (git apply --check)" git -C "$tree" apply --check "$p" || fatal "$name does not apply"
		check "$name: git am" git -C "$tree" am -q --whitespace=error "$p" || fatal "git am $name"
		mapfile -t sources < <(affected_sources "$tree")
		for s in "${sources[@]}"; do rm -f "$native/obj/${s%.c}.o" "$native/obj/${s%.c}.lo"; done
		if check "$name: musl builds (make, ${#sources[@]} objects redone)" \
			sh -c "make -C '$native' -j'$jobs' >'$work/log/native.log' 2>&1 || { tail -n 30 '$work/log/native.log'; exit 1; }"; then
			check "$name: no new warnings in the objects it touches" \
				no_new_warnings "$work/log/native.log" "${sources[@]}" || true
			check "$name: libc.so has no undefined symbols" \
				sh -c "! nm -D --undefined-only '$native/lib/libc.so' | grep ." || true
		fi
		if [ "$base" = 1.2.5 ] && [ ${#cross_cc[@]} -gt 0 ] && [ ${#sources[@]} -gt 0 ]; then
			check "$name: its objects compile for ${#cross_cc[@]} other ports" cross_compile "${sources[@]}" || true
		fi
	done

	say "[$base] the whole series, installed"
	if [ "$base" = 1.2.5 ]; then
		# A fresh build, against objects left stale by a missed dependency.
		mkdir -p "$dir/build-final"
		check "patched musl builds from scratch and installs into $dir/full" sh -c "
			cd '$dir/build-final' && '$tree/configure' --prefix='$dir/full' --syslibdir='$dir/full/lib' &&
			make -j'$jobs' && make install" || finish
		native=$dir/build-final
	else
		check "patched musl installs into $dir/full" install_from "$native" "$dir/full" || finish
	fi
	check "libc.so exports exactly the new functions in addition" \
		exports "$dir/symbols" "$dir/full/lib/libc.so" "$new_symbols" || true
	abi_same() { # NAME TREE DIR CC...
		local name=$1 tree=$2 bdir=$3
		shift 3
		abi_probe "$tree" "$bdir" "$@" >"$dir/abi.$name.final"
		cat "$dir/abi.$name.final"
		[ -s "$dir/abi.$name.final" ] && diff -u "$dir/abi.$name" "$dir/abi.$name.final"
	}
	check "x86_64: the spawn types keep their size and alignment" abi_same native "$tree" "$native" gcc || true
	if [ "$base" = 1.2.5 ]; then
		for t in "${!cross_cc[@]}"; do
			# shellcheck disable=SC2086 # the compiler and its options
			check "$t: the spawn types keep their size and alignment" \
				abi_same "$t" "$tree" "$dir/build-$t" ${cross_cc[$t]} || true
		done
	fi
	headers_on "$dir/full"
	scope=common
}

# headers_on PREFIX: spawn.h and sys/pidfd.h in every mode.
headers_on() {
	local musl_gcc=$1/bin/musl-gcc
	headers() { # CFLAGS...: both headers compile alone, warning-free, in that mode.
		printf '#include <spawn.h>\n#include <sys/pidfd.h>\n' | "$musl_gcc" -Wall -Wextra -Werror -fsyntax-only "$@" -x c -
	}
	check "headers: strict ISO C99" headers -std=c99 -pedantic || true
	check "headers: POSIX.1-2008" headers -std=c99 -D_POSIX_C_SOURCE=200809L || true
	check "headers: _GNU_SOURCE, C11" headers -std=c11 -D_GNU_SOURCE || true
	check "headers: C++ (g++)" sh -c "printf '#include <spawn.h>\n#include <sys/pidfd.h>\n' |
		g++ -nostdinc -isystem '$1/include' -Wall -Wextra -Werror -fsyntax-only -x c++ -" || true
	# An extension declared in strict mode would clash with this definition.
	check "headers: the extensions are hidden in strict ISO C" sh -c "
		printf '#include <spawn.h>\nint pidfd_spawn, posix_spawnattr_setpidfd, posix_spawn_file_actions_addclosefrom_np;\n' |
		'$musl_gcc' -std=c99 -pedantic -Werror -fsyntax-only -x c -" || true
	check "headers: POSIX.1-2024's addchdir and addfchdir are declared in strict ISO C" sh -c "
		printf '#include <spawn.h>\nint f(posix_spawn_file_actions_t *fa)\n{\n%s\n}\n' \
			'return posix_spawn_file_actions_addchdir(fa, \"/\") + posix_spawn_file_actions_addfchdir(fa, 0);' |
		'$musl_gcc' -std=c99 -pedantic -Werror -fsyntax-only -x c -" || true
}

series_on 1.2.5
series_on master

# --- the shared test suites ----------------------------------------------------

say "Check, built with the patched musl"
mkdir -p "$work/check-src"
tar -xzf "$work/dl/check/"check_*.orig.tar.gz -C "$work/check-src" --strip-components=1
checkdir=$work/check
check "Check builds with the patched musl-gcc (static)" sh -c "
	cd '$work/check-src' &&
	./configure -q CC='$work/1.2.5/full/bin/musl-gcc' --prefix='$checkdir' --disable-shared --enable-static \
		--disable-subunit --disable-build-docs &&
	make -C lib -j'$jobs' && make -C src -j'$jobs' && make -C src install && make install-includeHEADERS" || finish

say "the spawnfd build tree: libspawnfd, the helper and the tool"
check "libspawnfd, test/helper and tools/spawnfd are built in $builddir" \
	make -C "$builddir" -j"$jobs" libspawnfd.la test/helper tools/spawnfd || finish
helper=$builddir/test/helper

t=$work/tests
mkdir -p "$t/shim" "$t/kernel" "$t/full" "$t/prefix" "$t/lib"
# <spawnfd.h> for the musl build: everything comes from the C library.
cat >"$t/shim/spawnfd.h" <<'EOS'
/* The tests' spawnfd.h for the patched musl: the C library declares all. */
#include <spawn.h>
#include <sys/pidfd.h>
#ifdef MUSL_PREFIX
/* The prefix has no extension: the tests that use it are left out, and
 * these fail any other that reaches it. */
int posix_spawnattr_setpidfd(posix_spawnattr_t *, int *);
int posix_spawnattr_getpidfd(const posix_spawnattr_t *__restrict, int **__restrict);
#endif
EOS
# musl-gcc searches musl's headers alone; the tests want the kernel's too.
ln -s /usr/include/linux "$t/kernel/linux"
ln -s /usr/include/asm-generic "$t/kernel/asm-generic"
ln -s "/usr/include/$(gcc -print-multiarch)/asm" "$t/kernel/asm"
# What the tests take from glibc and musl does not give: close_range()
# (glibc 2.34), and a working sched_setscheduler(), which musl makes a
# stub because the syscall acts on one thread; the tests call it only in
# their own single-threaded process. Not the code under test either way.
cat >"$t/compat.c" <<'EOS'
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#ifdef MUSL_PREFIX
#include <check.h>
#include <spawn.h>
#endif

__attribute__((__weak__)) int close_range(unsigned lo, unsigned hi, int flags)
{
	return syscall(SYS_close_range, lo, hi, flags);
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
	return syscall(SYS_sched_setscheduler, pid, policy, param);
}

#ifdef MUSL_PREFIX
int posix_spawnattr_setpidfd(posix_spawnattr_t *attr, int *pidfd)
{
	ck_abort_msg("posix_spawnattr_setpidfd is not in the prefix");
	return 0;
}

int posix_spawnattr_getpidfd(const posix_spawnattr_t *restrict attr, int **restrict pidfd)
{
	ck_abort_msg("posix_spawnattr_getpidfd is not in the prefix");
	return 0;
}
#endif
EOS
# runner_for SUITES...: the Check runner for these suites.
runner_for() {
	local s
	echo '/* Generated by check-musl-patches.sh. */'
	echo '#include <stdlib.h>'
	echo '#include <check.h>'
	for s in "$@"; do echo "Suite *suite_$s(void);"; done
	echo 'int main(void)'
	echo '{'
	echo '	SRunner *sr = srunner_create(0);'
	echo '	int failed;'
	for s in "$@"; do echo "	srunner_add_suite(sr, suite_$s());"; done
	echo '	srunner_run_all(sr, CK_VERBOSE);'
	echo '	failed = srunner_ntests_failed(sr);'
	echo '	srunner_free(sr);'
	echo '	return failed ? EXIT_FAILURE : EXIT_SUCCESS;'
	echo '}'
}
# shellcheck disable=SC2086 # word lists
runner_for $suites >"$t/runner.c"
# shellcheck disable=SC2086
runner_for $suites musl >"$t/runner-musl.c"

# blank DIR DROP EXTRA: copies of the test files with the tests named in
# DROP blanked out (lines kept in place), and, when EXTRA is set, every
# test that reaches the extension too, by itself or through the file's
# own functions; DIR/dropped lists them ("NAME" or "NAME auto").
blank() {
	local out=$1 drop=$2 extra=$3 s
	: >"$out/dropped"
	for s in $suites; do
		awk -v drop="$drop" -v extra="$extra" '
			function uses(text, name,   i, rest, b, a) {
				rest = text
				while ((i = index(rest, name)) > 0) {
					b = i > 1 ? substr(rest, i - 1, 1) : " "
					a = substr(rest, i + length(name), 1)
					if (b !~ /[A-Za-z0-9_]/ && a !~ /[A-Za-z0-9_]/) return 1
					rest = substr(rest, i + length(name))
				}
				return 0
			}
			BEGIN { n = split(drop, d, " "); for (i = 1; i <= n; i++) skip[d[i]] = 1 }
			# A first pass cuts the file into blocks, tests and functions.
			FNR == NR {
				if (/^START_TEST\(/) {
					cur = $0; sub(/^START_TEST\( */, "", cur); sub(/ *\).*/, "", cur); test[cur] = 1
				} else if (/^[a-z].*[A-Za-z0-9_]+\(/ && !/;$/ && !cur) {
					cur = $0; sub(/\(.*/, "", cur); sub(/.*[^A-Za-z0-9_]/, "", cur)
				}
				if (cur) text[cur] = text[cur] "\n" $0
				if (/^END_TEST/ || /^}/) cur = ""
				next
			}
			FNR == 1 && extra {
				for (b in text) if (text[b] ~ /posix_spawnattr_[gs]etpidfd/) taint[b] = 1
				do {
					more = 0
					for (b in text) if (!(b in taint)) for (t in taint)
						if (!(t in test) && uses(text[b], t)) { taint[b] = 1; more = 1; break }
				} while (more)
				for (b in taint) if (b in test) { skip[b] = 1; auto[b] = 1 }
			}
			/^START_TEST\(/ {
				name = $0; sub(/^START_TEST\( */, "", name); sub(/ *\).*/, "", name)
				if (name in skip) { dropping = 1; print name (name in auto ? " auto" : "") > "/dev/stderr" }
			}
			dropping { if (/^END_TEST/) dropping = 0; print ""; next }
			/tcase_add_[a-z_]*test[a-z_]*\(/ {
				name = $0; sub(/.*tcase_add_[a-z_]*test[a-z_]*\([^,]*, */, "", name); sub(/[ ,)].*/, "", name)
				if (name in skip) { print ""; next }
			}
			{ print }' "$srcdir/test/test_$s.c" "$srcdir/test/test_$s.c" >"$out/test_$s.c" 2>>"$out/dropped"
	done
}
# excluded-tests: FILE TEST REASON, the [prefix] section only for the prefix.
excluded=$(awk '/^\[prefix\]/ { exit } !/^#/ && NF { print $2 }' "$here/excluded-tests" | tr '\n' ' ')
excluded_prefix=$(awk '/^\[prefix\]/ { on = 1; next } on && !/^#/ && NF { print $2 }' "$here/excluded-tests" | tr '\n' ' ')
blank "$t/full" "$excluded" ""
blank "$t/prefix" "$excluded $excluded_prefix" 1
check "excluded-tests names only tests that exist in the shared suites" bash -c "
	tr ' ' '\n' <<<'$excluded $excluded_prefix' | grep . | sort >'$t/want-dropped'
	{ cut -d' ' -f1 '$t/full/dropped'; awk 'NF == 1' '$t/prefix/dropped'; } | sort -u | diff -u '$t/want-dropped' -" || true
check "no test in excluded-tests' [prefix] section uses the extension (those go by themselves)" \
	bash -c "! grep ' auto' '$t/prefix/dropped' | cut -d' ' -f1 | grep -xF -f <(tr ' ' '\n' <<<'$excluded_prefix' | grep .)" || true

# musl_build BASE KIND: the static test binary for one patched musl.
musl_build() {
	local base=$1 kind=$2 s def=()
	local srcs=("$t/runner-musl.c" "$srcdir/test/common.c" "$here/test_musl.c" "$t/compat.c")
	for s in $suites; do srcs+=("$t/$kind/test_$s.c"); done
	[ "$kind" = prefix ] && def=(-DMUSL_PREFIX)
	"$work/$base/$kind/bin/musl-gcc" -static -O1 -g -D_GNU_SOURCE "${def[@]}" -isystem "$t/kernel" \
		-I"$t/shim" -I"$srcdir/test" -I"$checkdir/include" -o "$t/$kind/check-$base" "${srcs[@]}" \
		-L"$checkdir/lib" -lcheck -pthread
}
for base in 1.2.5 master; do
	scope=$base
	for kind in full prefix; do
		check "the shared suites build against $base's $kind" musl_build "$base" "$kind" || true
	done
done
scope=common
lib=$builddir/.libs/libspawnfd.a
[ -f "$lib" ] || lib="-L$builddir/.libs -lspawnfd -Wl,-rpath,$builddir/.libs"
lib_srcs=("$t/runner.c" "$srcdir/test/common.c")
for s in $suites; do lib_srcs+=("$t/full/test_$s.c"); done
# shellcheck disable=SC2086,SC2046 # word lists
check "the same suites build against libspawnfd" \
	gcc -O1 -g -D_GNU_SOURCE -I"$srcdir/include" -I"$srcdir/test" -o "$t/lib/check_lib" \
	"${lib_srcs[@]}" $lib $(pkg-config --cflags --libs check) -pthread || finish
# Kernels before 5.3 as the library meets them, through clone; the
# patched musl has no other way.
check "the clone3 blocker builds" gcc -O1 -o "$t/noclone3" "$srcdir/test/no-clone3.c" || finish

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
	# The shared suites alone, for comparing with the library.
	grep -v '^musl:' "$t/$name.results" >"$t/$name.shared" || true
	# Check's own count, so that a crash cannot hide a test.
	[ -s "$t/$name.results" ] &&
		grep -q "Checks: $(wc -l <"$t/$name.results")," "$t/$name.out"
}
# every_test_passes NAME: each test of that run is a check.
every_test_passes() {
	local key result
	while read -r key result; do
		if [ "$result" = P ]; then ok "$1: $key"; else bad "$1: $key"; grep -F ":$key" "$t/$1.out" || true; fi
	done <"$t/$1.results"
}
# same_as REF NAME: NAME passed exactly the tests REF passed.
same_as() {
	if diff -u "$t/$1.shared" "$t/$2.shared" >"$t/$2.diff"; then
		ok "$2: the same $(wc -l <"$t/$2.shared") shared tests pass as with $1"
	else
		bad "$2: per-test outcomes differ from $1's (- $1, + $2)"
		grep '^[-+][^-+]' "$t/$2.diff" || true
		grep -E ':[A-OQ-Z]:' "$t/$2.out" || true
	fi
}
say "running the suites: each patched musl natively, 1.2.5's also under qemu-x86_64; libspawnfd natively, without clone3 and under qemu-x86_64"
for base in 1.2.5 master; do
	scope=$base
	for kind in full prefix; do
		[ -x "$t/$kind/check-$base" ] || continue
		run "$kind-$base" "$t/$kind/check-$base" || bad "the $base $kind run did not report every test (see $t/$kind-$base.out)"
		every_test_passes "$kind-$base"
	done
done
scope=1.2.5
run full-1.2.5-qemu qemu-x86_64 "$t/full/check-1.2.5" || bad "the run under qemu did not report every test (see $t/full-1.2.5-qemu.out)"
same_as full-1.2.5 full-1.2.5-qemu
scope=master
same_as full-1.2.5 full-master
same_as prefix-1.2.5 prefix-master
scope=common
run lib "$t/lib/check_lib" || bad "the libspawnfd run did not report every test (see $t/lib.out)"
run lib-noclone3 "$t/noclone3" "$t/lib/check_lib" || bad "the libspawnfd run without clone3 did not report every test (see $t/lib-noclone3.out)"
run lib-qemu qemu-x86_64 "$t/lib/check_lib" || bad "the libspawnfd run under qemu did not report every test (see $t/lib-qemu.out)"
for r in lib lib-noclone3 lib-qemu; do same_as full-1.2.5 "$r"; done
finish
