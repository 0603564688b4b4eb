# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# entry:       cdecl, all on the stack: 4(%esp) fn, 8 stack top, 12 flags,
#              16 arg, 20 ptid; ebx esi edi are the caller's and are saved
# SYS_clone:   eax 120, ebx flags, ecx stack, edx ptid, esi tls (0),
#              edi ctid (0), through int $0x80
# child:       finds arg and fn at the bottom of its 16-byte aligned stack,
#              clears ebp, calls fn(arg), exits with its result through
#              SYS_exit
# CET:         endbr32 lets the entry be reached indirectly under IBT; fn,
#              C built the same way, has its own. A CLONE_VFORK child would
#              run on the parent's shadow stack: it pops only what it pushed
#              (call fn) and leaves through SYS_exit, never by ret
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	endbr32
	push %ebx
	push %esi
	push %edi
	mov 20(%esp),%ecx
	and $-16,%ecx
	sub $16,%ecx
	mov 16(%esp),%eax
	mov %eax,4(%ecx)        # fn
	mov 28(%esp),%eax
	mov %eax,(%ecx)         # arg, already where fn will look for it
	mov 24(%esp),%ebx
	mov 32(%esp),%edx
	xor %esi,%esi
	xor %edi,%edi
	mov $120,%eax           # SYS_clone
	int $0x80
	test %eax,%eax
	jnz 1f
	xor %ebp,%ebp
	call *4(%esp)
	mov %eax,%ebx
	mov $1,%eax             # SYS_exit
	int $0x80
	hlt
1:	pop %edi
	pop %esi
	pop %ebx
	ret
	.size __spawnfd_clone,.-__spawnfd_clone

	.include "property.inc"
	.section .note.GNU-stack,"",@progbits
