# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       a0 fn, a1 stack top, a2 flags, a3 arg, a4 ptid
# SYS_clone:   a7 220, a0 flags, a1 stack, a2 ptid, a3 tls (0), a4 ctid (0);
#              the kernel changes only a0, so fn and arg ride in a5 and a6
# child:       aligns sp, clears fp and ra, calls fn(arg), exits with its
#              result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	andi a1,a1,-16
	mv a5,a0
	mv a6,a3
	mv a0,a2
	mv a2,a4
	li a3,0
	li a4,0
	li a7,220               # SYS_clone
	ecall
	beqz a0,1f
	ret
1:	li fp,0
	li ra,0
	mv a0,a6
	jalr a5
	li a7,93                # SYS_exit
	ecall
	unimp
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",@progbits
