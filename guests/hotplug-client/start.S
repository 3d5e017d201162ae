# Entry and the three ways out of the guest (as papr-services): hcall (sc 1), the VOF client
# interface (call the entry VOF passed in r5) and RTAS (KVMPPC_H_RTAS).
#include "../common/entry.S"

        .section .text.start, "ax"
        .globl  _start
_start:
        guest_entry
        bl      main
        b       .

# RTAS start-cpu enters a started vCPU here (MSR = SF | ME, r3 = the argument): its own
# stack, the TOC, then secondary_main(r3).
        .globl  secondary_entry
secondary_entry:
        lis     r1, sec_stack_top@ha
        addi    r1, r1, sec_stack_top@l
        li      r0, 0
        stdu    r0, -64(r1)
        lis     r2, .TOC.@ha
        addi    r2, r2, .TOC.@l
        bl      secondary_main
        b       .

        .text
#include "../common/calls.S"

        .data
        .balign 8
vof_entry:
        .quad   0
        .bss
        .balign 16
        .space  0x8000
stack_top:
        .balign 16
        .space  0x4000
sec_stack_top:
