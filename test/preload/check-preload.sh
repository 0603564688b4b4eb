#!/bin/bash
# make check-preload: libspawnfd.so as an LD_PRELOAD shim under programs that
# were never built against it. Each run preloads spawncount.so ahead of the
# shim: it logs every spawn call and aborts unless the call lands in
# libspawnfd, so the counts printed are also proof of the binding.
#
# usage: check-preload.sh BUILDDIR
# PYTHONS overrides the interpreters tried (default: every python3.13 and
# python3.11 found, pyenv's included).
set -u
build=$(cd "$1" && pwd)
shim=$build/.libs/libspawnfd.so
counter=$build/test/preload/.libs/spawncount.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 ran=0 skipped=0

for f in "$shim" "$counter"; do
	[ -f "$f" ] || { echo "check-preload: $f is missing; run make first" >&2; exit 1; }
done

pass() { echo "PASS: $*"; ran=$((ran + 1)); }
fail() { echo "FAIL: $*"; ran=$((ran + 1)); failed=$((failed + 1)); }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }

# Runs "$@" under the shim with a fresh call log; leaves the log in $log.
preloaded() {
	log=$work/calls.$RANDOM
	: > "$log"
	LD_PRELOAD="$counter $shim" SPAWNCOUNT_LOG=$log "$@"
}

calls() {
	local n
	n=$(wc -l < "$log")
	echo "$n spawn calls reached libspawnfd ($(sort "$log" | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}'))"
}

echo "== binding: glibc's versioned references resolve to the shim's unversioned definitions"
LD_DEBUG=bindings LD_PRELOAD=$shim /usr/bin/make -s -f /dev/null --eval='all: ; @true' 2>&1 \
	| grep -E "symbol .posix_spawn'" | sed 's/^ *[0-9]*: *//' | head -1
if ! LD_DEBUG=bindings LD_PRELOAD=$shim /usr/bin/make -s -f /dev/null --eval='all: ; @true' 2>&1 \
	| grep -q "to $shim .*posix_spawn' \[GLIBC_2.15\]"; then
	fail "make's posix_spawn@GLIBC_2.15 is not bound to the shim"
fi

echo "== CPython's own test_posix and test_subprocess"
pythons=${PYTHONS:-$(ls /root/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.13 \
	/usr/bin/python3.11 2>/dev/null)}
[ -n "$pythons" ] || skip "no python3.13 or python3.11 on this machine"
for py in $pythons; do
	if ! "$py" -c 'import test.test_posix, test.test_subprocess' 2>/dev/null; then
		skip "$py: its test package is not installed (Debian: libpython3.X-testsuite)"
		continue
	fi
	out=$work/python.out
	preloaded "$py" -m test -v test_posix test_subprocess > "$out" 2>&1
	status=$?
	# Counted from the verbose lines: older regrtests print no totals.
	summary="$(grep -cE ' \.\.\. ok$' "$out") tests passed, $(grep -cE ' \.\.\. skipped' "$out") skipped, $(grep -cE ' \.\.\. (FAIL|ERROR)$' "$out") failed"
	if [ $status -eq 0 ] && [ -s "$log" ]; then
		pass "$py ($("$py" -V 2>&1)): $summary; $(calls)"
	else
		tail -40 "$out"
		fail "$py: exit $status; $summary; $(calls)"
	fi
done

echo "== GNU make, which spawns its recipes with posix_spawn"
mkdir -p "$work/proj"
{
	printf 'OBJS :='
	for i in $(seq 1 40); do printf ' out/%d.o' "$i"; done
	printf '\nall: out/all\nout/all: $(OBJS)\n\tcat $^ > $@\nout/%%.o: | out\n\techo built $* > $@\nout:\n\tmkdir -p $@\n'
	printf 'broken: all\n\t@echo failing on purpose; exit 3\n'
} > "$work/proj/Makefile"
if preloaded make -s -j8 -C "$work/proj" all > "$work/make.out" 2>&1 \
	&& [ "$(wc -l < "$work/proj/out/all")" = 40 ] && [ -s "$log" ]; then
	pass "make -j8 built 40 targets; $(calls)"
else
	cat "$work/make.out"
	fail "make -j8 all"
fi
preloaded make -s -j8 -C "$work/proj" broken > "$work/make.out" 2>&1
status=$?
if [ $status -eq 2 ] && grep -q 'Error 3' "$work/make.out" && [ -s "$log" ]; then
	pass "make reports the failing recipe (exit $status: $(grep 'Error 3' "$work/make.out")); $(calls)"
else
	cat "$work/make.out"
	fail "make broken: exit $status, expected 2 with 'Error 3'"
fi

echo "== the project's Check suites, linked against the host libc only"
host_tests=$build/test/check_spawnfd_host
if [ -x "$host_tests" ]; then
	if ldd "$host_tests" | grep -q libspawnfd; then
		fail "$host_tests links libspawnfd; it must reach it only through the shim"
	fi
	preloaded env SPAWNFD_HELPER="$build/test/helper" SPAWNFD_TOOL="$build/tools/spawnfd" \
		"$host_tests" > "$work/check.out" 2>&1
	status=$?
	summary=$(grep -E '^[0-9]+%: Checks' "$work/check.out")
	if [ $status -eq 0 ] && [ -s "$log" ]; then
		pass "check_spawnfd_host under the shim: $summary; $(calls)"
	else
		grep -E ':[FE]:' "$work/check.out" | head -20
		fail "check_spawnfd_host: exit $status; $summary"
	fi
else
	skip "$host_tests was not built"
fi

echo "check-preload: $((ran - failed)) passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
