#!/bin/bash
# Built for CET (x86) or BTI and PAC (aarch64), the clone assembly keeps the
# library's GNU property note: the linker ANDs the notes of all its inputs,
# so one object without it drops the property for the whole library. The
# assembly is linked, as in libspawnfd.so, with a C caller built that way,
# and without the libc's start files: Debian's crti.o and crtn.o carry no
# note, so there every library loses the property whatever its own objects.
set -eu
case ${ARCH:?} in
x86_64|i386) flag=-fcf-protection=full want='x86 feature: IBT, SHSTK' ;;
aarch64) flag=-mbranch-protection=standard want='AArch64 feature: BTI, PAC' ;;
*) echo "SKIP: no branch protection property on $ARCH"; exit 77 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/caller.c" <<'EOF'
long __spawnfd_clone(int (*)(void *), void *, unsigned long, void *, int *);
long __spawnfd_clone3(void *, unsigned long, int (*)(void *), void *);
long caller(int (*fn)(void *), void *p)
{
	return __spawnfd_clone(fn, p, 0, p, 0) + __spawnfd_clone3(p, 0, fn, p);
}
EOF
${CC:?} $flag -fPIC -c "$tmp/caller.c" -o "$tmp/caller.o" 2>/dev/null ||
	{ echo "SKIP: $CC does not take $flag"; exit 77; }
notes() { ${READELF:-readelf} -nW "$1"; }
grep -q "$want" <<<"$(notes "$tmp/caller.o")" ||
	{ echo "SKIP: $CC $flag writes no '$want' note"; exit 77; }
for s in clone clone3; do
	$CC -I"${srcdir:?}/arch/$ARCH" -c "$srcdir/arch/$ARCH/$s.s" -o "$tmp/$s.o"
done
$CC $flag -shared -nostdlib -o "$tmp/libspawnfd.so" "$tmp/caller.o" "$tmp/clone.o" "$tmp/clone3.o"
if ! grep -q "$want" <<<"$(notes "$tmp/libspawnfd.so")"; then
	echo "FAIL: libspawnfd.so built with $flag lacks '$want'; the notes of each object:"
	for o in "$tmp"/*.o; do echo "${o##*/}:"; notes "$o"; done
	exit 1
fi
echo "PASS: libspawnfd.so built with $flag keeps '$want'"
