// Scalar binary floating point for the interpreter, as QEMU 7.2's softfloat computes it for
// target/ppc: exact arithmetic on BigInt significands, one correctly rounded result per operation
// in the FPSCR rounding mode, with softfloat's exception flags (tininess detected before rounding,
// PowerPC NaN rules: the first NaN operand wins, quieted; the default NaN is 0x7ff8000000000000).
// Doubles are passed as unsigned 64-bit BigInts of their bit patterns. This exact path is slow
// (~0.3 M operations/s); the common round-to-nearest add/sub/mul/div/multiply-add cases take the
// JavaScript-double fast paths at the end of this file instead. The FPSCR side (which bits each
// instruction sets) lives in cpu.ts next to the instructions.

/** softfloat exception flags (plus the kinds of invalid operation QEMU 7.2 tells apart). */
export const FL_INVALID = 1, FL_DIVZERO = 2, FL_OVERFLOW = 4, FL_UNDERFLOW = 8, FL_INEXACT = 16;
export const FL_INV_SNAN = 32, FL_INV_ISI = 64, FL_INV_IMZ = 128, FL_INV_IDI = 256, FL_INV_ZDZ = 512,
  FL_INV_SQRT = 1024, FL_INV_CVTI = 2048;

/** Rounding modes: FPSCR[RN] values, plus ties-away for frin. */
export const RM_NEAREST = 0, RM_ZERO = 1, RM_UP = 2, RM_DOWN = 3, RM_AWAY = 4;

/** The status of the operation in progress (QEMU's env->fp_status). */
export const fs = { flags: 0, mode: RM_NEAREST, rebiasOverflow: false, rebiasUnderflow: false };

const M52 = (1n << 52n) - 1n;
const QUIET = 1n << 51n;
const SIGN = 1n << 63n;
export const DEFAULT_NAN = 0x7ff8000000000000n;
const INF = 0x7ff0000000000000n;

export const isNan = (b: bigint): boolean => ((b >> 52n) & 0x7ffn) === 0x7ffn && (b & M52) !== 0n;
export const isSnan = (b: bigint): boolean => isNan(b) && (b & QUIET) === 0n;
export const isInf = (b: bigint): boolean => (b & ~SIGN) === INF;
export const isZero = (b: bigint): boolean => (b & ~SIGN) === 0n;
export const isNeg = (b: bigint): boolean => (b & SIGN) !== 0n;
/** Zero or denormal (exponent field 0). */
export const isZeroOrDenormal = (b: bigint): boolean => ((b >> 52n) & 0x7ffn) === 0n;

function bitlen(m: bigint): number {
  return m.toString(2).length;
}

/** Finite non-zero operand as m * 2^e (m > 0). */
interface Fin { s: boolean; m: bigint; e: number }

function unpack(b: bigint): Fin {
  const ex = Number((b >> 52n) & 0x7ffn), f = b & M52;
  return ex === 0 ? { s: isNeg(b), m: f, e: -1074 } : { s: isNeg(b), m: f | (1n << 52n), e: ex - 1075 };
}

/** Encode sign * keep * 2^lsb, exactly representable as a double, as its bits. */
function encode(s: boolean, keep: bigint, lsb: number): bigint {
  const sg = s ? SIGN : 0n;
  if (keep === 0n) return sg;
  const nb = bitlen(keep);
  const E = lsb + nb - 1;
  if (E >= -1022) return sg | (BigInt(E + 1023) << 52n) | ((keep << BigInt(53 - nb)) & M52);
  return sg | (keep << BigInt(lsb + 1074));
}

/**
 * Round sign * (m * 2^e + a fraction of 2^e below it when `sticky`) to double (single=false) or
 * to single precision and range (single=true, result still as double bits), in fs.mode.
 * With `sticky`, m must have at least prec+2 bits.
 */
export function roundPack(s: boolean, m: bigint, e: number, sticky: boolean, single: boolean, f32 = false): bigint {
  if (m === 0n && !sticky) return s ? SIGN : 0n;
  const prec = single ? 24 : 53, emin = single ? -126 : -1022, emax = single ? 127 : 1023;
  const rebias = single ? 192 : 1536;
  const nb = bitlen(m);
  let E = e + nb - 1;
  let rebiased = false;
  if (E < emin && fs.rebiasUnderflow) {
    // enabled underflow exception: the result is delivered with its exponent biased up (softfloat's
    // rebias_underflow), and underflow is signalled even when exact
    fs.flags |= FL_UNDERFLOW;
    e += rebias;
    E += rebias;
    rebiased = true;
  }
  let lsb = rebiased ? E - (prec - 1) : Math.max(E - (prec - 1), emin - (prec - 1));
  const shift = lsb - e;
  let keep: bigint, inexact = sticky, up = false;
  if (shift > 0) {
    const sh = BigInt(shift);
    keep = m >> sh;
    const rem = m & ((1n << sh) - 1n), half = 1n << (sh - 1n);
    if (rem !== 0n) inexact = true;
    switch (fs.mode) {
      case RM_NEAREST: up = rem > half || (rem === half && (sticky || (keep & 1n) === 1n)); break;
      case RM_AWAY: up = rem >= half && rem !== 0n; break;
      case RM_ZERO: break;
      case RM_UP: up = inexact && !s; break;
      default: up = inexact && s; break;
    }
  } else {
    keep = m << BigInt(-shift);
    if (inexact) up = fs.mode === RM_UP ? !s : fs.mode === RM_DOWN ? s : false;
  }
  if (up) {
    keep += 1n;
    if (keep === (1n << BigInt(prec))) { keep >>= 1n; lsb += 1; }
  }
  if (keep !== 0n && lsb + bitlen(keep) - 1 > emax && fs.rebiasOverflow) {
    fs.flags |= FL_OVERFLOW | (inexact ? FL_INEXACT : 0);
    lsb -= rebias;
    rebiased = true;
  } else if (inexact) fs.flags |= FL_INEXACT;
  if (rebiased) {
    // the biased exponent wraps in its field: 8 bits for a true single (frsp, float64_to_float32),
    // 11 bits otherwise (the single-precision arithmetic results are doubles)
    const e2 = lsb + bitlen(keep) - 1, bias = f32 ? 127 : 1023, mask = f32 ? 0xff : 0x7ff;
    lsb += (((e2 + bias) & mask) - bias) - e2;
    return encode(s, keep, lsb);
  }
  if (keep !== 0n && lsb + bitlen(keep) - 1 > emax) {
    fs.flags |= FL_OVERFLOW | FL_INEXACT;
    const toInf = fs.mode === RM_NEAREST || fs.mode === RM_AWAY || (fs.mode === RM_UP && !s) || (fs.mode === RM_DOWN && s);
    if (toInf) return (s ? SIGN : 0n) | INF;
    return encode(s, (1n << BigInt(prec)) - 1n, emax - prec + 1);
  }
  if (inexact && E < emin) fs.flags |= FL_UNDERFLOW;
  return encode(s, keep, lsb);
}

function quiet(b: bigint, single: boolean): bigint {
  let r = b | QUIET;
  if (single) r &= ~((1n << 29n) - 1n);
  return r;
}

/** NaN result of a two-operand operation (PowerPC: the first NaN operand, quieted). */
function pickNan(a: bigint, b: bigint, single: boolean): bigint {
  if (isSnan(a) || isSnan(b)) fs.flags |= FL_INVALID | FL_INV_SNAN;
  return quiet(isNan(a) ? a : b, single);
}

function invalid(kind: number): bigint {
  fs.flags |= FL_INVALID | kind;
  return DEFAULT_NAN;
}

/** Sum of two exact values m*2^e with signs, rounded. */
function addExact(sa: boolean, ma: bigint, ea: number, sb: boolean, mb: bigint, eb: number, single: boolean,
  negResult = false): bigint {
  const e = Math.min(ea, eb);
  let v = (sa ? -ma : ma) << BigInt(ea - e);
  v += (sb ? -mb : mb) << BigInt(eb - e);
  if (v === 0n) {
    // exact zero: same-signed operands keep their sign, otherwise +0 (-0 rounding down)
    let s = sa === sb ? sa : fs.mode === RM_DOWN;
    if (negResult) s = !s;
    return s ? SIGN : 0n;
  }
  let s = v < 0n;
  if (negResult) s = !s;
  return roundPack(s, v < 0n ? -v : v, e, false, single);
}

export function fadd(a: bigint, b: bigint, single: boolean): bigint {
  if (isNan(a) || isNan(b)) return pickNan(a, b, single);
  if (isInf(a) || isInf(b)) {
    if (isInf(a) && isInf(b) && isNeg(a) !== isNeg(b)) return invalid(FL_INV_ISI);
    return isInf(a) ? a : b;
  }
  const x = unpack(a), y = unpack(b);
  return addExact(x.s, x.m, x.e, y.s, y.m, y.e, single);
}

export function fsub(a: bigint, b: bigint, single: boolean): bigint {
  if (isNan(a) || isNan(b)) return pickNan(a, b, single);
  return fadd(a, b ^ SIGN, single);
}

export function fmul(a: bigint, b: bigint, single: boolean): bigint {
  if (isNan(a) || isNan(b)) return pickNan(a, b, single);
  const s = isNeg(a) !== isNeg(b);
  if (isInf(a) || isInf(b)) {
    if (isZero(a) || isZero(b)) return invalid(FL_INV_IMZ);
    return (s ? SIGN : 0n) | INF;
  }
  const x = unpack(a), y = unpack(b);
  return roundPack(s, x.m * y.m, x.e + y.e, false, single);
}

export function fdiv(a: bigint, b: bigint, single: boolean): bigint {
  if (isNan(a) || isNan(b)) return pickNan(a, b, single);
  const s = isNeg(a) !== isNeg(b);
  if (isInf(a)) return isInf(b) ? invalid(FL_INV_IDI) : (s ? SIGN : 0n) | INF;
  if (isInf(b)) return s ? SIGN : 0n;
  if (isZero(b)) {
    if (isZero(a)) return invalid(FL_INV_ZDZ);
    fs.flags |= FL_DIVZERO;
    return (s ? SIGN : 0n) | INF;
  }
  if (isZero(a)) return s ? SIGN : 0n;
  const x = unpack(a), y = unpack(b);
  const k = Math.max(0, 56 + bitlen(y.m) - bitlen(x.m));
  const n = x.m << BigInt(k);
  const q = n / y.m, r = n % y.m;
  return roundPack(s, q, x.e - k - y.e, r !== 0n, single);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitlen(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function fsqrt(a: bigint, single: boolean): bigint {
  if (isNan(a)) return pickNan(a, a, single);
  if (isZero(a)) return a;
  if (isNeg(a)) return invalid(FL_INV_SQRT);
  if (isInf(a)) return a;
  const x = unpack(a);
  let m = x.m, e = x.e;
  if (e & 1) { m <<= 1n; e -= 1; }
  let k = Math.max(0, 2 * 56 - bitlen(m));
  if (k & 1) k++;
  m <<= BigInt(k);
  e -= k;
  const r = isqrt(m);
  return roundPack(false, r, e / 2, r * r !== m, single);
}

/** (a * c) + b with QEMU's muladd flags: negC negates b first, negR the result (before rounding). */
export function fmadd(a: bigint, c: bigint, b: bigint, negC: boolean, negR: boolean, single: boolean): bigint {
  const infzero = (isInf(a) && isZero(c)) || (isZero(a) && isInf(c));
  if (isNan(a) || isNan(b) || isNan(c)) {
    if (infzero) fs.flags |= FL_INVALID | FL_INV_IMZ;
    if (isSnan(a) || isSnan(b) || isSnan(c)) fs.flags |= FL_INVALID | FL_INV_SNAN;
    return quiet(isNan(a) ? a : isNan(b) ? b : c, single);
  }
  if (infzero) return invalid(FL_INV_IMZ);
  const sp = isNeg(a) !== isNeg(c);
  const sb = isNeg(b) !== negC;
  if (isInf(a) || isInf(c)) {
    if (isInf(b) && sb !== sp) return invalid(FL_INV_ISI);
    return ((sp !== negR) ? SIGN : 0n) | INF;
  }
  if (isInf(b)) return ((sb !== negR) ? SIGN : 0n) | INF;
  let pm = 0n, pe = 0;
  if (!isZero(a) && !isZero(c)) { const x = unpack(a), y = unpack(c); pm = x.m * y.m; pe = x.e + y.e; }
  const z = isZero(b) ? { m: 0n, e: 0 } : unpack(b);
  if (pm === 0n && z.m === 0n) {
    let s = sp === sb ? sp : fs.mode === RM_DOWN;
    if (negR) s = !s;
    return s ? SIGN : 0n;
  }
  if (pm === 0n) pe = z.e;
  if (z.m === 0n) z.e = pe;
  return addExact(sp, pm, pe, sb, z.m, z.e, single, negR);
}

/** frsp: round a double to single precision. */
export function frsp(a: bigint): bigint {
  if (isNan(a)) return pickNan(a, a, true);
  if (isInf(a) || isZero(a)) return a;
  const x = unpack(a);
  return roundPack(x.s, x.m, x.e, false, true, true);
}

/** Round to an integral value in `mode` (float64_round_to_int). */
export function roundToInt(a: bigint, mode: number): bigint {
  if (isNan(a)) return pickNan(a, a, false);
  if (isInf(a) || isZero(a)) return a;
  const x = unpack(a);
  if (x.e >= 0) return a;
  const sh = BigInt(-x.e);
  let q = x.m >> sh;
  const rem = x.m & ((1n << sh) - 1n), half = 1n << (sh - 1n);
  if (rem !== 0n) {
    fs.flags |= FL_INEXACT;
    let up = false;
    switch (mode) {
      case RM_NEAREST: up = rem > half || (rem === half && (q & 1n) === 1n); break;
      case RM_AWAY: up = rem >= half; break;
      case RM_ZERO: break;
      case RM_UP: up = !x.s; break;
      default: up = x.s; break;
    }
    if (up) q += 1n;
  }
  return q === 0n ? (x.s ? SIGN : 0n) : encode(x.s, q, 0);
}

/**
 * Convert to an integer of `bits` bits (signed or not) in `mode`; NaN and out-of-range operands
 * raise invalid (cvti) and saturate. Result as an unsigned 64-bit BigInt of the integer's
 * two's complement (sign-extended to 64 bits for signed 32-bit results).
 */
export function toInt(a: bigint, bits: 32 | 64, signed: boolean, mode: number): bigint {
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const wrap = (v: bigint) => BigInt.asUintN(64, v);
  if (isNan(a)) {
    fs.flags |= FL_INVALID | FL_INV_CVTI | (isSnan(a) ? FL_INV_SNAN : 0);
    return wrap(signed ? min : 0n);
  }
  if (isInf(a)) { fs.flags |= FL_INVALID | FL_INV_CVTI; return wrap(isNeg(a) ? min : max); }
  if (isZero(a)) return 0n;
  const saved = fs.flags;
  fs.flags = 0;
  const r = roundToInt(a, mode);
  const inexact = fs.flags & FL_INEXACT;
  fs.flags = saved;
  let v = 0n;
  if (!isZero(r)) { const x = unpack(r); v = (x.m << BigInt(x.e)); if (x.s) v = -v; }
  if (v > max || v < min) {
    fs.flags |= FL_INVALID | FL_INV_CVTI;
    return wrap(v > max ? max : min);
  }
  fs.flags |= inexact;
  return wrap(v);
}

/** Signed or unsigned 64-bit integer (two's complement bits) to double or single. */
export function fromInt(v: bigint, signed: boolean, single: boolean): bigint {
  let n = signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
  if (n === 0n) return 0n;
  const s = n < 0n;
  if (s) n = -n;
  return roundPack(s, n, 0, false, single);
}

/** FPRF (C || FPCC, 5 bits) of a result (QEMU's set_fprf_from_class). */
export function fprfOf(b: bigint): number {
  const neg = isNeg(b);
  if (isNan(b)) return isSnan(b) ? 0 : 0x11;
  if (isInf(b)) return neg ? 0x09 : 0x05;
  if (isZero(b)) return neg ? 0x12 : 0x02;
  if (isZeroOrDenormal(b)) return neg ? 0x18 : 0x14;
  return neg ? 0x08 : 0x04;
}

/** fcmpu/fcmpo condition: 8 less, 4 greater, 2 equal, 1 unordered. */
export function compare(a: bigint, b: bigint): number {
  if (isNan(a) || isNan(b)) return 1;
  if (isZero(a) && isZero(b)) return 2;
  const na = isNeg(a), nb = isNeg(b);
  if (na !== nb) return na ? 8 : 4;
  const ma = a & ~SIGN, mb = b & ~SIGN;
  if (ma === mb) return 2;
  return (ma < mb) !== na ? 8 : 4;
}

export function ftdiv(a: bigint, b: bigint): number {
  let fe = false, fg = false;
  if (isInf(a) || isInf(b) || isZero(b)) { fe = true; fg = true; }
  else {
    const ea = Number((a >> 52n) & 0x7ffn) - 1023, eb = Number((b >> 52n) & 0x7ffn) - 1023;
    if (isNan(a) || isNan(b)) fe = true;
    else if (eb <= -1022 || eb >= 1021) fe = true;
    else if (!isZero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970)) fe = true;
    if (isZeroOrDenormal(b)) fg = true;
  }
  return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

export function ftsqrt(b: bigint): number {
  let fe = false, fg = false;
  if (isInf(b) || isZero(b)) { fe = true; fg = true; }
  else {
    const eb = Number((b >> 52n) & 0x7ffn) - 1023;
    if (isNan(b) || isNeg(b)) fe = true;
    else if (eb <= -1022 + 52) fe = true;
    if (isZeroOrDenormal(b)) fg = true;
  }
  return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

// ---------------------------------------------------------------------------------------------
// Fast paths on JavaScript doubles (round to nearest only). Each returns the correctly rounded
// result, with `fast.inexact` set, or NaN when the case is not certified here (non-finite or
// extreme operands, a result that is not a normal double, an undecidable rounding): the caller
// then takes the exact path above. fpu.test.ts checks them against it.

export const fast = { inexact: false };

const TWO_M400 = 2 ** -400, TWO_400 = 2 ** 400, TWO_M800 = 2 ** -800, TWO_800 = 2 ** 800;
const MIN_NORMAL = 2 ** -1022, MAX_BINADE = 2 ** 1023;
const SPLIT_C = 134217729; // 2^27 + 1
const moderate = (v: number): boolean => { const a = Math.abs(v); return a > TWO_M400 && a < TWO_400; };
const normalResult = (r: number): boolean => { const a = Math.abs(r); return a > MIN_NORMAL && a < MAX_BINADE; };

/** Error of the rounded product p = x * y (exact, for moderate operands). */
function productError(x: number, y: number, p: number): number {
  let c = SPLIT_C * x;
  const xh = c - (c - x), xl = x - xh;
  c = SPLIT_C * y;
  const yh = c - (c - y), yl = y - yh;
  return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
}

/** x + y (double). */
export function addFast(x: number, y: number): number {
  if (!moderate(x) || !moderate(y)) return NaN;
  const r = x + y;
  if (!normalResult(r)) return NaN;
  const bp = r - x;
  fast.inexact = (x - (r - bp)) + (y - bp) !== 0;
  return r;
}

/** x * y (double). */
export function mulFast(x: number, y: number): number {
  if (!moderate(x) || !moderate(y)) return NaN;
  const r = x * y;
  if (!normalResult(r)) return NaN;
  fast.inexact = productError(x, y, r) !== 0;
  return r;
}

/** x / y (double). */
export function divFast(x: number, y: number): number {
  if (!moderate(x) || !moderate(y)) return NaN;
  const r = x / y;
  if (!moderate(r)) return NaN;
  const p = r * y;
  fast.inexact = p !== x || productError(r, y, p) !== 0;
  return r;
}

/** x * y + z (double), exact sum of three parts rounded once. */
export function fmaFast(x: number, y: number, z: number): number {
  if (!moderate(x) || !moderate(y)) return NaN;
  const az = Math.abs(z);
  if (z !== 0 && !(az > TWO_M800 && az < TWO_800)) return NaN;
  const p = x * y, e = productError(x, y, p);
  // V = p + e + z = s + t + e = s + u + v = r + w + v exactly (TwoSum steps)
  const s = p + z, bs = s - p, t = (p - (s - bs)) + (z - bs);
  const u = t + e, bu = u - t, v = (t - (u - bu)) + (e - bu);
  const r = s + u, br = r - s, w = (s - (r - br)) + (u - br);
  if (!normalResult(r)) return NaN;
  if (v === 0) { fast.inexact = w !== 0; return r; }
  const q = w + v;
  // r is the rounding of V if |w + v| is below half an ulp of r (r not a power of two)
  F64[0] = r;
  if (F64I[LO] === 0 && (F64I[HI] & 0xfffff) === 0) return NaN;
  const hulp = 2 ** (((F64I[HI] >>> 20) & 0x7ff) - 1023 - 53);
  if (!(Math.abs(q) < hulp)) return NaN;
  fast.inexact = true;
  return r;
}

const F64 = new Float64Array(1);
const F64I = new Int32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
