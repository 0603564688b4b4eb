/* mips64 n64: number in v0, arguments in a0-a5; on failure the kernel sets
 * a3 and leaves the positive errno in v0. It may clobber at, v1, a4-a7
 * (those not carrying arguments), t0-t3, t8, t9, hi and lo. */

#if __mips_isa_rev >= 6
#define __SC_CLOBBERS "$1", "$3", "$10", "$11", "$12", "$13", "$14", "$15", \
	"$24", "$25", "memory"
#else
#define __SC_CLOBBERS "$1", "$3", "$10", "$11", "$12", "$13", "$14", "$15", \
	"$24", "$25", "hi", "lo", "memory"
#endif

static inline long __syscall0(long n)
{
	register long r2 __asm__("$2") = n;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : : "$8", "$9", __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall1(long n, long a1)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : "r"(r4)
		: "$8", "$9", __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall2(long n, long a1, long a2)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r7 __asm__("$7");
	__asm__ volatile ("syscall" : "+r"(r2), "=r"(r7) : "r"(r4), "r"(r5)
		: "$8", "$9", __SC_CLOBBERS);
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
		: "$8", "$9", __SC_CLOBBERS);
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
		: "$8", "$9", __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r6 __asm__("$6") = a3;
	register long r7 __asm__("$7") = a4;
	register long r8 __asm__("$8") = a5;
	__asm__ volatile ("syscall" : "+r"(r2), "+r"(r7), "+r"(r8) : "r"(r4), "r"(r5), "r"(r6)
		: "$9", __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r2 __asm__("$2") = n;
	register long r4 __asm__("$4") = a1;
	register long r5 __asm__("$5") = a2;
	register long r6 __asm__("$6") = a3;
	register long r7 __asm__("$7") = a4;
	register long r8 __asm__("$8") = a5;
	register long r9 __asm__("$9") = a6;
	__asm__ volatile ("syscall" : "+r"(r2), "+r"(r7), "+r"(r8), "+r"(r9)
		: "r"(r4), "r"(r5), "r"(r6) : __SC_CLOBBERS);
	return r7 ? -r2 : r2;
}
