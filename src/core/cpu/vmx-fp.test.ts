// VMX floating point (vmx-fp.ts): the rules QEMU 7.2 applies (NaN choice and quieting, VSCR[NJ]
// flushing, fused multiply-add, saturating conversions, CR6), run through the interpreter.
// Bit-exact agreement with QEMU over many operands is checked by vec-diff.test.ts.

import { describe, it, expect } from 'vitest';
import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from './cpu';
import { exp2Bits, log2Bits } from './vmx-fp';

const CODE = 0x10000;
const MSR = (1n << 63n) | (1n << 25n) | (1n << 23n);
const NJ = 0x10000;

class StopHyp implements VirtualHypervisor {
  hypercall(cpu: PowerPCCPU): void { cpu.state.halted = 1; cpu.requestExit(); }
  readTB(): number { return 0; }
}

type Vec = readonly number[];

/** Run `src` with v1, v2, v3 preset (4 words each) and the given VSCR; returns the CPU. A program
 * interrupt (0x700) stores SRR0 in r21. */
function run(src: string, regs: { v1?: Vec; v2?: Vec; v3?: Vec; vscr?: number }): PowerPCCPU {
  const ram = new GuestRam(1 << 20);
  const cpu = new PowerPCCPU(ram, new StopHyp(), POWER8);
  ram.write(0x700, assembleBytes('mfsrr0 r21\nsc 1', 0x700n));
  ram.write(CODE, assembleBytes(`${src}\nsc 1`, BigInt(CODE)));
  const v = cpu.state.vsr;
  ([[1, regs.v1], [2, regs.v2], [3, regs.v3]] as const).forEach(([n, x]) => {
    if (x) for (let k = 0; k < 4; k++) v[4 * (32 + n) + k] = x[k];
  });
  cpu.state.vscr = regs.vscr ?? 0;
  cpu.state.setGpr(21, 0n);
  cpu.state.setMsr(MSR);
  cpu.state.setNip(BigInt(CODE));
  for (let n = 0; !cpu.state.halted && n < 100; n++) cpu.run(1000);
  return cpu;
}

/** VR n as 4 unsigned words. */
const V = (cpu: PowerPCCPU, n: number): number[] => [0, 1, 2, 3].map((k) => cpu.state.vsr[4 * (32 + n) + k] >>> 0);

const F = new Float32Array(1), U = new Uint32Array(F.buffer);
const b = (x: number): number => { F[0] = x; return U[0]; };
const splat = (x: number): Vec => [x, x, x, x];

describe('VMX floating point', () => {
  it('vaddfp/vsubfp: IEEE single results, first NaN operand quieted, inf-inf gives 0x7fc00000', () => {
    const cpu = run('vaddfp v0,v1,v2\nvsubfp v4,v1,v2', {
      v1: [b(1.5), 0x7f800001, 0x3f800000, 0x7f800000],
      v2: [b(2.25), 0xffc00005, 0xffa00000, 0xff800000],
    });
    expect(V(cpu, 0)).toEqual([b(3.75), 0x7fc00001, 0xffe00000, 0x7fc00000]);
    expect(V(cpu, 4)).toEqual([b(-0.75), 0x7fc00001, 0xffe00000, 0x7f800000]);
  });

  it('VSCR[NJ]: denormal inputs read as zero and denormal results are written as signed zero', () => {
    const ops = { v1: [0x00000001, 0x00c00000, 0x80000003, 0x00400000], v2: [0, 0x80800000, 0x80000000, 0x00400000] };
    expect(V(run('vaddfp v0,v1,v2', { ...ops, vscr: NJ }), 0)).toEqual([0, 0, 0x80000000, 0]);
    expect(V(run('vaddfp v0,v1,v2', ops), 0)).toEqual([0x00000001, 0x00400000, 0x80000003, 0x00800000]);
    // compares see a denormal as zero under NJ
    const c = { v1: [0x00000001, 0x80000001, 0, 0x00800000], v2: [0, 0, 0x80000000, 0] };
    expect(V(run('vcmpeqfp v0,v1,v2', { ...c, vscr: NJ }), 0)).toEqual([~0 >>> 0, ~0 >>> 0, ~0 >>> 0, 0]);
    expect(V(run('vcmpeqfp v0,v1,v2', c), 0)).toEqual([0, 0, ~0 >>> 0, 0]);
  });

  it('vmaddfp is fused (one rounding, even where a double intermediate would round twice)', () => {
    // a*c + b = 1 + 2^-24 + 2^-70 exactly: rounds up; via an unfused or double sum it would tie to 1.0
    const a = b(2 ** -24 * (1 - 2 ** -23)), c = b(-(1 + 2 ** -23)), bb = b(1 + 2 ** -23);
    // (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly (the separately rounded product loses 2^-24)
    const x = b(1 + 2 ** -12);
    const cpu = run('vmaddfp v0,v1,v3,v2\nvnmsubfp v4,v1,v3,v2', { v1: [a, x, 0, 0x7f800000], v3: [c, x, 0x80000000, 0], v2: [bb, b(-1), 0, 0x7fc00001] });
    expect(V(cpu, 0)).toEqual([0x3f800001, b(2 ** -11 + 2 ** -24), 0, 0x7fc00001]);
    // vnmsubfp = -(a*c - b): -(-0 - +0) = +0; a NaN operand comes back unnegated
    expect(V(cpu, 4)).toEqual([0x3f800001, b(-(2 + 2 ** -11)), 0, 0x7fc00001]);
  });

  it('vmaddfp NaN choice: A, then B, then C; inf*0 + QNaN returns that NaN, inf*0 + number the default NaN', () => {
    const cpu = run('vmaddfp v0,v1,v3,v2', {
      v1: [0x7f800002, 0x3f800000, 0x3f800000, 0x7f800000],
      v2: [0x7fc00003, 0x7f800004, 0x3f800000, 0x3f800000],
      v3: [0x7fc00005, 0x7fc00006, 0x7fc00007, 0],
    });
    expect(V(cpu, 0)).toEqual([0x7fc00002, 0x7fc00004, 0x7fc00007, 0x7fc00000]);
    expect(V(run('vmaddfp v0,v1,v3,v2', { v1: splat(0x7f800000), v3: splat(0), v2: splat(0xffc00009) }), 0))
      .toEqual(splat(0xffc00009));
  });

  it('vmaxfp/vminfp: -0 < +0, NaN propagates', () => {
    const ops = { v1: [0x80000000, 0, b(-3), 0x7f800001], v2: [0, 0x80000000, b(2), b(1)] };
    expect(V(run('vmaxfp v0,v1,v2', ops), 0)).toEqual([0, 0, b(2), 0x7fc00001]);
    expect(V(run('vminfp v0,v1,v2', ops), 0)).toEqual([0x80000000, 0x80000000, b(-3), 0x7fc00001]);
  });

  it('vrefp and vrsqrtefp are exact IEEE 1/x and 1/sqrt(x)', () => {
    const cpu = run('vrefp v0,v1\nvrsqrtefp v4,v1', { v1: [b(3), 0x80000000, b(4), 0xbf800000] });
    expect(V(cpu, 0)).toEqual([b(Math.fround(1 / 3)), 0xff800000, b(0.25), 0xbf800000]);
    expect(V(cpu, 4)).toEqual([b(Math.fround(1 / Math.fround(Math.sqrt(3)))), 0xff800000, b(0.5), 0x7fc00000]);
  });

  it('vexptefp/vlogefp follow softfloat float32_exp2/float32_log2', () => {
    expect(exp2Bits(b(1), false)).toBe(b(2));
    expect(exp2Bits(b(-1), false)).toBe(b(0.5));
    expect(exp2Bits(0, false)).toBe(b(1));
    expect(exp2Bits(0xff800000, false)).toBe(0);
    expect(exp2Bits(0x7f800000, false)).toBe(0x7f800000);
    expect(exp2Bits(0x7f800001, false)).toBe(0x7fc00001);
    // the Taylor series has no range reduction: far from 0 it is not 2^x
    expect(exp2Bits(b(-100), false)).not.toBe(b(2 ** -100));
    expect(log2Bits(b(8), false)).toBe(b(3));
    expect(log2Bits(b(0.25), false)).toBe(b(-2));
    expect(log2Bits(b(3), false)).toBe(b(Math.fround(Math.log2(3))));
    expect(log2Bits(0, false)).toBe(0xff800000);
    expect(log2Bits(b(-1), false)).toBe(0x7fc00000);
    expect(log2Bits(0xff800000, false)).toBe(0x7fc00000);
    expect(log2Bits(0x7f800000, false)).toBe(0x7f800000);
    // a denormal is zero under NJ
    expect(log2Bits(1, true)).toBe(0xff800000);
    expect(log2Bits(1, false)).toBe(b(-149));
    // values printed by QEMU 7.2 for these inputs: 2^4 is 15.999999, 2^16 is 59145.99
    const cpu = run('vexptefp v0,v1\nvlogefp v4,v1', { v1: [b(2), b(4), b(0.5), b(16)] });
    expect(V(cpu, 0)).toEqual([b(4), 0x417fffff, exp2Bits(b(0.5), false), 0x476709fe]);
    expect(V(cpu, 4)).toEqual([b(1), b(2), b(-1), b(4)]);
  });

  it('vrfin/vrfiz/vrfip/vrfim: ties to even, zero results keep the sign', () => {
    const v1 = [b(2.5), b(-3.5), b(-0.3), b(0.7)];
    expect(V(run('vrfin v0,v1', { v1 }), 0)).toEqual([b(2), b(-4), 0x80000000, b(1)]);
    expect(V(run('vrfiz v0,v1', { v1 }), 0)).toEqual([b(2), b(-3), 0x80000000, 0]);
    expect(V(run('vrfip v0,v1', { v1 }), 0)).toEqual([b(3), b(-3), 0x80000000, b(1)]);
    expect(V(run('vrfim v0,v1', { v1 }), 0)).toEqual([b(2), b(-4), b(-1), 0]);
  });

  it('vcfsx/vcfux scale by 2^-UIM; vctsxs/vctuxs truncate, saturate and set VSCR[SAT]', () => {
    const ints = [0xffffffff, 0x7fffffff, 3, 0x80000000];
    expect(V(run('vcfsx v0,v1,1', { v1: ints }), 0)).toEqual([b(-0.5), b(2 ** 30), b(1.5), b(-(2 ** 30))]);
    expect(V(run('vcfux v0,v1,0', { v1: ints }), 0)).toEqual([b(2 ** 32), b(2 ** 31), b(3), b(2 ** 31)]);
    let cpu = run('vctsxs v0,v1,2', { v1: [b(-1.3), b(2 ** 30), 0x7fc00000, b(-(2 ** 29))] });
    expect(V(cpu, 0)).toEqual([(-5) >>> 0, 0x7fffffff, 0, 0x80000000]);
    expect(cpu.state.vscr & 1).toBe(1);
    cpu = run('vctsxs v0,v1,0', { v1: [b(1.9), 0x7fc00000, b(-(2 ** 31)), 0] });
    expect(V(cpu, 0)).toEqual([1, 0, 0x80000000, 0]);
    expect(cpu.state.vscr & 1).toBe(0);
    cpu = run('vctuxs v0,v1,0', { v1: [b(-0.5), b(-1), b(2 ** 32), 0x7f800000] });
    expect(V(cpu, 0)).toEqual([0, 0, 0xffffffff, 0xffffffff]);
    expect(cpu.state.vscr & 1).toBe(1);
  });

  it('vcmp*fp. set CR6 (all true 8, none true 2); unordered compares false', () => {
    const ops = { v1: [b(1), b(2), 0x7fc00000, b(-1)], v2: [b(1), b(1), b(0), b(0)] };
    let cpu = run('vcmpgefp. v0,v1,v2', ops);
    expect(V(cpu, 0)).toEqual([~0 >>> 0, ~0 >>> 0, 0, 0]);
    expect(cpu.state.crf[6]).toBe(0);
    cpu = run('vcmpgtfp. v0,v1,v2', { v1: splat(b(2)), v2: splat(b(1)) });
    expect(cpu.state.crf[6]).toBe(8);
    cpu = run('vcmpeqfp. v0,v1,v2', { v1: splat(0x7fc00000), v2: splat(0x7fc00000) });
    expect(V(cpu, 0)).toEqual(splat(0));
    expect(cpu.state.crf[6]).toBe(2);
    // without the dot CR6 is untouched
    cpu = run('vcmpeqfp v0,v1,v2', { v1: splat(0), v2: splat(0) });
    expect(cpu.state.crf[6]).toBe(0);
  });

  it('vcmpbfp.: out-of-bounds bits, NaN gives both, CR6 bit 2 when all are in bounds', () => {
    let cpu = run('vcmpbfp. v0,v1,v2', { v1: [b(0.5), b(3), b(-3), 0x7fc00000], v2: [b(1), b(2), b(2), b(1)] });
    expect(V(cpu, 0)).toEqual([0, 0x80000000, 0x40000000, 0xc0000000]);
    expect(cpu.state.crf[6]).toBe(0);
    cpu = run('vcmpbfp. v0,v1,v2', { v1: [b(-1), b(1), 0, b(0.5)], v2: splat(b(1)) });
    expect(V(cpu, 0)).toEqual(splat(0));
    expect(cpu.state.crf[6]).toBe(2);
  });

  it('vrefp with a non-zero VRA field is an illegal instruction (as in QEMU)', () => {
    const cpu = run('.long 0x1001090a', { v1: splat(b(2)) }); // vrefp v0,v1 with VRA = 1
    expect(cpu.state.getGpr(21)).toBe(BigInt(CODE));
    expect(V(run('.long 0x1000090a', { v1: splat(b(2)) }), 0)).toEqual(splat(b(0.5)));
  });
});
