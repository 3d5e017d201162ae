// VMX floating point (single precision, VSCR[NJ]) as QEMU 7.2's TCG executes it for -cpu POWER8
// (target/ppc/int_helper.c, fpu_helper.c): one function per ISA row, keyed by mnemonic (vec.ts).
//
// QEMU runs every VMX float operation on its vector float_status: round to nearest even (vrfi*
// and the vct* conversions use their own rounding), no default-NaN mode (a NaN operand is
// returned quieted; PowerPC picks the first NaN operand: A, then B, then C for the fused forms;
// generated NaNs are 0x7fc00000) and, with VSCR[NJ]=1, denormal inputs read as zero and results
// whose unrounded magnitude is below 2^-126 are written as zero of the same sign (this includes
// compares, vmaxfp/vminfp and the conversions). Exceptions are not reported anywhere (the VMX has
// no status bits besides SAT, which the saturating conversions set).
//
// vmaddfp/vnmsubfp are fused (one rounding). vrefp and vrsqrtefp are exact IEEE 1/x and 1/sqrt(x)
// (two roundings for the latter); vexptefp and vlogefp are QEMU's softfloat float32_exp2 (a
// 15-term Taylor series without range reduction, inaccurate for large |x|) and float32_log2 (a
// bit-by-bit square-and-compare), reproduced here bit for bit on softfloat's 64-bit fraction
// representation ("parts": value = frac / 2^63 * 2^exp) with BigInt.

import { type VecCpu, type VecFn, vr } from './vec';

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** float32 bits -> number. Never call with a NaN (payloads are handled on the bits). */
function num(b: number): number {
  U32[0] = b;
  return F32[0];
}

/** number -> float32 bits (the value must already be a float32); NaN gives the default NaN. */
function bits(x: number): number {
  if (x !== x) return DNAN;
  F32[0] = x;
  return U32[0];
}

const DNAN = 0x7fc00000;
const SIGN = 0x80000000;
const ONE = 0x3f800000;

const isNan = (b: number): boolean => (b & 0x7fffffff) > 0x7f800000;
const quiet = (b: number): number => (b | 0x400000) >>> 0;
const isZero = (b: number): boolean => (b & 0x7fffffff) === 0;

/** VSCR[NJ] (non-Java mode: flush denormals). */
function njOf(c: VecCpu): boolean {
  return (c.state.vscr & 0x10000) !== 0;
}

/** A denormal input reads as zero of the same sign under NJ. */
function flushIn(b: number, nj: boolean): number {
  return nj && (b & 0x7f800000) === 0 ? (b & SIGN) >>> 0 : b >>> 0;
}

/** A result that is a denormal is written as zero of the same sign under NJ (valid when the
 * rounding cannot have carried the exact result across 2^-126, see the callers). */
function flushOut(b: number, nj: boolean): number {
  return nj && (b & 0x7f800000) === 0 ? (b & SIGN) >>> 0 : b >>> 0;
}

// ---- element loops

type Op2 = (a: number, b: number, nj: boolean) => number;
type Op1 = (b: number, nj: boolean) => number;

const TMP = new Uint32Array(12);

/** VRT,VRA,VRB elementwise. */
function vx2(op: Op2): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31), b = vr((w >>> 11) & 31);
    const nj = njOf(c);
    for (let k = 0; k < 4; k++) { TMP[k] = v[a + k]; TMP[4 + k] = v[b + k]; }
    for (let k = 0; k < 4; k++) v[t + k] = op(TMP[k], TMP[4 + k], nj);
  };
}

/** VRT,VRB elementwise. */
function vx1(op: Op1): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31), b = vr((w >>> 11) & 31);
    const nj = njOf(c);
    for (let k = 0; k < 4; k++) TMP[k] = v[b + k];
    for (let k = 0; k < 4; k++) v[t + k] = op(TMP[k], nj);
  };
}

// ---- arithmetic

function addsub(a: number, b: number, nj: boolean, sub: boolean): number {
  if (isNan(a)) return quiet(a);
  if (isNan(b)) return quiet(b);
  const x = num(flushIn(a, nj)), y = num(flushIn(b, nj));
  // The exact sum of two float32 values is a multiple of 2^-149: a denormal result is exact,
  // so checking the rounded value for the NJ flush is the same as checking the exact one.
  return flushOut(bits(Math.fround(sub ? x - y : x + y)), nj);
}

/** vmaxfp / vminfp (softfloat float32_max/min: NaN propagation, -0 < +0). */
function minmax(a: number, b: number, nj: boolean, isMin: boolean): number {
  if (isNan(a)) return quiet(a);
  if (isNan(b)) return quiet(b);
  a = flushIn(a, nj); b = flushIn(b, nj);
  const x = num(a), y = num(b);
  let cmp = x > y ? 1 : x < y ? -1 : 0;
  if (cmp === 0 && (a ^ b) & SIGN) cmp = a & SIGN ? -1 : 1;
  if (isMin) cmp = -cmp;
  return cmp < 0 ? b : a;
}

/** float32_div(1, b). 1/b of a float32 is never within a double ulp of 2^-126 unless exact, so
 * the flush test on the rounded result is exact. */
function recip(b: number, nj: boolean): number {
  if (isNan(b)) return quiet(b);
  return flushOut(bits(Math.fround(1 / num(flushIn(b, nj)))), nj);
}

function rsqrte(b: number, nj: boolean): number {
  if (isNan(b)) return quiet(b);
  b = flushIn(b, nj);
  if (b & SIGN && !isZero(b)) return DNAN; // sqrt of a negative: default NaN, then 1/NaN
  const s = Math.fround(Math.sqrt(num(b)));
  return bits(Math.fround(1 / s));
}

/** Round to integral (float32_round_to_int) in the given mode; the sign is always kept. */
function rfi(mode: 'n' | 'z' | 'p' | 'm'): Op1 {
  return (b, nj) => {
    if (isNan(b)) return quiet(b);
    b = flushIn(b, nj);
    const x = num(b);
    if (!Number.isFinite(x) || x === 0) return b;
    let r: number;
    switch (mode) {
      case 'z': r = Math.trunc(x); break;
      case 'p': r = Math.ceil(x); break;
      case 'm': r = Math.floor(x); break;
      default: {
        const fl = Math.floor(x), d = x - fl;
        r = d > 0.5 ? fl + 1 : d < 0.5 ? fl : fl % 2 === 0 ? fl : fl + 1;
      }
    }
    if (r === 0) return (b & SIGN) >>> 0;
    return bits(r);
  };
}

/** vcfsx / vcfux VRT,VRB,UIM: convert (round to nearest) then scale by 2^-UIM (exact). */
function vcf(signed: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31), b = vr((w >>> 11) & 31), uim = (w >>> 16) & 31;
    const s = 2 ** -uim;
    for (let k = 0; k < 4; k++) {
      const i = signed ? v[b + k] : v[b + k] >>> 0;
      v[t + k] = bits(Math.fround(i) * s);
    }
  };
}

/** vctsxs / vctuxs VRT,VRB,UIM: scale by 2^UIM, truncate, saturate (VSCR[SAT]); NaN gives 0. */
function vct(signed: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31), b = vr((w >>> 11) & 31), uim = (w >>> 16) & 31;
    const nj = njOf(c);
    const s = 2 ** uim;
    let sat = false;
    for (let k = 0; k < 4; k++) {
      const e = v[b + k] >>> 0;
      if (isNan(e)) { v[t + k] = 0; continue; }
      const r = Math.trunc(num(flushIn(e, nj)) * s);
      const lo = signed ? -0x80000000 : 0, hi = signed ? 0x7fffffff : 0xffffffff;
      if (r < lo) { v[t + k] = lo; sat = true; }
      else if (r > hi) { v[t + k] = hi | 0; sat = true; }
      else v[t + k] = r | 0;
    }
    if (sat) c.state.vscr |= 1;
  };
}

// ---- compares

/** float32_compare_quiet after the NJ flush: -1, 0, 1, or 2 for unordered. */
function fcmp(a: number, b: number, nj: boolean): number {
  if (isNan(a) || isNan(b)) return 2;
  const x = num(flushIn(a, nj)), y = num(flushIn(b, nj));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** vcmpeqfp / vcmpgefp / vcmpgtfp[.]: Rc (bit 21) sets CR6 = all true (8) | none true (2). */
function vcmp(pred: (r: number) => boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31), b = vr((w >>> 11) & 31);
    const nj = njOf(c);
    let all = true, none = true;
    for (let k = 0; k < 4; k++) { TMP[k] = v[a + k]; TMP[4 + k] = v[b + k]; }
    for (let k = 0; k < 4; k++) {
      const r = fcmp(TMP[k], TMP[4 + k], nj);
      const yes = r !== 2 && pred(r);
      v[t + k] = yes ? -1 : 0;
      if (yes) none = false; else all = false;
    }
    if (w & 0x400) c.state.crf[6] = (all ? 8 : 0) | (none ? 2 : 0);
  };
}

/** vcmpbfp[.]: bit 0 = not (a <= b), bit 1 = not (a >= -b); unordered gives both; CR6 bit 2 set
 * when every element is within bounds. */
const vcmpbfp: VecFn = (c, w) => {
  const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31), b = vr((w >>> 11) & 31);
  const nj = njOf(c);
  let out = false;
  for (let k = 0; k < 4; k++) { TMP[k] = v[a + k]; TMP[4 + k] = v[b + k]; }
  for (let k = 0; k < 4; k++) {
    const x = TMP[k], y = TMP[4 + k];
    const le = fcmp(x, y, nj);
    let r: number;
    if (le === 2) r = 0xc0000000;
    else {
      const ge = fcmp(x, (y ^ SIGN) >>> 0, nj);
      r = (le === 1 ? 0x80000000 : 0) | (ge === -1 ? 0x40000000 : 0);
    }
    v[t + k] = r;
    if (r) out = true;
  }
  if (w & 0x400) c.state.crf[6] = out ? 0 : 2;
};

// ---- softfloat "parts" (FloatParts64: value = frac / 2^63 * 2^exp) for the fused and
// transcendental operations, reproducing QEMU's truncation and sticky-bit steps exactly.

const enum Cls { Zero, Normal, Inf, QNan, SNan }

interface Parts { cls: Cls; sign: number; exp: number; frac: bigint }

const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;
const B63 = 1n << 63n;

function clz64(x: bigint): number {
  const hi = Number(x >> 32n), lo = Number(x & 0xffffffffn);
  return hi ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function clz128(x: bigint): number {
  const hi = x >> 64n;
  return hi ? clz64(hi) : 64 + clz64(x & M64);
}

function unpack32(b: number, nj: boolean): Parts {
  const sign = b >>> 31, e = (b >>> 23) & 0xff, m = b & 0x7fffff;
  if (e === 0) {
    if (m === 0 || nj) return { cls: Cls.Zero, sign, exp: 0, frac: 0n };
    const shift = 32 + Math.clz32(m);
    return { cls: Cls.Normal, sign, exp: 40 - 127 - shift + 1, frac: BigInt(m) << BigInt(shift) };
  }
  if (e === 255) {
    if (m === 0) return { cls: Cls.Inf, sign, exp: 0, frac: 0n };
    return { cls: m & 0x400000 ? Cls.QNan : Cls.SNan, sign, exp: 0, frac: BigInt(m) << 40n };
  }
  return { cls: Cls.Normal, sign, exp: e - 127, frac: (BigInt(m) << 40n) | B63 };
}

/** A normal float64 constant. */
function unpack64(b: bigint): Parts {
  const e = Number((b >> 52n) & 0x7ffn);
  return { cls: Cls.Normal, sign: Number(b >> 63n), exp: e - 1023, frac: ((b & ((1n << 52n) - 1n)) << 11n) | B63 };
}

/** Round to nearest even and pack as float32 (parts_uncanon + pack). */
function pack32(p: Parts, nj: boolean): number {
  const s = p.sign ? SIGN : 0;
  switch (p.cls) {
    case Cls.Zero: return s >>> 0;
    case Cls.Inf: return (s | 0x7f800000) >>> 0;
    case Cls.QNan: case Cls.SNan: return (s | 0x7f800000 | Number((p.frac >> 40n) & 0x7fffffn)) >>> 0;
    default: break;
  }
  const roundMask = (1n << 40n) - 1n, half = 1n << 39n, evenMask = (1n << 41n) - 1n;
  let frac = p.frac, exp = p.exp + 127;
  if (exp > 0) {
    if (frac & roundMask) {
      const inc = (frac & evenMask) !== half ? half : 0n;
      frac += inc;
      if (frac > M64) { frac = ((frac & M64) >> 1n) | B63; exp++; }
      frac &= ~roundMask;
    }
    if (exp >= 255) return (s | 0x7f800000) >>> 0;
    return (s | (exp << 23) | Number((frac >> 40n) & 0x7fffffn)) >>> 0;
  }
  if (nj) return s >>> 0;
  frac = shrjam(frac, 1 - exp, 64);
  if (frac & roundMask) {
    const inc = (frac & evenMask) !== half ? half : 0n;
    frac = (frac + inc) & ~roundMask;
  }
  const e = frac & B63 ? 1 : 0;
  return (s | (e << 23) | Number((frac >> 40n) & 0x7fffffn)) >>> 0;
}

/** Shift right, or-ing the lost bits into bit 0 (width: 64 or 128). */
function shrjam(x: bigint, c: number, width: number): bigint {
  if (c === 0) return x;
  if (c < width) return (x >> BigInt(c)) | ((x & ((1n << BigInt(c)) - 1n)) !== 0n ? 1n : 0n);
  return x !== 0n ? 1n : 0n;
}

/** parts_add_normal on `width`-bit fractions (a updated in place). */
function addNormal(a: Parts, b: Parts, width: number): void {
  const d = a.exp - b.exp;
  let bf = b.frac;
  if (d > 0) bf = shrjam(bf, d, width);
  else if (d < 0) { a.frac = shrjam(a.frac, -d, width); a.exp = b.exp; }
  let s = a.frac + bf;
  if (s >> BigInt(width)) {
    s &= (1n << BigInt(width)) - 1n;
    s = (s >> 1n) | (s & 1n) | (1n << BigInt(width - 1));
    a.exp += 1;
  }
  a.frac = s;
}

/** parts_sub_normal: false (and a zero) when the difference is exactly zero. */
function subNormal(a: Parts, b: Parts, width: number): boolean {
  const d = a.exp - b.exp;
  const mask = (1n << BigInt(width)) - 1n;
  if (d > 0) {
    a.frac = (a.frac - shrjam(b.frac, d, width)) & mask;
  } else if (d < 0) {
    a.exp = b.exp;
    a.sign ^= 1;
    a.frac = (b.frac - shrjam(a.frac, -d, width)) & mask;
  } else {
    let r = a.frac - b.frac;
    if (r < 0n) { r = -r; a.sign ^= 1; }
    a.frac = r;
  }
  const shift = a.frac === 0n ? width : width === 64 ? clz64(a.frac) : clz128(a.frac);
  if (shift < width) {
    a.frac = (a.frac << BigInt(shift)) & mask;
    a.exp -= shift;
    return true;
  }
  a.cls = Cls.Zero;
  return false;
}

/** parts_mul of two normal numbers. */
function mulNormal(a: Parts, b: Parts): Parts {
  const p = a.frac * b.frac;
  let frac = (p >> 64n) | ((p & M64) !== 0n ? 1n : 0n);
  let exp = a.exp + b.exp + 1;
  if (!(frac & B63)) { frac = (frac << 1n) & M64; exp -= 1; }
  return { cls: Cls.Normal, sign: a.sign ^ b.sign, exp, frac };
}

const CM_ZERO = 1 << Cls.Zero, CM_NORMAL = 1 << Cls.Normal, CM_INF = 1 << Cls.Inf;
const CM_NAN = (1 << Cls.QNan) | (1 << Cls.SNan);
const NEG_C = 1, NEG_RESULT = 2;

const isNanCls = (c: Cls): boolean => c === Cls.QNan || c === Cls.SNan;
const dnanParts = (): Parts => ({ cls: Cls.QNan, sign: 0, exp: 0, frac: 1n << 62n });

/** parts_muladd: a * b + c, one rounding (done by the caller), PowerPC NaN rules. */
function muladd(a0: Parts, b: Parts, c0: Parts, flags: number): Parts {
  const a = { ...a0 }, c = { ...c0 };
  const ab = (1 << a.cls) | (1 << b.cls), abc = ab | (1 << c.cls);
  const infzero = ab === (CM_INF | CM_ZERO);
  if (abc & CM_NAN) {
    const r = { ...(infzero ? c : isNanCls(a.cls) ? a : isNanCls(c.cls) ? c : b) };
    if (r.cls === Cls.SNan) { r.cls = Cls.QNan; r.frac |= 1n << 62n; }
    return r;
  }
  if (flags & NEG_C) c.sign ^= 1;
  a.sign ^= b.sign;
  const neg = flags & NEG_RESULT ? 1 : 0;
  const done = (p: Parts): Parts => ({ ...p, sign: p.sign ^ neg });
  if (ab !== CM_NORMAL) {
    if (infzero) return dnanParts();
    if (ab & CM_INF) {
      if (c.cls === Cls.Inf && a.sign !== c.sign) return dnanParts();
      return done({ ...a, cls: Cls.Inf });
    }
    if (c.cls === Cls.Normal) return done(c);
    if (c.cls === Cls.Zero) return done({ ...a, cls: Cls.Zero, sign: a.sign !== c.sign ? 0 : a.sign });
  }
  if (c.cls === Cls.Inf) return done({ ...a, cls: Cls.Inf, sign: c.sign });
  // 128-bit product with the binary point at bit 127
  const p: Parts = { cls: Cls.Normal, sign: a.sign, exp: a.exp + b.exp + 1, frac: a.frac * b.frac };
  if (!(p.frac >> 127n)) { p.frac = (p.frac << 1n) & M128; p.exp -= 1; }
  if (c.cls !== Cls.Zero) {
    const cw: Parts = { cls: Cls.Normal, sign: c.sign, exp: c.exp, frac: c.frac << 64n };
    if (p.sign === c.sign) addNormal(p, cw, 128);
    else if (!subNormal(p, cw, 128)) return done({ cls: Cls.Zero, sign: 0, exp: 0, frac: 0n });
  }
  return done({ cls: Cls.Normal, sign: p.sign, exp: p.exp, frac: (p.frac >> 64n) | ((p.frac & M64) !== 0n ? 1n : 0n) });
}

/** vmaddfp VRT,VRA,VRC,VRB (negate false) / vnmsubfp (negate true): float32_muladd(A, C, B). */
function vfma(negate: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31);
    const b = vr((w >>> 11) & 31), cc = vr((w >>> 6) & 31);
    const nj = njOf(c);
    for (let k = 0; k < 4; k++) { TMP[k] = v[a + k]; TMP[4 + k] = v[b + k]; TMP[8 + k] = v[cc + k]; }
    for (let k = 0; k < 4; k++) {
      const r = muladd(unpack32(TMP[k], nj), unpack32(TMP[8 + k], nj), unpack32(TMP[4 + k], nj),
        negate ? NEG_C | NEG_RESULT : 0);
      v[t + k] = pack32(r, nj);
    }
  };
}

const LN2 = unpack64(0x3fe62e42fefa39efn);
const PARTS_ONE = unpack64(0x3ff0000000000000n);
const EXP2_COEF = [
  0x3ff0000000000000n, 0x3fe0000000000000n, 0x3fc5555555555555n, 0x3fa5555555555555n,
  0x3f81111111111111n, 0x3f56c16c16c16c17n, 0x3f2a01a01a01a01an, 0x3efa01a01a01a01an,
  0x3ec71de3a556c734n, 0x3e927e4fb7789f5cn, 0x3e5ae64567f544e4n, 0x3e21eed8eff8d898n,
  0x3de6124613a86d09n, 0x3da93974a8c07c9dn, 0x3d6ae7f3e733b81fn,
].map(unpack64);

/** softfloat float32_exp2: 2^x = e^(x ln 2) by the Taylor series, terms 1..15. */
export function exp2Bits(b: number, nj: boolean): number {
  const x = unpack32(b, nj);
  switch (x.cls) {
    case Cls.QNan: case Cls.SNan: return quiet(b);
    case Cls.Inf: return x.sign ? 0 : b >>> 0;
    case Cls.Zero: return ONE;
    default: break;
  }
  const xp = mulNormal(x, LN2);
  let xnp = xp, rp = PARTS_ONE;
  for (const coef of EXP2_COEF) {
    rp = muladd(coef, xnp, rp, 0);
    xnp = mulNormal(xnp, xp);
  }
  return pack32(rp, nj);
}

/** softfloat float32_log2 (parts_log2). */
export function log2Bits(b: number, nj: boolean): number {
  const a = unpack32(b, nj);
  switch (a.cls) {
    case Cls.QNan: case Cls.SNan: return quiet(b);
    case Cls.Zero: return 0xff800000;
    case Cls.Inf: return a.sign ? DNAN : b >>> 0;
    default: break;
  }
  if (a.sign) return DNAN;
  const aExp = a.exp;
  let fExp = -1, r = 0n, t = B63, a0 = a.frac, a1 = 0n, exact = false;
  const n = aExp === -1 ? 48 : 25;
  for (let i = 0; i < n; i++) {
    if (a1) {
      const sq = ((a0 << 64n) | a1) ** 2n;
      a0 = sq >> 192n; a1 = (sq >> 128n) & M64;
    } else if (a0 & 0xffffffffn) {
      const sq = a0 * a0;
      a0 = sq >> 64n; a1 = sq & M64;
    } else if (a0 & ~B63) {
      a0 >>= 32n; a0 *= a0;
    } else { exact = true; break; }
    if (a0 & B63) {
      if (aExp === 0 && r === 0n) { fExp -= i; t = r = B63; i = 0; }
      else r |= t;
    } else {
      const d = (((a0 << 64n) | a1) << 1n) & M128;
      a0 = d >> 64n; a1 = d & M64;
    }
    t >>= 1n;
  }
  if (!exact && (a1 !== 0n || (a0 & ~B63) !== 0n)) r |= 1n;
  // the integer part
  let res: Parts;
  if (aExp === 0) res = { cls: Cls.Zero, sign: 0, exp: 0, frac: 0n };
  else {
    const m = BigInt(Math.abs(aExp)), sh = clz64(m);
    res = { cls: Cls.Normal, sign: aExp < 0 ? 1 : 0, exp: 63 - sh, frac: m << BigInt(sh) };
  }
  if (r !== 0n) {
    const sh = clz64(r);
    const f: Parts = { cls: Cls.Normal, sign: 0, exp: fExp - sh, frac: (r << BigInt(sh)) & M64 };
    if (aExp < 0) subNormal(res, f, 64);
    else if (aExp > 0) addNormal(res, f, 64);
    else res = f;
  }
  return pack32(res, nj);
}

export const VMX_FP_IMPL: Record<string, VecFn> = {
  vaddfp: vx2((a, b, nj) => addsub(a, b, nj, false)),
  vsubfp: vx2((a, b, nj) => addsub(a, b, nj, true)),
  vmaxfp: vx2((a, b, nj) => minmax(a, b, nj, false)),
  vminfp: vx2((a, b, nj) => minmax(a, b, nj, true)),
  vmaddfp: vfma(false),
  vnmsubfp: vfma(true),
  vrefp: vx1(recip),
  vrsqrtefp: vx1(rsqrte),
  vexptefp: vx1(exp2Bits),
  vlogefp: vx1(log2Bits),
  vrfin: vx1(rfi('n')),
  vrfiz: vx1(rfi('z')),
  vrfip: vx1(rfi('p')),
  vrfim: vx1(rfi('m')),
  vcfux: vcf(false),
  vcfsx: vcf(true),
  vctuxs: vct(false),
  vctsxs: vct(true),
  vcmpeqfp: vcmp((r) => r === 0),
  vcmpgefp: vcmp((r) => r !== -1),
  vcmpgtfp: vcmp((r) => r === 1),
  vcmpbfp,
};
