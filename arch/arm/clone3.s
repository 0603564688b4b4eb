@ long __spawnfd_clone3(struct clone_args *args, size_t size,
@                       int (*fn)(void *), void *arg)
@
@ entry:       r0 args, r1 size, r2 fn, r3 arg; r7 is the caller's and is
@              saved (r4 with it, to keep sp 8-byte aligned)
@ SYS_clone3:  r7 435, r0 args, r1 size, through svc 0; the kernel sets the
@              child's sp to args->stack + args->stack_size and copies every
@              other register but r0, so fn stays in r2 and arg in r3
@ child:       aligns sp to 16, clears fp (r11) and r7 (the Thumb frame
@              pointer), calls fn(arg), exits with its result through
@              SYS_exit
@ returns:     the child's pid, or -errno, in the parent
@
@ ARM state: fn may be Thumb or ARM code, blx and bx lr handle both.

	.syntax unified
	.text
	.arm
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,%function
__spawnfd_clone3:
	push {r4, r7}
	movw r7, #435           @ SYS_clone3
	svc 0
	cmp r0, #0
	beq 1f
	pop {r4, r7}
	bx lr
1:	mov r4, sp
	bic r4, r4, #15
	mov sp, r4
	mov r11, #0
	mov r7, #0
	mov r0, r3
	blx r2
	mov r7, #1              @ SYS_exit
	svc 0
	udf #0
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",%progbits
