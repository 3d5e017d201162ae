// VMX crypto (vcipher, vncipher, vsbox), SHA sigma, polynomial multiply-sum and BCD arithmetic as
// QEMU 7.2's TCG executes them for -cpu POWER8 (target/ppc/int_helper.c): one function per ISA
// row, keyed by mnemonic (vec.ts).
//
// Bytes are numbered as the ISA does (byte 0 = most significant of the register), which is also
// the AES state order: byte 4c+r is row r of column c.

import { type VecFn, vr } from './vec';

// ---- byte access

function getBytes(v: Int32Array, base: number, out: Uint8Array): Uint8Array {
  for (let i = 0; i < 16; i++) out[i] = (v[base + (i >> 2)] >>> (24 - 8 * (i & 3))) & 0xff;
  return out;
}

function setBytes(v: Int32Array, base: number, b: Uint8Array): void {
  for (let k = 0; k < 4; k++) v[base + k] = (b[4 * k] << 24) | (b[4 * k + 1] << 16) | (b[4 * k + 2] << 8) | b[4 * k + 3];
}

const BA = new Uint8Array(16), BB = new Uint8Array(16), BT = new Uint8Array(16);

// ---- AES

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function gmul(a: number, b: number): number {
  let r = 0;
  for (; b; b >>= 1) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
  }
  return r;
}

const SBOX = new Uint8Array(256);
const ISBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  // multiplicative inverse (0 for 0), then the affine transform
  let inv = 0;
  if (x) for (let y = 1; y < 256; y++) if (gmul(x, y) === 1) { inv = y; break; }
  let s = inv;
  for (let k = 1; k < 5; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
  SBOX[x] = s ^ 0x63;
}
for (let x = 0; x < 256; x++) ISBOX[SBOX[x]] = x;

/** ShiftRows / InvShiftRows as source byte indices. */
const SHIFT = [0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11];
const ISHIFT = [0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3];

/** VRT,VRA,VRB operands read into BA, BB; the result in BT is written to VRT. */
function vxBytes(op: (a: Uint8Array, b: Uint8Array, t: Uint8Array) => void): VecFn {
  return (c, w) => {
    const v = c.state.vsr;
    getBytes(v, vr((w >>> 16) & 31), BA);
    getBytes(v, vr((w >>> 11) & 31), BB);
    op(BA, BB, BT);
    setBytes(v, vr((w >>> 21) & 31), BT);
  };
}

function mixColumns(s: Uint8Array, t: Uint8Array, m: readonly number[]): void {
  for (let col = 0; col < 16; col += 4) {
    for (let r = 0; r < 4; r++) {
      let x = 0;
      for (let k = 0; k < 4; k++) x ^= gmul(s[col + k], m[(k - r + 4) & 3]);
      t[col + r] = x;
    }
  }
}

const MIX = [2, 3, 1, 1];
const IMIX = [0x0e, 0x0b, 0x0d, 0x09];
const SB = new Uint8Array(16);

/** vcipher: SubBytes, ShiftRows, MixColumns, then xor the round key VRB. */
const vcipher = vxBytes((a, b, t) => {
  for (let i = 0; i < 16; i++) SB[i] = SBOX[a[SHIFT[i]]];
  mixColumns(SB, t, MIX);
  for (let i = 0; i < 16; i++) t[i] ^= b[i];
});

/** vcipherlast: SubBytes, ShiftRows, xor the round key. */
const vcipherlast = vxBytes((a, b, t) => {
  for (let i = 0; i < 16; i++) t[i] = SBOX[a[SHIFT[i]]] ^ b[i];
});

/** vncipher: InvShiftRows, InvSubBytes, xor the round key, then InvMixColumns (ISA 2.07B). */
const vncipher = vxBytes((a, b, t) => {
  for (let i = 0; i < 16; i++) SB[i] = ISBOX[a[ISHIFT[i]]] ^ b[i];
  mixColumns(SB, t, IMIX);
});

/** vncipherlast: InvShiftRows, InvSubBytes, xor the round key. */
const vncipherlast = vxBytes((a, b, t) => {
  for (let i = 0; i < 16; i++) t[i] = ISBOX[a[ISHIFT[i]]] ^ b[i];
});

/** vsbox VRT,VRA (the VRB field is ignored). */
const vsbox = vxBytes((a, _b, t) => {
  for (let i = 0; i < 16; i++) t[i] = SBOX[a[i]];
});

// ---- SHA-2 sigma functions

const ror32 = (x: number, n: number): number => ((x >>> n) | (x << (32 - n))) >>> 0;

/** vshasigmaw VRT,VRA,ST,SIX: word i uses SIX bit (8 >> i). */
const vshasigmaw: VecFn = (c, w) => {
  const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31);
  const st = (w >>> 15) & 1, six = (w >>> 11) & 15;
  const x = [v[a] >>> 0, v[a + 1] >>> 0, v[a + 2] >>> 0, v[a + 3] >>> 0];
  for (let i = 0; i < 4; i++) {
    const e = x[i], hi = (six & (8 >> i)) !== 0;
    let r: number;
    if (!st) r = hi ? ror32(e, 17) ^ ror32(e, 19) ^ (e >>> 10) : ror32(e, 7) ^ ror32(e, 18) ^ (e >>> 3);
    else r = hi ? ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25) : ror32(e, 2) ^ ror32(e, 13) ^ ror32(e, 22);
    v[t + i] = r;
  }
};

const M64 = (1n << 64n) - 1n;
const ror64 = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & M64;

function getD(v: Int32Array, base: number, i: number): bigint {
  return (BigInt(v[base + 2 * i] >>> 0) << 32n) | BigInt(v[base + 2 * i + 1] >>> 0);
}

function setD(v: Int32Array, base: number, i: number, x: bigint): void {
  v[base + 2 * i] = Number((x >> 32n) & 0xffffffffn) | 0;
  v[base + 2 * i + 1] = Number(x & 0xffffffffn) | 0;
}

/** vshasigmad VRT,VRA,ST,SIX: doubleword i uses SIX bit (8 >> 2i). */
const vshasigmad: VecFn = (c, w) => {
  const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31);
  const st = (w >>> 15) & 1, six = (w >>> 11) & 15;
  const x = [getD(v, a, 0), getD(v, a, 1)];
  for (let i = 0; i < 2; i++) {
    const e = x[i], hi = (six & (8 >> (2 * i))) !== 0;
    let r: bigint;
    if (!st) r = hi ? ror64(e, 19n) ^ ror64(e, 61n) ^ (e >> 6n) : ror64(e, 1n) ^ ror64(e, 8n) ^ (e >> 7n);
    else r = hi ? ror64(e, 14n) ^ ror64(e, 18n) ^ ror64(e, 41n) : ror64(e, 28n) ^ ror64(e, 34n) ^ ror64(e, 39n);
    setD(v, t, i, r);
  }
};

// ---- polynomial (carry-less) multiply-sum

function clmul(a: bigint, b: bigint, bits: number): bigint {
  let r = 0n;
  for (let j = 0; j < bits; j++) if ((a >> BigInt(j)) & 1n) r ^= b << BigInt(j);
  return r;
}

/** vpmsum[bhwd]: each double-width result element is the xor of the carry-less products of the
 * two source elements it covers. */
function vpmsum(bits: number): VecFn {
  const n = 128 / bits, mask = (1n << BigInt(bits)) - 1n;
  return (c, w) => {
    const v = c.state.vsr, t = vr((w >>> 21) & 31);
    const a = getQ(v, vr((w >>> 16) & 31)), b = getQ(v, vr((w >>> 11) & 31));
    let r = 0n;
    for (let i = 0; i < n; i += 2) {
      // elements i and i+1 (ISA numbering, element 0 most significant)
      const sh0 = BigInt(128 - bits * (i + 1)), sh1 = BigInt(128 - bits * (i + 2));
      const p = clmul((a >> sh0) & mask, (b >> sh0) & mask, bits) ^ clmul((a >> sh1) & mask, (b >> sh1) & mask, bits);
      r |= p << sh1;
    }
    setQ(v, t, r);
  };
}

function getQ(v: Int32Array, base: number): bigint {
  return (getD(v, base, 0) << 64n) | getD(v, base, 1);
}

function setQ(v: Int32Array, base: number, x: bigint): void {
  setD(v, base, 0, (x >> 64n) & M64);
  setD(v, base, 1, x & M64);
}

// ---- BCD (signed packed decimal: 31 digits, the sign in the low nibble of byte 15)

const CR_LT = 8, CR_GT = 4, CR_EQ = 2, CR_SO = 1;

/** Digit n (0 = the sign nibble) of a 16-byte value. */
function digit(b: Uint8Array, n: number): number {
  const x = b[15 - (n >> 1)];
  return n & 1 ? x >> 4 : x & 15;
}

function putDigit(b: Uint8Array, n: number, d: number): void {
  const i = 15 - (n >> 1);
  // as in QEMU: the value is or-ed in unmasked (only matters for invalid operands, whose result
  // is replaced anyway)
  b[i] = n & 1 ? (b[i] & 0x0f) | ((d << 4) & 0xff) : (b[i] & 0xf0) | (d & 0xff);
}

/** 1 for + (0xA, 0xC, 0xE, 0xF), -1 for - (0xB, 0xD), 0 for an invalid sign. */
function bcdSign(b: Uint8Array): number {
  switch (b[15] & 15) {
    case 0xa: case 0xc: case 0xe: case 0xf: return 1;
    case 0xb: case 0xd: return -1;
    default: return 0;
  }
}

const prefSign = (sgn: number, ps: number): number => (sgn >= 0 ? (ps ? 0xf : 0xc) : 0xd);

/** bcdadd. VRT,VRA,VRB,PS on byte arrays; returns CR6. */
function bcdAdd(a: Uint8Array, b: Uint8Array, t: Uint8Array, ps: number): number {
  const sa = bcdSign(a), sb = bcdSign(b);
  let invalid = sa === 0 || sb === 0, overflow = false, zero = false, cr = 0;
  t.fill(0);
  if (!invalid) {
    if (sa === sb) {
      t[15] = prefSign(sa, ps);
      let carry = 0;
      zero = true;
      for (let i = 1; i <= 31; i++) {
        const da = digit(a, i), db = digit(b, i);
        if (da > 9 || db > 9) invalid = true;
        let d = da + db + carry;
        if (d !== 0) zero = false;
        if (d > 9) { carry = 1; d -= 10; } else carry = 0;
        putDigit(t, i, d);
      }
      overflow = carry !== 0;
      cr = sa > 0 ? CR_GT : CR_LT;
    } else {
      // magnitude compare from the top digit; an invalid digit ends it as "equal" (QEMU)
      let mag = 0;
      for (let i = 31; i > 0; i--) {
        const da = digit(a, i), db = digit(b, i);
        if (da > 9 || db > 9) { mag = 0; break; }
        if (da !== db) { mag = da > db ? 1 : -1; break; }
      }
      if (mag === 0) {
        t[15] = prefSign(0, ps);
        cr = CR_EQ;
      } else {
        const [x, y, s] = mag > 0 ? [a, b, sa] : [b, a, sb];
        t[15] = prefSign(s, ps);
        let carry = 0;
        for (let i = 1; i <= 31; i++) {
          const dx = digit(x, i), dy = digit(y, i);
          if (dx > 9 || dy > 9) invalid = true;
          let d = (dx - dy + carry) & 0xff;
          if (d & 0x80) { carry = -1; d = (d + 10) & 0xff; } else carry = 0;
          putDigit(t, i, d);
        }
        overflow = carry !== 0;
        cr = s > 0 ? CR_GT : CR_LT;
      }
    }
  }
  if (invalid) { t.fill(0xff); cr = CR_SO; }
  else if (overflow) cr |= CR_SO;
  else if (zero) cr |= CR_EQ;
  return cr;
}

function bcdOp(sub: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr;
    getBytes(v, vr((w >>> 16) & 31), BA);
    getBytes(v, vr((w >>> 11) & 31), BB);
    if (sub) {
      // bcdsub. is bcdadd. with the sign of VRB flipped (to the preferred 0xC / 0xD)
      const s = bcdSign(BB);
      if (s < 0) BB[15] = (BB[15] & 0xf0) | 0xc;
      else if (s > 0) BB[15] = (BB[15] & 0xf0) | 0xd;
    }
    c.state.crf[6] = bcdAdd(BA, BB, BT, (w >>> 9) & 1);
    setBytes(v, vr((w >>> 21) & 31), BT);
  };
}

export const VMX_CRYPTO_IMPL: Record<string, VecFn> = {
  vcipher,
  vcipherlast,
  vncipher,
  vncipherlast,
  vsbox,
  vshasigmaw,
  vshasigmad,
  vpmsumb: vpmsum(8),
  vpmsumh: vpmsum(16),
  vpmsumw: vpmsum(32),
  vpmsumd: vpmsum(64),
  'bcdadd.': bcdOp(false),
  'bcdsub.': bcdOp(true),
};
