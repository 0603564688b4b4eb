# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       a0 args, a1 size, a2 fn, a3 arg
# SYS_clone3:  v0 4435, a0 args, a1 size; the kernel answers as for clone
#              (a3 set and the errno in v0 on failure), sets the child's sp
#              to args->stack + args->stack_size and hands it s0-s7 as fork
#              must, so fn and arg ride in s0 and s1, which the parent keeps
#              on its stack
# child:       aligns sp to 8, leaves a 16-byte argument area, clears fp,
#              calls fn(arg) through t9, exits with its result through
#              SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	addiu $sp,$sp,-32
	sw $s0,24($sp)
	sw $s1,28($sp)
	move $s0,$a2
	move $s1,$a3
	li $v0,4435             # SYS_clone3
	syscall
	beqz $a3,1f
	subu $v0,$zero,$v0
1:	beqz $v0,2f
	lw $s0,24($sp)
	lw $s1,28($sp)
	addiu $sp,$sp,32
	jr $ra
2:	li $t0,-8
	and $sp,$sp,$t0
	addiu $sp,$sp,-16
	move $fp,$zero
	move $t9,$s0
	move $a0,$s1
	jalr $t9
	move $a0,$v0
	li $v0,4001             # SYS_exit
	syscall
	break
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",@progbits
