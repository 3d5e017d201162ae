# Entry, the decrementer vector and the ways out of the guest: hcall (sc 1),
# the VOF client interface (the entry VOF passed in r5) and a timed sleep
# (decrementer + H_CEDE).
        .set    H_CEDE, 0xe0
        .set    SPR_DEC, 22
        .set    SPR_SPRG0, 272

#include "../common/entry.S"

        .section .text.start, "ax"
        .globl  _start
_start:
        guest_entry
        # no decrementer interrupt until a sleep arms it
        lis     r3, 0x7fff
        ori     r3, r3, 0xffff
        mtspr   SPR_DEC, r3
        # copy the decrementer handler to the real-mode vector 0x900
        lis     r3, dec_stub@ha
        addi    r3, r3, dec_stub@l
        li      r4, 0x900
        li      r5, (dec_stub_end - dec_stub) / 4
        mtctr   r5
1:      lwz     r6, 0(r3)
        stw     r6, 0(r4)
        addi    r3, r3, 4
        addi    r4, r4, 4
        bdnz    1b
        sync
        isync
        bl      main
        b       .

# Decrementer handler (copied to 0x900): push the decrementer far away and
# return; sleep_until reprograms it.
dec_stub:
        mtspr   SPR_SPRG0, r3
        lis     r3, 0x7fff
        ori     r3, r3, 0xffff
        mtspr   SPR_DEC, r3
        mfspr   r3, SPR_SPRG0
        rfid
dec_stub_end:

        .text
#include "../common/calls.S"

# unsigned long timebase(void)
        .globl  timebase
timebase:
        mftb    r3
        blr

# void sleep_until(unsigned long deadline): halt in H_CEDE, woken by the
# decrementer (at most 0x7fffffff ticks at a time), until the timebase
# reaches the deadline. Returns with MSR[EE] = 0.
        .globl  sleep_until
sleep_until:
        std     r31, -8(r1)
        mr      r31, r3
1:      mftb    r4
        subf    r4, r4, r31             # ticks left
        cmpdi   r4, 0
        ble     3f
        lis     r5, 0x7fff
        ori     r5, r5, 0xffff
        cmpld   r4, r5
        ble     2f
        mr      r4, r5
2:      mtspr   SPR_DEC, r4
        li      r3, H_CEDE              # sets MSR[EE]; the wake-up takes 0x900
        sc      1
        li      r0, 0
        mtmsrd  r0, 1                   # EE = 0
        b       1b
3:      ld      r31, -8(r1)
        blr

        .data
        .balign 8
vof_entry:
        .quad   0
        .bss
        .balign 16
        .space  0x4000
stack_top:
