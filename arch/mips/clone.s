# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       a0 fn, a1 stack top, a2 flags, a3 arg, 16(sp) ptid
# SYS_clone:   v0 4120, a0 flags, a1 stack, a2 ptid, a3 tls (0),
#              16(sp) ctid (0); the kernel answers with a3 set and the
#              errno in v0 on failure, else a3 clear and the pid in v0
# child:       finds fn and arg above a 16-byte argument area on its
#              8-byte aligned stack, clears fp, calls fn(arg) through t9
#              (PIC callees derive gp from it), exits with its result
#              through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	lw $t0,16($sp)
	sw $zero,16($sp)        # the slot is ours; the kernel reads ctid there
	li $t1,-8
	and $a1,$a1,$t1
	addiu $a1,$a1,-24
	sw $a0,16($a1)
	sw $a3,20($a1)
	move $a0,$a2
	move $a2,$t0
	move $a3,$zero
	li $v0,4120             # SYS_clone
	syscall
	beqz $a3,1f
	subu $v0,$zero,$v0
1:	beqz $v0,2f
	jr $ra
2:	move $fp,$zero
	lw $t9,16($sp)
	lw $a0,20($sp)
	jalr $t9
	move $a0,$v0
	li $v0,4001             # SYS_exit
	syscall
	break
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",@progbits
