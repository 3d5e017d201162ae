// 64-bit integer helpers on hi/lo Int32 halves, without BigInt and without allocation: results
// are written to the module-level scratch array `R` (R[0] = high word, R[1] = low word, R[2] =
// carry or other side result). Bit numbering in mask/rotate helpers follows the ISA (bit 0 is
// the most significant bit of the doubleword).

export const R = new Int32Array(4);

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 32x32 product. */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** High 32 bits of the signed 32x32 product. */
export function mulhs32(a: number, b: number): number {
  let h = mulhu32(a, b);
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  return h;
}

/** a + b + cin; R = sum, R[2] = carry out of bit 0. */
export function add64(aHi: number, aLo: number, bHi: number, bLo: number, cin: number): void {
  const l = (aLo >>> 0) + (bLo >>> 0) + cin;
  const c = l >= TWO32 ? 1 : 0;
  const h = (aHi >>> 0) + (bHi >>> 0) + c;
  R[0] = h | 0;
  R[1] = l | 0;
  R[2] = h >= TWO32 ? 1 : 0;
}

/** Low 64 bits of a * b. */
export function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  R[1] = Math.imul(aLo, bLo);
  R[0] = (mulhu32(aLo, bLo) + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) | 0;
}

/** High 64 bits of the unsigned 128-bit product a * b. */
export function mulhu64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const h00 = mulhu32(aLo, bLo) >>> 0;
  const l01 = Math.imul(aLo, bHi) >>> 0, h01 = mulhu32(aLo, bHi) >>> 0;
  const l10 = Math.imul(aHi, bLo) >>> 0, h10 = mulhu32(aHi, bLo) >>> 0;
  const l11 = Math.imul(aHi, bHi) >>> 0, h11 = mulhu32(aHi, bHi) >>> 0;
  const s1 = h00 + l01 + l10;
  const c1 = Math.floor(s1 / TWO32);
  const s2 = h01 + h10 + l11 + c1;
  const c2 = Math.floor(s2 / TWO32);
  R[1] = s2 | 0;
  R[0] = (h11 + c2) | 0;
}

/** High 64 bits of the signed 128-bit product a * b. */
export function mulhs64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  mulhu64(aHi, aLo, bHi, bLo);
  let h = R[0], l = R[1];
  if (aHi < 0) { // subtract b
    const nl = (l >>> 0) - (bLo >>> 0);
    h = (h - bHi - (nl < 0 ? 1 : 0)) | 0;
    l = nl | 0;
  }
  if (bHi < 0) { // subtract a
    const nl = (l >>> 0) - (aLo >>> 0);
    h = (h - aHi - (nl < 0 ? 1 : 0)) | 0;
    l = nl | 0;
  }
  R[0] = h;
  R[1] = l;
}

/** Unsigned 64-bit division, divisor non-zero. R = quotient. */
export function divu64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  if (aHi === 0 && bHi === 0) {
    R[0] = 0;
    R[1] = Math.floor((aLo >>> 0) / (bLo >>> 0)) | 0;
    return;
  }
  // Restoring binary long division.
  let qHi = 0, qLo = 0, rHi = 0, rLo = 0;
  const bh = bHi >>> 0, bl = bLo >>> 0;
  for (let i = 63; i >= 0; i--) {
    // r = (r << 1) | bit i of a
    rHi = ((rHi << 1) | (rLo >>> 31)) >>> 0;
    const bit = i >= 32 ? (aHi >>> (i - 32)) & 1 : (aLo >>> i) & 1;
    rLo = ((rLo << 1) | bit) >>> 0;
    if (rHi > bh || (rHi === bh && rLo >= bl)) {
      const nl = rLo - bl;
      rHi = (rHi - bh - (nl < 0 ? 1 : 0)) >>> 0;
      rLo = nl >>> 0;
      if (i >= 32) qHi |= 1 << (i - 32); else qLo |= 1 << i;
    }
  }
  R[0] = qHi | 0;
  R[1] = qLo | 0;
}

/** Signed 64-bit division truncating toward zero; divisor non-zero and not (MIN / -1). */
export function divs64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const na = aHi < 0, nb = bHi < 0;
  if (na) { aLo = -aLo | 0; aHi = (~aHi + (aLo === 0 ? 1 : 0)) | 0; }
  if (nb) { bLo = -bLo | 0; bHi = (~bHi + (bLo === 0 ? 1 : 0)) | 0; }
  divu64(aHi, aLo, bHi, bLo);
  if (na !== nb) {
    const l = -R[1] | 0;
    R[0] = (~R[0] + (l === 0 ? 1 : 0)) | 0;
    R[1] = l;
  }
}

/** Rotate left by n (0..63). */
export function rotl64(hi: number, lo: number, n: number): void {
  n &= 63;
  if (n >= 32) { const t = hi; hi = lo; lo = t; n -= 32; }
  if (n === 0) { R[0] = hi; R[1] = lo; return; }
  R[0] = (hi << n) | (lo >>> (32 - n));
  R[1] = (lo << n) | (hi >>> (32 - n));
}

/** MASK(mb, me) in ISA bit numbering (0 = MSB), wrapping when mb > me. */
export function mask64(mb: number, me: number): void {
  // ones from bit mb to bit 63, and ones from bit 0 to bit me
  const fromMbHi = mb >= 32 ? 0 : (-1 >>> mb) | 0;
  const fromMbLo = mb >= 32 ? (-1 >>> (mb - 32)) | 0 : -1;
  const toMeHi = me >= 31 ? -1 : ~(-1 >>> (me + 1)) | 0;
  const toMeLo = me >= 32 ? (me === 63 ? -1 : ~(-1 >>> (me - 31)) | 0) : 0;
  if (mb <= me) { R[0] = fromMbHi & toMeHi; R[1] = fromMbLo & toMeLo; }
  else { R[0] = fromMbHi | toMeHi; R[1] = fromMbLo | toMeLo; }
}

/** 32-bit MASK(mb, me) for the low word (rlw* forms): bits 32+mb..32+me of the doubleword. */
export function mask32(mb: number, me: number): number {
  const a = -1 >>> mb, b = me === 31 ? -1 : ~(-1 >>> (me + 1));
  return (mb <= me ? a & b : a | b) | 0;
}

export function cntlz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

export function popcnt32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** popcntb on one word: per-byte population counts. */
export function popcntb32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (v + (v >>> 4)) & 0x0f0f0f0f;
}

/** Shift left by n (0..127 as the ISA's 7-bit amount: >= 64 gives 0). */
export function shl64(hi: number, lo: number, n: number): void {
  if (n & 64) { R[0] = 0; R[1] = 0; return; }
  n &= 63;
  if (n >= 32) { R[0] = lo << (n - 32); R[1] = 0; }
  else if (n === 0) { R[0] = hi; R[1] = lo; }
  else { R[0] = (hi << n) | (lo >>> (32 - n)); R[1] = lo << n; }
}

/** Logical shift right (amount 0..127: >= 64 gives 0). */
export function shr64(hi: number, lo: number, n: number): void {
  if (n & 64) { R[0] = 0; R[1] = 0; return; }
  n &= 63;
  if (n >= 32) { R[1] = hi >>> (n - 32); R[0] = 0; }
  else if (n === 0) { R[0] = hi; R[1] = lo; }
  else { R[1] = (lo >>> n) | (hi << (32 - n)); R[0] = hi >>> n; }
}

/** Arithmetic shift right (amount 0..127: >= 64 gives the sign). R[2] = CA (negative and 1-bits shifted out). */
export function sar64(hi: number, lo: number, n: number): void {
  if (n & 64) {
    const s = hi >> 31;
    R[0] = s; R[1] = s; R[2] = s !== 0 ? 1 : 0;
    return;
  }
  n &= 63;
  let lost: number;
  if (n === 0) { R[0] = hi; R[1] = lo; R[2] = 0; return; }
  if (n >= 32) {
    lost = (lo | (n > 32 ? hi << (64 - n) : 0)) | 0;
    R[1] = hi >> (n - 32);
    R[0] = hi >> 31;
  } else {
    lost = lo << (32 - n);
    R[1] = (lo >>> n) | (hi << (32 - n));
    R[0] = hi >> n;
  }
  R[2] = hi < 0 && lost !== 0 ? 1 : 0;
}

/** Signed compare: -1, 0, 1. */
export function cmps64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1;
  if (aLo === bLo) return 0;
  return (aLo >>> 0) < (bLo >>> 0) ? -1 : 1;
}

/** Unsigned compare: -1, 0, 1. */
export function cmpu64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return (aHi >>> 0) < (bHi >>> 0) ? -1 : 1;
  if (aLo === bLo) return 0;
  return (aLo >>> 0) < (bLo >>> 0) ? -1 : 1;
}
