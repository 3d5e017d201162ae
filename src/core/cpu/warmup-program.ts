// The program PowerPCCPU.warmUp() runs on a scratch vCPU: every form the interpreter's inline
// paths handle (and a few that take the general path), so that the JIT sees all of them before it
// first compiles the interpreter loop. Loaded at 0xf00, it runs into the next page; its data is at
// 0x6000. Assembled from:
//
//    b main
//   exit:
//    li r3, 0x5555
//    sc 1
//   main:
//    li r1, 0x6000
//    mr r12, r1
//    li r9, 2
//    mtctr r9
//   loop:
//    addi r3, r1, 8
//    addis r4, 0, 1
//    addi r4, r4, 3
//    add r5, r3, r4
//    add. r5, r3, r4
//    subf r6, r3, r5
//    subf. r6, r3, r5
//    neg r7, r6
//    mulli r8, r7, 3
//    mullw r8, r7, r6
//    mullw. r8, r7, r6
//    mulld r8, r7, r6
//    mulld. r8, r7, r6
//    cmpwi r3, 5
//    cmpdi cr1, r7, -5
//    cmpw cr2, r3, r4
//    cmpd cr3, r4, r3
//    cmpd cr3, r4, r4
//    cmplwi r3, 5
//    cmpldi cr4, r3, 5
//    cmplw cr5, r3, r4
//    cmpld cr6, r4, r3
//    and r10, r3, r4
//    and. r10, r3, r4
//    andc r10, r3, r4
//    andc. r10, r3, r4
//    mr r10, r3
//    or r10, r3, r4
//    or. r10, r3, r4
//    or r2, r2, r2
//    xor r10, r3, r4
//    xor. r10, r3, r4
//    nor r10, r3, r4
//    nor. r10, r3, r4
//    ori r10, r3, 0x1234
//    oris r10, r3, 0x1234
//    xori r10, r3, 0x1234
//    xoris r10, r3, 0x1234
//    andi. r10, r3, 0xff
//    andis. r10, r7, 0xffff
//    extsb r10, r7
//    extsb. r10, r7
//    extsh r10, r7
//    extsh. r10, r7
//    extsw r10, r7
//    extsw. r10, r7
//    cntlzw r10, r3
//    cntlzw. r10, r3
//    cntlzd r10, r3
//    cntlzd r10, r7
//    cntlzd. r10, r3
//    isel r10, r3, r4, 2
//    isel r10, 0, r4, 1
//    rlwinm r10, r3, 4, 0, 27
//    rlwinm r10, r3, 4, 28, 3
//    rlwinm r10, r3, 0, 16, 31
//    rlwinm. r10, r3, 4, 0, 27
//    rlwimi r10, r3, 8, 16, 23
//    rlwimi r10, r3, 8, 28, 3
//    rlwimi. r10, r3, 8, 16, 23
//    rldicl r10, r7, 8, 16
//    rldicl. r10, r7, 8, 16
//    rldicr r10, r7, 8, 47
//    rldicr. r10, r7, 8, 47
//    rldic r10, r7, 8, 16
//    rldic. r10, r7, 8, 16
//    rldimi r10, r7, 8, 16
//    rldimi. r10, r7, 8, 16
//    li r11, 5
//    slw r10, r7, r11
//    slw. r10, r7, r11
//    srw r10, r7, r11
//    srw. r10, r7, r11
//    sld r10, r7, r11
//    sld. r10, r7, r11
//    srd r10, r7, r11
//    srd. r10, r7, r11
//    sradi r10, r7, 3
//    sradi. r10, r7, 3
//    srawi r10, r7, 3
//    srawi r10, r3, 0
//    srawi. r10, r7, 3
//    lwz r10, 0(r1)
//    lwz r10, 0x6000(0)
//    lwzx r10, r1, r9
//    lbz r10, 1(r1)
//    lbzx r10, r1, r9
//    lhz r10, 2(r1)
//    lhzx r10, r1, r9
//    lha r10, 2(r1)
//    ld r10, 8(r1)
//    ldx r10, r1, r11
//    lwzu r10, 4(r12)
//    ldu r10, 8(r12)
//    mr r12, r1
//    lwa r10, 8(r1)
//    stw r3, 16(r1)
//    stwx r3, r1, r11
//    stwu r3, 4(r12)
//    stb r3, 17(r1)
//    stbx r3, r1, r11
//    sth r3, 18(r1)
//    std r3, 24(r1)
//    stdx r3, r1, r11
//    stdu r3, 8(r12)
//    lwz r10, 0xfffe(r1)
//    stw r3, 0xfffe(r1)
//    dcbt 0, r1
//    dcbtst 0, r1
//    dcbst 0, r1
//    dcbf 0, r1
//    icbi 0, r1
//    sync
//    eieio
//    isync
//    mflr r10
//    mtlr r10
//    mfctr r13
//    mtctr r13
//    mfspr r10, 272
//    mtspr 272, r10
//    mfxer r10
//    mfmsr r10
//    mfocrf r10, 0x80
//    mfocrf r10, 0xc0
//    mtocrf 0x80, r10
//    mtcrf 0xff, r10
//    mfcr r10
//    li r14, 0xf00
//    stw r14, 0(r14)
//    bl sub
//    bl far
//    cmpwi r3, 0
//    beq skip1
//    bne skip1
//   skip1:
//    bdnz+ loop
//    li r9, 3
//    mtctr r9
//    bdz skip2
//   skip2:
//    bdnz skip2
//    li r9, 2
//    mtctr r9
//    bl next1
//   next1:
//    mflr r10
//    addi r10, r10, 16
//    mtlr r10
//    bclr 16, 0, 0
//    lis r10, sub@ha
//    addi r10, r10, sub@l
//    mtctr r10
//    bctrl
//    beqctr
//    bcl 20, 31, here
//   here:
//    lis r10, sub@ha
//    addi r10, r10, sub@l
//    mtlr r10
//    blrl
//    lis r10, exit@ha
//    addi r10, r10, exit@l
//    mtctr r10
//    bctr
//   sub:
//    cmpwi r3, 0
//    beqlr
//    bnelr
//   far:
//    blr

export const WARMUP_ORIGIN = 0xf00;

export const WARMUP_PROGRAM = new Uint32Array([
  0x4800000c, 0x38605555, 0x44000022, 0x38206000, 0x7c2c0b78, 0x39200002, 0x7d2903a6, 0x38610008,
  0x3c800001, 0x38840003, 0x7ca32214, 0x7ca32215, 0x7cc32850, 0x7cc32851, 0x7ce600d0, 0x1d070003,
  0x7d0731d6, 0x7d0731d7, 0x7d0731d2, 0x7d0731d3, 0x2c030005, 0x2ca7fffb, 0x7d032000, 0x7da41800,
  0x7da42000, 0x28030005, 0x2a230005, 0x7e832040, 0x7f241840, 0x7c6a2038, 0x7c6a2039, 0x7c6a2078,
  0x7c6a2079, 0x7c6a1b78, 0x7c6a2378, 0x7c6a2379, 0x7c421378, 0x7c6a2278, 0x7c6a2279, 0x7c6a20f8,
  0x7c6a20f9, 0x606a1234, 0x646a1234, 0x686a1234, 0x6c6a1234, 0x706a00ff, 0x74eaffff, 0x7cea0774,
  0x7cea0775, 0x7cea0734, 0x7cea0735, 0x7cea07b4, 0x7cea07b5, 0x7c6a0034, 0x7c6a0035, 0x7c6a0074,
  0x7cea0074, 0x7c6a0075, 0x7d43209e, 0x7d40205e, 0x546a2036, 0x546a2706, 0x546a043e, 0x546a2037,
  0x506a442e, 0x506a4706, 0x506a442f, 0x78ea4400, 0x78ea4401, 0x78ea43e4, 0x78ea43e5, 0x78ea4408,
  0x78ea4409, 0x78ea440c, 0x78ea440d, 0x39600005, 0x7cea5830, 0x7cea5831, 0x7cea5c30, 0x7cea5c31,
  0x7cea5836, 0x7cea5837, 0x7cea5c36, 0x7cea5c37, 0x7cea1e74, 0x7cea1e75, 0x7cea1e70, 0x7c6a0670,
  0x7cea1e71, 0x81410000, 0x81406000, 0x7d41482e, 0x89410001, 0x7d4148ae, 0xa1410002, 0x7d414a2e,
  0xa9410002, 0xe9410008, 0x7d41582a, 0x854c0004, 0xe94c0009, 0x7c2c0b78, 0xe941000a, 0x90610010,
  0x7c61592e, 0x946c0004, 0x98610011, 0x7c6159ae, 0xb0610012, 0xf8610018, 0x7c61592a, 0xf86c0009,
  0x8141fffe, 0x9061fffe, 0x7c000a2c, 0x7c0009ec, 0x7c00086c, 0x7c0008ac, 0x7c000fac, 0x7c0004ac,
  0x7c0006ac, 0x4c00012c, 0x7d4802a6, 0x7d4803a6, 0x7da902a6, 0x7da903a6, 0x7d5042a6, 0x7d5043a6,
  0x7d4102a6, 0x7d4000a6, 0x7d580026, 0x7d5c0026, 0x7d580120, 0x7d4ff120, 0x7d400026, 0x39c00f00,
  0x91ce0000, 0x4800007d, 0x48000085, 0x2c030000, 0x41820008, 0x40820004, 0x4320fde4, 0x39200003,
  0x7d2903a6, 0x42400004, 0x42000000, 0x39200002, 0x7d2903a6, 0x48000005, 0x7d4802a6, 0x394a0010,
  0x7d4803a6, 0x4e000020, 0x3d400000, 0x394a11a0, 0x7d4903a6, 0x4e800421, 0x4d820420, 0x429f0005,
  0x3d400000, 0x394a11a0, 0x7d4803a6, 0x4e800021, 0x3d400000, 0x394a0f04, 0x7d4903a6, 0x4e800420,
  0x2c030000, 0x4d820020, 0x4c820020, 0x4e800020,
]);
