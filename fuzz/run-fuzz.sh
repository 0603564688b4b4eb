#!/bin/bash
# Builds fuzz/spawn_fuzz.c with libFuzzer, ASan and UBSan against the
# library's sources, and runs it for SECONDS (default 300) from the seed
# corpus in fuzz/corpus. Prints libFuzzer's progress lines and final
# statistics (executions, coverage); exits non-zero on a finding, and then
# keeps the work directory with the input that did it (crash-*, leak-*).
#   usage: fuzz/run-fuzz.sh [SECONDS]
#   FUZZ_CC (default clang-16), FUZZ_FLAGS (more libFuzzer options), FUZZ_KEEP=1
#   keeps the work directory, and the corpus grown there, on success too.
set -euo pipefail
seconds=${1:-300}
src=$(cd "$(dirname "$0")/.." && pwd)
cc=${FUZZ_CC:-clang-16}

if ! command -v "$cc" >/dev/null \
	|| [ ! -e "$("$cc" -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=600 update -qq || true
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq clang-16 libclang-rt-16-dev >/dev/null
fi

# The port's directory, as configure.ac names it.
case $(uname -m) in
x86_64) arch=x86_64 ;;
i?86) arch=i386 ;;
aarch64) arch=aarch64 ;;
riscv64) arch=riscv64 ;;
s390x) arch=s390x ;;
ppc64le) arch=powerpc64 ;;
loongarch64) arch=loongarch64 ;;
*) echo "run-fuzz.sh: no port for $(uname -m)" >&2; exit 1 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/spawnfd-fuzz.XXXXXX")
mkdir "$work/obj" "$work/corpus" "$work/tmp"
cflags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -D_GNU_SOURCE -I$src/include -I$src/lib -I$src/arch/$arch
	-I$src/arch/generic -Wall -Wextra -Werror"

echo "== building the harness with $($cc --version | head -n 1)"
objs=()
for f in "$src"/lib/*.c; do
	# The harness includes the core file itself.
	[ "$(basename "$f")" = posix_spawn.c ] && continue
	o=$work/obj/$(basename "$f" .c).o
	# shellcheck disable=SC2086
	"$cc" $cflags -c "$f" -o "$o"
	objs+=("$o")
done
for f in "$src/arch/$arch"/*.s; do
	o=$work/obj/$(basename "$f" .s).o
	# property.inc sits beside the port's assembly
	"$cc" -I"$src/arch/$arch" -c "$f" -o "$o"
	objs+=("$o")
done
# shellcheck disable=SC2086
"$cc" $cflags "$src/fuzz/spawn_fuzz.c" "${objs[@]}" -o "$work/spawn_fuzz"

# Leaks fail the run; the harness's own checks abort, and so does a
# sanitizer's finding, for libFuzzer to save the input.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:handle_abort=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
echo "== fuzzing for $seconds s (work directory $work)"
status=0
# The harness's private files go in the work directory; standard input is
# no terminal, so no action can reach one.
# shellcheck disable=SC2086
(cd "$work" && TMPDIR=$work/tmp ./spawn_fuzz -max_total_time="$seconds" -timeout=20 \
	-print_final_stats=1 -artifact_prefix="$work/" ${FUZZ_FLAGS:-} \
	"$work/corpus" "$src/fuzz/corpus" </dev/null >"$work/fuzz.log" 2>&1) || status=$?

# Progress lines come at every doubling of the execution count: show the
# start, the last few and the end.
grep -E '^spawn_fuzz:|INFO: (Loaded|seed corpus)|#[0-9]+\s+INITED' "$work/fuzz.log" || true
grep -E '^#[0-9]+\s+(pulse|NEW|REDUCE)' "$work/fuzz.log" | tail -n 5 || true
grep -E '^#[0-9]+\s+DONE|^Done [0-9]+ runs|^stat::' "$work/fuzz.log" || true
if [ "$status" != 0 ]; then
	echo "== fuzzing FAILED (exit $status); the report:"
	grep -vE '^#[0-9]+\s+(pulse|NEW|REDUCE)' "$work/fuzz.log" | tail -n 80
	ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null || true
	echo "== work directory kept: $work"
	exit 1
fi
echo "== fuzzing passed: $(find "$work/corpus" -type f | wc -l) new corpus entries"
if [ -n "${FUZZ_KEEP:-}" ]; then echo "== work directory kept: $work"; else rm -rf "$work"; fi
