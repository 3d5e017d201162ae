import { describe, it, expect } from 'vitest';
import { runSnippet, SNIPPET_CODE, SNIPPET_DATA, MSR_SF, MSR_VEC, MSR_VSX, MSR_FP, MSR_LE, MSR_FE0 } from './snippet';
import { assemble } from '../asm/asm';
import { disassemble } from '../asm/disasm';
import type { PowerPCCPU } from './cpu';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endLines, printRoutines } from './qemu-diff';
import { runDiffHere } from './diff-here';
import { vecDiffSource } from './vec-diff';
import { FP_CASES, withFpscrImages, vsxLeSource } from './vsx-cases';

const CODE = SNIPPET_CODE, DATA = SNIPPET_DATA;
const ALL = MSR_SF | MSR_VEC | MSR_VSX | MSR_FP;
const run = runSnippet;

const vsr = (cpu: PowerPCCPU, n: number) => [0, 1, 2, 3].map((k) => cpu.state.vsr[4 * n + k] >>> 0);
const gpr = (cpu: PowerPCCPU, n: number) => cpu.state.getGpr(n);
const bytes = (n: number, from = 0) => Array.from({ length: n }, (_x, i) => (from + i) & 0xff);
const mem = (cpu: PowerPCCPU, n: number) => [...cpu['ram'].read(DATA, n)];
const word = (src: string) => assemble(src, 0n)[0] >>> 0;

describe('VSX loads and stores', () => {
  it('big-endian: lxvd2x/lxvw4x load the quadword in element order, lxvdsx splats', () => {
    const cpu = run('lxvd2x vs0,r4,r5\nlxvw4x vs33,0,r4\nlxvdsx vs2,r4,r6', { mem: bytes(32), gpr: { 5: 0n, 6: 8n } });
    expect(vsr(cpu, 0)).toEqual([0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f]);
    expect(vsr(cpu, 33)).toEqual([0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f]);
    expect(vsr(cpu, 2)).toEqual([0x08090a0b, 0x0c0d0e0f, 0x08090a0b, 0x0c0d0e0f]);
    expect(gpr(cpu, 21)).toBe(0xdeadn);
  });

  it('little-endian: lxvd2x loads each doubleword byte-reversed, lxvw4x each word', () => {
    const cpu = run('lxvd2x vs0,r4,r5\nlxvw4x vs1,r4,r5\nlxvdsx vs2,r4,r5', { msr: ALL | MSR_LE, mem: bytes(16) });
    expect(vsr(cpu, 0)).toEqual([0x07060504, 0x03020100, 0x0f0e0d0c, 0x0b0a0908]);
    expect(vsr(cpu, 1)).toEqual([0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
    expect(vsr(cpu, 2)).toEqual([0x07060504, 0x03020100, 0x07060504, 0x03020100]);
  });

  it('little-endian: stxvd2x/stxvw4x are the inverse of the loads', () => {
    const v = [0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00];
    const d = run('stxvd2x vs40,r4,r5\nli r5,16\nstxvw4x vs40,r4,r5', { msr: ALL | MSR_LE, vsr: { 40: v } });
    expect(mem(d, 32)).toEqual([0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99,
      0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55, 0xcc, 0xbb, 0xaa, 0x99, 0x00, 0xff, 0xee, 0xdd]);
    const b = run('stxvd2x vs40,r4,r5\nli r5,16\nstxvw4x vs40,r4,r5', { vsr: { 40: v } });
    const be = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00];
    expect(mem(b, 32)).toEqual([...be, ...be]);
    // round trip through memory in LE mode
    const r = run('stxvd2x vs40,r4,r5\nlxvd2x vs41,r4,r5\nstxvw4x vs40,r4,r5\nlxvw4x vs42,r4,r5',
      { msr: ALL | MSR_LE, vsr: { 40: v } });
    expect(vsr(r, 41)).toEqual(v);
    expect(vsr(r, 42)).toEqual(v);
  });

  it('scalar loads write doubleword 0 only (lxsdx, lxsiwax, lxsiwzx, lxsspx)', () => {
    const m = [0x80, 0, 0, 1, 0x3f, 0x80, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    const keep = [0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc, 0xdddddddd];
    const cpu = run('lxsiwax vs1,0,r4\nlxsiwzx vs2,0,r4\nli r5,4\nlxsspx vs3,r4,r5\nli r5,8\nlxsdx vs36,r4,r5',
      { mem: m, vsr: { 1: keep, 2: keep, 3: keep, 36: keep } });
    expect(vsr(cpu, 1)).toEqual([0xffffffff, 0x80000001, 0xcccccccc, 0xdddddddd]);
    expect(vsr(cpu, 2)).toEqual([0, 0x80000001, 0xcccccccc, 0xdddddddd]);
    expect(vsr(cpu, 3)).toEqual([0x3ff00000, 0, 0xcccccccc, 0xdddddddd]);
    expect(vsr(cpu, 36)).toEqual([0x01020304, 0x05060708, 0xcccccccc, 0xdddddddd]);
  });

  it('lxsspx converts a single denormal and keeps a signalling NaN signalling', () => {
    const cpu = run('lxsspx vs1,0,r4\nli r5,4\nlxsspx vs2,r4,r5', { mem: [0, 0, 0, 1, 0x7f, 0x80, 0, 1] });
    expect(vsr(cpu, 1).slice(0, 2)).toEqual([0x36a00000, 0]); // 2^-149
    expect(vsr(cpu, 2).slice(0, 2)).toEqual([0x7ff00000, 0x20000000]);
    expect(cpu.state.fpscr[1]).toBe(0);
  });

  it('scalar stores (stxsdx, stxsiwx, stxsspx), little-endian too', () => {
    const v = [0x3ff80000, 0x00000000, 0x12345678, 0x9abcdef0];
    const b = run('stxsdx vs5,0,r4\nli r5,8\nstxsiwx vs6,r4,r5\nli r5,12\nstxsspx vs5,r4,r5',
      { vsr: { 5: v, 6: [1, 0xcafef00d, 2, 3] } });
    expect(mem(b, 16)).toEqual([0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xca, 0xfe, 0xf0, 0x0d, 0x3f, 0xc0, 0, 0]);
    const l = run('stxsdx vs5,0,r4\nli r5,8\nstxsiwx vs6,r4,r5\nli r5,12\nstxsspx vs5,r4,r5',
      { msr: ALL | MSR_LE, vsr: { 5: v, 6: [1, 0xcafef00d, 2, 3] } });
    expect(mem(l, 16)).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x0d, 0xf0, 0xfe, 0xca, 0, 0, 0xc0, 0x3f]);
  });

  it('an unaligned quadword crossing a page boundary', () => {
    const m = bytes(16, 0x40);
    const ram = run('li r5,0xff8\nstxvd2x vs7,r4,r5\nlxvd2x vs8,r4,r5', { vsr: { 7: [1, 2, 3, 4] }, mem: m });
    expect(vsr(ram, 8)).toEqual([1, 2, 3, 4]);
  });
});

describe('VSX against QEMU 7.2 TCG beyond the shared vector guest (fixture from vsx-extra.gen.ts)', () => {
  const fixture = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'vsx-extra.fixture.json'), 'utf8')) as
    { fpscr: Record<string, string>; fpscrTrap: Record<string, string>; le: string[] };

  for (const trap of [false, true]) {
    it(`floating point with the exceptions enabled or already set in FPSCR, MSR[FE0|FE1] = ${trap ? 1 : 0}`, () => {
      const expected = trap ? fixture.fpscrTrap : fixture.fpscr;
      expect(Object.keys(expected).sort()).toEqual(FP_CASES.map((c) => c.insn).sort());
      const lines = runDiffHere(withFpscrImages(vecDiffSource(FP_CASES), trap));
      expect(FP_CASES.filter((c, i) => lines[i] !== expected[c.insn]).map((c) => c.insn)).toEqual([]);
    });
  }

  it('little-endian loads and stores: registers and memory as QEMU leaves them', () => {
    expect(fixture.le.length).toBe(4 * 34);
    expect(runDiffHere(vsxLeSource((i) => assemble(i, 0n)[0], endLines(), printRoutines()))).toEqual(fixture.le);
  });
});

describe('VSX moves and facility checks', () => {
  it('mtvsrd/mfvsrd/mtvsrwa/mtvsrwz/mfvsrwz', () => {
    const cpu = run(`mtvsrd vs33,r6\nmfvsrd r7,vs33\nmtvsrwa vs2,r6\nmtvsrwz vs3,r6\nmfvsrwz r8,vs33
      mtvsrd vs4,r6`, { gpr: { 6: 0x0123456789abcdefn }, vsr: { 4: [9, 9, 9, 9] } });
    expect(vsr(cpu, 33).slice(0, 2)).toEqual([0x01234567, 0x89abcdef]);
    expect(gpr(cpu, 7)).toBe(0x0123456789abcdefn);
    expect(vsr(cpu, 2).slice(0, 2)).toEqual([0xffffffff, 0x89abcdef]);
    expect(vsr(cpu, 3).slice(0, 2)).toEqual([0, 0x89abcdef]);
    expect(gpr(cpu, 8)).toBe(0x89abcdefn);
    expect(vsr(cpu, 4)).toEqual([0x01234567, 0x89abcdef, 9, 9]); // doubleword 1 unchanged
  });

  it('direct moves check MSR[FP] for VSRs 0-31 and MSR[VEC] for 32-63, not MSR[VSX]', () => {
    const ok = run('mffprd r3,f1\nmfvrd r3,v1', { msr: MSR_SF | MSR_FP | MSR_VEC, vsr: { 33: [0, 7, 0, 0] } });
    expect(gpr(ok, 21)).toBe(0xdeadn);
    expect(gpr(ok, 3)).toBe(7n);
    const fp = run('nop\nmtvsrd vs1,r3', { msr: MSR_SF | MSR_VEC | MSR_VSX });
    expect([gpr(fp, 21), gpr(fp, 22)]).toEqual([BigInt(CODE + 4), 0x800n]);
    const vec = run('mfvsrwz r3,vs63', { msr: MSR_SF | MSR_FP | MSR_VSX });
    expect([gpr(vec, 21), gpr(vec, 22)]).toEqual([BigInt(CODE), 0xf20n]);
  });

  it('loads, stores and opcode-60 rows check MSR[VSX]', () => {
    for (const insn of ['lxvd2x vs33,r4,r5', 'stxsdx vs1,r4,r5', 'xxlxor vs1,vs2,vs3', 'xsadddp vs1,vs2,vs3']) {
      const c = run(`nop\n${insn}`, { msr: MSR_SF | MSR_FP | MSR_VEC });
      expect([gpr(c, 21), gpr(c, 22)], insn).toEqual([BigInt(CODE + 4), 0xf40n]);
    }
  });

  it('a direct move with a non-zero RB field is an illegal instruction (QEMU 7.2)', () => {
    const w = (word('mfvsrd r3,vs1') | (5 << 11)) >>> 0;
    const cpu = run(`.long 0x${w.toString(16)}`);
    expect(gpr(cpu, 22)).toBe(0x700n);
    expect(cpu.state.getSpr(27) & 0x80000n).toBe(0x80000n); // SRR1: illegal instruction
  });
});

describe('VSX logical and permute', () => {
  const A = [0xf0f0f0f0, 0x12345678, 0x00000000, 0xffffffff];
  const B = [0xff00ff00, 0x87654321, 0xffffffff, 0x00000000];
  const Cm = [0xffff0000, 0x0f0f0f0f, 0x00000000, 0xffffffff];
  const op = (src: string, f: (a: number, b: number) => number) => {
    const cpu = run(src, { vsr: { 1: A, 34: B } });
    expect(vsr(cpu, 3), src).toEqual(A.map((a, k) => f(a, B[k]) >>> 0));
  };

  it('the eight logical operations', () => {
    op('xxland vs3,vs1,vs34', (a, b) => a & b);
    op('xxlandc vs3,vs1,vs34', (a, b) => a & ~b);
    op('xxlor vs3,vs1,vs34', (a, b) => a | b);
    op('xxlxor vs3,vs1,vs34', (a, b) => a ^ b);
    op('xxlnor vs3,vs1,vs34', (a, b) => ~(a | b));
    op('xxlorc vs3,vs1,vs34', (a, b) => a | ~b);
    op('xxlnand vs3,vs1,vs34', (a, b) => ~(a & b));
    op('xxleqv vs3,vs1,vs34', (a, b) => ~(a ^ b));
  });

  it('xxsel takes B where C is set', () => {
    const cpu = run('xxsel vs3,vs1,vs34,vs40', { vsr: { 1: A, 34: B, 40: Cm } });
    expect(vsr(cpu, 3)).toEqual(A.map((a, k) => ((a & ~Cm[k]) | (B[k] & Cm[k])) >>> 0));
  });

  it('merges, doubleword permutes, shifts and splats (with the target among the sources)', () => {
    const cpu = run(`xxmrghw vs3,vs1,vs34\nxxmrglw vs4,vs1,vs34\nxxpermdi vs5,vs1,vs34,1
      xxswapd vs6,vs1\nxxsldwi vs7,vs1,vs34,3\nxxspltw vs8,vs34,1\nxxmr vs9,vs1\nxxpermdi vs1,vs34,vs1,2`,
    { vsr: { 1: A, 34: B } });
    expect(vsr(cpu, 3)).toEqual([A[0], B[0], A[1], B[1]]);
    expect(vsr(cpu, 4)).toEqual([A[2], B[2], A[3], B[3]]);
    expect(vsr(cpu, 5)).toEqual([A[0], A[1], B[2], B[3]]);
    expect(vsr(cpu, 6)).toEqual([A[2], A[3], A[0], A[1]]);
    expect(vsr(cpu, 7)).toEqual([A[3], B[0], B[1], B[2]]);
    expect(vsr(cpu, 8)).toEqual([B[1], B[1], B[1], B[1]]);
    expect(vsr(cpu, 9)).toEqual(A);
    expect(vsr(cpu, 1)).toEqual([B[2], B[3], A[0], A[1]]);
  });
});

describe('VSX disassembly matches GNU objdump -M power8', () => {
  // words from powerpc64le-linux-gnu-as -mpower8 -mbig, texts from objdump -d -M power8
  const GNU: [number, string][] = [
    [0xf0221050, 'xxspltd vs1,vs2,0'], [0xf0221350, 'xxspltd vs1,vs2,1'], [0xf0221150, 'xxpermdi vs1,vs2,vs2,1'],
    [0xf0221250, 'xxswapd vs1,vs2'], [0xf0221850, 'xxmrghd vs1,vs2,vs3'], [0xf0221b50, 'xxmrgld vs1,vs2,vs3'],
    [0xf0221a50, 'xxpermdi vs1,vs2,vs3,2'], [0xf0221490, 'xxmr vs1,vs2'], [0xf0221510, 'xxlnot vs1,vs2'],
    [0xf0221780, 'xvmovdp vs1,vs2'], [0xf0221680, 'xvmovsp vs1,vs2'], [0xf0221580, 'xscpsgndp vs1,vs2,vs2'],
    [0xf0231290, 'xxspltw vs1,vs2,3'], [0xf0210cd0, 'xxlxor vs1,vs1,vs1'], [0xf0221f18, 'xvcmpeqdp. vs1,vs2,vs3'],
    [0xf1811118, 'xscmpudp cr3,vs1,vs2'], [0xf08011a8, 'xstsqrtdp cr1,vs2'], [0x7c230066, 'mffprd r3,f1'],
    [0x7c230067, 'mfvrd r3,v1'], [0x7c240167, 'mtvrd v1,r4'], [0x7c6401a6, 'mtfprwa f3,r4'],
    [0x7c6401e6, 'mtfprwz f3,r4'], [0x7fe400e7, 'mfvrwz r4,v31'], [0x7c242e99, 'lxvd2x vs33,r4,r5'],
    [0x7c202e98, 'lxvd2x vs1,0,r5'], [0x7fe42f19, 'stxvw4x vs63,r4,r5'], [0x7c642818, 'lxsiwzx vs3,r4,r5'],
    [0xf0000100, 'xsadddp vs0,vs0,vs0'],
  ];
  it('prints the extended mnemonics objdump uses and assembles them back', () => {
    for (const [w, text] of GNU) {
      expect(disassemble(w | 0, 0n), text).toBe(text);
      expect(word(text), text).toBe(w);
    }
  });
});

describe('VSX floating point', () => {
  const d = (x: number) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, x); return [b.getInt32(0) >>> 0, b.getInt32(4) >>> 0]; };
  const f = (x: number) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, x); return b.getInt32(0) >>> 0; };
  const QNAN = [0x7ff80000, 0];

  it('scalar double arithmetic sets FPRF and clears doubleword 1', () => {
    const cpu = run('xsadddp vs3,vs1,vs2\nxsmuldp vs4,vs1,vs2\nxsdivdp vs5,vs1,vs2',
      { vsr: { 1: [...d(1), 5, 6], 2: [...d(3), 7, 8], 3: [9, 9, 9, 9] } });
    expect(vsr(cpu, 3)).toEqual([...d(4), 0, 0]);
    expect(vsr(cpu, 4)).toEqual([...d(3), 0, 0]);
    expect(vsr(cpu, 5)).toEqual([...d(1 / 3), 0, 0]);
    // 1/3 is inexact: XX, FX, FI; FPRF positive normal
    expect(cpu.state.fpscr[1] >>> 0).toBe((0x80000000 | 0x02000000 | 0x00020000 | 0x4000) >>> 0);
  });

  it('vector double and single arithmetic leave FPRF and FI alone', () => {
    const cpu = run('xvadddp vs3,vs1,vs2\nxvmulsp vs4,vs33,vs34', {
      vsr: { 1: [...d(1), ...d(0.1)], 2: [...d(2), ...d(0.2)], 33: [f(1), f(2), f(3), f(1e30)], 34: [f(2), f(2), f(-1), f(1e30)] },
      fpscr: 0x00020000 | 0x1000,
    });
    expect(vsr(cpu, 3)).toEqual([...d(3), ...d(0.1 + 0.2)]);
    expect(vsr(cpu, 4)).toEqual([f(2), f(4), f(-3), 0x7f800000]);
    // inexact and overflow: FX OX XX, FI and FPRF as they were
    expect(cpu.state.fpscr[1] >>> 0).toBe((0x80000000 | 0x10000000 | 0x02000000 | 0x00020000 | 0x1000) >>> 0);
  });

  it('multiply-add A and M forms', () => {
    const cpu = run('xsmaddadp vs3,vs1,vs2\nxsmaddmdp vs4,vs1,vs2\nxvnmsubadp vs5,vs1,vs2', {
      vsr: { 1: [...d(2), ...d(2)], 2: [...d(3), ...d(5)], 3: [...d(10), 0, 0], 4: [...d(10), 0, 0], 5: [...d(1), ...d(1)] },
    });
    expect(vsr(cpu, 3).slice(0, 2)).toEqual(d(16)); // 2*3 + 10
    expect(vsr(cpu, 4).slice(0, 2)).toEqual(d(23)); // 2*10 + 3
    expect(vsr(cpu, 5)).toEqual([...d(-5), ...d(-9)]); // -(2*3 - 1), -(2*5 - 1)
  });

  it('vector compares set all-ones elements and CR6 with Rc', () => {
    const cpu = run('xvcmpgtdp. vs3,vs1,vs2\nmfcr r10\nxvcmpeqsp. vs4,vs33,vs33\nmfcr r11', {
      vsr: { 1: [...d(2), ...d(-1)], 2: [...d(1), ...d(1)], 33: [f(1), f(2), f(0), f(-0)] },
    });
    expect(vsr(cpu, 3)).toEqual([0xffffffff, 0xffffffff, 0, 0]);
    expect(Number(gpr(cpu, 10)) & 0xf0).toBe(0);
    expect(vsr(cpu, 4)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    expect(Number(gpr(cpu, 11)) & 0xf0).toBe(0x80);
  });

  it('xvcmpgedp with a quiet NaN sets VXVC, xvcmpeqdp does not', () => {
    const ge = run('xvcmpgedp vs3,vs1,vs2', { vsr: { 1: [...QNAN, ...d(1)], 2: [...d(1), ...d(1)] } });
    expect(vsr(ge, 3)).toEqual([0, 0, 0xffffffff, 0xffffffff]);
    expect(ge.state.fpscr[1] >>> 0).toBe((0x80000000 | 0x20000000 | 0x00080000) >>> 0);
    const eq = run('xvcmpeqdp vs3,vs1,vs2', { vsr: { 1: [...QNAN, ...d(1)], 2: [...d(1), ...d(1)] } });
    expect(eq.state.fpscr[1]).toBe(0);
  });

  it('xscmpudp/xscmpodp set the CR field and FPCC; the ordered one sets VXVC on a NaN', () => {
    const cpu = run('xscmpudp cr2,vs1,vs2\nxscmpodp cr3,vs2,vs3', { vsr: { 1: d(1), 2: d(2), 3: QNAN } });
    expect(cpu.state.crf[2]).toBe(8);
    expect(cpu.state.crf[3]).toBe(1);
    expect(cpu.state.fpscr[1] >>> 0).toBe((0x80000000 | 0x20000000 | 0x00080000 | 0x1000) >>> 0);
  });

  it('conversions to integer saturate; a NaN gives the minimum and VXCVI', () => {
    const cpu = run('xscvdpsxws vs3,vs1\nxscvdpuxds vs4,vs2\nxvcvdpsxds vs5,vs6', {
      vsr: { 1: [...QNAN, 1, 1], 2: d(-5.5), 6: [...d(-3.75), ...d(1e300)] },
    });
    expect(vsr(cpu, 3)).toEqual([0x80000000, 0x80000000, 0, 0]);
    expect(vsr(cpu, 4)).toEqual([0, 0, 0, 0]);
    expect(vsr(cpu, 5)).toEqual([0xffffffff, 0xfffffffd, 0x7fffffff, 0xffffffff]);
    expect(cpu.state.fpscr[1] & 0x100).toBe(0x100);
  });

  it('after an invalid element, the following ones convert as invalid too (QEMU 7.2 keeps the flags)', () => {
    const cpu = run('xvcvdpsxds vs3,vs1\nxvcvdpsxds vs4,vs2', { vsr: { 1: [...QNAN, ...d(1)], 2: [...d(1), ...QNAN] } });
    expect(vsr(cpu, 3)).toEqual([0x80000000, 0, 0x80000000, 0]);
    expect(vsr(cpu, 4)).toEqual([0, 1, 0x80000000, 0]);
  });

  it('xscmpudp with bit 31 set is an illegal instruction (QEMU 7.2)', () => {
    const w = (word('xscmpudp cr1,vs1,vs2') | 1) >>> 0;
    const cpu = run(`.long 0x${w.toString(16)}`);
    expect(gpr(cpu, 22)).toBe(0x700n);
    expect(cpu.state.getSpr(27) & 0x80000n).toBe(0x80000n);
  });

  it('conversions between formats', () => {
    const cpu = run('xscvdpsp vs3,vs1\nxscvspdp vs4,vs2\nxvcvspdp vs5,vs2\nxscvdpspn vs6,vs1\nxscvsxddp vs7,vs8', {
      vsr: { 1: d(1.5), 2: [f(-2), f(7), f(0.5), f(9)], 8: [0xffffffff, 0xfffffffd, 0, 0] },
    });
    expect(vsr(cpu, 3)).toEqual([f(1.5), f(1.5), 0, 0]);
    expect(vsr(cpu, 4)).toEqual([...d(-2), 0, 0]);
    expect(vsr(cpu, 5)).toEqual([...d(-2), ...d(0.5)]);
    expect(vsr(cpu, 6)).toEqual([f(1.5), f(1.5), 0, 0]);
    expect(vsr(cpu, 7)).toEqual([...d(-3), 0, 0]);
  });

  it('round to integral and sign operations', () => {
    const cpu = run('xsrdpi vs3,vs1\nxvrdpiz vs4,vs2\nxvrspim vs5,vs33\nxsnegdp vs6,vs1\nxvabssp vs7,vs33', {
      vsr: { 1: [...d(2.5), 1, 1], 2: [...d(-2.7), ...d(3.7)], 33: [f(-1.5), f(1.5), f(-0.25), f(7)] },
    });
    expect(vsr(cpu, 3)).toEqual([...d(3), 0, 0]);
    expect(vsr(cpu, 4)).toEqual([...d(-2), ...d(3)]);
    expect(vsr(cpu, 5)).toEqual([f(-2), f(1), f(-1), f(7)]);
    expect(vsr(cpu, 6)).toEqual([...d(-2.5), 0, 0]);
    expect(vsr(cpu, 7)).toEqual([f(1.5), f(1.5), f(0.25), f(7)]);
    expect(cpu.state.fpscr[1] & 0x02000000).toBe(0); // xsrdpi/xvrdpiz never set XX
  });

  it('an invalid operation with VE and MSR[FE0] interrupts before the target is written', () => {
    const cpu = run('xsadddp vs3,vs1,vs2', {
      msr: ALL | MSR_FE0, fpscr: 0x80,
      vsr: { 1: [0x7ff00000, 0, 0, 0], 2: [0xfff00000, 0, 0, 0], 3: [1, 2, 3, 4] },
    });
    expect([gpr(cpu, 21), gpr(cpu, 22)]).toEqual([BigInt(CODE), 0x700n]);
    expect(vsr(cpu, 3)).toEqual([1, 2, 3, 4]);
    expect(cpu.state.fpscr[1] & 0x00800000).toBe(0x00800000); // VXISI
  });
});
