// VMX crypto (vmx-crypto.ts): AES rounds against FIPS-197, SHA-2 sigma functions, carry-less
// multiply-sum and BCD add/subtract (with QEMU 7.2's CR6 rules), run through the interpreter.
// Bit-exact agreement with QEMU over many operands is checked by vec-diff.test.ts.

import { describe, it, expect } from 'vitest';
import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from './cpu';

const CODE = 0x10000;
const MSR = (1n << 63n) | (1n << 25n) | (1n << 23n);

class StopHyp implements VirtualHypervisor {
  hypercall(cpu: PowerPCCPU): void { cpu.state.halted = 1; cpu.requestExit(); }
  readTB(): number { return 0; }
}

type Vec = readonly number[];

/** Run `src` with VRs preset (index -> 4 words); returns the CPU. */
function run(src: string, regs: Record<number, Vec>): PowerPCCPU {
  const ram = new GuestRam(1 << 20);
  const cpu = new PowerPCCPU(ram, new StopHyp(), POWER8);
  ram.write(CODE, assembleBytes(`${src}\nsc 1`, BigInt(CODE)));
  for (const [n, x] of Object.entries(regs)) for (let k = 0; k < 4; k++) cpu.state.vsr[4 * (32 + Number(n)) + k] = x[k];
  cpu.state.setMsr(MSR);
  cpu.state.setNip(BigInt(CODE));
  for (let n = 0; !cpu.state.halted && n < 100; n++) cpu.run(1000);
  return cpu;
}

const V = (cpu: PowerPCCPU, n: number): number[] => [0, 1, 2, 3].map((k) => cpu.state.vsr[4 * (32 + n) + k] >>> 0);
const hex = (s: string): number[] => [0, 8, 16, 24].map((i) => parseInt(s.slice(i, i + 8), 16) >>> 0);
const toHex = (w: number[]): string => w.map((x) => x.toString(16).padStart(8, '0')).join('');

/** AES-128 key expansion (FIPS-197 5.2) using vsbox for SubWord: the 11 round keys. */
function roundKeys(key: string): number[][] {
  const w = hex(key);
  let rcon = 1;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1];
    if (i % 4 === 0) {
      const rot = ((t << 8) | (t >>> 24)) >>> 0;
      t = (V(run('vsbox v0,v1', { 1: [rot, 0, 0, 0] }), 0)[0] ^ (rcon << 24)) >>> 0;
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0)) & 0xff;
    }
    w.push((w[i - 4] ^ t) >>> 0);
  }
  return Array.from({ length: 11 }, (_, r) => w.slice(4 * r, 4 * r + 4));
}

/** Encrypt with vxor + 9 vcipher + vcipherlast, decrypt with vxor + 9 vncipher + vncipherlast. */
function aes(block: string, keys: number[][], decrypt: boolean): string {
  const regs: Record<number, Vec> = { 0: hex(block) };
  keys.forEach((k, r) => { regs[1 + r] = k; });
  const order = decrypt ? [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const op = decrypt ? 'vncipher' : 'vcipher';
  const lines = [`vxor v0,v0,v${1 + order[0]}`];
  for (let r = 1; r < 10; r++) lines.push(`${op} v0,v0,v${1 + order[r]}`);
  lines.push(`${op}last v0,v0,v${1 + order[10]}`);
  return toHex(V(run(lines.join('\n'), regs), 0));
}

describe('VMX crypto', () => {
  it('vsbox is the AES S-box', () => {
    expect(V(run('vsbox v0,v1', { 1: [0x00015363, 0xff10c9ca, 0, 0x8d000000] }), 0))
      .toEqual([0x637cedfb, 0x16cadd74, 0x63636363, 0x5d636363]);
  });

  it('AES-128 (FIPS-197 appendix C.1 and B) with vcipher/vcipherlast, back with vncipher/vncipherlast', () => {
    const k1 = roundKeys('000102030405060708090a0b0c0d0e0f');
    expect(toHex(k1[10])).toBe('13111d7fe3944a17f307a78b4d2b30c5');
    expect(aes('00112233445566778899aabbccddeeff', k1, false)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(aes('69c4e0d86a7b0430d8cdb78070b4c55a', k1, true)).toBe('00112233445566778899aabbccddeeff');
    const k2 = roundKeys('2b7e151628aed2a6abf7158809cf4f3c');
    expect(toHex(k2[10])).toBe('d014f9a8c9ee2589e13f0cc8b6630ca6');
    expect(aes('3243f6a8885a308d313198a2e0370734', k2, false)).toBe('3925841d02dc09fbdc118597196a0b32');
    expect(aes('3925841d02dc09fbdc118597196a0b32', k2, true)).toBe('3243f6a8885a308d313198a2e0370734');
  });

  it('vshasigmaw: SHA-256 sigma0/sigma1 (ST=0) and Sigma0/Sigma1 (ST=1), per-word SIX bit', () => {
    const x = [0x80000000, 0x80000000, 1, 1];
    // SIX = 0b0101: words 1 and 3 use the "1" functions
    expect(V(run('vshasigmaw v0,v1,0,5', { 1: x }), 0)).toEqual([0x11002000, 0x00205000, 0x02004000, 0x0000a000]);
    expect(V(run('vshasigmaw v0,v1,1,5', { 1: [1, 1, 1, 1] }), 0)).toEqual([0x40080400, 0x04200080, 0x40080400, 0x04200080]);
  });

  it('vshasigmad: SHA-512 sigma functions, SIX bits 0 and 2 select per doubleword', () => {
    const one = [0, 1, 0, 1];
    expect(V(run('vshasigmad v0,v1,0,2', { 1: one }), 0)).toEqual([0x81000000, 0, 0x00002000, 0x00000008]);
    expect(V(run('vshasigmad v0,v1,1,8', { 1: one }), 0)).toEqual([0x00044000, 0x00800000, 0x00000010, 0x42000000]);
  });

  it('vpmsumb/h/w/d: xor of the carry-less products of each element pair', () => {
    // x+1 times x^2+1 = x^3+x^2+x+1 in each element
    const cpu = run('vpmsumb v0,v1,v2\nvpmsumh v4,v1,v2\nvpmsumw v5,v1,v2\nvpmsumd v6,v1,v2',
      { 1: [0x03000300, 0x03000300, 0x03000300, 0x03000303], 2: [0x05000500, 0x05000500, 0x05000500, 0x05000505] });
    expect(V(cpu, 0)).toEqual([0x000f000f, 0x000f000f, 0x000f000f, 0x000f0000]);
    // equal halves cancel; (x^8+1)(x+1) * (x^8+1)(x^2+1) = 0xf000f, xor 0xf0000
    expect(V(cpu, 4)).toEqual([0, 0, 0, 0x0000000f]);
    expect(V(cpu, 5)).toEqual([0, 0, 0, 0x0000000f]);
    expect(V(cpu, 6)).toEqual([0, 0, 0, 0x0000000f]);
    // top bits: x^63 * x^63 = x^126, and the two doubleword products cancel when equal
    const d = run('vpmsumd v0,v1,v2\nvpmsumd v4,v3,v3', { 1: [0x80000000, 0, 0, 0], 2: [0x80000000, 0, 0, 1], 3: [0, 3, 0, 3] });
    expect(V(d, 0)).toEqual([0x40000000, 0, 0, 0]);
    expect(V(d, 4)).toEqual([0, 0, 0, 0]);
  });

  it('bcdadd./bcdsub.: signed decimal results and CR6 as QEMU sets it', () => {
    const P = (digits: string, sign: number): number[] => hex((digits + sign.toString(16)).padStart(32, '0'));
    const go = (insn: string, a: Vec, b: Vec) => { const c = run(`${insn}`, { 1: a, 2: b }); return { v: V(c, 0), cr: c.state.crf[6] }; };
    expect(go('bcdadd. v0,v1,v2,0', P('123', 0xc), P('456', 0xc))).toEqual({ v: P('579', 0xc), cr: 4 });
    expect(go('bcdadd. v0,v1,v2,1', P('123', 0xa), P('456', 0xd))).toEqual({ v: P('333', 0xd), cr: 8 });
    expect(go('bcdadd. v0,v1,v2,1', P('5', 0xc), P('5', 0xb))).toEqual({ v: P('0', 0xf), cr: 2 });
    // zero from two positive zeros: GT and EQ together
    expect(go('bcdadd. v0,v1,v2,0', P('0', 0xc), P('0', 0xf))).toEqual({ v: P('0', 0xc), cr: 6 });
    // overflow out of 31 digits: SO with the truncated sum
    expect(go('bcdadd. v0,v1,v2,0', P('9'.repeat(31), 0xc), P('1', 0xc))).toEqual({ v: P('0', 0xc), cr: 5 });
    // invalid sign or digit: all ones and SO only
    expect(go('bcdadd. v0,v1,v2,0', P('1', 0x3), P('1', 0xc))).toEqual({ v: [~0 >>> 0, ~0 >>> 0, ~0 >>> 0, ~0 >>> 0], cr: 1 });
    expect(go('bcdadd. v0,v1,v2,0', P('1a', 0xc), P('1', 0xc))).toEqual({ v: [~0 >>> 0, ~0 >>> 0, ~0 >>> 0, ~0 >>> 0], cr: 1 });
    // QEMU: with opposite signs an invalid digit met by the magnitude compare reads as equal
    expect(go('bcdadd. v0,v1,v2,0', P('a1', 0xc), P('1', 0xd))).toEqual({ v: P('0', 0xc), cr: 2 });
    expect(go('bcdsub. v0,v1,v2,0', P('700', 0xc), P('1000', 0xc))).toEqual({ v: P('300', 0xd), cr: 8 });
    expect(go('bcdsub. v0,v1,v2,1', P('42', 0xd), P('42', 0xd))).toEqual({ v: P('0', 0xf), cr: 2 });
  });
});
