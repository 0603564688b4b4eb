/* powerpc64: number in r0, arguments in r3-r8, sc. The kernel reports
 * an error as a positive errno in r3 with cr0.SO set, which becomes -errno
 * here; r0 and r4-r12, ctr, xer and cr0 do not survive. */

#define __SC_ASM "sc\n\tbns+ 1f\n\tneg %1,%1\n1:"
#define __SC_CLOBBERS "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory"

static inline long __syscall0(long n)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3");
	__asm__ volatile (__SC_ASM : "+r"(r0), "=r"(r3)
		: : "r4", "r5", "r6", "r7", "r8", __SC_CLOBBERS);
	return r3;
}

static inline long __syscall1(long n, long a)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	__asm__ volatile (__SC_ASM : "+r"(r0), "+r"(r3)
		: : "r4", "r5", "r6", "r7", "r8", __SC_CLOBBERS);
	return r3;
}

static inline long __syscall2(long n, long a, long b)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	__asm__ volatile (__SC_ASM : "+r"(r0), "+r"(r3), "+r"(r4)
		: : "r5", "r6", "r7", "r8", __SC_CLOBBERS);
	return r3;
}

static inline long __syscall3(long n, long a, long b, long c)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	__asm__ volatile (__SC_ASM : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
		: : "r6", "r7", "r8", __SC_CLOBBERS);
	return r3;
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	register long r6 __asm__("r6") = d;
	__asm__ volatile (__SC_ASM : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
		: : "r7", "r8", __SC_CLOBBERS);
	return r3;
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	register long r6 __asm__("r6") = d;
	register long r7 __asm__("r7") = e;
	__asm__ volatile (__SC_ASM : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
		: : "r8", __SC_CLOBBERS);
	return r3;
}

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r0 __asm__("r0") = n;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	register long r6 __asm__("r6") = d;
	register long r7 __asm__("r7") = e;
	register long r8 __asm__("r8") = f;
	__asm__ volatile (__SC_ASM : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7),
		"+r"(r8) : : __SC_CLOBBERS);
	return r3;
}
