# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       r2 fn, r3 stack top, r4 flags, r5 arg, r6 ptid
# SYS_clone:   svc 120, r2 stack, r3 flags (s390 swaps the first two),
#              r4 ptid, r5 ctid (0), r6 tls (0); r6 is callee-saved, and fn
#              and arg ride in callee-saved r7 and r8, so all three go to
#              the caller's save area first
# child:       aligns r15, makes a 160-byte frame with a zero back chain,
#              clears the frame pointer r11, calls fn(arg), exits with its
#              result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	stmg %r6,%r8,48(%r15)
	lgr %r7,%r2
	lgr %r8,%r5
	lgr %r2,%r3
	nill %r2,0xfff8
	lgr %r3,%r4
	lgr %r4,%r6
	lghi %r5,0
	lghi %r6,0
	svc 120                 # SYS_clone
	ltgr %r2,%r2
	jz 1f
	lmg %r6,%r8,48(%r15)
	br %r14
1:	aghi %r15,-160
	xc 0(8,%r15),0(%r15)
	lghi %r11,0
	lgr %r2,%r8
	basr %r14,%r7
	svc 1                   # SYS_exit
	.word 0
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",@progbits
