#!/bin/bash
# The tool against GNU timeout(1): each case runs both side by side, the same
# arguments, the same command, the same signals sent to them, and compares
# what can be seen: how each ended (exit N or death by signal N), whether
# the command and its own child outlived it, and standard error with the
# program's name taken out. A case may name where the tool deliberately
# does better (the command never outlives it after a signal it passes on).
set -u
gnu=/usr/bin/timeout
[ -x "$gnu" ] || { echo "SKIP: no $gnu to compare with"; exit 77; }
command -v perl >/dev/null || { echo "SKIP: perl runs the comparison"; exit 77; }
tool=${SPAWNFD_TOOL:-tools/spawnfd}
case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
export LC_ALL=C
tmp=$(mktemp -d /tmp/spawnfd-parity-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Started by a wrapper that records its pid in ./pid and prints how it
# ended; the shell's $? cannot tell exit 143 from death by SIGTERM. The
# wrapper leads a process group of its own, out of reach of whatever
# else signals the group that runs the tests, and blocks or ignores the
# signals named in $block and $ignore (set for one check) for the program.
wrap='use POSIX ();
setpgrp 0, 0;
POSIX::sigprocmask(POSIX::SIG_BLOCK, POSIX::SigSet->new(map { eval "POSIX::SIG$_()" } split " ", $ENV{BLOCK}));
$SIG{$_} = "IGNORE" for split " ", $ENV{IGNORE};
my $p = fork // die "fork: $!";
if (!$p) { exec { $ARGV[0] } @ARGV[1 .. $#ARGV] or exit 98 }
open my $f, ">", "pid.tmp" or die; print $f $p; close $f; rename "pid.tmp", "pid";
# A program that hangs fails the case rather than the run.
$SIG{ALRM} = sub { kill "KILL", $p; print "hung, then " };
alarm 20;
waitpid $p, 0;
print $? & 127 ? "signal " . ($? & 127) . ($? & 128 ? ", core dumped" : "") : "exit " . ($? >> 8), "\n";'

# Commands report their pid and start time (and a child's) through files
# in their cwd, written whole by a rename, once their traps are set. The
# start time tells the process from a later one given the same pid.
ready='echo $$ $(cut -d" " -f22 /proc/$$/stat) >c.tmp; mv c.tmp child'
spawn_sleep='sleep 5 & echo $! $(cut -d" " -f22 /proc/$!/stat) >grandchild'

wait_for() {
	local i
	for ((i = 0; i < 1000; i++)); do [ -e "$1" ] && return 0; sleep 0.01; done
	echo "timed out waiting for $1" >&2
	return 1
}

# state FILE: the state letter of the process named there, if it runs.
state() {
	local pid start
	read -r pid start <"$1" || return
	awk -v start="$start" '$22 == start { print $3 }' "/proc/$pid/stat" 2>/dev/null
}

# alive FILE: the process named there runs (a zombie has ended, and one
# with SIGKILL pending is ending); ends it.
alive() {
	local s pid pending
	[ -s "$1" ] || { echo none; return; }
	s=$(state "$1")
	pid=$(cut -d' ' -f1 "$1")
	pending=$(awk '/^(SigPnd|ShdPnd):/ { printf "|0x%s", $2 }' "/proc/$pid/status" 2>/dev/null)
	if [ -n "$s" ] && [ "$s" != Z ] && ! (((0${pending}) & 1 << (9 - 1))); then
		echo alive
		kill -KILL "$pid"
	else
		echo ended
	fi
}

# stopped PIDFILE: waits until the process named there has stopped.
stopped() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ "$(state "$1")" = T ] && return 0
		sleep 0.01
	done
	echo "timed out waiting for $1 to stop" >&2
	return 1
}

# observe DIR NAME SIGNAL ARGS...: runs the program ARGS[0] as NAME in DIR;
# once the command is ready (and with SIGNAL/T, stopped), sends the
# program SIGNAL (- for none).
observe() {
	local dir=$1 name=$2 sig=$3
	shift 3
	mkdir -p "$dir"
	(cd "$dir" && BLOCK=$block IGNORE=$ignore exec perl -e "$wrap" "$1" "$name" "${@:2}") \
		>"$dir/how" 2>"$dir/err" &
	local w=$!
	if [ "$sig" != - ]; then
		wait_for "$dir/child" && wait_for "$dir/pid" &&
			{ [ "${sig#*/}" != T ] || stopped "$dir/child"; } &&
			kill -"${sig%/T}" "$(cat "$dir/pid")"
	fi
	wait $w
	sed -e 's/^\(timeout\|spawnfd\): /PROG: /' -e "s/Try '\(timeout\|spawnfd\) --help'/Try 'PROG --help'/" \
		"$dir/err" >"$dir/err.n"
	echo "$(cat "$dir/how"); command $(alive "$dir/child"); its child $(alive "$dir/grandchild"); stderr: $(tr '\n' '|' <"$dir/err.n")"
}

# compare N BETTER SIGNAL ARGS...: case N, both programs at once. Under
# heavy load GNU timeout 9.1 was seen to exit 128+N without a word, its
# command left running: a signal N that reaches it before fork() has
# returned in it finds no command to pass on to (it blocks its signals
# only after the fork). A case that differs runs once more, and the first
# try is shown.
compare() {
	local n=$1 better=$2 sig=$3 got_gnu got_tool dir desc= try first= env=
	shift 3
	[ -n "$block$ignore" ] && env="[blocked: $block; ignored: $ignore] "
	for try in 1 2; do
		dir=$tmp/$n.$try
		observe "$dir/gnu" timeout "$sig" "$gnu" "$@" >"$dir.gnu" &
		observe "$dir/tool" spawnfd "$sig" "$tool" "$@" >"$dir.tool"
		wait
		got_gnu=$(cat "$dir.gnu") got_tool=$(cat "$dir.tool")
		if [ -n "$better" ]; then
			got_gnu=${got_gnu/command alive/command ended}
			desc="(tool better: $better)"
		fi
		if [ "$got_gnu" = "$got_tool" ]; then
			echo "ok $n: $env${sig/#-/} timeout $* -> $got_tool $desc$first"
			return
		fi
		first=" (on a second try; the first: timeout: $got_gnu; spawnfd: $got_tool)"
	done
	echo "FAIL $n: $env${sig/#-/} timeout $*"
	echo "  timeout: $got_gnu"
	echo "  spawnfd: $got_tool"
}

cases=0 block= ignore=
# check [--better WHAT] SIGNAL ARGS...: both ran alike (or, with --better,
# the tool's command did not outlive it where timeout's did). Four cases
# run at a time, each in directories of its own.
check() {
	local better=
	[ "$1" = --better ] && { better=$2; shift 2; }
	cases=$((cases + 1))
	while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n; done
	compare "$cases" "$better" "$@" >"$tmp/$cases.result" &
}

sleeper() { echo "$1; $ready; exec sleep ${2:-5}"; }

# How the command ends, no time limit reached.
check - 10 sh -c 'exit 0'
check - 10 sh -c 'exit 1'
check - 10 sh -c 'exit 3'
check - 10 sh -c 'exit 126'
check - 10 sh -c 'exit 127'
check - 10 sh -c 'exit 255'
check - 0 sh -c 'exit 4'
check - 10 sh -c 'kill -TERM $$'
check - 10 sh -c 'kill -USR1 $$'
check - 10 sh -c 'kill -KILL $$'
check - --preserve-status 10 sh -c 'kill -INT $$'
check - --foreground 10 sh -c 'kill -HUP $$'
# A core dump is reported, and the program dies without one of its own.
check - 10 sh -c 'ulimit -c unlimited 2>/dev/null; kill -SEGV $$'
# The time limit.
check - 0.1 sleep 5
check - -v 0.1 sleep 5
check - --preserve-status 0.1 sleep 5
check - -s INT -v 0.1 sleep 5
check - -s 130 0.1 sleep 5
check - -s sigusr1 --preserve-status 0.1 sleep 5
check - -s KILL 0.1 sleep 5
check - --foreground -s KILL 0.1 sleep 5
check - -v -s 0 0.1 sleep 0.5
check - 1e-10 sleep 5
check - 0x1p-3 sleep 5
check - 0.002m sleep 5
check - 0.1s sleep 5
check - inf sh -c 'exit 2'
check - -k 10 0.1 sleep 5
# A command that ignores SIGTERM, with and without -k. SIGALRM is
# timeout's own timer: sent once the command is ready, it fires the time
# limit no sooner, on a machine however slow.
check - -v 0.1 sh -c "trap '' TERM; sleep 0.5; exit 5"
check ALRM -v -k 0.1 10 sh -c "$(sleeper "trap '' TERM")"
check ALRM -v --foreground -k 0.1 10 sh -c "$(sleeper "trap '' TERM")"
check ALRM -v --preserve-status -k 0.1 10 sh -c "$(sleeper "trap '' TERM")"
check - -v -k 0 0.1 sh -c "trap '' TERM; sleep 0.5; exit 5"
# A command that stops itself.
check - -v 0.1 sh -c 'kill -STOP $$; exit 3'
check - --preserve-status 0.1 sh -c 'kill -STOP $$; exit 3'
# In a session of its own, it takes the SIGCONT sent to it alone.
check - -v 0.1 setsid sh -c 'kill -STOP $$; exit 3'
check ALRM/T -v --foreground -k 0.1 10 sh -c "$ready; kill -STOP \$\$; exit 3"
# The command's own children: the group is signalled, unless --foreground.
check ALRM 10 sh -c "$spawn_sleep; $ready; wait"
check ALRM --foreground 10 sh -c "$spawn_sleep; $ready; wait"
# Signals the program receives go on to the command.
for sig in TERM INT HUP QUIT; do
	check "$sig" 10 sh -c "$(sleeper :)"
done
check ALRM -v 10 sh -c "$(sleeper :)"
check TERM --foreground 10 sh -c "$(sleeper :)"
check TERM --preserve-status 10 sh -c "$(sleeper :)"
check INT 10 sh -c "trap 'exit 7' INT; $spawn_sleep; $ready; wait"
check TERM -v -k 0.1 10 sh -c "$(sleeper "trap '' TERM")"
check TERM 10 sh -c "$spawn_sleep; $ready; wait"
# What the command inherits; signals blocked or ignored on entry.
check - 10 grep -E '^Sig(Blk|Ign)' /proc/self/status
block="USR2 ALRM TERM" ignore="INT HUP USR1 PIPE TTOU"
check - 10 grep -E '^Sig(Blk|Ign)' /proc/self/status
block=TERM ignore=
check TERM 10 sh -c "$(sleeper : 0.5)"
block=CHLD ignore=
check - 10 sh -c 'sleep 0.2; exit 3'
block= ignore=USR1
check USR1 10 sh -c "$(sleeper : 0.5)"
ignore=HUP
check HUP 10 sh -c "$(sleeper : 5)"
ignore=
# timeout 9.1 dies of these and leaves the command running.
for sig in USR1 USR2; do
	check --better "$sig passed on" "$sig" 10 sh -c "$(sleeper :)"
done
# Bad arguments and commands that cannot run.
for d in x '' -1 1x 1ms nan ' 1 ' 1e; do
	check - -- "$d" true
done
for s in NOSUCH '' 65 0x9 RTMIN+31 SIG; do
	check - -s "$s" 1 true
done
check - -k x 1 true
check -
check - 1
check - -x 1 true
check - --bogus 1 true
check - -s
check - -vs
check - --sig
check - --ver 1 true
check - --bogus=1 1 true
check - --fore=1 1 true
check - --verbose -xv 1 true
check - 1 "$tmp/no-such-command"
check - 1 no-such-command-in-path
check - 1 /etc/passwd
check - 1 /
check - 1 ''
printf 'echo "script $0 $*"; exit 6\n' >"$tmp/no-shebang"
chmod 755 "$tmp/no-shebang"
check - 1 "$tmp/no-shebang" a b

wait
for ((i = 1; i <= cases; i++)); do cat "$tmp/$i.result"; done
failed=$(cat "$tmp"/*.result | grep -c '^FAIL')
echo "$cases cases, $failed failed"
[ "$failed" = 0 ]
