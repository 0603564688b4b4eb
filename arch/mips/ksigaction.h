/* mips puts a 32-bit flags word before the handler and has no restorer;
 * the mask covers 128 signals. */
struct k_sigaction {
	unsigned flags;
	void (*handler)(int);
	unsigned long mask[128 / (8 * sizeof(long))];
};
