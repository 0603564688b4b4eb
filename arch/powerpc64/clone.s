# long __spawnfd_clone(int (*fn)(void *), void *stack, unsigned long flags,
#                      void *arg, int *ptid)
#
# powerpc64 little-endian, ELFv2.
# entry:       r3 fn, r4 stack top, r5 flags, r6 arg, r7 ptid
# SYS_clone:   r0 120, r3 flags, r4 stack, r5 ptid, r6 tls (0), r7 ctid (0);
#              sc clobbers r0 and r4-r12, so fn and arg ride in callee-saved
#              r30 and r31, kept in the red zone below r1 meanwhile; an error
#              comes back as a positive errno with cr0.SO set
# child:       aligns r1, pushes a 32-byte frame with a zero back chain,
#              calls fn(arg) through ctr with its address in r12 (the ELFv2
#              global entry derives the TOC pointer r2 from it), exits with
#              its result through SYS_exit
# returns:     the child's pid, or -errno, in the parent

	.abiversion 2
	.text
	.global __spawnfd_clone
	.hidden __spawnfd_clone
	.type __spawnfd_clone,@function
__spawnfd_clone:
	std 30,-16(1)
	std 31,-8(1)
	mr 30,3
	mr 31,6
	clrrdi 4,4,4
	mr 3,5
	mr 5,7
	li 6,0
	li 7,0
	li 0,120                # SYS_clone
	sc
	bns+ 1f
	neg 3,3
1:	cmpdi 3,0
	beq 2f
	ld 30,-16(1)
	ld 31,-8(1)
	blr
2:	li 0,0
	stdu 0,-32(1)
	mr 12,30
	mtctr 12
	mr 3,31
	bctrl
	li 0,1                  # SYS_exit
	sc
	trap
	.size __spawnfd_clone,.-__spawnfd_clone

	.section .note.GNU-stack,"",@progbits
