# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       rdi fn, rsi stack top, rdx flags, rcx arg, r8 ptid
# SYS_clone:   rax 56, rdi flags, rsi stack, rdx ptid, r10 ctid (0), r8 tls (0)
# child:       pops fn and arg from its new stack, clears rbp, calls fn(arg),
#              exits with its result through SYS_exit
# CET:         endbr64 lets the entry be reached indirectly under IBT; fn,
#              C built the same way, has its own. With CLONE_VFORK the child
#              runs on the parent's shadow stack: it only pushes below the
#              parent's entries (call fn), pops what it pushed, and leaves
#              through SYS_exit, never by a ret the parent's stack would miss
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	endbr64
	and $-16,%rsi
	sub $16,%rsi
	mov %rdi,(%rsi)
	mov %rcx,8(%rsi)
	mov %rdx,%rdi
	mov %r8,%rdx
	xor %r10d,%r10d
	xor %r8d,%r8d
	mov $56,%eax            # SYS_clone
	syscall
	test %rax,%rax
	jnz 1f
	xor %ebp,%ebp
	pop %rax
	pop %rdi
	call *%rax
	mov %eax,%edi
	mov $60,%eax            # SYS_exit
	syscall
	hlt
1:	ret
	.size __spawnfd_clone,.-__spawnfd_clone

	.include "property.inc"
	.section .note.GNU-stack,"",@progbits
