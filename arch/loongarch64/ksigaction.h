/* loongarch has no SA_RESTORER: the kernel's struct sigaction goes
 * straight from the flags to the mask. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	unsigned long mask[128 / (8 * sizeof(long))];
};
