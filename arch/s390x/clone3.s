# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       r2 args, r3 size, r4 fn, r5 arg
# SYS_clone3:  svc 0, r1 435 (too large for svc's immediate), r2 args,
#              r3 size; the kernel sets the child's r15 to args->stack +
#              args->stack_size; fn and arg ride in callee-saved r7 and r8,
#              kept in the caller's save area meanwhile
# child:       aligns r15, makes a 160-byte frame with a zero back chain,
#              clears the frame pointer r11, calls fn(arg), exits with its
#              result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	stmg %r7,%r8,56(%r15)
	lgr %r7,%r4
	lgr %r8,%r5
	lghi %r1,435            # SYS_clone3
	svc 0
	ltgr %r2,%r2
	jz 1f
	lmg %r7,%r8,56(%r15)
	br %r14
1:	nill %r15,0xfff8
	aghi %r15,-160
	xc 0(8,%r15),0(%r15)
	lghi %r11,0
	lgr %r2,%r8
	basr %r14,%r7
	svc 1                   # SYS_exit
	.word 0
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",@progbits
