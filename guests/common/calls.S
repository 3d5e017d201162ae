# The calls every C test guest makes out of itself, included by its start.S:
# hcall (sc 1) and the VOF client interface (the entry VOF passed in r5, kept
# in the guest's vof_entry).

# long hcall(long opcode, unsigned long *a): r4..r9 = a[0..5]; a[0..3] = r4..r7 after
        .globl  hcall
hcall:
        std     r31, -8(r1)
        mr      r31, r4
        ld      r4, 0(r31)
        ld      r5, 8(r31)
        ld      r6, 16(r31)
        ld      r7, 24(r31)
        ld      r8, 32(r31)
        ld      r9, 40(r31)
        sc      1
        std     r4, 0(r31)
        std     r5, 8(r31)
        std     r6, 16(r31)
        std     r7, 24(r31)
        ld      r31, -8(r1)
        blr

# unsigned ci(void *prom_args): the client interface, r3 = args
        .globl  ci
ci:
        mflr    r0
        std     r0, 16(r1)
        stdu    r1, -112(r1)
        std     r2, 24(r1)              # the firmware may use its own TOC
        lis     r4, vof_entry@ha
        ld      r4, vof_entry@l(r4)
        mtctr   r4
        bctrl
        ld      r2, 24(r1)
        addi    r1, r1, 112
        ld      r0, 16(r1)
        mtlr    r0
        blr
