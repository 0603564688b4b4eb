# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       a0 fn, a1 stack top, a2 flags, a3 arg, a4 ptid
# SYS_clone:   v0 5055, a0 flags, a1 stack, a2 ptid, a3 tls (0),
#              a4 ctid (0); the kernel answers with a3 set and the errno in
#              v0 on failure, else a3 clear and the pid in v0
# child:       finds fn and arg on its 16-byte aligned stack, clears fp,
#              calls fn(arg) through t9 (PIC callees derive gp from it),
#              exits with its result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	li $t0,-16
	and $a1,$a1,$t0
	daddiu $a1,$a1,-16
	sd $a0,0($a1)
	sd $a3,8($a1)
	move $a0,$a2
	move $a2,$a4
	move $a3,$zero
	move $a4,$zero
	li $v0,5055             # SYS_clone
	syscall
	beqz $a3,1f
	dsubu $v0,$zero,$v0
1:	beqz $v0,2f
	jr $ra
2:	move $fp,$zero
	ld $t9,0($sp)
	ld $a0,8($sp)
	jalr $t9
	move $a0,$v0
	li $v0,5058             # SYS_exit
	syscall
	break
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",@progbits
