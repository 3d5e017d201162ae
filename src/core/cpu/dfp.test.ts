import { describe, it, expect } from 'vitest';
import type { PowerPCCPU } from './cpu';
import { runSnippet, SNIPPET_DATA, MSR_SF, MSR_VEC, MSR_VSX, MSR_FP, MSR_LE } from './snippet';
import {
  D32, D64, D128, INF, QNAN, SNAN, ctx, decode, encode, fin, dpdToBin, binToDpd, type Dec, type Fmt,
} from './dpd';

const DATA = SNIPPET_DATA;
const ALL = MSR_SF | MSR_VEC | MSR_VSX | MSR_FP;
const run = runSnippet;

const vsr = (cpu: PowerPCCPU, n: number) => [0, 1, 2, 3].map((k) => cpu.state.vsr[4 * n + k] >>> 0);
const fpr = (cpu: PowerPCCPU, n: number) =>
  (BigInt(cpu.state.vsr[4 * n] >>> 0) << 32n) | BigInt(cpu.state.vsr[4 * n + 1] >>> 0);
const pair = (cpu: PowerPCCPU, n: number) => (fpr(cpu, n) << 64n) | fpr(cpu, n + 1);
const mem = (cpu: PowerPCCPU, n: number) => [...cpu['ram'].read(DATA, n)];

/** '123E-2', '-0E5', 'Inf', 'NaN', 'sNaN' to a number. */
function num(s: string): Dec {
  const neg = s.startsWith('-'), t = neg ? s.slice(1) : s;
  if (t === 'Inf') return { neg, kind: INF, c: 0n, e: 0 };
  if (t === 'NaN') return { neg, kind: QNAN, c: 0n, e: 0 };
  if (t === 'sNaN') return { neg, kind: SNAN, c: 0n, e: 0 };
  const m = /^(\d+)(?:E(-?\d+))?$/.exec(t)!;
  return fin(neg, BigInt(m[1]), Number(m[2] ?? 0));
}
const enc = (s: string, f: Fmt = D64) => encode(num(s), f, ctx(f, 0));
function str(bits: bigint, f: Fmt = D64): string {
  const d = decode(bits, f), sg = d.neg ? '-' : '';
  if (d.kind === INF) return `${sg}Inf`;
  if (d.kind === QNAN) return `${sg}NaN${d.c ? d.c : ''}`;
  if (d.kind === SNAN) return `${sg}sNaN${d.c ? d.c : ''}`;
  return `${sg}${d.c}E${d.e}`;
}

// FPSCR bits (low word)
const FX = 1 << 31, FEX = 1 << 30, VX = 1 << 29, OX = 1 << 28, UX = 1 << 27, ZX = 1 << 26, XX = 1 << 25;
const VXSNAN = 1 << 24, VXISI = 1 << 23, VXZDZ = 1 << 21, VXIMZ = 1 << 20, VXVC = 1 << 19, FI = 1 << 17;
const VXCVI = 1 << 8;
const fprf = (cpu: PowerPCCPU) => (cpu.state.fpscr[1] >>> 12) & 0x1f;

describe('DPD formats (dpd.ts)', () => {
  it('every canonical declet round-trips; the 24 non-canonical ones decode to 8/9 digits', () => {
    for (let d = 0; d < 1000; d++) expect(dpdToBin(binToDpd(d))).toBe(d);
    const canon = new Set(Array.from({ length: 1000 }, (_x, d) => binToDpd(d)));
    expect(canon.size).toBe(1000);
    for (let v = 0; v < 1024; v++) {
      if (canon.has(v)) continue;
      expect(String(dpdToBin(v)).padStart(3, '0')).toMatch(/^[89][89][89]$/);
    }
    expect(dpdToBin(0x3ff)).toBe(999);
    expect(binToDpd(999)).toBe(0xff);
  });

  it('encodes the reference values of the three formats', () => {
    expect(enc('1', D32)).toBe(0x22500001n);
    expect(enc('1')).toBe(0x2238000000000001n);
    expect(enc('1', D128)).toBe(0x22080000000000000000000000000001n);
    expect(enc('-750E-2')).toBe(0xa2300000000003d0n);
    expect(enc('9999999999999999E369')).toBe(0x77fcff3fcff3fcffn);
    expect(enc('1E-398')).toBe(0x0000000000000001n);
    expect(enc('Inf')).toBe(0x7800000000000000n);
    expect(enc('-NaN')).toBe(0xfc00000000000000n);
    expect(enc('sNaN')).toBe(0x7e00000000000000n);
    for (const s of ['123456789012345E-20', '-5E300', '0E-398', '8000000000000000E0', '-0E369']) {
      expect(str(enc(s))).toBe(s.replace(/^(-?)(\d+)$/, '$1$2E0'));
    }
  });

  it('folds down a large exponent and rounds an over-long coefficient', () => {
    expect(str(enc('1E384'))).toBe('1000000000000000E369');
    const x = ctx(D64, 0);
    expect(str(encode(num('12345678901234567'), D64, x))).toBe('1234567890123457E1');
    expect(x.st & 1).toBe(1);
  });
});

describe('DFP arithmetic', () => {
  it('dadd/dsub keep the smaller exponent (ideal exponent), dmul adds them', () => {
    const cpu = run('dadd f0,f1,f2\ndsub f3,f1,f2\ndmul f4,f1,f2', { fpr: { 1: enc('125E-2'), 2: enc('5E-1') } });
    expect(str(fpr(cpu, 0))).toBe('175E-2');
    expect(str(fpr(cpu, 3))).toBe('75E-2');
    expect(str(fpr(cpu, 4))).toBe('625E-3');
    expect(fprf(cpu)).toBe(0x04);
    expect(cpu.state.fpscr[1] & (XX | FX)).toBe(0);
  });

  it('ddiv: exact quotients reduced to the ideal exponent, 1/3 rounded by FPSCR[DRN]', () => {
    const exact = run('ddiv f0,f1,f2', { fpr: { 1: enc('100E0'), 2: enc('4E0') } });
    expect(str(fpr(exact, 0))).toBe('25E0');
    const third = (drn: number) => run('ddiv f0,f1,f2', { fpr: { 1: enc('2'), 2: enc('3') }, drn });
    expect(str(fpr(third(0), 0))).toBe('6666666666666667E-16');
    expect(str(fpr(third(1), 0))).toBe('6666666666666666E-16');
    expect(str(fpr(third(3), 0))).toBe('6666666666666666E-16');
    expect(str(fpr(third(7), 0))).toBe('6666666666666666E-16'); // round-05-up: last digit 6 stays
    const t = third(0);
    expect(t.state.fpscr[1] & (FX | XX | FI)).toBe((FX | XX | FI) | 0);
  });

  it('x/0 raises ZX and gives a signed infinity; 0/0 gives the default NaN with VXZDZ', () => {
    const z = run('ddiv f0,f1,f2\nddiv f3,f2,f2', { fpr: { 1: enc('-5'), 2: enc('0') } });
    expect(str(fpr(z, 0))).toBe('-Inf');
    expect(fpr(z, 3)).toBe(0x7c00000000000000n);
    expect(z.state.fpscr[1] & (ZX | VX | VXZDZ)).toBe(ZX | VX | VXZDZ);
    expect(z.state.fpscr[1] & FEX).toBe(0);
    expect(fprf(z)).toBe(0x11);
  });

  it('inf-inf and inf*0 are invalid (VXISI, VXIMZ); a signalling NaN operand comes back quiet with VXSNAN', () => {
    const c = run('dsub f0,f1,f1\ndmul f3,f1,f2', { fpr: { 1: enc('Inf'), 2: enc('0') } });
    expect(c.state.fpscr[1] & (VXISI | VXIMZ)).toBe(VXISI | VXIMZ);
    const snan = encode({ neg: false, kind: SNAN, c: 123n, e: 0 }, D64, ctx(D64, 0));
    const s = run('dadd f0,f1,f2', { fpr: { 1: enc('7'), 2: snan } });
    expect(str(fpr(s, 0))).toBe('NaN123');
    expect(s.state.fpscr[1] & VXSNAN).toBe(VXSNAN);
  });

  it('overflow to infinity or to the largest number by rounding mode; tiny inexact results underflow', () => {
    const big = { 1: enc('9E369'), 2: enc('9E369') };
    const o = run('dmul f0,f1,f2', { fpr: big });
    expect(str(fpr(o, 0))).toBe('Inf');
    expect(o.state.fpscr[1] & (OX | XX)).toBe(OX | XX);
    expect(str(fpr(run('dmul f0,f1,f2', { fpr: big, drn: 1 }), 0))).toBe('9999999999999999E369');
    const u = run('dmul f0,f1,f2', { fpr: { 1: enc('123E-200'), 2: enc('1E-200') } });
    expect(str(fpr(u, 0))).toBe('1E-398');
    expect(u.state.fpscr[1] & (UX | XX)).toBe(UX | XX);
    expect(fprf(u)).toBe(0x14);
  });

  it('a result zeroes doubleword 1 of the target VSR; Rc=1 copies FX,FEX,VX,OX to CR1', () => {
    const c = run('dadd. f0,f1,f2', { fpr: { 1: enc('Inf'), 2: enc('-Inf') }, vsr: { 0: [1, 2, 3, 4] } });
    expect(vsr(c, 0)).toEqual([0x7c000000, 0, 0, 0]);
    expect(c.state.crf[1]).toBe(0b1010);
  });

  it('daddq works on FPR pairs', () => {
    const a = enc('1234567890123456789012345678901234', D128), b = enc('1E-5', D128);
    const c = run('daddq f0,f2,f4', { fpr: { 2: a >> 64n, 3: a & ((1n << 64n) - 1n), 4: b >> 64n, 5: b & ((1n << 64n) - 1n) } });
    expect(str(pair(c, 0), D128)).toBe('1234567890123456789012345678901234E0');
    expect(c.state.fpscr[1] & XX).toBe(XX);
  });
});

describe('DFP compares and tests', () => {
  it('dcmpu/dcmpo set CR[BF] and FPCC; dcmpo flags VXVC on a quiet NaN', () => {
    const c = run('dcmpu cr1,f1,f2\ndcmpu cr2,f2,f1\ndcmpu cr3,f1,f3\ndcmpo cr4,f1,f4',
      { fpr: { 1: enc('10E-1'), 2: enc('2'), 3: enc('1000E-3'), 4: enc('NaN') } });
    expect([...c.state.crf.slice(1, 5)]).toEqual([8, 4, 2, 1]);
    expect(c.state.fpscr[1] & (VXVC | VXSNAN)).toBe(VXVC);
    expect((c.state.fpscr[1] >>> 12) & 0xf).toBe(1);
  });

  it('dtstdc/dtstdg/dtstex/dtstsf', () => {
    const c = run('dtstdc cr1,f1,0x10\ndtstdg cr2,f2,0x02\ndtstex cr3,f1,f2\ndtstsf cr4,f3,f2\ndtstsfi cr5,3,f2',
      { fpr: { 1: enc('-1E-398'), 2: enc('1234567890123456'), 3: 20n } });
    expect([...c.state.crf.slice(1, 6)]).toEqual([0xa, 0x2, 0x8, 0x4, 0x8]);
  });
});

describe('DFP quantize, round, convert', () => {
  it('dquai/dqua round to the target exponent; too many digits is VXCVI', () => {
    const c = run('dquai -2,f0,f1,0\ndqua f3,f2,f1,1', { fpr: { 1: enc('12345E-3'), 2: enc('1E-1') } });
    expect(str(fpr(c, 0))).toBe('1234E-2');
    expect(str(fpr(c, 3))).toBe('123E-1');
    expect(c.state.fpscr[1] & XX).toBe(XX);
    const v = run('dquai -10,f0,f1,0', { fpr: { 1: enc('1234567890123') } });
    expect(fpr(v, 0)).toBe(0x7c00000000000000n);
    expect(v.state.fpscr[1] & (VX | VXCVI)).toBe(VX | VXCVI);
  });

  it('drrnd keeps the reference significance; drintx/drintn round to an integer', () => {
    const c = run('drrnd f0,f3,f1,0\ndrintx 0,f4,f2,0\ndrintn 1,f5,f2,1', { fpr: { 1: enc('99999E-2'), 2: enc('-25E-1'), 3: 3n } });
    expect(str(fpr(c, 0))).toBe('100E1');
    expect(str(fpr(c, 4))).toBe('-2E0');
    expect(str(fpr(c, 5))).toBe('-3E0');
  });

  it('drrnd: a signalling NaN sets FEX whenever FPSCR[RN] is nonzero (QEMU passes a bit number as a mask)', () => {
    const c = run('drrnd f0,f3,f1,0', { fpr: { 1: 0x7e00000000000000n, 3: 0n }, fpscr: 1 });
    expect(c.state.fpscr[1] & (FEX | VXSNAN)).toBe((FEX | VXSNAN) | 0);
  });

  it('dcffix/dctfix with saturation; dctdp/drsp/dctqpq/drdpq', () => {
    const c = run('dcffix f0,f1\ndctfix f3,f2\ndctfix f5,f6', {
      fpr: { 1: BigInt.asUintN(64, -1234567890123456789n), 2: enc('-25E-1'), 6: enc('1E19') },
    });
    expect(str(fpr(c, 0))).toBe('-1234567890123457E3');
    expect(fpr(c, 3)).toBe(BigInt.asUintN(64, -2n));
    expect(fpr(c, 5)).toBe((1n << 63n) - 1n);
    expect(c.state.fpscr[1] & VXCVI).toBe(VXCVI);
    const d = run('dctdp f0,f1\ndrsp f3,f4\ndctqpq f6,f0\ndrdpq f8,f6', { fpr: { 1: 0x22500001n, 4: enc('12345678E0') } });
    expect(str(fpr(d, 0))).toBe('1E0');
    expect(fpr(d, 3)).toBe(encode(num('1234568E1'), D32, ctx(D32, 0)));
    expect(str(pair(d, 6), D128)).toBe('1E0');
    // QEMU 7.2: drdpq leaves the decimal64 value in FRTp+1 and zero in FRTp
    expect(fpr(d, 8)).toBe(0n);
    expect(str(fpr(d, 9))).toBe('1E0');
  });

  it('ddedpd/denbcd convert to and from BCD with the sign nibble', () => {
    const c = run('ddedpd 2,f0,f1\ndenbcd 1,f3,f0\nddedpd 0,f4,f1', { fpr: { 1: enc('-123') } });
    expect(fpr(c, 0)).toBe(0x123dn);
    expect(str(fpr(c, 3))).toBe('-123E0');
    expect(fpr(c, 4)).toBe(0x123n);
    const bad = run('denbcd 1,f0,f1', { fpr: { 1: 0x12n } });
    expect(fpr(bad, 0)).toBe(0x7c00000000000000n);
    expect(bad.state.fpscr[1] & VXCVI).toBe(VXCVI);
  });

  it('dxex/diex read and set the biased exponent; dscli/dscri shift the coefficient', () => {
    const c = run('dxex f0,f1\ndiex f3,f2,f1\ndscli f4,f1,2\ndscri f5,f1,2\ndiex f6,f7,f1',
      { fpr: { 1: enc('12345E-3'), 2: 400n, 7: BigInt.asUintN(64, -1n) } });
    expect(fpr(c, 0)).toBe(395n);
    expect(str(fpr(c, 3))).toBe('12345E2');
    expect(str(fpr(c, 4))).toBe('1234500E-3');
    expect(str(fpr(c, 5))).toBe('123E-3');
    expect(str(fpr(c, 6))).toBe('Inf');
  });
});

describe('lfdp/stfdp', () => {
  const bytes16 = Array.from({ length: 16 }, (_x, i) => i + 1);

  it('big-endian: FRTp from the first doubleword, FRTp+1 from the second; doubleword 1 zeroed', () => {
    const c = run('lfdp f2,0(r4)\nli r5,16\nstfdpx f2,r4,r5', { mem: bytes16, vsr: { 2: [9, 9, 9, 9], 3: [9, 9, 9, 9] } });
    expect(vsr(c, 2)).toEqual([0x01020304, 0x05060708, 0, 0]);
    expect(vsr(c, 3)).toEqual([0x090a0b0c, 0x0d0e0f10, 0, 0]);
    expect(mem(c, 32)).toEqual([...bytes16, ...bytes16]);
  });

  it('little-endian: each doubleword byte-reversed and the pair swapped', () => {
    const c = run('lfdp f2,0(r4)\nstfdp f2,16(r4)', { msr: ALL | MSR_LE, mem: bytes16 });
    expect(vsr(c, 3).slice(0, 2)).toEqual([0x08070605, 0x04030201]);
    expect(vsr(c, 2).slice(0, 2)).toEqual([0x100f0e0d, 0x0c0b0a09]);
    expect(mem(c, 32)).toEqual([...bytes16, ...bytes16]);
  });

  it('lfdp takes an odd FRTp (f31 pairs with VSR 32); lfdpx with an odd FRTp is illegal', () => {
    const c = run('lfdp f31,0(r4)', { mem: bytes16 });
    expect(vsr(c, 31).slice(0, 2)).toEqual([0x01020304, 0x05060708]);
    expect(vsr(c, 32).slice(0, 2)).toEqual([0x090a0b0c, 0x0d0e0f10]);
    const i = run('.long 0x7c24262e', { mem: bytes16 }); // lfdpx f1,r4,r4
    expect(i.state.getGpr(22)).toBe(0x700n);
  });

  it('FP unavailable with MSR[FP] = 0; dcffixqq also needs MSR[VEC]', () => {
    expect(run('lfdp f2,0(r4)', { msr: MSR_SF }).state.getGpr(22)).toBe(0x800n);
    expect(run('dadd f0,f1,f2', { msr: MSR_SF }).state.getGpr(22)).toBe(0x800n);
    expect(run('dcffixqq f0,v1', { msr: MSR_SF | MSR_FP }).state.getGpr(22)).toBe(0xf20n);
    const q = run('dcffixqq f0,v1\ndctfixqq v2,f0', { vsr: { 33: [0xffffffff, 0xffffffff, 0xffffffff, 0xfffffffe] } });
    expect(str(pair(q, 0), D128)).toBe('-2E0');
    expect(vsr(q, 34)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xfffffffe]);
  });

  it('mtfsfi 7,DRN,1 sets FPSCR[DRN] in the upper word', () => {
    const c = run('mtfsfi 7,6,1\nddiv f0,f1,f2', { fpr: { 1: enc('1'), 2: enc('3') } });
    expect(c.state.fpscr[0]).toBe(6);
    expect(str(fpr(c, 0))).toBe('3333333333333334E-16');
  });
});
