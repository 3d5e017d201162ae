/* _start for /init: ELFv2, static, no libc. The kernel enters with r1 at the
 * initial stack (argc, argv, envp); set up the TOC and call main. */
	.section .text._start,"ax",@progbits
	.globl _start
	.type _start,@function
_start:
	bl	1f
1:	mflr	r12
	addis	r2, r12, (.TOC. - 1b)@ha
	addi	r2, r2, (.TOC. - 1b)@l
	clrrdi	r1, r1, 4
	li	r0, 0
	stdu	r0, -32(r1)
	bl	main
	nop
	/* main does not return; if it does, loop on exit(status) */
2:	li	r0, 1
	sc
	b	2b
	.size _start, . - _start
	.section .note.GNU-stack,"",@progbits
