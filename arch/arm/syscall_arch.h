/* ARM EABI: svc 0 with the number in r7 and arguments in r0-r5; only r0
 * changes, and it returns -errno. In Thumb code r7 is the frame pointer and
 * gcc may refuse it as an operand, so the number comes in any register and
 * r7 is borrowed around the svc, its value parked in a scratch register. */

#define __SC_SVC "mov %[save],r7\n\tmov r7,%[n]\n\tsvc 0\n\tmov r7,%[save]"

static inline long __syscall0(long n)
{
	register long r0 __asm__("r0");
	long save;
	__asm__ volatile (__SC_SVC : "=r"(r0), [save]"=&r"(save) : [n]"r"(n) : "memory");
	return r0;
}

static inline long __syscall1(long n, long a1)
{
	register long r0 __asm__("r0") = a1;
	long save;
	__asm__ volatile (__SC_SVC : "+r"(r0), [save]"=&r"(save) : [n]"r"(n) : "memory");
	return r0;
}

static inline long __syscall2(long n, long a1, long a2)
{
	register long r0 __asm__("r0") = a1;
	register long r1 __asm__("r1") = a2;
	long save;
	__asm__ volatile (__SC_SVC : "+r"(r0), [save]"=&r"(save) : [n]"r"(n), "r"(r1)
		: "memory");
	return r0;
}

static inline long __syscall3(long n, long a1, long a2, long a3)
{
	register long r0 __asm__("r0") = a1;
	register long r1 __asm__("r1") = a2;
	register long r2 __asm__("r2") = a3;
	long save;
	__asm__ volatile (__SC_SVC : "+r"(r0), [save]"=&r"(save) : [n]"r"(n), "r"(r1), "r"(r2)
		: "memory");
	return r0;
}

static inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long r0 __asm__("r0") = a1;
	register long r1 __asm__("r1") = a2;
	register long r2 __asm__("r2") = a3;
	register long r3 __asm__("r3") = a4;
	long save;
	__asm__ volatile (__SC_SVC : "+r"(r0), [save]"=&r"(save) : [n]"r"(n), "r"(r1), "r"(r2),
		"r"(r3) : "memory");
	return r0;
}

static inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long r0 __asm__("r0") = a1;
	register long r1 __asm__("r1") = a2;
	register long r2 __asm__("r2") = a3;
	register long r3 __asm__("r3") = a4;
	register long r4 __asm__("r4") = a5;
	long save;
	__asm__ volatile (__SC_SVC : "+r"(r0), [save]"=&r"(save) : [n]"r"(n), "r"(r1), "r"(r2),
		"r"(r3), "r"(r4) : "memory");
	return r0;
}

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r0 __asm__("r0") = a1;
	register long r1 __asm__("r1") = a2;
	register long r2 __asm__("r2") = a3;
	register long r3 __asm__("r3") = a4;
	register long r4 __asm__("r4") = a5;
	register long r5 __asm__("r5") = a6;
	long save;
	__asm__ volatile (__SC_SVC : "+r"(r0), [save]"=&r"(save) : [n]"r"(n), "r"(r1), "r"(r2),
		"r"(r3), "r"(r4), "r"(r5) : "memory");
	return r0;
}
