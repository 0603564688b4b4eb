/* i386: int $0x80 with the number in eax and arguments in ebx ecx edx esi
 * edi ebp; only eax changes, and it returns -errno. ebx may be the PIC
 * register (gcc saves it around the asm itself), but ebp may be the frame
 * pointer and has no constraint letter, so the sixth argument comes from
 * memory and ebp is saved on the stack around the call. */

static inline long __syscall0(long n)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(n) : "memory");
	return ret;
}

static inline long __syscall1(long n, long a1)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(n), "b"(a1) : "memory");
	return ret;
}

static inline long __syscall2(long n, long a1, long a2)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(n), "b"(a1), "c"(a2) : "memory");
	return ret;
}

static inline long __syscall3(long n, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(n), "b"(a1), "c"(a2), "d"(a3)
		: "memory");
	return ret;
}

static inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(n), "b"(a1), "c"(a2), "d"(a3),
		"S"(a4) : "memory");
	return ret;
}

static inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(n), "b"(a1), "c"(a2), "d"(a3),
		"S"(a4), "D"(a5) : "memory");
	return ret;
}

static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	/* eax brings the address of { n, a6 }: no operand may be addressed
	 * through ebp or esp while they are being changed. */
	long ret, na6[2] = { n, a6 };
	__asm__ volatile ("push %%ebp\n\t"
		"mov 4(%%eax),%%ebp\n\t"
		"mov (%%eax),%%eax\n\t"
		"int $0x80\n\t"
		"pop %%ebp"
		: "=a"(ret) : "a"(na6), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
		: "memory");
	return ret;
}
