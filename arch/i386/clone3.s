# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# entry:       cdecl, all on the stack: 4(%esp) args, 8 size, 12 fn, 16 arg;
#              ebx esi edi are the caller's and are saved
# SYS_clone3:  eax 435, ebx args, ecx size, through int $0x80; the kernel
#              sets the child's esp to args->stack + args->stack_size and
#              copies every other register, so fn rides in esi, arg in edi
# child:       aligns esp, clears ebp, calls fn(arg), exits with its result
#              through SYS_exit
# CET:         endbr32 lets the entry be reached indirectly under IBT; fn,
#              C built the same way, has its own. A CLONE_VFORK child would
#              run on the parent's shadow stack: it pops only what it pushed
#              (call fn) and leaves through SYS_exit, never by ret
# returns:     the child's pid, or -errno, in the parent

	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	endbr32
	push %ebx
	push %esi
	push %edi
	mov 16(%esp),%ebx
	mov 20(%esp),%ecx
	mov 24(%esp),%esi
	mov 28(%esp),%edi
	mov $435,%eax           # SYS_clone3
	int $0x80
	test %eax,%eax
	jnz 1f
	xor %ebp,%ebp
	and $-16,%esp
	sub $12,%esp
	push %edi               # esp is 16-byte aligned at the call, as gcc assumes
	call *%esi
	mov %eax,%ebx
	mov $1,%eax             # SYS_exit
	int $0x80
	hlt
1:	pop %edi
	pop %esi
	pop %ebx
	ret
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.include "property.inc"
	.section .note.GNU-stack,"",@progbits
