import { describe, it, expect } from 'vitest';
import type { PowerPCCPU } from './cpu';
import { runSnippet, SNIPPET_CODE, SNIPPET_DATA, MSR_SF, MSR_VEC, MSR_LE, type SnippetSetup } from './snippet';

// The VMX integer unit (vmx.ts): the semantics the differential test against QEMU 7.2 cannot
// reach (little-endian mode, the facility check of the stream instructions) and the ones worth
// pinning with readable values (VSCR[SAT], CR6, quadword carries, element placement).

const CODE = SNIPPET_CODE, DATA = SNIPPET_DATA;

/** Run `src` in the byte order of `msr` (default 64-bit with VMX) with 00 11 22 ... at DATA;
 * an interrupt leaves the vector in r22 and SRR0 in r21. */
const run = (src: string, o: SnippetSetup = {}) =>
  runSnippet(src, { msr: MSR_SF | MSR_VEC, mem: Array.from({ length: 64 }, (_, i) => (i * 0x11) & 0xff), ...o });

const vr = (cpu: PowerPCCPU, n: number): number[] => Array.from(cpu.state.vsr.subarray(4 * (32 + n), 4 * (33 + n)), (x) => x >>> 0);
const bytesAt = (cpu: PowerPCCPU, a: number, n: number): number[] => Array.from(cpu.ram.u8.subarray(a, a + n));
const ONES = [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff];

describe('VMX integer unit', () => {
  it('saturating instructions set VSCR[SAT]; modulo ones leave it; mtvscr clears it', () => {
    const cpu = run(`vaddubs v3,v1,v2
      mfvscr v4
      vaddubm v5,v1,v2
      vadduws v6,v2,v2
      mfvscr v7
      mtvscr v0
      mfvscr v8`, { vr: { 0: [0, 0, 0, 0], 1: [0xfffe0102, 0x80, 0, 0xff], 2: [0x01010101, 0x01010101, 1, 1] } });
    expect(vr(cpu, 3)).toEqual([0xffff0203, 0x01010181, 1, 0x000000ff]);
    expect(vr(cpu, 4)).toEqual([0, 0, 0, 0x00010001]); // NJ (reset value) | SAT
    expect(vr(cpu, 5)).toEqual([0x00ff0203, 0x01010181, 1, 0x00000000]);
    expect(vr(cpu, 7)).toEqual([0, 0, 0, 0x00010001]);
    expect(vr(cpu, 8)).toEqual([0, 0, 0, 0]);
    expect(cpu.state.vscr).toBe(0);
  });

  it('signed saturation clamps both ways; packs saturate per element', () => {
    const cpu = run(`mtvscr v0
      vsubsws v3,v1,v2
      vpkswss v4,v1,v2
      vpkuwum v5,v1,v2
      mfvscr v6`, {
      vr: { 0: [0, 0, 0, 0], 1: [0x7fffffff, 0x80000000, 5, 0xfffffffb], 2: [0xffffffff, 1, 0xfffffffb, 5] },
    });
    expect(vr(cpu, 3)).toEqual([0x7fffffff, 0x80000000, 10, 0xfffffff6]);
    expect(vr(cpu, 4)).toEqual([0x7fff8000, 0x0005fffb, 0xffff0001, 0xfffb0005]);
    expect(vr(cpu, 5)).toEqual([0xffff0000, 0x0005fffb, 0xffff0001, 0xfffb0005]);
    expect(vr(cpu, 6)[3]).toBe(1);
  });

  it('vcmp*. set CR6 to 0b1000 when all elements compare true, 0b0010 when none do', () => {
    const a = [1, 2, 3, 4], b = [1, 2, 3, 5];
    const cpu = run(`vcmpequw. v3,v1,v1
      mfcr r3
      vcmpgtuw. v4,v1,v1
      mfcr r4
      vcmpequw. v5,v1,v2
      mfcr r5
      vcmpgtsd. v6,v1,v7
      mfcr r6
      vcmpequb v8,v1,v1
      mfcr r7`, { vr: { 1: a, 2: b, 7: [0xffffffff, 0xffffffff, 0x80000000, 0] } });
    expect(vr(cpu, 3)).toEqual(ONES);
    expect(cpu.state.getGpr(3) & 0xfn << 4n).toBe(0x80n);
    expect(vr(cpu, 4)).toEqual([0, 0, 0, 0]);
    expect(cpu.state.getGpr(4) & 0xfn << 4n).toBe(0x20n);
    expect(vr(cpu, 5)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0]);
    expect(cpu.state.getGpr(5) & 0xfn << 4n).toBe(0n);
    // signed doublewords: 0x0000000100000002 > -1, 0x0000000300000004 > 0x8000000000000000 (negative)
    expect(vr(cpu, 6)).toEqual(ONES);
    expect(cpu.state.getGpr(6) & 0xfn << 4n).toBe(0x80n);
    // without Rc, CR6 is left alone
    expect(cpu.state.getGpr(7)).toBe(cpu.state.getGpr(6));
  });

  it('quadword add/subtract carry across all 128 bits', () => {
    const cpu = run(`vadduqm v10,v1,v2
      vaddcuq v11,v1,v2
      vaddcuq v12,v3,v2
      vaddecuq v13,v3,v0,v2
      vaddeuqm v14,v3,v0,v2
      vsubuqm v15,v0,v2
      vsubcuq v16,v1,v1
      vsubcuq v17,v0,v2
      vsubecuq v18,v1,v1,v0
      vsubeuqm v19,v1,v1,v0`, {
      vr: { 0: [0, 0, 0, 0], 1: [0, 0xffffffff, 0xffffffff, 0xffffffff], 2: [0, 0, 0, 1], 3: ONES, 18: ONES },
    });
    expect(vr(cpu, 10)).toEqual([1, 0, 0, 0]);
    expect(vr(cpu, 11)).toEqual([0, 0, 0, 0]);
    expect(vr(cpu, 12)).toEqual([0, 0, 0, 1]);
    expect(vr(cpu, 13)).toEqual([0, 0, 0, 1]);           // ~0 + 0 + carry-in 1 carries out
    expect(vr(cpu, 14)).toEqual([0, 0, 0, 0]);
    expect(vr(cpu, 15)).toEqual(ONES);                   // 0 - 1
    expect(vr(cpu, 16)).toEqual([0, 0, 0, 1]);           // a - a: no borrow
    expect(vr(cpu, 17)).toEqual([0, 0, 0, 0]);           // 0 - 1 borrows
    expect(vr(cpu, 18)).toEqual([0, 0, 0, 0]);           // a + ~a + 0 does not carry (doubleword 0 cleared too)
    expect(vr(cpu, 19)).toEqual(ONES);
  });

  it('lvx/stvx ignore EA bits 60:63; in little-endian mode the quadword is byte-reversed', () => {
    const regs = { gpr: { 4: BigInt(DATA), 5: 0x1bn }, vr: { 1: [0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f] } };
    const be = run('lvx v2,r4,r5\nstvx v1,0,r4', regs);
    const mem = [...Array(16).keys()].map((i) => ((16 + i) * 0x11) & 0xff); // the quadword at DATA+16
    expect(vr(be, 2)).toEqual(words(mem));
    expect(bytesAt(be, DATA, 16)).toEqual([...Array(16).keys()]);
    const le = run('lvx v2,r4,r5\nstvx v1,0,r4', { ...regs, msr: MSR_SF | MSR_VEC | MSR_LE });
    expect(vr(le, 2)).toEqual(words([...mem].reverse()));
    expect(bytesAt(le, DATA, 16)).toEqual([...Array(16).keys()].reverse());
  });

  it('lve*x/stve*x: element eb in big-endian mode, element n-1-eb (little-endian value) in LE mode', () => {
    // memory at DATA: 00 11 22 33 44 55 66 77 88 99 aa bb ..., at DATA+0x20: 20 31 42 53 64 75 86 ...
    const src = `vspltisb v2,-1
      vspltisb v3,-1
      vspltisb v4,-1
      lvebx v2,r4,r5
      lvehx v3,r4,r6
      lvewx v4,r4,r7
      stvebx v1,r8,r5
      stvehx v1,r8,r6
      stvewx v1,r8,r7`;
    const regs = {
      gpr: { 4: BigInt(DATA), 5: 5n, 6: 7n, 7: 9n, 8: BigInt(DATA + 0x20) },
      vr: { 1: [0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f] },
    };
    const be = run(src, regs);
    expect(vr(be, 2)).toEqual([0xffffffff, 0xff55ffff, 0xffffffff, 0xffffffff]); // byte 5
    expect(vr(be, 3)).toEqual([0xffffffff, 0xffff6677, 0xffffffff, 0xffffffff]); // halfword 3 (EA 6)
    expect(vr(be, 4)).toEqual([0xffffffff, 0xffffffff, 0x8899aabb, 0xffffffff]); // word 2 (EA 8)
    expect(bytesAt(be, DATA + 0x20, 12)).toEqual([0x20, 0x31, 0x42, 0x53, 0x64, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b]);
    const le = run(src, { ...regs, msr: MSR_SF | MSR_VEC | MSR_LE });
    expect(vr(le, 2)).toEqual([0xffffffff, 0xffffffff, 0xffff55ff, 0xffffffff]); // byte 10
    expect(vr(le, 3)).toEqual([0xffffffff, 0xffffffff, 0x7766ffff, 0xffffffff]); // halfword 4
    expect(vr(le, 4)).toEqual([0xffffffff, 0xbbaa9988, 0xffffffff, 0xffffffff]); // word 1
    // stores take the same lanes: byte 10, halfword 4 (bytes 8,9 = 08 09 stored as 09 08), word 1
    expect(bytesAt(le, DATA + 0x20, 12)).toEqual([0x20, 0x31, 0x42, 0x53, 0x64, 0x0a, 0x09, 0x08, 0x07, 0x06, 0x05, 0x04]);
  });

  it('lvsl/lvsr build the permute control for EA & 15; vperm and vsldoi use it', () => {
    const cpu = run(`lvsl v2,r4,r5
      lvsr v3,0,r5
      vperm v4,v0,v1,v2
      vsldoi v5,v0,v1,3`, {
      gpr: { 4: 0x1000n, 5: 0x13n },
      vr: { 0: [0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f], 1: [0x10111213, 0x14151617, 0x18191a1b, 0x1c1d1e1f] },
    });
    expect(vr(cpu, 2)).toEqual([0x03040506, 0x0708090a, 0x0b0c0d0e, 0x0f101112]);
    expect(vr(cpu, 3)).toEqual([0x0d0e0f10, 0x11121314, 0x15161718, 0x191a1b1c]);
    expect(vr(cpu, 4)).toEqual(vr(cpu, 2));
    expect(vr(cpu, 5)).toEqual(vr(cpu, 2));
  });

  it('dss/dssall and dst run without MSR[VEC]; dst with RA=0 is illegal; lvx needs MSR[VEC]', () => {
    const ok = run('dssall\ndss 3\ndst r4,r5,1\ndststt r4,r5,2\nli r22,1', { msr: MSR_SF });
    expect(ok.state.getGpr(22)).toBe(1n);
    const ill = run('nop\ndst r0,r5,0', { msr: MSR_SF | MSR_VEC });
    expect(ill.state.getGpr(22)).toBe(0x700n);
    expect(ill.state.getGpr(21)).toBe(BigInt(CODE + 4));
    const vpu = run('lvx v0,0,r4', { msr: MSR_SF });
    expect(vpu.state.getGpr(22)).toBe(0xf20n);
  });
});

/** 16 bytes as four big-endian words. */
function words(b: number[]): number[] {
  return [0, 4, 8, 12].map((i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
}
