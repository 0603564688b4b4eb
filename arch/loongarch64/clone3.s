# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       $a0 args, $a1 size, $a2 fn, $a3 arg
# SYS_clone3:  $a7 435, $a0 args, $a1 size; the kernel sets the child's $sp
#              to args->stack + args->stack_size and changes only $a0 (and
#              the temporaries), so fn and arg stay in $a2 and $a3
# child:       aligns $sp to 16, clears $fp and $ra, calls fn(arg), exits
#              with its result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	ori $a7,$zero,435       # SYS_clone3
	syscall 0
	beqz $a0,1f
	jr $ra
1:	bstrins.d $sp,$zero,3,0
	move $fp,$zero
	move $ra,$zero
	move $a0,$a3
	jirl $ra,$a2,0
	ori $a7,$zero,93        # SYS_exit
	syscall 0
	break 0
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",@progbits
