#!/bin/sh
# System calls per spawn, for each method of the benchmark, counted with
#   strace -f -o LOG bench -n METHOD,COUNT
# "parent" is the spawning call alone (the reaping wait, and the close of a
# pidfd, are taken out); "child" is what the child makes before its execve
# succeeds, the execve included. The first spawn, which learns the error
# channel, is averaged in.
set -eu
bench=${1:-bench/bench}
count=${COUNT:-200}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
command -v strace >/dev/null || { echo "syscalls: strace is not installed" >&2; exit 1; }
printf '\nsystem calls per spawn (strace -f, %d spawns each)\n' "$count"
printf '  %-20s %8s %8s\n' method parent child
for method in 0 1 2 3 4 5 6; do
	strace -f -qq -o "$log" "$bench" -n "$method,$count" 2>/dev/null || continue
	awk -v n="$count" -v method="$method" '
	NR == 1 { parent = $1 }
	$2 ~ /^(<\.\.\.|---|\+\+\+)/ { next }
	{
		call = $2; sub(/\(.*/, "", call)
		if ($1 == parent) {
			if (!started) { started = $0 ~ /^[0-9]+ +write\(-1, "start"/; next }
			if (call == "wait4" || call == "waitid") { waits++; next }
			if (call == "close" && (method == 1 || method == 3)) { closes++; if (closes <= n) next }
			if (call == "exit_group") next
			p++
		} else if (!(($1) in execd)) {
			c++
			if (call == "execve" && $0 !~ /= -1 /) execd[$1] = 1
		}
	}
	END {
		names[0] = "spawnfd posix_spawn"; names[1] = "spawnfd + pidfd"; names[2] = "host posix_spawn"
		names[3] = "host pidfd_spawn"; names[4] = "fork + execve"; names[5] = "vfork + execve"
		names[6] = "raw clone(VM|VFORK)"
		printf "  %-20s %8.2f %8.2f\n", names[method], p / n, c / n
	}' "$log"
done
