# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       $a0 fn, $a1 stack top, $a2 flags, $a3 arg, $a4 ptid
# SYS_clone:   $a7 220, $a0 flags, $a1 stack, $a2 ptid, $a3 ctid (0),
#              $a4 tls (0); the kernel changes only $a0 (and the
#              temporaries), so fn and arg ride in $a5 and $a6
# child:       aligns $sp to 16, clears $fp and $ra, calls fn(arg), exits
#              with its result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	bstrins.d $a1,$zero,3,0
	move $a5,$a0
	move $a6,$a3
	move $a0,$a2
	move $a2,$a4
	move $a3,$zero
	move $a4,$zero
	ori $a7,$zero,220       # SYS_clone
	syscall 0
	beqz $a0,1f
	jr $ra
1:	move $fp,$zero
	move $ra,$zero
	move $a0,$a6
	jirl $ra,$a5,0
	ori $a7,$zero,93        # SYS_exit
	syscall 0
	break 0
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",@progbits
