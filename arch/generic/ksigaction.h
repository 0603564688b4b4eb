/* The kernel's struct sigaction where the handler comes first. It is at
 * least as large as every such kernel's, since the kernel writes the whole
 * struct back on a query. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask[128 / (8 * sizeof(long))];
};
