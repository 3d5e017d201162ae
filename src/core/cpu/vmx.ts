// VMX (AltiVec) as QEMU 7.2's TCG executes it for -cpu POWER8 (target/ppc/int_helper.c,
// mem_helper.c, translate/vmx-impl.c.inc): one function per ISA row, keyed by mnemonic (see vec.ts).
//
// Integer, logical, permute, pack/unpack and load/store instructions. Registers are read into
// scratch arrays in the ISA's big-endian element order (element 0 = most significant), computed
// and written back, so VRT may alias any source. Saturating instructions set VSCR[SAT] (bit 31,
// value 1) when any element saturated; nothing clears it but mtvscr.
//
// Where QEMU 7.2 differs from the ISA we follow QEMU:
// - vspltb/h/w use the low bits of the UIM field that select an element (the rest are ignored).
// - lve*x / stve*x in little-endian mode place the element at index (n-1-eb), the element that
//   lvx would have loaded from that address, and access it in little-endian byte order.

import { type VecCpu, type VecFn, vr } from './vec';
import { VMX_FP_IMPL } from './vmx-fp';
import { VMX_CRYPTO_IMPL } from './vmx-crypto';

const rT = (w: number) => vr((w >>> 21) & 31);
const rA = (w: number) => vr((w >>> 16) & 31);
const rB = (w: number) => vr((w >>> 11) & 31);
const rC = (w: number) => vr((w >>> 6) & 31);

// ---------------------------------------------------------------------------------------------
// Element access (size 8, 16 or 32 bits; 64 and 128 bits go through BigInt)

/** Element i of the register at offset o, unsigned or sign-extended. */
function el(v: Int32Array, o: number, size: number, i: number, signed: boolean): number {
  if (size === 32) return signed ? v[o + i] : v[o + i] >>> 0;
  const per = 32 / size, word = v[o + ((i / per) | 0)];
  const x = word << (size * (i % per));
  return signed ? x >> (32 - size) : x >>> (32 - size);
}

/** All 128/size elements of a register into `out`. */
function get(v: Int32Array, o: number, size: number, signed: boolean, out: Float64Array): Float64Array {
  if (size === 32) {
    for (let k = 0; k < 4; k++) out[k] = signed ? v[o + k] : v[o + k] >>> 0;
  } else if (size === 16) {
    for (let k = 0; k < 4; k++) {
      const w = v[o + k];
      if (signed) { out[2 * k] = w >> 16; out[2 * k + 1] = (w << 16) >> 16; }
      else { out[2 * k] = w >>> 16; out[2 * k + 1] = w & 0xffff; }
    }
  } else {
    for (let k = 0; k < 4; k++) {
      const w = v[o + k];
      if (signed) {
        out[4 * k] = w >> 24; out[4 * k + 1] = (w << 8) >> 24; out[4 * k + 2] = (w << 16) >> 24; out[4 * k + 3] = (w << 24) >> 24;
      } else {
        out[4 * k] = w >>> 24; out[4 * k + 1] = (w >>> 16) & 0xff; out[4 * k + 2] = (w >>> 8) & 0xff; out[4 * k + 3] = w & 0xff;
      }
    }
  }
  return out;
}

/** Write 128/size elements (each taken modulo 2^size) to the register at offset o. */
function put(v: Int32Array, o: number, size: number, vals: ArrayLike<number>): void {
  if (size === 32) { for (let k = 0; k < 4; k++) v[o + k] = vals[k] | 0; return; }
  const per = 32 / size, mask = (1 << size) - 1;
  for (let k = 0; k < 4; k++) {
    let w = 0;
    for (let j = 0; j < per; j++) w = (w << size) | ((vals[k * per + j] | 0) & mask);
    v[o + k] = w;
  }
}

const SA = new Float64Array(16), SB = new Float64Array(16), SC = new Float64Array(16), SR = new Float64Array(16);

const M64 = (1n << 64n) - 1n, M128 = (1n << 128n) - 1n;

/** Doubleword k (0 or 1) of the register at offset o, unsigned. */
function dw(v: Int32Array, o: number, k: number): bigint {
  return (BigInt(v[o + 2 * k] >>> 0) << 32n) | BigInt(v[o + 2 * k + 1] >>> 0);
}
function setDw(v: Int32Array, o: number, k: number, x: bigint): void {
  v[o + 2 * k] = Number((x >> 32n) & 0xffffffffn) | 0;
  v[o + 2 * k + 1] = Number(x & 0xffffffffn) | 0;
}
/** The whole register as an unsigned 128-bit value. */
function qw(v: Int32Array, o: number): bigint {
  return (dw(v, o, 0) << 64n) | dw(v, o, 1);
}
function setQw(v: Int32Array, o: number, x: bigint): void {
  setDw(v, o, 0, (x >> 64n) & M64);
  setDw(v, o, 1, x & M64);
}

/** Bytes of a register, element 0 first. */
function bytes(v: Int32Array, o: number, out: Uint8Array): Uint8Array {
  for (let k = 0; k < 4; k++) {
    const w = v[o + k];
    out[4 * k] = w >>> 24; out[4 * k + 1] = w >>> 16; out[4 * k + 2] = w >>> 8; out[4 * k + 3] = w;
  }
  return out;
}
function putBytes(v: Int32Array, o: number, b: Uint8Array): void {
  for (let k = 0; k < 4; k++) v[o + k] = (b[4 * k] << 24) | (b[4 * k + 1] << 16) | (b[4 * k + 2] << 8) | b[4 * k + 3];
}
const BA = new Uint8Array(16), BB = new Uint8Array(16), BC = new Uint8Array(16), BR = new Uint8Array(16);

// ---------------------------------------------------------------------------------------------
// Saturation

let sat = 0;

/** x clamped to the range of a `size`-bit signed or unsigned element (sets the pending SAT). */
function clamp(x: number, size: number, signed: boolean): number {
  const min = signed ? -(2 ** (size - 1)) : 0, max = signed ? 2 ** (size - 1) - 1 : 2 ** size - 1;
  if (x < min) { sat = 1; return min; }
  if (x > max) { sat = 1; return max; }
  return x;
}
function clampBig(x: bigint, size: number, signed: boolean): bigint {
  const min = signed ? -(1n << BigInt(size - 1)) : 0n, max = signed ? (1n << BigInt(size - 1)) - 1n : (1n << BigInt(size)) - 1n;
  if (x < min) { sat = 1; return min; }
  if (x > max) { sat = 1; return max; }
  return x;
}
/** Fold the pending saturation into VSCR[SAT]. */
function flushSat(c: VecCpu): void {
  if (sat) c.state.vscr |= 1;
  sat = 0;
}

// ---------------------------------------------------------------------------------------------
// Builders

/** Word-wise logical operation. */
function logic(f: (a: number, b: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = rT(w), a = rA(w), b = rB(w);
    for (let k = 0; k < 4; k++) v[t + k] = f(v[a + k], v[b + k]);
  };
}

/** Element-wise VRT = f(VRA, VRB) on 8/16/32-bit elements (result modulo 2^size). */
function map2(size: number, signed: boolean, f: (a: number, b: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, n = 128 / size;
    get(v, rA(w), size, signed, SA); get(v, rB(w), size, signed, SB);
    for (let i = 0; i < n; i++) SR[i] = f(SA[i], SB[i]);
    put(v, rT(w), size, SR);
  };
}

/** Element-wise saturating VRT = clamp(f(VRA, VRB)). */
function sat2(size: number, signed: boolean, f: (a: number, b: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, n = 128 / size;
    get(v, rA(w), size, signed, SA); get(v, rB(w), size, signed, SB);
    for (let i = 0; i < n; i++) SR[i] = clamp(f(SA[i], SB[i]), size, signed);
    put(v, rT(w), size, SR);
    flushSat(c);
  };
}

/** Doubleword-wise VRT = f(VRA, VRB) (result taken modulo 2^64). */
function map2d(signed: boolean, f: (a: bigint, b: bigint) => bigint): VecFn {
  return (c, w) => {
    const v = c.state.vsr, a = rA(w), b = rB(w);
    const cv = (x: bigint) => (signed ? BigInt.asIntN(64, x) : x);
    const r0 = f(cv(dw(v, a, 0)), cv(dw(v, b, 0))), r1 = f(cv(dw(v, a, 1)), cv(dw(v, b, 1)));
    const t = rT(w);
    setDw(v, t, 0, r0 & M64); setDw(v, t, 1, r1 & M64);
  };
}

/** Element-wise VRT = f(VRB) (8/16/32-bit unsigned elements). */
function map1(size: number, f: (b: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, n = 128 / size;
    get(v, rB(w), size, false, SB);
    for (let i = 0; i < n; i++) SR[i] = f(SB[i]);
    put(v, rT(w), size, SR);
  };
}
function map1d(f: (b: bigint) => bigint): VecFn {
  return (c, w) => {
    const v = c.state.vsr, b = rB(w), t = rT(w);
    const r0 = f(dw(v, b, 0)), r1 = f(dw(v, b, 1));
    setDw(v, t, 0, r0 & M64); setDw(v, t, 1, r1 & M64);
  };
}

/** CR6 of the Rc=1 vector compares: 0b1000 all elements true, 0b0010 none. */
function setCr6(c: VecCpu, t: number): void {
  const v = c.state.vsr;
  const and = v[t] & v[t + 1] & v[t + 2] & v[t + 3], or = v[t] | v[t + 1] | v[t + 2] | v[t + 3];
  c.state.crf[6] = (and === -1 ? 8 : 0) | (or === 0 ? 2 : 0);
}

/** Integer compare (VC form, Rc at bit 21). */
function cmp(size: number, signed: boolean, f: (a: number, b: number) => boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, n = 128 / size, t = rT(w);
    get(v, rA(w), size, signed, SA); get(v, rB(w), size, signed, SB);
    for (let i = 0; i < n; i++) SR[i] = f(SA[i], SB[i]) ? -1 : 0;
    put(v, t, size, SR);
    if (w & 0x400) setCr6(c, t);
  };
}
function cmpd(signed: boolean, f: (a: bigint, b: bigint) => boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, a = rA(w), b = rB(w), t = rT(w);
    const cv = (x: bigint) => (signed ? BigInt.asIntN(64, x) : x);
    const r0 = f(cv(dw(v, a, 0)), cv(dw(v, b, 0))), r1 = f(cv(dw(v, a, 1)), cv(dw(v, b, 1)));
    setDw(v, t, 0, r0 ? M64 : 0n); setDw(v, t, 1, r1 ? M64 : 0n);
    if (w & 0x400) setCr6(c, t);
  };
}

/** Element shifts/rotates by the low log2(size) bits of the matching VRB element. */
function shift(size: number, kind: 'sl' | 'sr' | 'sra' | 'rl'): VecFn {
  const m = size - 1;
  return map2(size, kind === 'sra', (a, b) => {
    const s = b & m;
    switch (kind) {
      case 'sl': return size === 32 ? a << s : a * 2 ** s;
      case 'sr': return size === 32 ? (a >>> 0) >>> s : Math.floor(a / 2 ** s);
      case 'sra': return Math.floor(a / 2 ** s);
      default: return size === 32 ? (a << s) | ((a >>> 0) >>> ((32 - s) & 31)) * (s ? 1 : 0)
        : a * 2 ** s + Math.floor(a / 2 ** (size - s));
    }
  });
}
function shiftd(kind: 'sl' | 'sr' | 'sra' | 'rl'): VecFn {
  return map2d(kind === 'sra', (a, b) => {
    const s = b & 63n;
    switch (kind) {
      case 'sl': return a << s;
      case 'sr': case 'sra': return a >> s;
      default: return (a << s) | (a >> ((64n - s) & 63n)) * (s ? 1n : 0n);
    }
  });
}

/** Merge high/low halves: VRT element 2i = VRA[i + ofs], 2i+1 = VRB[i + ofs]. */
function merge(size: number, low: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, n = 128 / size, ofs = low ? n / 2 : 0;
    get(v, rA(w), size, false, SA); get(v, rB(w), size, false, SB);
    for (let i = 0; i < n / 2; i++) { SR[2 * i] = SA[i + ofs]; SR[2 * i + 1] = SB[i + ofs]; }
    put(v, rT(w), size, SR);
  };
}

/** Splat element UIM of VRB (QEMU masks UIM to the element count). */
function splat(size: number): VecFn {
  const n = 128 / size;
  return (c, w) => {
    const v = c.state.vsr, x = el(v, rB(w), size, ((w >>> 16) & 31) & (n - 1), false);
    for (let i = 0; i < n; i++) SR[i] = x;
    put(v, rT(w), size, SR);
  };
}
function splatImm(size: number): VecFn {
  const n = 128 / size;
  return (c, w) => {
    const x = ((w >>> 16) << 27) >> 27;
    for (let i = 0; i < n; i++) SR[i] = x;
    put(c.state.vsr, rT(w), size, SR);
  };
}

/** Pack VRA (high half) and VRB (low half) from `from`-bit to from/2-bit elements. */
function pack(from: number, srcSigned: boolean, dstSigned: boolean, saturate: boolean): VecFn {
  const to = from / 2, n = 128 / from;
  if (from === 64) {
    return (c, w) => {
      const v = c.state.vsr, a = rA(w), b = rB(w);
      const src = [dw(v, a, 0), dw(v, a, 1), dw(v, b, 0), dw(v, b, 1)].map((x) => (srcSigned ? BigInt.asIntN(64, x) : x));
      for (let i = 0; i < 4; i++) SR[i] = Number(BigInt.asIntN(32, saturate ? clampBig(src[i], 32, dstSigned) : src[i]));
      put(v, rT(w), 32, SR);
      if (saturate) flushSat(c);
    };
  }
  return (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), from, srcSigned, SA); get(v, rB(w), from, srcSigned, SB);
    for (let i = 0; i < n; i++) {
      SR[i] = saturate ? clamp(SA[i], to, dstSigned) : SA[i];
      SR[i + n] = saturate ? clamp(SB[i], to, dstSigned) : SB[i];
    }
    put(v, rT(w), to, SR);
    if (saturate) flushSat(c);
  };
}

/** Unpack the high or low half of VRB, sign-extending each element to twice its size. */
function unpack(size: number, low: boolean): VecFn {
  const n = 128 / size / 2;
  if (size === 32) {
    return (c, w) => {
      const v = c.state.vsr, b = rB(w), t = rT(w), k = low ? 2 : 0;
      const e0 = v[b + k], e1 = v[b + k + 1];
      v[t] = e0 >> 31; v[t + 1] = e0; v[t + 2] = e1 >> 31; v[t + 3] = e1;
    };
  }
  return (c, w) => {
    const v = c.state.vsr;
    get(v, rB(w), size, true, SB);
    for (let i = 0; i < n; i++) SR[i] = SB[i + (low ? n : 0)];
    put(v, rT(w), 2 * size, SR);
  };
}

/** Even/odd multiply: products of elements 2i (+1 when odd) into double-size elements. */
function mul(size: number, signed: boolean, odd: boolean): VecFn {
  if (size === 32) {
    return (c, w) => {
      const v = c.state.vsr, a = rA(w), b = rB(w), t = rT(w), k = odd ? 1 : 0;
      const ext = (x: number) => BigInt(signed ? x : x >>> 0);
      const p0 = ext(v[a + k]) * ext(v[b + k]), p1 = ext(v[a + 2 + k]) * ext(v[b + 2 + k]);
      setDw(v, t, 0, p0 & M64); setDw(v, t, 1, p1 & M64);
    };
  }
  const n = 128 / size / 2;
  return (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), size, signed, SA); get(v, rB(w), size, signed, SB);
    for (let i = 0; i < n; i++) SR[i] = SA[2 * i + (odd ? 1 : 0)] * SB[2 * i + (odd ? 1 : 0)];
    put(v, rT(w), 2 * size, SR);
  };
}

/** Multiply-sum: VRT word i = VRC word i + sum of the products of the elements in word i. */
function msum(size: number, aSigned: boolean, bSigned: boolean, saturate: boolean): VecFn {
  const per = 32 / size, signed = aSigned || bSigned;
  return (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), size, aSigned, SA); get(v, rB(w), size, bSigned, SB); get(v, rC(w), 32, signed, SC);
    for (let i = 0; i < 4; i++) {
      let s = SC[i];
      for (let j = 0; j < per; j++) s += SA[per * i + j] * SB[per * i + j];
      SR[i] = saturate ? clamp(s, 32, signed) : s;
    }
    put(v, rT(w), 32, SR);
    if (saturate) flushSat(c);
  };
}

/** vsum4*: VRT word i = sat(VRB word i + the elements of VRA in word i). */
function sum4(size: number, signed: boolean): VecFn {
  const per = 32 / size;
  return (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), size, signed, SA); get(v, rB(w), 32, signed, SB);
    for (let i = 0; i < 4; i++) {
      let s = SB[i];
      for (let j = 0; j < per; j++) s += SA[per * i + j];
      SR[i] = clamp(s, 32, signed);
    }
    put(v, rT(w), 32, SR);
    flushSat(c);
  };
}

/** Quadword arithmetic: VRT = f(VRA, VRB, VRC) on unsigned 128-bit values. */
function quad(f: (a: bigint, b: bigint, cc: bigint) => bigint): VecFn {
  return (c, w) => {
    const v = c.state.vsr;
    setQw(v, rT(w), f(qw(v, rA(w)), qw(v, rB(w)), qw(v, rC(w))) & M128);
  };
}
const notQ = (x: bigint) => M128 ^ x;

const popcnt32 = (x: number) => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
};

// ---------------------------------------------------------------------------------------------
// Loads and stores

const TMP = new Int32Array(4);

/** lvx/lvxl: 16 bytes at EA & ~15; in LE mode the quadword is byte-reversed. */
function lvx(c: VecCpu, w: number): void {
  c.eaX((w >>> 16) & 31, (w >>> 11) & 31);
  c.ea[1] &= ~15;
  c.ld64(TMP, c.le ? 2 : 0, false);
  c.ea[1] += 8;
  c.ld64(TMP, c.le ? 0 : 2, false);
  const v = c.state.vsr, t = rT(w);
  for (let k = 0; k < 4; k++) v[t + k] = TMP[k];
}
function stvx(c: VecCpu, w: number): void {
  c.eaX((w >>> 16) & 31, (w >>> 11) & 31);
  c.ea[1] &= ~15;
  const v = c.state.vsr, t = rT(w), first = c.le ? 2 : 0, second = c.le ? 0 : 2;
  const h1 = v[t + second], l1 = v[t + second + 1];
  c.st64(v[t + first], v[t + first + 1], false);
  c.ea[1] += 8;
  c.st64(h1, l1, false);
}

/** The element lve*x / stve*x move: EA aligned down to the element size, its lane (the one
 * lvx would have loaded from there, mirrored in little-endian mode). */
function veLane(c: VecCpu, w: number, size: number): number {
  const bytesPer = size / 8;
  c.eaX((w >>> 16) & 31, (w >>> 11) & 31);
  c.ea[1] &= ~(bytesPer - 1);
  const i = (c.ea[1] & 15) / bytesPer;
  return c.le ? 128 / size - 1 - i : i;
}

/** lvebx/lvehx/lvewx: one element at EA (aligned down to its size) into its lane. */
function lve(size: number): VecFn {
  return (c, w) => {
    const i = veLane(c, w, size);
    const x = size === 8 ? c.ld8() : size === 16 ? c.ld16() : c.ld32();
    const v = c.state.vsr, t = rT(w);
    if (size === 32) { v[t + i] = x; return; }
    const per = 32 / size, k = t + ((i / per) | 0), sh = 32 - size * (1 + (i % per)), m = ((1 << size) - 1) << sh;
    v[k] = (v[k] & ~m) | ((x << sh) & m);
  };
}
function stve(size: number): VecFn {
  return (c, w) => {
    const i = veLane(c, w, size);
    const x = el(c.state.vsr, rT(w), size, i, false);
    if (size === 8) c.st8(x); else if (size === 16) c.st16(x, false); else c.st32(x, false);
  };
}

/** lvsl/lvsr: the permute control vector for EA & 15. */
function lvs(right: boolean): VecFn {
  return (c, w) => {
    c.eaX((w >>> 16) & 31, (w >>> 11) & 31);
    const sh = c.ea[1] & 15;
    for (let i = 0; i < 16; i++) BR[i] = right ? 16 - sh + i : sh + i;
    putBytes(c.state.vsr, rT(w), BR);
  };
}

// ---------------------------------------------------------------------------------------------
// The table

const VMX_INT_IMPL: Record<string, VecFn> = {
  // loads, stores, VSCR
  lvx, lvxl: lvx, stvx, stvxl: stvx,
  lvebx: lve(8), lvehx: lve(16), lvewx: lve(32),
  stvebx: stve(8), stvehx: stve(16), stvewx: stve(32),
  lvsl: lvs(false), lvsr: lvs(true),
  mfvscr: (c, w) => { const v = c.state.vsr, t = rT(w); v[t] = 0; v[t + 1] = 0; v[t + 2] = 0; v[t + 3] = c.state.vscr | 0; },
  mtvscr: (c, w) => { c.state.vscr = c.state.vsr[rB(w) + 3] >>> 0; },

  // logical
  vand: logic((a, b) => a & b),
  vandc: logic((a, b) => a & ~b),
  vor: logic((a, b) => a | b),
  vxor: logic((a, b) => a ^ b),
  vnor: logic((a, b) => ~(a | b)),
  vorc: logic((a, b) => a | ~b),
  vnand: logic((a, b) => ~(a & b)),
  veqv: logic((a, b) => ~(a ^ b)),
  vsel: (c, w) => {
    const v = c.state.vsr, t = rT(w), a = rA(w), b = rB(w), m = rC(w);
    for (let k = 0; k < 4; k++) v[t + k] = (v[a + k] & ~v[m + k]) | (v[b + k] & v[m + k]);
  },

  // add/subtract modulo, saturating, carry-out
  vaddubm: map2(8, false, (a, b) => a + b),
  vadduhm: map2(16, false, (a, b) => a + b),
  vadduwm: map2(32, false, (a, b) => a + b),
  vaddudm: map2d(false, (a, b) => a + b),
  vsububm: map2(8, false, (a, b) => a - b),
  vsubuhm: map2(16, false, (a, b) => a - b),
  vsubuwm: map2(32, false, (a, b) => a - b),
  vsubudm: map2d(false, (a, b) => a - b),
  vaddubs: sat2(8, false, (a, b) => a + b),
  vadduhs: sat2(16, false, (a, b) => a + b),
  vadduws: sat2(32, false, (a, b) => a + b),
  vaddsbs: sat2(8, true, (a, b) => a + b),
  vaddshs: sat2(16, true, (a, b) => a + b),
  vaddsws: sat2(32, true, (a, b) => a + b),
  vsububs: sat2(8, false, (a, b) => a - b),
  vsubuhs: sat2(16, false, (a, b) => a - b),
  vsubuws: sat2(32, false, (a, b) => a - b),
  vsubsbs: sat2(8, true, (a, b) => a - b),
  vsubshs: sat2(16, true, (a, b) => a - b),
  vsubsws: sat2(32, true, (a, b) => a - b),
  vaddcuw: map2(32, false, (a, b) => (a + b > 0xffffffff ? 1 : 0)),
  vsubcuw: map2(32, false, (a, b) => (a >= b ? 1 : 0)),

  // quadword
  vadduqm: quad((a, b) => a + b),
  vaddcuq: quad((a, b) => (a + b) >> 128n),
  vaddeuqm: quad((a, b, cc) => a + b + (cc & 1n)),
  vaddecuq: quad((a, b, cc) => (a + b + (cc & 1n)) >> 128n),
  vsubuqm: quad((a, b) => a + notQ(b) + 1n),
  vsubcuq: quad((a, b) => (a + notQ(b) + 1n) >> 128n),
  vsubeuqm: quad((a, b, cc) => a + notQ(b) + (cc & 1n)),
  vsubecuq: quad((a, b, cc) => (a + notQ(b) + (cc & 1n)) >> 128n),

  // multiply
  vmuleub: mul(8, false, false), vmuloub: mul(8, false, true),
  vmulesb: mul(8, true, false), vmulosb: mul(8, true, true),
  vmuleuh: mul(16, false, false), vmulouh: mul(16, false, true),
  vmulesh: mul(16, true, false), vmulosh: mul(16, true, true),
  vmuleuw: mul(32, false, false), vmulouw: mul(32, false, true),
  vmulesw: mul(32, true, false), vmulosw: mul(32, true, true),
  vmuluwm: map2(32, false, (a, b) => Math.imul(a, b)),
  vmhaddshs: (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), 16, true, SA); get(v, rB(w), 16, true, SB); get(v, rC(w), 16, true, SC);
    for (let i = 0; i < 8; i++) SR[i] = clamp(SC[i] + ((SA[i] * SB[i]) >> 15), 16, true);
    put(v, rT(w), 16, SR);
    flushSat(c);
  },
  vmhraddshs: (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), 16, true, SA); get(v, rB(w), 16, true, SB); get(v, rC(w), 16, true, SC);
    for (let i = 0; i < 8; i++) SR[i] = clamp(SC[i] + ((SA[i] * SB[i] + 0x4000) >> 15), 16, true);
    put(v, rT(w), 16, SR);
    flushSat(c);
  },
  vmladduhm: (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), 16, false, SA); get(v, rB(w), 16, false, SB); get(v, rC(w), 16, false, SC);
    for (let i = 0; i < 8; i++) SR[i] = (Math.imul(SA[i], SB[i]) + SC[i]) & 0xffff;
    put(v, rT(w), 16, SR);
  },
  vmsumubm: msum(8, false, false, false),
  vmsummbm: msum(8, true, false, false),
  vmsumuhm: msum(16, false, false, false),
  vmsumuhs: msum(16, false, false, true),
  vmsumshm: msum(16, true, true, false),
  vmsumshs: msum(16, true, true, true),

  // sums across
  vsum4ubs: sum4(8, false),
  vsum4sbs: sum4(8, true),
  vsum4shs: sum4(16, true),
  vsum2sws: (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), 32, true, SA); get(v, rB(w), 32, true, SB);
    SR[0] = 0; SR[2] = 0;
    SR[1] = clamp(SB[1] + SA[0] + SA[1], 32, true);
    SR[3] = clamp(SB[3] + SA[2] + SA[3], 32, true);
    put(v, rT(w), 32, SR);
    flushSat(c);
  },
  vsumsws: (c, w) => {
    const v = c.state.vsr;
    get(v, rA(w), 32, true, SA); get(v, rB(w), 32, true, SB);
    SR[0] = 0; SR[1] = 0; SR[2] = 0;
    SR[3] = clamp(SB[3] + SA[0] + SA[1] + SA[2] + SA[3], 32, true);
    put(v, rT(w), 32, SR);
    flushSat(c);
  },

  // average, minimum, maximum
  vavgub: map2(8, false, (a, b) => Math.floor((a + b + 1) / 2)),
  vavguh: map2(16, false, (a, b) => Math.floor((a + b + 1) / 2)),
  vavguw: map2(32, false, (a, b) => Math.floor((a + b + 1) / 2)),
  vavgsb: map2(8, true, (a, b) => Math.floor((a + b + 1) / 2)),
  vavgsh: map2(16, true, (a, b) => Math.floor((a + b + 1) / 2)),
  vavgsw: map2(32, true, (a, b) => Math.floor((a + b + 1) / 2)),
  vmaxub: map2(8, false, Math.max), vmaxuh: map2(16, false, Math.max), vmaxuw: map2(32, false, Math.max),
  vmaxsb: map2(8, true, Math.max), vmaxsh: map2(16, true, Math.max), vmaxsw: map2(32, true, Math.max),
  vminub: map2(8, false, Math.min), vminuh: map2(16, false, Math.min), vminuw: map2(32, false, Math.min),
  vminsb: map2(8, true, Math.min), vminsh: map2(16, true, Math.min), vminsw: map2(32, true, Math.min),
  vmaxud: map2d(false, (a, b) => (a > b ? a : b)),
  vmaxsd: map2d(true, (a, b) => (a > b ? a : b)),
  vminud: map2d(false, (a, b) => (a < b ? a : b)),
  vminsd: map2d(true, (a, b) => (a < b ? a : b)),

  // compares
  vcmpequb: cmp(8, false, (a, b) => a === b),
  vcmpequh: cmp(16, false, (a, b) => a === b),
  vcmpequw: cmp(32, false, (a, b) => a === b),
  vcmpequd: cmpd(false, (a, b) => a === b),
  vcmpgtub: cmp(8, false, (a, b) => a > b),
  vcmpgtuh: cmp(16, false, (a, b) => a > b),
  vcmpgtuw: cmp(32, false, (a, b) => a > b),
  vcmpgtud: cmpd(false, (a, b) => a > b),
  vcmpgtsb: cmp(8, true, (a, b) => a > b),
  vcmpgtsh: cmp(16, true, (a, b) => a > b),
  vcmpgtsw: cmp(32, true, (a, b) => a > b),
  vcmpgtsd: cmpd(true, (a, b) => a > b),

  // shifts and rotates
  vslb: shift(8, 'sl'), vslh: shift(16, 'sl'), vslw: shift(32, 'sl'), vsld: shiftd('sl'),
  vsrb: shift(8, 'sr'), vsrh: shift(16, 'sr'), vsrw: shift(32, 'sr'), vsrd: shiftd('sr'),
  vsrab: shift(8, 'sra'), vsrah: shift(16, 'sra'), vsraw: shift(32, 'sra'), vsrad: shiftd('sra'),
  vrlb: shift(8, 'rl'), vrlh: shift(16, 'rl'), vrlw: shift(32, 'rl'), vrld: shiftd('rl'),
  vsl: (c, w) => {
    const v = c.state.vsr;
    setQw(v, rT(w), (qw(v, rA(w)) << BigInt(v[rB(w) + 3] & 7)) & M128);
  },
  vsr: (c, w) => {
    const v = c.state.vsr;
    setQw(v, rT(w), qw(v, rA(w)) >> BigInt(v[rB(w) + 3] & 7));
  },
  vslo: (c, w) => {
    const v = c.state.vsr;
    setQw(v, rT(w), (qw(v, rA(w)) << BigInt(8 * ((v[rB(w) + 3] >>> 3) & 15))) & M128);
  },
  vsro: (c, w) => {
    const v = c.state.vsr;
    setQw(v, rT(w), qw(v, rA(w)) >> BigInt(8 * ((v[rB(w) + 3] >>> 3) & 15)));
  },

  // permute, merge, splat
  vperm: (c, w) => {
    const v = c.state.vsr;
    bytes(v, rA(w), BA); bytes(v, rB(w), BB); bytes(v, rC(w), BC);
    for (let i = 0; i < 16; i++) { const s = BC[i]; BR[i] = s & 0x10 ? BB[s & 15] : BA[s & 15]; }
    putBytes(v, rT(w), BR);
  },
  vpermxor: (c, w) => {
    const v = c.state.vsr;
    bytes(v, rA(w), BA); bytes(v, rB(w), BB); bytes(v, rC(w), BC);
    for (let i = 0; i < 16; i++) BR[i] = BA[BC[i] >>> 4] ^ BB[BC[i] & 15];
    putBytes(v, rT(w), BR);
  },
  vsldoi: (c, w) => {
    const v = c.state.vsr, sh = (w >>> 6) & 15;
    bytes(v, rA(w), BA); bytes(v, rB(w), BB);
    for (let i = 0; i < 16; i++) BR[i] = i + sh < 16 ? BA[i + sh] : BB[i + sh - 16];
    putBytes(v, rT(w), BR);
  },
  vmrghb: merge(8, false), vmrghh: merge(16, false), vmrghw: merge(32, false),
  vmrglb: merge(8, true), vmrglh: merge(16, true), vmrglw: merge(32, true),
  vmrgew: (c, w) => {
    const v = c.state.vsr, a = rA(w), b = rB(w), t = rT(w);
    const a0 = v[a], b0 = v[b], a2 = v[a + 2], b2 = v[b + 2];
    v[t] = a0; v[t + 1] = b0; v[t + 2] = a2; v[t + 3] = b2;
  },
  vmrgow: (c, w) => {
    const v = c.state.vsr, a = rA(w), b = rB(w), t = rT(w);
    const a1 = v[a + 1], b1 = v[b + 1], a3 = v[a + 3], b3 = v[b + 3];
    v[t] = a1; v[t + 1] = b1; v[t + 2] = a3; v[t + 3] = b3;
  },
  vspltb: splat(8), vsplth: splat(16), vspltw: splat(32),
  vspltisb: splatImm(8), vspltish: splatImm(16), vspltisw: splatImm(32),

  // pack, unpack
  vpkuhum: pack(16, false, false, false), vpkuwum: pack(32, false, false, false), vpkudum: pack(64, false, false, false),
  vpkuhus: pack(16, false, false, true), vpkuwus: pack(32, false, false, true), vpkudus: pack(64, false, false, true),
  vpkshus: pack(16, true, false, true), vpkswus: pack(32, true, false, true), vpksdus: pack(64, true, false, true),
  vpkshss: pack(16, true, true, true), vpkswss: pack(32, true, true, true), vpksdss: pack(64, true, true, true),
  vpkpx: (c, w) => {
    const v = c.state.vsr, a = rA(w), b = rB(w);
    for (let i = 0; i < 8; i++) {
      const e = i < 4 ? v[a + i] : v[b + i - 4];
      SR[i] = ((e >>> 9) & 0xfc00) | ((e >>> 6) & 0x3e0) | ((e >>> 3) & 0x1f);
    }
    put(v, rT(w), 16, SR);
  },
  vupkhsb: unpack(8, false), vupkhsh: unpack(16, false), vupkhsw: unpack(32, false),
  vupklsb: unpack(8, true), vupklsh: unpack(16, true), vupklsw: unpack(32, true),
  vupkhpx: upkpx(false), vupklpx: upkpx(true),

  // POWER8 bit manipulation
  vclzb: map1(8, (b) => Math.clz32(b) - 24),
  vclzh: map1(16, (b) => Math.clz32(b) - 16),
  vclzw: map1(32, (b) => Math.clz32(b)),
  vclzd: map1d((b) => { let n = 0n; for (let m = 1n << 63n; m && !(b & m); m >>= 1n) n++; return n; }),
  vpopcntb: map1(8, popcnt32), vpopcnth: map1(16, popcnt32), vpopcntw: map1(32, popcnt32),
  vpopcntd: map1d((b) => BigInt(popcnt32(Number(b >> 32n)) + popcnt32(Number(b & 0xffffffffn)))),
  vgbbd: (c, w) => {
    const v = c.state.vsr;
    bytes(v, rB(w), BB);
    BR.fill(0);
    for (let d = 0; d < 16; d += 8) {
      for (let i = 0; i < 8; i++) {
        for (let j = 0; j < 8; j++) if (BB[d + j] & (0x80 >> i)) BR[d + i] |= 0x80 >> j;
      }
    }
    putBytes(v, rT(w), BR);
  },
  vbpermq: (c, w) => {
    const v = c.state.vsr, a = rA(w), t = rT(w);
    bytes(v, rB(w), BB);
    let perm = 0;
    for (let i = 0; i < 16; i++) {
      const idx = BB[i];
      if (idx < 128 && (v[a + (idx >>> 5)] >>> (31 - (idx & 31))) & 1) perm |= 0x8000 >>> i;
    }
    v[t] = 0; v[t + 1] = perm; v[t + 2] = 0; v[t + 3] = 0;
  },
};

function upkpx(low: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr;
    get(v, rB(w), 16, false, SB);
    for (let i = 0; i < 4; i++) {
      const e = SB[i + (low ? 4 : 0)];
      SR[i] = ((e >> 15 ? 0xff : 0) << 24) | (((e >> 10) & 0x1f) << 16) | (((e >> 5) & 0x1f) << 8) | (e & 0x1f);
    }
    put(v, rT(w), 32, SR);
  };
}

/** Every VMX row's implementation (vmx-fp.ts and vmx-crypto.ts add theirs). */
export const VMX_IMPL: Record<string, VecFn> = { ...VMX_INT_IMPL, ...VMX_FP_IMPL, ...VMX_CRYPTO_IMPL };
