// Differential cases of the decimal floating-point instructions (and lfdp/stfdp) against QEMU 7.2
// TCG (see vec-diff.ts). The harness fills f0..f3 (doubleword 0 of vs0..vs3) with raw pool
// doublewords, which decode as DPD numbers of every kind (random exponents, non-canonical
// declets, infinities, NaNs); the q forms use the pairs f0:f1 and f2:f3. Derived cases first
// build meaningful operands (integers with dcffix, exponents set with diex from a GPR, extreme
// exponents for overflow and underflow) and select the decimal rounding mode FPSCR[DRN] with
// mtfsfi 7,DRN,1. The harness resets only the low word of the FPSCR, so every multi-instruction
// case starts by setting DRN (0 unless it says otherwise); the single instructions on raw pool
// values run first, with DRN still 0.

import { cases, type VecCase } from './vec-diff';
import { encode, fin, ctx, D128 } from './dpd';

const drn = (k: number) => `mtfsfi 7,${k},1`;
/** f1, f2 = integers from the pool doublewords; f1 gets biased exponent e1, f2 e2. */
const ints = (e1?: number, e2?: number) => [
  'dcffix f1,f1', 'dcffix f2,f2',
  ...(e1 === undefined ? [] : [`li r6,${e1}`, 'mtvsrd vs4,r6', 'diex f1,f4,f1']),
  ...(e2 === undefined ? [] : [`li r7,${e2}`, 'mtvsrd vs5,r7', 'diex f2,f5,f2']),
];
/** The same for the pairs f0:f1 and f2:f3 (integers from f1 and f3). */
const intsQ = (e1?: number, e2?: number) => [
  'dcffixq f0,f1', 'dcffixq f2,f3',
  ...(e1 === undefined ? [] : [`li r6,${e1}`, 'mtvsrd vs4,r6', 'diexq f0,f4,f0']),
  ...(e2 === undefined ? [] : [`li r7,${e2}`, 'mtvsrd vs5,r7', 'diexq f2,f5,f2']),
];
const seq = (...parts: (string | string[])[]) => {
  const l = parts.flat();
  return (l[0].startsWith('mtfsfi 7,') ? l : [drn(0), ...l]).join('\n');
};

const arith = ['dadd', 'dsub', 'dmul', 'ddiv'];

/** r6 = v (64 bits). */
const li64 = (v: bigint) => {
  const h = (k: number) => `0x${Number((v >> BigInt(k)) & 0xffffn).toString(16)}`;
  return ['li r6,0', `oris r6,r6,${h(48)}`, `ori r6,r6,${h(32)}`, 'sldi r6,r6,32', `oris r6,r6,${h(16)}`, `ori r6,r6,${h(0)}`];
};
/** f0:f1 = the decimal128 c × 10^e. */
const pair128 = (c: bigint, e: number) => {
  const b = encode(fin(false, c, e), D128, ctx(D128, 0));
  return [...li64(b >> 64n), 'mtvsrd vs0,r6', ...li64(b & ((1n << 64n) - 1n)), 'mtvsrd vs1,r6'];
};

/** f1, f2 = integers from the pool doublewords, with biased exponents lo1 + (r3 & m) and
 * lo2 + ((r3 >> 10) & m) (m = 2^bits - 1): a different exponent pair per sample. */
const rndExp = (q: boolean, bits: number, lo1: number, lo2: number) => [
  ...(q ? ['dcffixq f0,f1', 'dcffixq f2,f3'] : ['dcffix f1,f1', 'dcffix f2,f2']),
  `rldicl r6,r3,0,${64 - bits}`, `addi r6,r6,${lo1}`, 'mtvsrd vs4,r6',
  `rldicl r7,r3,54,${64 - bits}`, `addi r7,r7,${lo2}`, 'mtvsrd vs5,r7',
  ...(q ? ['diexq f0,f4,f0', 'diexq f2,f5,f2'] : ['diex f1,f4,f1', 'diex f2,f5,f2']),
];

export const CASES: VecCase[] = cases(
  // floating-point pair loads and stores (r5 = 0..31; the DS forms at fixed offsets)
  'lfdp f0,0(r4)', 'lfdp f2,24(r4)', 'lfdp f1,8(r4)', 'lfdpx f0,r4,r5', 'lfdpx f2,r4,r5',
  'stfdp f0,0(r4)', 'stfdp f2,40(r4)', 'stfdp f1,16(r4)', 'stfdpx f0,r4,r5', 'stfdpx f2,r4,r5',
  // raw pool operands: every encoding
  ...arith.map((m) => `${m} f0,f1,f2`), ...arith.map((m) => `${m}. f3,f0,f1`),
  ...arith.map((m) => `${m}q f0,f2,f0`), ...arith.map((m) => `${m}q. f2,f0,f2`),
  'dcmpu cr1,f1,f2', 'dcmpo cr7,f1,f2', 'dcmpu cr0,f3,f3', 'dcmpuq cr2,f0,f2', 'dcmpoq cr3,f2,f0',
  ...[0x3f, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01].flatMap((d) => [`dtstdc cr1,f1,${d}`, `dtstdg cr2,f2,${d}`]),
  'dtstdcq cr3,f0,12', 'dtstdcq cr4,f2,0x31', 'dtstdgq cr5,f0,0x3f', 'dtstdgq cr6,f2,0x0c',
  'dtstex cr1,f1,f2', 'dtstexq cr2,f0,f2', 'dtstsf cr1,f1,f2', 'dtstsfq cr2,f3,f0',
  'dquai -3,f0,f1,0', 'dquai 5,f0,f1,1', 'dquai 0,f0,f1,2', 'dquai -16,f0,f1,3', 'dquaiq 3,f0,f2,0',
  'dqua f0,f1,f2,0', 'dqua f0,f1,f2,1', 'dqua f0,f1,f2,2', 'dqua. f0,f1,f2,3', 'dquaq f0,f2,f0,2',
  'drrnd f0,f1,f2,0', 'drrnd f0,f1,f2,3', 'drrndq f0,f1,f2,1',
  'drintx 0,f0,f1,0', 'drintx 1,f0,f1,2', 'drintx. 0,f0,f1,3', 'drintn 0,f0,f1,1', 'drintn 1,f0,f1,3',
  'drintxq 0,f0,f2,0', 'drintnq 1,f2,f0,1',
  'dctdp f0,f1', 'dctqpq f0,f1', 'drsp f0,f1', 'drsp. f0,f1', 'drdpq f0,f2',
  'dcffix f0,f1', 'dcffix. f0,f1', 'dcffixq f0,f1', 'dctfix f0,f1', 'dctfix. f0,f1', 'dctfixq f0,f2',
  'ddedpd 0,f0,f1', 'ddedpd 1,f0,f1', 'ddedpd 2,f0,f1', 'ddedpd 3,f0,f1', 'ddedpdq 2,f0,f2', 'ddedpdq 0,f2,f0',
  'denbcd 0,f0,f1', 'denbcd 1,f0,f1', 'denbcdq 0,f0,f2', 'denbcdq 1,f2,f0',
  'dxex f0,f1', 'dxexq f0,f2', 'diex f0,f1,f2', 'diexq f0,f1,f2',
  ...[0, 1, 5, 15, 16, 17, 63].flatMap((n) => [`dscli f0,f1,${n}`, `dscri f0,f1,${n}`]),
  ...[0, 3, 33, 34, 35].flatMap((n) => [`dscliq f0,f2,${n}`, `dscriq f2,f0,${n}`]),
  // the q forms over both pair orders
  ...[['f0', 'f2'], ['f2', 'f0'], ['f2', 'f2']].flatMap(([a, b]) => [
    `dcmpuq cr1,${a},${b}`, `dcmpoq cr6,${a},${b}`, `dtstexq cr4,${a},${b}`, `dquaq. f0,${a},${b},1`,
  ]),
  ...['f0', 'f2'].flatMap((a) => [
    `dtstsfq cr3,f2,${a}`, `dxexq f3,${a}`, `drintxq 1,f0,${a},2`, `dquaiq -9,f2,${a},2`, `drdpq. f2,${a}`,
  ]),
  // BCD round trips: pool values made valid BCD by ddedpd first
  seq('ddedpd 2,f1,f1', 'denbcd 1,f0,f1'), seq('ddedpd 0,f1,f1', 'denbcd 0,f0,f1'),
  seq('ddedpdq 3,f2,f2', 'denbcdq 1,f0,f2'), seq('ddedpdq 0,f2,f2', 'denbcdq 0,f0,f2'),
  // meaningful operands in every rounding mode
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [
    seq(drn(k), ints(395, 398), 'dadd f0,f1,f2'),
    seq(drn(k), ints(398, 398), 'dsub f0,f1,f2'),
    seq(drn(k), ints(390, 401), 'dmul f0,f1,f2'),
    seq(drn(k), ints(398, 396), 'ddiv f0,f1,f2'),
    seq(drn(k), intsQ(6170, 6176), 'daddq f0,f0,f2'),
    seq(drn(k), intsQ(6176, 6174), 'ddivq f0,f0,f2'),
    seq(drn(k), intsQ(6176, 6176), 'dmulq f0,f0,f2'),
    seq(drn(k), ints(), 'dcffix f3,f3', 'drsp f0,f1'),
    seq(drn(k), intsQ(6170), 'drdpq f2,f0'),
    seq(drn(k), ints(395), 'dctfix f0,f1'),
    seq(drn(k), intsQ(6172), 'dctfixq f0,f0'),
    seq(drn(k), ints(393), 'drintx 0,f0,f1,3'),
    seq(drn(k), ints(396), 'dquai -1,f0,f1,3'),
    seq(drn(k), ints(396), 'drrnd f0,f3,f1,3'),
    seq(drn(k), 'dcffix f0,f0'),
  ]),
  // overflow, underflow, subnormals, exact zeros, clamping
  seq(ints(767, 767), 'dmul f0,f1,f2'), seq(drn(1), ints(767, 767), 'dmul f0,f1,f2'),
  seq(drn(3), ints(767, 767), 'dmul. f0,f1,f2'),
  seq(ints(0, 0), 'dmul f0,f1,f2'), seq(ints(10, 390), 'dmul f0,f1,f2'), seq(ints(0, 767), 'ddiv f0,f1,f2'),
  seq(ints(767, 0), 'ddiv f0,f1,f2'), seq(ints(20, 380), 'ddiv f0,f1,f2'),
  seq(ints(0, 2), 'dsub f0,f1,f2'), seq(ints(767, 700), 'dadd f0,f1,f2'),
  seq(ints(398, 398), 'dsub f0,f1,f1'), seq(drn(3), ints(398, 398), 'dsub f0,f1,f1'),
  seq(intsQ(0, 12287), 'ddivq f0,f0,f2'), seq(intsQ(12287, 12287), 'dmulq f0,f0,f2'),
  seq(intsQ(0, 0), 'dmulq f0,f0,f2'),
  seq(ints(398, 398), 'dcmpu cr1,f1,f2'), seq(ints(398, 397), 'dcmpo cr2,f1,f1'),
  seq(ints(0), 'dtstdc cr1,f1,0x18'), seq(ints(0), 'dtstdg cr1,f1,0x0e'), seq(ints(767), 'dtstdg cr1,f1,0x0e'),
  seq(ints(398, 396), 'dtstex cr1,f1,f2'), seq(ints(), 'li r6,7', 'mtvsrd vs3,r6', 'dtstsf cr1,f3,f1'),
  seq(ints(400), 'dquai 0,f0,f1,0'), seq(ints(380), 'dquai 15,f0,f1,0'), seq(ints(10), 'dqua f0,f1,f2,0'),
  seq(ints(767), 'drrnd f0,f2,f1,0'), seq(ints(), 'li r6,3', 'mtvsrd vs3,r6', 'drrnd f0,f3,f1,0'),
  seq(ints(398, 390), 'dscli f0,f1,3'), seq(ints(398, 390), 'dscri f0,f1,3'),
  seq(ints(700), 'dxex f0,f1'), seq(ints(), 'li r6,-1', 'mtvsrd vs3,r6', 'diex f0,f3,f1'),
  seq(ints(), 'li r6,-3', 'mtvsrd vs3,r6', 'diex f0,f3,f1'), seq(ints(), 'li r6,-2', 'mtvsrd vs3,r6', 'diexq f0,f3,f2'),
  seq(ints(398), 'dctdp f0,f1'), seq(ints(398), 'dctqpq f0,f1'),
  seq('dcffixq f2,f2', 'dctfixq f0,f2'), seq('dcffixq f2,f2', 'drdpq f0,f2'),
  // exponents drawn per sample: close together (alignment, cancellation, rounding) and spread
  // over the whole range (overflow, underflow, subnormal results, clamping)
  ...[0, 2, 3, 7].flatMap((k) => [
    ...arith.map((m) => seq(drn(k), rndExp(false, 4, 390, 390), `${m} f0,f1,f2`)),
    ...arith.map((m) => seq(drn(k), rndExp(false, 9, 0, 256), `${m} f0,f1,f2`)),
    ...arith.map((m) => seq(drn(k), rndExp(true, 4, 6168, 6168), `${m}q f0,f0,f2`)),
    seq(drn(k), rndExp(true, 13, 0, 4096), 'dmulq f0,f0,f2'),
    seq(drn(k), rndExp(true, 13, 0, 4096), 'ddivq f0,f0,f2'),
    seq(drn(k), rndExp(false, 5, 380, 380), 'dcmpo cr1,f1,f2'),
    seq(drn(k), rndExp(false, 5, 380, 390), 'dqua f0,f1,f2,3'),
    seq(drn(k), rndExp(false, 5, 380, 390), 'drintx 0,f0,f1,3'),
    seq(drn(k), rndExp(false, 9, 0, 380), 'drintn 0,f0,f1,3'),
    seq(drn(k), rndExp(false, 5, 380, 390), 'drrnd f0,f3,f1,3'),
    seq(drn(k), rndExp(false, 5, 385, 390), 'dctfix f0,f1'),
    seq(drn(k), rndExp(false, 9, 0, 300), 'drsp f0,f1'),
    seq(drn(k), rndExp(true, 13, 0, 4000), 'drdpq f0,f0'),
    seq(drn(k), rndExp(true, 13, 0, 4000), 'drdpq f0,f2'),
  ]),
  ...[0, 1, 2].flatMap((rmc) => [
    seq(rndExp(false, 5, 380, 390), `dqua f0,f1,f2,${rmc}`), seq(rndExp(false, 5, 380, 390), `dquai -4,f0,f1,${rmc}`),
    seq(rndExp(true, 5, 6160, 6170), `dquaq f0,f2,f0,${rmc}`), seq(rndExp(false, 5, 385, 390), `drrnd f0,f3,f1,${rmc}`),
    seq(rndExp(true, 5, 6160, 6170), `drrndq f0,f1,f2,${rmc}`),
  ]),
  ...[0, 1, 2, 3].flatMap((rmc) => [0, 1].map((r) => seq(rndExp(false, 5, 381, 389), `drintx ${r},f0,f1,${rmc}`))),
  ...[0, 1, 2, 3].flatMap((rmc) => [0, 1].map((r) => seq(rndExp(true, 5, 6160, 6170), `drintnq ${r},f0,f2,${rmc}`))),
  seq(rndExp(true, 5, 6160, 6170), 'dctfixq f0,f0'), seq(rndExp(false, 9, 0, 256), 'dtstdg cr1,f1,0x3f'),
  seq(rndExp(false, 9, 0, 256), 'dtstdc cr1,f2,0x18'), seq(rndExp(true, 13, 0, 4096), 'dtstdcq cr2,f0,0x18'),
  seq(rndExp(false, 5, 380, 385), 'dtstex cr1,f1,f2'), seq(rndExp(false, 9, 0, 256), 'dxex f0,f1'),
  seq(rndExp(false, 5, 380, 385), 'dscli f0,f1,4'), seq(rndExp(true, 5, 6160, 6170), 'dscriq f0,f0,7'),
  // ISA 3.0/3.1 forms QEMU 7.2 runs on POWER8
  seq('dtstsfi cr1,0,f1'), seq('dtstsfi cr2,5,f2'), seq('dtstsfi cr3,16,f1'), seq('dtstsfiq cr4,33,f0'),
  seq('dtstsfiq cr5,63,f2'),
  // BCD digits of ten (0xA nibbles pass QEMU's digit check and count as ten; not where a group of
  // three digits then exceeds 999: libdecnumber then reads past its conversion table)
  seq('li r6,0xa0c', 'mtvsrd vs1,r6', 'denbcd 1,f0,f1'), seq('li r6,0x1a2d', 'mtvsrd vs1,r6', 'denbcd 1,f0,f1'),
  seq('li r6,0xa1', 'mtvsrd vs1,r6', 'denbcd 0,f0,f1'), seq('li r6,0x1a2f', 'mtvsrd vs1,r6', 'denbcdq 1,f0,f0'),
  seq(ints(), 'dtstsfi cr1,3,f1'), seq(ints(), 'dtstsfi cr1,19,f1'),
  seq('dcffixqq f0,v1'), seq('dcffixqq f2,v3'), seq('dctfixqq v0,f0'), seq('dctfixqq v2,f2'),
  seq(drn(2), 'dcffixqq f0,v1', 'dctfixqq v0,f0'), seq(drn(3), rndExp(true, 5, 6160, 6170), 'dctfixqq v1,f0'),
  seq(rndExp(true, 5, 6176, 6170), 'dctfixqq v1,f0'),
  // dctfixqq just below 2^127, between 2^127 and 2^128 (wraps in QEMU 7.2), above 2^128 (saturates)
  seq(pair128(1701411834604692317316873037158841n, 5), 'dctfixqq v0,f0'),
  seq(pair128(1701411834604692317316873037158842n, 5), 'dctfixqq v0,f0'),
  seq(pair128(3402823669209384634633746074317682n, 5), 'dctfixqq v0,f0'),
  seq(pair128(3402823669209384634633746074317683n, 5), 'dctfixqq v0,f0'),
  // illegal: odd register numbers where QEMU's decoder wants pairs (daddq f1,f2,f4; daddq f0,f3,f4;
  // daddq. f0,f2,f5; dcmpuq cr1,f1,f2; dtstsfq cr1,f3,f3; lfdpx f3,r4,r5; stfdpx f1,r4,r5;
  // dctfixqq v0,f3; dcffixqq f1,v3), lfdpx with bit 31 set, opcode 63/994 with bits 11-15 = 2,
  // opcodes 57 and 61 with bits 30-31 nonzero
  '.long 0xfc222004',
  '.long 0xfc032004',
  '.long 0xfc022805',
  '.long 0xfc811504',
  '.long 0xfc831d44',
  '.long 0x7c642e2e',
  '.long 0x7c442e2f',
  '.long 0x7c242f2e',
  '.long 0xfc011fc4',
  '.long 0xfc201fc4',
  '.long 0xfc021fc4',
  '.long 0xe4440011',
  '.long 0xf4440012',
);
