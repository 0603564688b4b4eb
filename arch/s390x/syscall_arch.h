/* s390x: number in r1 for svc 0, arguments in r2-r7; the kernel returns
 * -errno in r2 and leaves every other register as it was. */

static inline long __syscall0(long n)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2");
	__asm__ volatile ("svc 0" : "=r"(r2) : "r"(r1) : "memory");
	return r2;
}

static inline long __syscall1(long n, long a)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	__asm__ volatile ("svc 0" : "+r"(r2) : "r"(r1) : "memory");
	return r2;
}

static inline long __syscall2(long n, long a, long b)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	register long r3 __asm__("r3") = b;
	__asm__ volatile ("svc 0" : "+r"(r2) : "r"(r1), "r"(r3) : "memory");
	return r2;
}

static inline long __syscall3(long n, long a, long b, long c)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	register long r3 __asm__("r3") = b;
	register long r4 __asm__("r4") = c;
	__asm__ volatile ("svc 0" : "+r"(r2) : "r"(r1), "r"(r3), "r"(r4) : "memory");
	return r2;
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	register long r3 __asm__("r3") = b;
	register long r4 __asm__("r4") = c;
	register long r5 __asm__("r5") = d;
	__asm__ volatile ("svc 0" : "+r"(r2) : "r"(r1), "r"(r3), "r"(r4), "r"(r5)
		: "memory");
	return r2;
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	register long r3 __asm__("r3") = b;
	register long r4 __asm__("r4") = c;
	register long r5 __asm__("r5") = d;
	register long r6 __asm__("r6") = e;
	__asm__ volatile ("svc 0" : "+r"(r2) : "r"(r1), "r"(r3), "r"(r4), "r"(r5),
		"r"(r6) : "memory");
	return r2;
}

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	register long r3 __asm__("r3") = b;
	register long r4 __asm__("r4") = c;
	register long r5 __asm__("r5") = d;
	register long r6 __asm__("r6") = e;
	register long r7 __asm__("r7") = f;
	__asm__ volatile ("svc 0" : "+r"(r2) : "r"(r1), "r"(r3), "r"(r4), "r"(r5),
		"r"(r6), "r"(r7) : "memory");
	return r2;
}
