// Differential test programs for the vector units (VMX, VSX) against QEMU 7.2 TCG
// (-M pseries,x-vof=on -cpu POWER8), built like qemu-diff.ts: a bare-metal big-endian guest in
// 64-bit mode with MSR[FP], MSR[VEC] and MSR[VSX] set runs each instruction of an area's case
// list (vmx-cases.ts, vmx-fp-cases.ts, vmx-crypto-cases.ts, vsx-cases.ts) over VEC_SAMPLES
// register images and prints one hash per instruction; vec-diff.gen.ts runs it under QEMU and
// writes vec-diff-AREA.fixture.json, vec-diff.test.ts runs it here and compares.
//
// Before each run of the instruction the guest sets:
//   v0..v3 (= vs32..vs35) and vs0..vs3   values from VEC_POOL (lvx / lxvd2x)
//   r4 = a 64-byte buffer filled from the pool, r5 = 0..31, r3 = a pool doubleword
//   FPSCR = 0 with rounding mode RN 0..3, VSCR = 0 or NJ (mtfsf / mtvscr), CR = 0
// and afterwards folds v0..v3, vs0..vs3, VSCR, FPSCR, CR, r3 and the buffer into a 64-bit hash
// (rotate left 13, xor). So a case is just the instruction text with its result in v0..v3,
// vs0..vs3 (or r3, CR, memory at r4) and its operands among those registers, e.g.
// 'vaddubm v0,v1,v2', 'lvx v0,r4,r5', 'xvadddp vs0,vs1,vs2', 'mfvsrd r3,vs1'.
// An interrupt taken by the instruction returns after it with r3 = (SRR1 & 0x001f0000) | vector.
// With `dump`, every folded doubleword of every sample is printed instead of the hash.

import { endLines, dwordLines, printRoutines, vectorStubLines } from './qemu-diff';

export interface VecCase {
  /** The instruction under test, in the syntax the assembler takes (objdump's). */
  readonly insn: string;
}

/** Cases from instruction texts. */
export function cases(...insns: string[]): VecCase[] {
  return insns.map((insn) => ({ insn }));
}

/** Deterministic pseudo-random numbers (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
}

const w4 = (a: number, b: number, c: number, d: number): readonly number[] => [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
const rep8 = (b: number) => (b * 0x01010101) >>> 0;
const rep16 = (h: number) => ((h << 16) | h) >>> 0;

/** 128-bit operand values as four big-endian words: integer edges per element size, float
 * (single) and double lanes with zeros, denormals, infinities, quiet and signalling NaNs,
 * conversion edges, and seeded random patterns. */
export const VEC_POOL: readonly (readonly number[])[] = (() => {
  const p: (readonly number[])[] = [
    w4(0, 0, 0, 0), w4(-1, -1, -1, -1),
    w4(rep8(0x80), rep8(0x7f), rep8(0x01), rep8(0xfe)),
    w4(rep16(0x8000), rep16(0x7fff), rep16(0x0001), rep16(0xffff)),
    w4(0x80000000, 0x7fffffff, 1, 0xffffffff),
    w4(0x80000000, 0, 0x7fffffff, 0xffffffff),
    w4(0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f),
    w4(0x1f1e1d1c, 0x13121110, 0x0f0e0d0c, 0x03020100),
    w4(0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210),
    w4(0x00000000, 0x00000001, 0xffffffff, 0xfffffffe),
    // single-precision lanes
    w4(0x3f800000, 0xbfc00000, 0x7f800000, 0x7fc00001),
    w4(0x7f800001, 0x00000001, 0x80000000, 0x7f7fffff),
    w4(0x3eaaaaab, 0x00800000, 0xff800000, 0x4b000001),
    w4(0x4f000000, 0xcf000001, 0x4f800000, 0x807fffff),
    w4(0x40490fdb, 0xc2f6e979, 0x3f000000, 0xffc00000),
    // double-precision lanes
    w4(0x3ff00000, 0, 0x7ff40000, 0x00000456),
    w4(0x000fffff, 0xffffffff, 0xfff00000, 0),
    w4(0x7ff80000, 0x00000123, 0x7fefffff, 0xffffffff),
    w4(0x43e00000, 0, 0xc1e00000, 0x00100000),
    w4(0x41dfffff, 0xffe00000, 0x3fd55555, 0x55555555),
    w4(0x80000000, 0x00000001, 0x47efffff, 0xe0000000),
    w4(0x36900000, 0, 0x400921fb, 0x54442d18),
    // BCD-shaped values (sign nibbles C, D, F)
    w4(0, 0, 0x00000123, 0x4567890c), w4(0x00000000, 0x00000009, 0x99999999, 0x9999999d),
  ];
  const r = rng(0x5eed1234);
  while (p.length < 32) p.push(w4(r(), r(), r(), r()));
  return p;
})();

/** Register images per instruction. */
export const VEC_SAMPLES = 40;

/** Per sample: pool indexes of v0..v3 and vs0..vs3, the buffer's first pool entry, r5, r3's
 * pool entry and the mode (bits 0-1 FPSCR[RN], bit 2 VSCR[NJ]). The first samples pair
 * every register with the same value (a = b cases), the rest are random. */
export const VEC_SAMPLE_TABLE: readonly (readonly number[])[] = (() => {
  const r = rng(0xc0ffee01);
  const n = VEC_POOL.length;
  const out: number[][] = [];
  for (let s = 0; s < VEC_SAMPLES; s++) {
    const same = s < 6 ? (s * 5) % n : -1;
    const regs = Array.from({ length: 8 }, () => (same >= 0 ? same : r() % n));
    out.push([...regs, r() % (n - 3), r() % 32, r() % n, s < 8 ? s & 7 : r() & 7]);
  }
  return out;
})();

/** The four FPSCR images (rounding modes) and the two VSCR images (NJ clear, set). */
const FPSCR_MODES = [0n, 1n, 2n, 3n];
const VSCR_MODES = [w4(0, 0, 0, 0), w4(0, 0, 0, 0x00010000)];

/** Vectors that get a handler returning after the interrupted instruction. */
const VECTORS = [0x300, 0x380, 0x600, 0x700, 0x800, 0xf20, 0xf40, 0xf60];

/** Number of doublewords folded per sample (see fold). */
export const VEC_FOLDED = 8 * 2 + 2 + 1 + 1 + 1 + 8;

/** The guest: one output line per case (the hash), or with `dump` VEC_FOLDED lines per sample. */
export function vecDiffSource(list: readonly VecCase[], dump = false): string {
  const L: string[] = [];
  const e = (s: string) => L.push(s);
  e('entry:');
  e('    mfmsr r0');
  e('    li r9,1');
  e('    sldi r9,r9,63');
  e('    or r0,r0,r9');
  e('    oris r0,r0,0x0280');   // MSR[VEC] (bit 38), MSR[VSX] (bit 40)
  e('    ori r0,r0,0x2000');    // MSR[FP]
  e('    mtmsrd r0');
  e('    isync');
  L.push(...vectorStubLines(VECTORS, 'vec_trap'));
  e('    sync');
  e('    isync');
  for (const [reg, label] of [['r14', 'vec_pool'], ['r16', 'vec_samples'], ['r12', 'vec_scratch'],
    ['r13', 'vec_buf'], ['r19', 'vec_fpscr'], ['r18', 'vec_vscr']]) {
    e(`    lis ${reg},${label}@ha`);
    e(`    addi ${reg},${reg},${label}@l`);
  }
  list.forEach((c, n) => {
    const p = `vc${n}_`;
    if (!dump) e('    li r20,0');
    e('    li r15,0');
    e(`${p}s:`);
    e('    bl vec_setup');
    e(`    ${c.insn}`);
    e('    bl vec_fold');
    e('    addi r15,r15,16');
    e(`    cmpdi r15,${VEC_SAMPLES * 16}`);
    e(`    blt ${p}s`);
    if (!dump) e('    bl print');
  });
  L.push(...endLines());
  e('hang:');
  e('    b hang');
  // interrupt: r3 = (SRR1 & 0x001f0000) | vector, back after the instruction
  e('vec_trap:');
  e('    mfsrr0 r25');
  e('    mfsrr1 r26');
  e('    addi r25,r25,4');
  e('    andis. r3,r26,0x1f');
  e('    or r3,r3,r28');
  e('    mtsrr0 r25');
  e('    mtsrr1 r26');
  e('    rfid');
  // registers of sample r15 (byte offset of its row)
  e('vec_setup:');
  e('    add r6,r16,r15');
  for (let j = 0; j < 4; j++) {
    e(`    lbz r7,${j}(r6)`);
    e('    sldi r7,r7,4');
    e(`    lvx v${j},r14,r7`);
  }
  for (let j = 0; j < 4; j++) {
    e(`    lbz r7,${4 + j}(r6)`);
    e('    sldi r7,r7,4');
    e(`    lxvd2x vs${j},r14,r7`);
  }
  e('    lbz r7,8(r6)');
  e('    sldi r7,r7,4');
  e('    add r7,r14,r7');
  for (let k = 0; k < 8; k++) {
    e(`    ld r8,${8 * k}(r7)`);
    e(`    std r8,${8 * k}(r13)`);
  }
  e('    lbz r5,9(r6)');
  e('    lbz r7,10(r6)');
  e('    sldi r7,r7,4');
  e('    ldx r3,r14,r7');
  e('    lbz r7,11(r6)');
  e('    andi. r8,r7,3');
  e('    sldi r8,r8,3');
  e('    lfdx f31,r19,r8');
  e('    mtfsf 0xff,f31');
  e('    rldicl r8,r7,62,63');
  e('    sldi r8,r8,4');
  e('    lvx v31,r18,r8');
  e('    mtvscr v31');
  e('    mr r4,r13');
  e('    li r0,0');
  e('    mtcrf 0xff,r0');
  e('    blr');
  // fold (or print) the result registers, VSCR, FPSCR, CR, r3 and the buffer
  e('vec_fold:');
  e('    mflr r30');
  for (let j = 0; j < 4; j++) {
    e(`    li r7,${16 * j}`);
    e(`    stvx v${j},r12,r7`);
  }
  for (let j = 0; j < 4; j++) {
    e(`    li r7,${64 + 16 * j}`);
    e(`    stxvd2x vs${j},r12,r7`);
  }
  e('    mfvscr v31');
  e('    li r7,128');
  e('    stvx v31,r12,r7');
  e('    mffs f31');
  e('    stfd f31,144(r12)');
  e('    mfcr r7');
  e('    std r7,152(r12)');
  e('    std r3,160(r12)');
  for (let k = 0; k < 8; k++) {
    e(`    ld r8,${8 * k}(r13)`);
    e(`    std r8,${168 + 8 * k}(r12)`);
  }
  for (let k = 0; k < VEC_FOLDED; k++) {
    e(`    ld r8,${8 * k}(r12)`);
    if (dump) { e('    mr r20,r8'); e('    bl print'); } else { e('    rotldi r20,r20,13'); e('    xor r20,r20,r8'); }
  }
  e('    mtlr r30');
  e('    blr');
  L.push(...printRoutines());
  e('    .balign 16');
  e('vec_pool:');
  for (const v of VEC_POOL) for (const x of v) e(`    .long 0x${x.toString(16)}`);
  e('vec_vscr:');
  for (const v of VSCR_MODES) for (const x of v) e(`    .long 0x${x.toString(16)}`);
  e('vec_scratch:');
  for (let k = 0; k < 64; k++) e('    .long 0');
  e('vec_buf:');
  for (let k = 0; k < 16; k++) e('    .long 0');
  e('vec_fpscr:');
  for (const m of FPSCR_MODES) L.push(...dwordLines(m));
  e('vec_samples:');
  for (const row of VEC_SAMPLE_TABLE) {
    const b = [...row, 0, 0, 0, 0];
    for (let k = 0; k < 16; k += 4) e(`    .long 0x${(((b[k] << 24) | (b[k + 1] << 16) | (b[k + 2] << 8) | b[k + 3]) >>> 0).toString(16)}`);
  }
  return L.join('\n') + '\n';
}
