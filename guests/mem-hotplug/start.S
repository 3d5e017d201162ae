# Entry and the ways out of the guest (as hotplug-client, without a secondary vCPU): hcall
# (sc 1), the VOF client interface (call the entry VOF passed in r5) and RTAS (KVMPPC_H_RTAS).
#include "../common/entry.S"

        .section .text.start, "ax"
        .globl  _start
_start:
        guest_entry
        bl      main
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
