/* mips o32: number in v0, arguments in a0-a3 and the fifth and sixth at
 * 16($sp) and 20($sp); on failure the kernel sets a3 and leaves the
 * positive errno in v0. It may clobber at, v1, t0-t9, hi and lo. */

#if __mips_isa_rev >= 6
#define __SC_CLOBBERS "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", \
	"$14", "$15", "$24", "$25", "memory"
#else
#define __SC_CLOBBERS "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", \
	"$14", "$15", "$24", "$25", "hi", "lo", "memory"
#endif

static inline long __syscall0(long n)
{
	register long r2 __asm__("$2") = n;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : : __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall1(long n, long a1)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : "r"(r4) : __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall2(long n, long a1, long a2)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : "r"(r4), "r"(r5) : __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall3(long n, long a1, long a2, long a3)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r6 __asm__("$6") = a3;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : "r"(r4), "r"(r5), "r"(r6)
		: __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r6 __asm__("$6") = a3;
	register long r7 __asm__("$7") = a4;
	__asm__ volatile ("syscall" : "+r"(r2), "+r"(r7) : "r"(r4), "r"(r5), "r"(r6)
		: __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

/* The kernel reads the stack arguments at the caller's sp: open the frame
 * the ABI gives a call with eight argument words. */
static inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r6 __asm__("$6") = a3;
	register long r7 __asm__("$7") = a4;
	__asm__ volatile (
		"addiu $sp,$sp,-32\n\tsw %[a5],16($sp)\n\tsyscall\n\taddiu $sp,$sp,32"
		: "+r"(r2), "+r"(r7) : "r"(r4), "r"(r5), "r"(r6), [a5] "r"(a5)
		: __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r6 __asm__("$6") = a3;
	register long r7 __asm__("$7") = a4;
	__asm__ volatile (
		"addiu $sp,$sp,-32\n\tsw %[a5],16($sp)\n\tsw %[a6],20($sp)\n\t"
		"syscall\n\taddiu $sp,$sp,32"
		: "+r"(r2), "+r"(r7) : "r"(r4), "r"(r5), "r"(r6), [a5] "r"(a5), [a6] "r"(a6)
		: __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}
