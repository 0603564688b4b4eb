// long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
//                      void *arg, int *ptid)
//
// entry:       x0 fn, x1 stack top, x2 flags, x3 arg, x4 ptid
// SYS_clone:   x8 220, x0 flags, x1 stack, x2 ptid, x3 tls (0), x4 ctid (0)
// child:       pops fn and arg from its new stack, clears x29 and x30,
//              calls fn(arg), exits with its result through SYS_exit
// BTI, PAC:    bti c lands the indirect calls a BTI page allows into the
//              entry (a hint, a nop before v8.5); the child resumes after
//              svc, not by a branch, and needs none. fn, C built the same
//              way, has its own pad. Neither entry spills x30, so there is
//              no return address to sign
// returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,%function
__spawnfd_clone:
	bti c
	and x1,x1,#-16
	stp x0,x3,[x1,#-16]!
	mov x0,x2
	mov x2,x4
	mov x3,xzr
	mov x4,xzr
	mov x8,#220             // SYS_clone
	svc #0
	cbz x0,1f
	ret
1:	mov x29,xzr
	mov x30,xzr
	ldp x1,x0,[sp],#16
	blr x1
	mov x8,#93              // SYS_exit
	svc #0
	brk #0
	.size __spawnfd_clone,.-__spawnfd_clone

	.include "property.inc"
	.section .note.GNU-stack,"",%progbits
