/* loongarch64: number in $a7, arguments in $a0-$a5, syscall 0; the kernel
 * returns -errno in $a0 and may clobber the temporaries $t0-$t8. The
 * variables carry the general register numbers ($a0 is $r4). */

#define __SC_CLOBBERS "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", \
	"$t8", "memory"

static inline long __syscall0(long n)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0");
	__asm__ volatile ("syscall 0" : "=r"(r4) : "r"(r11) : __SC_CLOBBERS);
	return r4;
}

static inline long __syscall1(long n, long a1)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0") = a1;
	__asm__ volatile ("syscall 0" : "+r"(r4) : "r"(r11) : __SC_CLOBBERS);
	return r4;
}

static inline long __syscall2(long n, long a1, long a2)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0") = a1;
	register long r5 __asm__("$a1") = a2;
	__asm__ volatile ("syscall 0" : "+r"(r4) : "r"(r11), "r"(r5) : __SC_CLOBBERS);
	return r4;
}

static inline long __syscall3(long n, long a1, long a2, long a3)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0") = a1;
	register long r5 __asm__("$a1") = a2;
	register long r6 __asm__("$a2") = a3;
	__asm__ volatile ("syscall 0" : "+r"(r4) : "r"(r11), "r"(r5), "r"(r6)
		: __SC_CLOBBERS);
	return r4;
}

static inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0") = a1;
	register long r5 __asm__("$a1") = a2;
	register long r6 __asm__("$a2") = a3;
	register long r7 __asm__("$a3") = a4;
	__asm__ volatile ("syscall 0" : "+r"(r4) : "r"(r11), "r"(r5), "r"(r6), "r"(r7)
		: __SC_CLOBBERS);
	return r4;
}

static inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0") = a1;
	register long r5 __asm__("$a1") = a2;
	register long r6 __asm__("$a2") = a3;
	register long r7 __asm__("$a3") = a4;
	register long r8 __asm__("$a4") = a5;
	__asm__ volatile ("syscall 0" : "+r"(r4) : "r"(r11), "r"(r5), "r"(r6), "r"(r7),
		"r"(r8) : __SC_CLOBBERS);
	return r4;
}

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r11 __asm__("$a7") = n;
	register long r4 __asm__("$a0") = a1;
	register long r5 __asm__("$a1") = a2;
	register long r6 __asm__("$a2") = a3;
	register long r7 __asm__("$a3") = a4;
	register long r8 __asm__("$a4") = a5;
	register long r9 __asm__("$a5") = a6;
	__asm__ volatile ("syscall 0" : "+r"(r4) : "r"(r11), "r"(r5), "r"(r6), "r"(r7),
		"r"(r8), "r"(r9) : __SC_CLOBBERS);
	return r4;
}
