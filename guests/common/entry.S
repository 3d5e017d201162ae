# The start of every C test guest's _start, entered as QEMU's pseries enters a
# -kernel with x-vof=on: 64-bit mode with machine checks on and external
# interrupts off, a stack, the TOC, and the client-interface entry VOF passes in
# r5 kept for ci(). The guest's start.S goes on from there (then `bl main`).
        .macro  guest_entry
        li      r0, 1
        sldi    r0, r0, 63
        ori     r0, r0, 0x1000          # MSR = SF | ME: 64-bit mode, EE off
        mtmsrd  r0
        isync
        lis     r1, stack_top@ha
        addi    r1, r1, stack_top@l
        li      r0, 0
        stdu    r0, -64(r1)
        lis     r2, .TOC.@ha
        addi    r2, r2, .TOC.@l
        lis     r6, vof_entry@ha
        std     r5, vof_entry@l(r6)
        .endm
