# long __spawnfd_clone3(struct clone_args *args, size_t size,
#                       int (*fn)(void *), void *arg)
#
# powerpc64 little-endian, ELFv2.
# entry:       r3 args, r4 size, r5 fn, r6 arg
# SYS_clone3:  r0 435, r3 args, r4 size; the kernel sets the child's r1 to
#              args->stack + args->stack_size; sc clobbers r0 and r4-r12, so
#              fn and arg ride in callee-saved r30 and r31, kept in the red
#              zone below r1 meanwhile; an error comes back as a positive
#              errno with cr0.SO set
# child:       aligns r1, pushes a 32-byte frame with a zero back chain,
#              calls fn(arg) through ctr with its address in r12 (the ELFv2
#              global entry derives the TOC pointer r2 from it), exits with
#              its result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.abiversion 2
	.text
	.global __spawnfd_clone3
	.hidden __spawnfd_clone3
	.type __spawnfd_clone3,@function
__spawnfd_clone3:
	std 30,-16(1)
	std 31,-8(1)
	mr 30,5
	mr 31,6
	li 0,435                # SYS_clone3
	sc
	bns+ 1f
	neg 3,3
1:	cmpdi 3,0
	beq 2f
	ld 30,-16(1)
	ld 31,-8(1)
	blr
2:	clrrdi 1,1,4
	li 0,0
	stdu 0,-32(1)
	mr 12,30
	mtctr 12
	mr 3,31
	bctrl
	li 0,1                  # SYS_exit
	sc
	trap
	.size __spawnfd_clone3,.-__spawnfd_clone3

	.section .note.GNU-stack,"",@progbits
