// long __spawnfd_clone3(struct clone_args *args, size_t size,
//                       int (*fn)(void *), void *arg)
//
// entry:       x0 args, x1 size, x2 fn, x3 arg
// SYS_clone3:  x8 435, x0 args, x1 size; the kernel sets the child's sp to
//              args->stack + args->stack_size and preserves every register
//              but x0, so fn and arg stay in x2 and x3
// child:       aligns sp, clears x29 and x30, calls fn(arg), exits with its
//              result through SYS_exit
// BTI, PAC:    bti c lands the indirect calls a BTI page allows into the
//              entry (a hint, a nop before v8.5); the child resumes after
//              svc, not by a branch, and needs none. fn, C built the same
//              way, has its own pad. Neither entry spills x30, so there is
//              no return address to sign
// returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,%function
__spawnfd_clone3:
	bti c
	mov x8,#435             // SYS_clone3
	svc #0
	cbz x0,1f
	ret
1:	mov x1,sp
	and sp,x1,#-16
	mov x29,xzr
	mov x30,xzr
	mov x0,x3
	blr x2
	mov x8,#93              // SYS_exit
	svc #0
	brk #0
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.include "property.inc"
	.section .note.GNU-stack,"",%progbits
