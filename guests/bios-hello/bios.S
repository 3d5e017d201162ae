# pseries-lab test firmware "bios-hello": a raw image for QEMU's `-bios FILE` with
# `-M pseries,x-vof=off`. spapr_machine_init loads the file at address 0; at every reset
# spapr_machine_reset writes the flattened device tree below the top of the RMA and
# spapr_cpu_set_entry_state enters the image at SPAPR_ENTRY_POINT (0x100) with r1 = 0,
# r3 = the FDT address, r4 = 0 (r5 = 0 as well).
#
# It prints that entry state and a few fields of the FDT header, reads the RTC with the
# RTAS service get-time-of-day (called directly with the KVMPPC_H_RTAS hypercall, the way
# the RTAS blob SLOF installs does), then powers the machine off with RTAS power-off.
# Assembled with --defsym OS_TERM=1 it ends with ibm,os-term instead.
#
# Nothing it prints depends on the host except the time of day, which follows -rtc base=.

        .set    H_PUT_TERM_CHAR, 0x58
        .set    KVMPPC_H_RTAS, 0xf000
        .set    RTAS_GET_TIME_OF_DAY, 0x2001
        .set    RTAS_POWER_OFF, 0x2003
        .set    RTAS_IBM_OS_TERM, 0x201f

        .set    STACK_TOP, 0x6000       # the stack grows down from here
        .set    RTAS_ARGS, 0x7000       # rtas_args: token, nargs, nret, args..., rets...
        .set    DIGITS_END, 0x7800      # decimal digits are formatted below this

# Kept for the whole run: r31 the entry r3 (FDT address), r30 the entry MSR,
# r29 the entry r1, r28 the entry r4, r27 the entry r5, r26 the address of entry.
# The output routines keep their state in r20-r23 (a hypercall may change r0 and r3-r12).

        .text
        .org    0x100
        .globl  _start
_start:
        mr      r31, r3
        mr      r29, r1
        mr      r28, r4
        mr      r27, r5
        mfmsr   r30
        bl      1f
1:      mflr    r26
        addi    r26, r26, _start - 1b
        # 64-bit mode, machine checks enabled, everything else off
        li      r3, 1
        sldi    r3, r3, 63
        ori     r3, r3, 0x1000
        mtmsrd  r3, 0
        isync
        lis     r1, STACK_TOP@h
        ori     r1, r1, STACK_TOP@l
        addi    r1, r1, -256
        li      r0, 0
        std     r0, 0(r1)

        li      r3, s_banner
        bl      puts
        li      r3, s_entry
        bl      puts
        mr      r3, r26
        bl      puthex
        li      r3, s_msr
        bl      puts
        mr      r3, r30
        bl      puthex
        bl      newline
        li      r3, s_r1
        bl      puts
        mr      r3, r29
        bl      puthex
        li      r3, s_r3
        bl      puts
        mr      r3, r31
        bl      puthex
        li      r3, s_r4
        bl      puts
        mr      r3, r28
        bl      puthex
        li      r3, s_r5
        bl      puts
        mr      r3, r27
        bl      puthex
        bl      newline

        # FDT header (big-endian words): magic, version, size_dt_struct. The strings block is
        # left out: its layout follows the order libfdt was given the property names in.
        li      r3, s_fdt
        bl      puts
        lwz     r3, 0(r31)
        bl      puthex
        li      r3, s_size
        bl      puts
        lwz     r3, 36(r31)
        bl      puthex
        li      r3, s_version
        bl      puts
        lwz     r3, 20(r31)
        bl      puthex
        bl      newline

        # get-time-of-day: nargs 0, nret 8 (status, year, month, day, hour, min, sec, ns)
        li      r3, RTAS_GET_TIME_OF_DAY
        li      r4, 0
        li      r5, 8
        bl      rtas
        li      r3, s_time
        bl      puts
        li      r14, RTAS_ARGS
        lwz     r3, 12(r14)             # status
        li      r4, 1
        bl      putdec
        li      r3, ' '
        bl      putc
        lwz     r3, 16(r14)             # year
        li      r4, 4
        bl      putdec
        li      r3, '-'
        bl      putc
        lwz     r3, 20(r14)             # month
        li      r4, 2
        bl      putdec
        li      r3, '-'
        bl      putc
        lwz     r3, 24(r14)             # day
        li      r4, 2
        bl      putdec
        li      r3, ' '
        bl      putc
        lwz     r3, 28(r14)             # hour
        li      r4, 2
        bl      putdec
        li      r3, ':'
        bl      putc
        lwz     r3, 32(r14)             # minute
        li      r4, 2
        bl      putdec
        li      r3, ':'
        bl      putc
        lwz     r3, 36(r14)             # second
        li      r4, 2
        bl      putdec
        bl      newline

.ifdef OS_TERM
        li      r3, s_osterm
        bl      puts
        # ibm,os-term: nargs 1 (the message), nret 1
        li      r14, RTAS_ARGS
        li      r3, s_osmsg
        stw     r3, 12(r14)
        li      r3, RTAS_IBM_OS_TERM
        li      r4, 1
        li      r5, 1
        bl      rtas
.else
        li      r3, s_poweroff
        bl      puts
        # power-off: nargs 2 (power-on masks -1, -1), nret 1
        li      r14, RTAS_ARGS
        li      r3, -1
        stw     r3, 12(r14)
        stw     r3, 16(r14)
        li      r3, RTAS_POWER_OFF
        li      r4, 2
        li      r5, 1
        bl      rtas
.endif
        # not reached once the machine is off; otherwise say so and spin
        li      r3, s_still
        bl      puts
2:      b       2b

# rtas(r3 token, r4 nargs, r5 nret): the args buffer at RTAS_ARGS, arguments already at 12(...)
rtas:
        li      r6, RTAS_ARGS
        stw     r3, 0(r6)
        stw     r4, 4(r6)
        stw     r5, 8(r6)
        mr      r4, r6
        li      r3, 0
        ori     r3, r3, KVMPPC_H_RTAS
        sc      1
        blr

# putc(r3 char): one character with H_PUT_TERM_CHAR on the vty with the lowest reg (0)
putc:
        sldi    r6, r3, 56
        li      r3, H_PUT_TERM_CHAR
        li      r4, 0
        li      r5, 1
        li      r7, 0
        sc      1
        blr

newline:
        mflr    r20
        li      r3, '\r'
        bl      putc
        li      r3, '\n'
        bl      putc
        mtlr    r20
        blr

# puts(r3 address of a NUL-terminated string)
puts:
        mflr    r20
        mr      r21, r3
3:      lbz     r3, 0(r21)
        cmpwi   r3, 0
        beq     4f
        bl      putc
        addi    r21, r21, 1
        b       3b
4:      mtlr    r20
        blr

# puthex(r3 value): 0x and 16 lowercase hex digits
puthex:
        mflr    r20
        mr      r21, r3
        li      r3, '0'
        bl      putc
        li      r3, 'x'
        bl      putc
        li      r22, 16
5:      rotldi  r21, r21, 4
        andi.   r3, r21, 15
        cmpwi   r3, 10
        blt     6f
        addi    r3, r3, 'a' - '0' - 10
6:      addi    r3, r3, '0'
        bl      putc
        addi    r22, r22, -1
        cmpwi   r22, 0
        bne     5b
        mtlr    r20
        blr

# putdec(r3 value, r4 minimum digits): unsigned decimal, zero-padded; r3 = -1 prints "-1"
putdec:
        mflr    r20
        extsw   r21, r3
        mr      r23, r4
        cmpdi   r21, 0
        bge     7f
        li      r3, '-'
        bl      putc
        neg     r21, r21
        li      r23, 1
7:      li      r22, DIGITS_END         # digits stored backwards from DIGITS_END
        li      r9, 10
8:      divdu   r8, r21, r9
        mulld   r7, r8, r9
        subf    r7, r7, r21
        addi    r7, r7, '0'
        addi    r22, r22, -1
        stb     r7, 0(r22)
        mr      r21, r8
        addi    r23, r23, -1
        cmpdi   r21, 0
        bne     8b
        cmpdi   r23, 0
        bgt     8b
9:      lbz     r3, 0(r22)
        bl      putc
        addi    r22, r22, 1
        cmpwi   r22, DIGITS_END
        bne     9b
        mtlr    r20
        blr

s_banner:   .asciz  "bios-hello: pseries firmware entered\r\n"
s_entry:    .asciz  "entry "
s_msr:      .asciz  " msr "
s_r1:       .asciz  "r1 "
s_r3:       .asciz  " r3 "
s_r4:       .asciz  " r4 "
s_r5:       .asciz  " r5 "
s_fdt:      .asciz  "fdt magic "
s_size:     .asciz  " size_dt_struct "
s_version:  .asciz  " version "
s_time:     .asciz  "get-time-of-day "
s_poweroff: .asciz  "power-off\r\n"
s_osterm:   .asciz  "ibm,os-term\r\n"
s_osmsg:    .asciz  "bios-hello done"
s_still:    .asciz  "still running\r\n"
        .balign 8
