# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       a0 args, a1 size, a2 fn, a3 arg
# SYS_clone3:  a7 435, a0 args, a1 size; the kernel sets the child's sp to
#              args->stack + args->stack_size and changes only a0, so fn and
#              arg stay in a2 and a3
# child:       aligns sp, clears fp and ra, calls fn(arg), exits with its
#              result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	li a7,435               # SYS_clone3
	ecall
	beqz a0,1f
	ret
1:	andi sp,sp,-16
	li fp,0
	li ra,0
	mv a0,a3
	jalr a2
	li a7,93                # SYS_exit
	ecall
	unimp
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",@progbits
