# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       a0 args, a1 size, a2 fn, a3 arg
# SYS_clone3:  v0 5435, a0 args, a1 size; the kernel answers as for clone
#              (a3 set and the errno in v0 on failure), sets the child's sp
#              to args->stack + args->stack_size and hands it s0-s7 as fork
#              must, so fn and arg ride in s0 and s1, which the parent keeps
#              on its stack
# child:       aligns sp to 16, clears fp, calls fn(arg) through t9, exits
#              with its result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	daddiu $sp,$sp,-16
	sd $s0,0($sp)
	sd $s1,8($sp)
	move $s0,$a2
	move $s1,$a3
	li $v0,5435             # SYS_clone3
	syscall
	beqz $a3,1f
	dsubu $v0,$zero,$v0
1:	beqz $v0,2f
	ld $s0,0($sp)
	ld $s1,8($sp)
	daddiu $sp,$sp,16
	jr $ra
2:	li $t0,-16
	and $sp,$sp,$t0
	move $fp,$zero
	move $t9,$s0
	move $a0,$s1
	jalr $t9
	move $a0,$v0
	li $v0,5058             # SYS_exit
	syscall
	break
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",@progbits
