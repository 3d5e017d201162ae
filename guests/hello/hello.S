# pseries-lab bundled guest "hello": a bare-metal 64-bit big-endian program for
# the sPAPR "pseries" machine (POWER8), started by VOF (x-vof=on).
#
# Entry state (VOF): 32-bit mode, big-endian, real mode, MSR = 0, running at
# 0x400000 although the image is linked at 0, so every address is computed
# from the runtime base found with bl/mflr.
#
# What it does:
#   * switches to 64-bit mode (MSR = SF | ME), sets up a stack and installs a
#     decrementer handler at the real-mode vector 0x900;
#   * prints a banner on the console (H_PUT_TERM_CHAR, vty reg 0);
#   * fills a 2 MiB data region at 0x01000000 and keeps a running 64-bit sum X
#     of all its doublewords;
#   * every 0.5 s of timebase (step N = 0, 1, 2, ...) rewrites one 64 KiB slice
#     of the region with a pattern derived from N, updates X, re-verifies the
#     whole region against X and prints "count N checksum X";
#   * between lines it sleeps in H_CEDE, woken every 50 ms by the decrementer,
#     and echoes console input (H_GET_TERM_CHAR), CR becoming CR LF.
#
# Only a small instruction set is used; see README.md for the list.
# Assemble with --defsym CORRUPT_TEST=1 to damage one doubleword at step 3
# (checks the "CORRUPT at N" path; never used for the bundled image).

        .set    H_GET_TERM_CHAR, 0x54
        .set    H_PUT_TERM_CHAR, 0x58
        .set    H_CEDE, 0xe0

        .set    SPR_DEC, 22
        .set    SPR_SPRG0, 272

        .set    DATA_BASE, 0x01000000   # 2 MiB data region
        .set    DATA_PAGES, 512         # 4 KiB pages in the region
        .set    SLICE_SHIFT, 16         # 64 KiB slices, 32 of them
        .set    SLICE_MASK, 31
        .set    SCRATCH, 0x00f00000     # line buffers; the stack grows down from here
        .set    LINEBUF, 0x000          # offsets from SCRATCH
        .set    ECHOBUF, 0x100
        .set    DIGBUF_END, 0x220

        .set    PERIOD_HI, 0x0f42       # 0.5 s at 512 MHz = 256,000,000 = 0x0f424000
        .set    PERIOD_LO, 0x4000
        .set    TICK_HI, 0x0186         # 50 ms at 512 MHz = 25,600,000 = 0x0186a000
        .set    TICK_LO, 0xa000

# Register use (kept for the whole run):
#   r24 M, the odd pattern multiplier 0x9e3779b97f4a7c15
#   r25 SCRATCH                    r26 period (timebase ticks)
#   r27 next deadline (timebase)   r28 X, the expected checksum
#   r29 N, the step counter        r30 DATA_BASE
#   r31 runtime address of _start  r1  stack pointer
# r19 holds the return address inside echo_poll; everything else is scratch.
# Hypercalls may change r0 and r3-r12.

        .text
        .globl  _start
_start:
        # 64-bit mode, machine checks enabled, everything else off.
        li      r3, 1
        sldi    r3, r3, 63              # MSR[SF]
        ori     r3, r3, 0x1000          # MSR[ME]
        mtmsrd  r3, 0
        isync

        # Where are we?
        bl      here
here:   mflr    r31
        addi    r31, r31, _start - here

        # Stack: 0x00e00000-0x00f00000, with a zero back chain.
        lis     r1, SCRATCH@h
        addi    r1, r1, -256
        li      r0, 0
        std     r0, 0(r1)

        # Install the decrementer handler at 0x900.
        li      r3, 0x7fff
        sldi    r3, r3, 16
        ori     r3, r3, 0xffff
        mtspr   SPR_DEC, r3             # no decrementer interrupt for now
        addi    r3, r31, dec_stub - _start
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

        # Constants.
        lis     r24, 0x9e37
        ori     r24, r24, 0x79b9
        sldi    r24, r24, 32
        oris    r24, r24, 0x7f4a
        ori     r24, r24, 0x7c15
        lis     r25, SCRATCH@h
        lis     r26, PERIOD_HI
        ori     r26, r26, PERIOD_LO
        lis     r30, DATA_BASE@h

        # Banner.
        addi    r3, r31, banner - _start
        li      r4, banner_end - banner
        bl      put_buf

        # Initial fill. Doubleword j (0-7) of every 64-byte block of page p
        # (0-511) holds M * (8p + j + 1); X accumulates 64 * (sum of the 8
        # values) per page.
        li      r28, 0
        addi    r22, r30, -512
        li      r23, DATA_PAGES
        mr      r14, r24                # M * 1
fill_page:
        add     r15, r14, r24
        add     r16, r15, r24
        add     r17, r16, r24
        add     r18, r17, r24
        add     r19, r18, r24
        add     r20, r19, r24
        add     r21, r20, r24
        add     r3, r14, r15
        add     r3, r3, r16
        add     r3, r3, r17
        add     r3, r3, r18
        add     r3, r3, r19
        add     r3, r3, r20
        add     r3, r3, r21
        sldi    r3, r3, 6
        add     r28, r28, r3
        li      r3, 8                   # 8 x 512 bytes per page
        mtctr   r3
fill_blk:
        stdu    r14, 512(r22)
        .irp    off, 64, 128, 192, 256, 320, 384, 448
        std     r14, \off(r22)
        .endr
        .irp    off, 0, 64, 128, 192, 256, 320, 384, 448
        std     r15, \off+8(r22)
        std     r16, \off+16(r22)
        std     r17, \off+24(r22)
        std     r18, \off+32(r22)
        std     r19, \off+40(r22)
        std     r20, \off+48(r22)
        std     r21, \off+56(r22)
        .endr
        bdnz    fill_blk
        add     r14, r21, r24
        addi    r23, r23, -1
        cmpdi   r23, 0
        bne     fill_page

        li      r29, 0
        mftb    r27                     # deadline 0 = now: line 0 at once

# ---------------------------------------------------------------------------
# One step: rewrite slice (N mod 32), re-verify, print.
step:
        # Slice rewrite. Doubleword j of every 64-byte block of page q (0-15)
        # of the slice gets M * ((N + 1) * 65536 + 8q + j + 1); the old
        # contents are summed on the way (r11), the new ones per page (r12).
        andi.   r3, r29, SLICE_MASK
        sldi    r3, r3, SLICE_SHIFT
        add     r22, r30, r3
        addi    r22, r22, -64
        addi    r3, r29, 1
        sldi    r3, r3, 16
        addi    r3, r3, 1
        mulld   r14, r3, r24
        li      r11, 0
        li      r12, 0
        li      r23, 16
rw_page:
        add     r15, r14, r24
        add     r16, r15, r24
        add     r17, r16, r24
        add     r18, r17, r24
        add     r19, r18, r24
        add     r20, r19, r24
        add     r21, r20, r24
        add     r3, r14, r15
        add     r3, r3, r16
        add     r3, r3, r17
        add     r3, r3, r18
        add     r3, r3, r19
        add     r3, r3, r20
        add     r3, r3, r21
        sldi    r3, r3, 6
        add     r12, r12, r3
        li      r3, 64                  # 64 x 64 bytes per page
        mtctr   r3
rw_blk:
        ldu     r3, 64(r22)
        ld      r4, 8(r22)
        ld      r5, 16(r22)
        ld      r6, 24(r22)
        ld      r7, 32(r22)
        ld      r8, 40(r22)
        ld      r9, 48(r22)
        ld      r10, 56(r22)
        std     r14, 0(r22)
        std     r15, 8(r22)
        std     r16, 16(r22)
        std     r17, 24(r22)
        std     r18, 32(r22)
        std     r19, 40(r22)
        std     r20, 48(r22)
        std     r21, 56(r22)
        add     r11, r11, r3
        add     r11, r11, r4
        add     r11, r11, r5
        add     r11, r11, r6
        add     r11, r11, r7
        add     r11, r11, r8
        add     r11, r11, r9
        add     r11, r11, r10
        bdnz    rw_blk
        add     r14, r21, r24
        addi    r23, r23, -1
        cmpdi   r23, 0
        bne     rw_page
        subf    r28, r11, r28           # X = X - old + new
        add     r28, r28, r12

.ifdef CORRUPT_TEST
        cmpdi   r29, 3
        bne     1f
        lis     r3, (DATA_BASE + 0x100000)@h
        ld      r4, 0x88(r3)
        addi    r4, r4, 1
        std     r4, 0x88(r3)
1:
.endif

        # Verify: sum all 262,144 doublewords, 64 per loop iteration, into
        # four accumulators.
        addi    r22, r30, -512
        li      r3, 4096
        mtctr   r3
        li      r11, 0
        li      r12, 0
        li      r14, 0
        li      r15, 0
verify_blk:
        ldu     r3, 512(r22)
        ld      r4, 8(r22)
        ld      r5, 16(r22)
        ld      r6, 24(r22)
        ld      r7, 32(r22)
        ld      r8, 40(r22)
        ld      r9, 48(r22)
        ld      r10, 56(r22)
        add     r11, r11, r3
        add     r12, r12, r4
        add     r14, r14, r5
        add     r15, r15, r6
        add     r11, r11, r7
        add     r12, r12, r8
        add     r14, r14, r9
        add     r15, r15, r10
        .irp    off, 64, 128, 192, 256, 320, 384, 448
        ld      r3, \off(r22)
        ld      r4, \off+8(r22)
        ld      r5, \off+16(r22)
        ld      r6, \off+24(r22)
        ld      r7, \off+32(r22)
        ld      r8, \off+40(r22)
        ld      r9, \off+48(r22)
        ld      r10, \off+56(r22)
        add     r11, r11, r3
        add     r12, r12, r4
        add     r14, r14, r5
        add     r15, r15, r6
        add     r11, r11, r7
        add     r12, r12, r8
        add     r14, r14, r9
        add     r15, r15, r10
        .endr
        bdnz    verify_blk
        add     r11, r11, r12
        add     r14, r14, r15
        add     r11, r11, r14
        cmpd    r11, r28
        beq     print_count

        # Mismatch: report it and take the measured sum as the new X.
        mr      r28, r11
        mr      r14, r25
        addi    r3, r31, s_corrupt - _start
        li      r4, s_corrupt_end - s_corrupt
        bl      append
        mr      r3, r29
        bl      put_dec
        addi    r3, r31, s_crlf - _start
        li      r4, 2
        bl      append
        subf    r4, r25, r14
        mr      r3, r25
        bl      put_buf

print_count:
        mr      r14, r25
        addi    r3, r31, s_count - _start
        li      r4, s_count_end - s_count
        bl      append
        mr      r3, r29
        bl      put_dec
        addi    r3, r31, s_checksum - _start
        li      r4, s_checksum_end - s_checksum
        bl      append
        mr      r3, r28
        bl      put_hex
        addi    r3, r31, s_crlf - _start
        li      r4, 2
        bl      append
        subf    r4, r25, r14
        mr      r3, r25
        bl      put_buf

        addi    r29, r29, 1
        add     r27, r27, r26           # deadline N+1 = TB0 + (N+1) * period

# ---------------------------------------------------------------------------
# Wait for the next deadline, echoing input on every wake.
wait:
        bl      echo_poll
        mftb    r3
        subf    r4, r3, r27             # time left
        cmpdi   r4, 0
        bgt     sleep
        # Due. If more than a whole period late (the machine was stopped),
        # restart the schedule from now instead of catching up line by line.
        neg     r4, r4
        cmpld   r4, r26
        ble     step
        mr      r27, r3
        b       step
sleep:
        lis     r5, TICK_HI
        ori     r5, r5, TICK_LO
        cmpld   r4, r5
        ble     1f
        mr      r4, r5
1:      mtspr   SPR_DEC, r4
        li      r3, H_CEDE              # returns with MSR[EE] = 1 after a wake-up
        sc      1
        li      r0, 0
        mtmsrd  r0, 1                   # EE = 0 (and RI = 0)
        b       wait

# ---------------------------------------------------------------------------
# echo_poll: read console input until none is left, echo it (CR -> CR LF).
# Uses r3-r12, r14-r21; return address kept in r19.
echo_poll:
        mflr    r19
ep_get:
        li      r3, H_GET_TERM_CHAR
        li      r4, 0
        sc      1
        cmpdi   r3, 0
        bne     ep_done
        cmpdi   r4, 0
        beq     ep_done
        mr      r14, r4                 # count
        mr      r15, r5                 # characters, big-endian packed
        mr      r16, r6
        addi    r17, r25, ECHOBUF
        li      r18, 0                  # output length
ep_char:
        srdi    r3, r15, 56
        stbx    r3, r17, r18
        addi    r18, r18, 1
        cmpwi   r3, 13
        bne     1f
        li      r4, 10
        stbx    r4, r17, r18
        addi    r18, r18, 1
1:      sldi    r15, r15, 8
        srdi    r4, r16, 56
        or      r15, r15, r4
        sldi    r16, r16, 8
        addi    r14, r14, -1
        cmpdi   r14, 0
        bgt     ep_char
        mr      r3, r17
        mr      r4, r18
        bl      put_buf
        b       ep_get
ep_done:
        mtlr    r19
        blr

# put_buf: write r4 bytes from r3 (8-byte aligned) to the console, 16 bytes
# per H_PUT_TERM_CHAR. Uses r3-r7, r20, r21.
put_buf:
        mr      r20, r3
        mr      r21, r4
pb_loop:
        cmpdi   r21, 0
        ble     pb_done
        mr      r5, r21
        cmpdi   r5, 16
        ble     1f
        li      r5, 16
1:      ld      r6, 0(r20)
        ld      r7, 8(r20)
        li      r3, H_PUT_TERM_CHAR
        li      r4, 0                   # reg 0: the first vty
        sc      1
        addi    r20, r20, 16
        addi    r21, r21, -16
        b       pb_loop
pb_done:
        blr

# append: copy r4 (> 0) bytes from r3 to r14, advancing r14. Uses r3, r5.
append:
        mtctr   r4
1:      lbz     r5, 0(r3)
        stb     r5, 0(r14)
        addi    r3, r3, 1
        addi    r14, r14, 1
        bdnz    1b
        blr

# put_dec: append r3 in decimal at r14. Uses r3-r8.
put_dec:
        addi    r5, r25, DIGBUF_END
        mr      r6, r5
        li      r7, 10
1:      divdu   r4, r3, r7
        mulli   r8, r4, 10
        subf    r8, r8, r3
        addi    r8, r8, '0'
        addi    r6, r6, -1
        stb     r8, 0(r6)
        mr      r3, r4
        cmpdi   r3, 0
        bne     1b
2:      lbz     r7, 0(r6)
        stb     r7, 0(r14)
        addi    r6, r6, 1
        addi    r14, r14, 1
        cmpld   r6, r5
        blt     2b
        blr

# put_hex: append r3 as 16 lowercase hex digits at r14. Uses r3, r5-r7.
put_hex:
        addi    r5, r31, hexdigits - _start
        li      r6, 16
        mtctr   r6
1:      rotldi  r3, r3, 4
        andi.   r6, r3, 15
        lbzx    r7, r5, r6
        stb     r7, 0(r14)
        addi    r14, r14, 1
        bdnz    1b
        blr

# ---------------------------------------------------------------------------
# Decrementer handler, copied to 0x900. Entered in 64-bit real mode with
# EE = 0; SRR0/SRR1 hold the interrupted address and MSR. It only pushes the
# decrementer far into the future; the main loop reprograms it.
dec_stub:
        mtspr   SPR_SPRG0, r3
        lis     r3, 0x7fff
        ori     r3, r3, 0xffff
        mtspr   SPR_DEC, r3
        mfspr   r3, SPR_SPRG0
        rfid
dec_stub_end:

        .balign 8
banner:
        .ascii  "pseries-lab hello guest (POWER8, big-endian)\r\n"
banner_end:
s_count:
        .ascii  "count "
s_count_end:
s_checksum:
        .ascii  " checksum "
s_checksum_end:
s_corrupt:
        .ascii  "CORRUPT at "
s_corrupt_end:
s_crlf:
        .ascii  "\r\n"
hexdigits:
        .ascii  "0123456789abcdef"
        .balign 8
