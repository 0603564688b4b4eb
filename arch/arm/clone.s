@ long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
@                      void *arg, int *ptid)
@
@ entry:       r0 fn, r1 stack top, r2 flags, r3 arg, [sp] ptid; r4-r7 are
@              the caller's and are saved
@ SYS_clone:   r7 120, r0 flags, r1 stack, r2 ptid, r3 tls (0), r4 ctid (0),
@              through svc 0; every register but r0 survives it, in both
@              processes, so fn rides in r5 and arg in r6
@ child:       clears fp (r11) and r7 (the Thumb frame pointer), calls
@              fn(arg) on its 16-byte aligned stack, exits with its result
@              through SYS_exit
@ returns:     the child's pid, or -errno, in the parent
@
@ ARM state: fn may be Thumb or ARM code, blx and bx lr handle both.

	.syntax unified
	.text
	.arm
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,%function
__spawnfd_clone:
	push {r4, r5, r6, r7}
	mov r5, r0
	mov r6, r3
	bic r1, r1, #15
	mov r0, r2
	ldr r2, [sp, #16]
	mov r3, #0
	mov r4, #0
	mov r7, #120            @ SYS_clone
	svc 0
	cmp r0, #0
	beq 1f
	pop {r4, r5, r6, r7}
	bx lr
1:	mov r11, #0
	mov r7, #0
	mov r0, r6
	blx r5
	mov r7, #1              @ SYS_exit
	svc 0
	udf #0
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",%progbits
