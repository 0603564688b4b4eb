# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       rdi args, rsi size, rdx fn, rcx arg
# SYS_clone3:  rax 435, rdi args, rsi size; the kernel sets the child's rsp
#              to args->stack + args->stack_size and keeps rdx and r8
# child:       aligns rsp, clears rbp, calls fn(arg), exits with its result
#              through SYS_exit
# CET:         endbr64 lets the entry be reached indirectly under IBT; fn,
#              C built the same way, has its own. With CLONE_VFORK the child
#              runs on the parent's shadow stack: it only pushes below the
#              parent's entries (call fn), pops what it pushed, and leaves
#              through SYS_exit, never by a ret the parent's stack would miss
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	endbr64
	mov %rcx,%r8            # rcx does not survive syscall
	mov $435,%eax           # SYS_clone3
	syscall
	test %rax,%rax
	jnz 1f
	xor %ebp,%ebp
	and $-16,%rsp
	mov %r8,%rdi
	call *%rdx
	mov %eax,%edi
	mov $60,%eax            # SYS_exit
	syscall
	hlt
1:	ret
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.include "property.inc"
	.section .note.GNU-stack,"",@progbits
