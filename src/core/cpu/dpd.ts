// Decimal floating-point numbers for dfp.ts: the densely-packed-decimal (DPD) interchange formats
// decimal32/64/128 and exact BigInt arithmetic rounded the way the General Decimal Arithmetic
// specification (and so QEMU 7.2's libdecnumber) defines it: coefficient and exponent kept as
// given ("ideal exponents"), one rounding to the precision, subnormal results rounded at Etiny,
// overflow to infinity or the largest number by rounding mode, fold-down of large exponents.

/** Kind of a decoded number. */
export const FIN = 0, INF = 1, QNAN = 2, SNAN = 3;

/** A decimal number: (-1)^neg × c × 10^e; for NaNs c is the payload and e is 0. */
export interface Dec {
  neg: boolean;
  kind: number;
  c: bigint;
  e: number;
}

export interface Fmt {
  /** Total width in bits. */
  readonly w: number;
  /** Precision in digits. */
  readonly p: number;
  readonly emax: number;
  readonly emin: number;
  readonly bias: number;
  /** Bits of exponent continuation. */
  readonly ec: number;
}

export const D32: Fmt = { w: 32, p: 7, emax: 96, emin: -95, bias: 101, ec: 6 };
export const D64: Fmt = { w: 64, p: 16, emax: 384, emin: -383, bias: 398, ec: 8 };
export const D128: Fmt = { w: 128, p: 34, emax: 6144, emin: -6143, bias: 6176, ec: 12 };

/** Status flags of an operation (the libdecnumber conditions QEMU maps to FPSCR bits). */
export const S_INEXACT = 1, S_UNDERFLOW = 2, S_OVERFLOW = 4, S_INVALID = 8, S_DIVZERO = 16, S_DIVUNDEF = 32;

/** Rounding modes, numbered like FPSCR[DRN]. */
export const R_HALF_EVEN = 0, R_DOWN = 1, R_CEILING = 2, R_FLOOR = 3, R_HALF_UP = 4, R_HALF_DOWN = 5,
  R_UP = 6, R_05UP = 7;

export interface Ctx {
  f: Fmt;
  round: number;
  st: number;
}

export function ctx(f: Fmt, round: number): Ctx {
  return { f, round, st: 0 };
}

// ---- DPD declets: 10 bits <-> three decimal digits (every one of the 1024 patterns decodes)

const DPD2BIN = new Uint16Array(1024);
const BIN2DPD = new Uint16Array(1000);

function declet(d: number): number {
  const d2 = Math.floor(d / 100), d1 = Math.floor(d / 10) % 10, d0 = d % 10;
  const b = (x: number, k: number) => (x >> k) & 1;
  const a = d2 >= 8 ? 1 : 0, e = d1 >= 8 ? 1 : 0, i = d0 >= 8 ? 1 : 0;
  const pack = (...bits: number[]) => bits.reduce((v, x) => (v << 1) | x, 0);
  // digit bits: d2 = a b c d, d1 = e f g h, d0 = i j k m
  const [bb, c, dd] = [b(d2, 2), b(d2, 1), b(d2, 0)];
  const [f, g, h] = [b(d1, 2), b(d1, 1), b(d1, 0)];
  const [j, k, m] = [b(d0, 2), b(d0, 1), b(d0, 0)];
  switch ((a << 2) | (e << 1) | i) {
    case 0: return pack(bb, c, dd, f, g, h, 0, j, k, m);
    case 1: return pack(bb, c, dd, f, g, h, 1, 0, 0, m);
    case 2: return pack(bb, c, dd, j, k, h, 1, 0, 1, m);
    case 4: return pack(j, k, dd, f, g, h, 1, 1, 0, m);
    case 6: return pack(j, k, dd, 0, 0, h, 1, 1, 1, m);
    case 5: return pack(f, g, dd, 0, 1, h, 1, 1, 1, m);
    case 3: return pack(bb, c, dd, 1, 0, h, 1, 1, 1, m);
    default: return pack(0, 0, dd, 1, 1, h, 1, 1, 1, m);
  }
}

function undeclet(v: number): number {
  const b = (k: number) => (v >> k) & 1;
  const hi3 = (v >> 7) & 7, mid3 = (v >> 4) & 7, lo3 = v & 7;
  let d2: number, d1: number, d0: number;
  if (!b(3)) { d2 = hi3; d1 = mid3; d0 = lo3; }
  else {
    switch ((v >> 1) & 3) {
      case 0: d2 = hi3; d1 = mid3; d0 = 8 + b(0); break;
      case 1: d2 = hi3; d1 = 8 + b(4); d0 = (b(6) << 2) | (b(5) << 1) | b(0); break;
      case 2: d2 = 8 + b(7); d1 = mid3; d0 = (b(9) << 2) | (b(8) << 1) | b(0); break;
      default:
        switch ((v >> 5) & 3) {
          case 0: d2 = 8 + b(7); d1 = 8 + b(4); d0 = (b(9) << 2) | (b(8) << 1) | b(0); break;
          case 1: d2 = 8 + b(7); d1 = (b(9) << 2) | (b(8) << 1) | b(4); d0 = 8 + b(0); break;
          case 2: d2 = hi3; d1 = 8 + b(4); d0 = 8 + b(0); break;
          default: d2 = 8 + b(7); d1 = 8 + b(4); d0 = 8 + b(0); break;
        }
    }
  }
  return d2 * 100 + d1 * 10 + d0;
}

for (let d = 0; d < 1000; d++) BIN2DPD[d] = declet(d);
for (let v = 0; v < 1024; v++) DPD2BIN[v] = undeclet(v);

export function dpdToBin(v: number): number { return DPD2BIN[v & 1023]; }
export function binToDpd(d: number): number { return BIN2DPD[d]; }

// ---- helpers

const POW10: bigint[] = [1n];
export function pow10(n: number): bigint {
  if (n < 0) throw new Error('pow10');
  if (n < 200) {
    while (POW10.length <= n) POW10.push(POW10[POW10.length - 1] * 10n);
    return POW10[n];
  }
  return 10n ** BigInt(n);
}

/** Number of decimal digits of c (1 for 0). */
export function ndigits(c: bigint): number {
  if (c < 10n) return 1;
  if (c < 10000000000000000n) {
    let n = 1, x = c;
    while (x >= 10n) { x /= 10n; n++; }
    return n;
  }
  return c.toString().length;
}

/** Digit n (0 = least significant) of c. */
export function digitAt(c: bigint, n: number): number {
  return Number((c / pow10(n)) % 10n);
}

export function fin(neg: boolean, c: bigint, e: number): Dec {
  return { neg, kind: FIN, c, e };
}

export function qnan(): Dec {
  return { neg: false, kind: QNAN, c: 0n, e: 0 };
}

export const isNaN = (d: Dec): boolean => d.kind === QNAN || d.kind === SNAN;
export const isZero = (d: Dec): boolean => d.kind === FIN && d.c === 0n;

// ---- interchange formats

/** Decode a DPD value (any bit pattern is a number, non-canonical declets included). */
export function decode(bits: bigint, f: Fmt): Dec {
  const w = BigInt(f.w);
  const neg = ((bits >> (w - 1n)) & 1n) === 1n;
  const comb = Number((bits >> (w - 6n)) & 31n);
  const contBits = f.w - 6 - f.ec;
  const ecv = Number((bits >> BigInt(contBits)) & BigInt((1 << f.ec) - 1));
  let cont = 0n;
  const nDeclets = contBits / 10;
  for (let i = nDeclets - 1; i >= 0; i--) {
    cont = cont * 1000n + BigInt(DPD2BIN[Number((bits >> BigInt(10 * i)) & 1023n)]);
  }
  if (comb >= 30) {
    if (comb === 30) return { neg, kind: INF, c: 0n, e: 0 };
    return { neg, kind: (ecv >> (f.ec - 1)) & 1 ? SNAN : QNAN, c: cont, e: 0 };
  }
  let msd: number, etop: number;
  if (comb >> 3 === 3) { msd = 8 + (comb & 1); etop = (comb >> 1) & 3; } else { msd = comb & 7; etop = comb >> 3; }
  const e = ((etop << f.ec) | ecv) - f.bias;
  return { neg, kind: FIN, c: BigInt(msd) * pow10(f.p - 1) + cont, e };
}

function declets(c: bigint, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) {
    v |= BigInt(BIN2DPD[Number(c % 1000n)]) << BigInt(10 * i);
    c /= 1000n;
  }
  return v;
}

/** Encode `d` in format f (libdecnumber's decimalNNFromNumber): a number with too many digits
 * or an exponent out of range is first rounded in `c.round` (its status added to c.st); a NaN
 * payload is kept only when it has fewer digits than the precision. */
export function encode(d: Dec, f: Fmt, c: Ctx): bigint {
  if (d.kind === FIN) {
    const nd = ndigits(d.c), ae = d.e + nd - 1;
    if (nd > f.p || ae > f.emax || ae < f.emin) {
      const cc = ctx(f, c.round);
      d = finalize(d.neg, d.c, d.e, false, cc);
      c.st |= cc.st;
    }
  } else if (isNaN(d) && ndigits(d.c) > f.p) {
    d = nans(d, null, ctx(f, c.round), c);
  }
  const w = BigInt(f.w), contBits = f.w - 6 - f.ec, nDec = contBits / 10;
  let bits = 0n;
  if (d.kind === INF) bits = 30n << (w - 6n);
  else if (d.kind !== FIN) {
    if (d.c !== 0n && ndigits(d.c) < f.p) bits = declets(d.c, nDec);
    bits |= 31n << (w - 6n);
    if (d.kind === SNAN) bits |= 1n << (w - 7n);
  } else {
    const ehigh = 3 * (1 << f.ec) - 1;
    let be = d.e + f.bias, cf = d.c, comb: number;
    if (cf === 0n) {
      be = Math.min(Math.max(be, 0), ehigh);
      comb = (be >> f.ec) << 3;
    } else {
      if (be > ehigh) { cf *= pow10(be - ehigh); be = ehigh; }
      const top = pow10(f.p - 1), msd = Number(cf / top);
      cf %= top;
      comb = msd >= 8 ? 0x18 | ((be >> f.ec) << 1) | (msd & 1) : ((be >> f.ec) << 3) | msd;
    }
    bits = (BigInt(comb) << (w - 6n)) | (BigInt(be & ((1 << f.ec) - 1)) << BigInt(contBits)) | declets(cf, nDec);
  }
  if (d.neg) bits |= 1n << (w - 1n);
  return bits;
}

// ---- rounding

/** Drop `d` (>= 1) low digits of c, rounding by mode; `sticky`: a nonzero part below c. */
function roundDrop(c: bigint, d: number, sticky: boolean, neg: boolean, mode: number): { c: bigint; inexact: boolean } {
  const p = pow10(d), q = c / p, r = c % p, half = 5n * pow10(d - 1);
  const inexact = r !== 0n || sticky;
  if (!inexact) return { c: q, inexact };
  const cmp = r > half ? 1 : r < half ? -1 : sticky ? 1 : 0;
  let up: boolean;
  switch (mode) {
    case R_DOWN: up = false; break;
    case R_UP: up = true; break;
    case R_CEILING: up = !neg; break;
    case R_FLOOR: up = neg; break;
    case R_HALF_UP: up = cmp >= 0; break;
    case R_HALF_DOWN: up = cmp > 0; break;
    case R_05UP: { const l = q % 10n; up = l === 0n || l === 5n; break; }
    default: up = cmp > 0 || (cmp === 0 && (q & 1n) === 1n); break;
  }
  return { c: up ? q + 1n : q, inexact };
}

/** The result of an exact value (-1)^neg × (c + sticky) × 10^e in context: rounded to the
 * precision (or at Etiny when tiny), overflowed, exponent clamped / folded down. */
export function finalize(neg: boolean, c: bigint, e: number, sticky: boolean, x: Ctx): Dec {
  const f = x.f, P = f.p, etiny = f.emin - P + 1, elimit = f.emax - P + 1;
  if (c === 0n && !sticky) {
    return fin(neg, 0n, Math.min(Math.max(e, etiny), elimit));
  }
  if (sticky && ndigits(c) <= P) { c *= 10n; e -= 1; }
  let nd = ndigits(c);
  if (e + nd - 1 < f.emin) {
    let inexact = false;
    if (e < etiny) {
      const r = roundDrop(c, etiny - e, sticky, neg, x.round);
      c = r.c; inexact = r.inexact; e = etiny;
    }
    if (inexact) x.st |= S_INEXACT | S_UNDERFLOW;
    return fin(neg, c, e);
  }
  if (nd > P) {
    const r = roundDrop(c, nd - P, sticky, neg, x.round);
    e += nd - P;
    c = r.c;
    if (r.inexact) x.st |= S_INEXACT;
    if (c === pow10(P)) { c /= 10n; e += 1; }
    nd = ndigits(c);
  }
  if (e + nd - 1 > f.emax) {
    x.st |= S_OVERFLOW | S_INEXACT;
    const m = x.round;
    const toMax = m === R_DOWN || m === R_05UP || (m === R_CEILING && neg) || (m === R_FLOOR && !neg);
    return toMax ? fin(neg, pow10(P) - 1n, elimit) : { neg, kind: INF, c: 0n, e: 0 };
  }
  if (e > elimit) { c *= pow10(e - elimit); e = elimit; }
  return fin(neg, c, e);
}

/** NaN operand(s): the first signalling NaN (a before b), else the first quiet NaN, made quiet,
 * payload cut to the precision's low digits. */
export function nans(a: Dec, b: Dec | null, x: Ctx, status: Ctx = x): Dec {
  let r: Dec;
  if (a.kind === SNAN) { r = a; status.st |= S_INVALID; }
  else if (b && b.kind === SNAN) { r = b; status.st |= S_INVALID; }
  else if (isNaN(a)) r = a;
  else r = b!;
  let c = r.c;
  if (ndigits(c) > x.f.p) c %= pow10(x.f.p);
  return { neg: r.neg, kind: QNAN, c, e: 0 };
}

// ---- arithmetic (libdecnumber's decNumberAdd/Subtract/Multiply/Divide/Compare/Quantize/
// ToIntegralExact/Shift semantics)

export function add(a: Dec, b: Dec, sub: boolean, x: Ctx): Dec {
  if (isNaN(a) || isNaN(b)) return nans(a, b, x);
  const bneg = b.neg !== sub;
  if (a.kind === INF || b.kind === INF) {
    if (a.kind === INF && b.kind === INF && a.neg !== bneg) { x.st |= S_INVALID; return qnan(); }
    return { neg: a.kind === INF ? a.neg : bneg, kind: INF, c: 0n, e: 0 };
  }
  let A = { neg: a.neg, c: a.c, e: a.e }, B = { neg: bneg, c: b.c, e: b.e };
  // a much smaller nonzero operand only matters as a sticky bit below the result's precision
  if (A.c !== 0n && B.c !== 0n) {
    const adjA = A.e + ndigits(A.c) - 1, adjB = B.e + ndigits(B.c) - 1;
    const [X, Y, adjX, adjY] = adjA >= adjB ? [A, B, adjA, adjB] : [B, A, adjB, adjA];
    const t = Math.min(X.e, adjX - x.f.p - 2) - 1;
    if (adjY <= t && Y.e < t) { Y.c = 1n; Y.e = t; }
  }
  const e = Math.min(A.e, B.e);
  const ca = A.c * pow10(A.e - e), cb = B.c * pow10(B.e - e);
  const s = (A.neg ? -ca : ca) + (B.neg ? -cb : cb);
  if (s === 0n) {
    const neg = A.neg === B.neg ? A.neg : x.round === R_FLOOR;
    return finalize(neg, 0n, e, false, x);
  }
  return finalize(s < 0n, s < 0n ? -s : s, e, false, x);
}

export function mul(a: Dec, b: Dec, x: Ctx): Dec {
  if (isNaN(a) || isNaN(b)) return nans(a, b, x);
  const neg = a.neg !== b.neg;
  if (a.kind === INF || b.kind === INF) {
    if (isZero(a) || isZero(b)) { x.st |= S_INVALID; return qnan(); }
    return { neg, kind: INF, c: 0n, e: 0 };
  }
  return finalize(neg, a.c * b.c, a.e + b.e, false, x);
}

export function div(a: Dec, b: Dec, x: Ctx): Dec {
  if (isNaN(a) || isNaN(b)) return nans(a, b, x);
  const neg = a.neg !== b.neg;
  if (a.kind === INF) {
    if (b.kind === INF) { x.st |= S_INVALID; return qnan(); }
    return { neg, kind: INF, c: 0n, e: 0 };
  }
  if (b.kind === INF) return finalize(neg, 0n, x.f.emin - x.f.p + 1, false, x);
  if (b.c === 0n) {
    if (a.c === 0n) { x.st |= S_DIVUNDEF; return qnan(); }
    x.st |= S_DIVZERO;
    return { neg, kind: INF, c: 0n, e: 0 };
  }
  const ideal = a.e - b.e;
  if (a.c === 0n) return finalize(neg, 0n, ideal, false, x);
  const k = Math.max(0, x.f.p + 2 + ndigits(b.c) - ndigits(a.c));
  const n = a.c * pow10(k);
  let q = n / b.c;
  const r = n % b.c;
  let e = ideal - k;
  if (r === 0n) {
    while (e < ideal && q % 10n === 0n) { q /= 10n; e++; }
  }
  return finalize(neg, q, e, r !== 0n, x);
}

/** Numeric comparison: -1, 0, 1, or null when unordered (a NaN; Invalid for a signalling one). */
export function compare(a: Dec, b: Dec, x: Ctx): number | null {
  if (isNaN(a) || isNaN(b)) {
    if (a.kind === SNAN || b.kind === SNAN) x.st |= S_INVALID;
    return null;
  }
  const sgn = (d: Dec) => (d.kind === FIN && d.c === 0n ? 0 : d.neg ? -1 : 1);
  const sa = sgn(a), sb = sgn(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  let mag: number;
  if (a.kind === INF || b.kind === INF) mag = a.kind === b.kind ? 0 : a.kind === INF ? 1 : -1;
  else {
    const adjA = a.e + ndigits(a.c) - 1, adjB = b.e + ndigits(b.c) - 1;
    if (adjA !== adjB) mag = adjA > adjB ? 1 : -1;
    else {
      const e = Math.min(a.e, b.e);
      const ca = a.c * pow10(a.e - e), cb = b.c * pow10(b.e - e);
      mag = ca === cb ? 0 : ca > cb ? 1 : -1;
    }
  }
  return sa * mag;
}

/** decNumberQuantize(lhs, rhs): lhs with rhs's exponent (Invalid when it does not fit). */
export function quantize(lhs: Dec, rhs: Dec, x: Ctx): Dec {
  if (isNaN(lhs) || isNaN(rhs)) return nans(lhs, rhs, x);
  if (lhs.kind === INF || rhs.kind === INF) {
    if (lhs.kind !== rhs.kind) { x.st |= S_INVALID; return qnan(); }
    return { ...lhs };
  }
  const f = x.f, P = f.p, etiny = f.emin - P + 1, reqexp = rhs.e;
  if (reqexp < etiny || reqexp > f.emax) { x.st |= S_INVALID; return qnan(); }
  let c = lhs.c;
  if (c !== 0n) {
    const adjust = reqexp - lhs.e;
    if (ndigits(c) - adjust > P) { x.st |= S_INVALID; return qnan(); }
    if (adjust > 0) {
      const r = roundDrop(c, adjust, false, lhs.neg, x.round);
      if (ndigits(r.c) > P) { x.st |= S_INVALID; return qnan(); }
      c = r.c;
      if (r.inexact) x.st |= S_INEXACT;
    } else if (adjust < 0) c *= pow10(-adjust);
  }
  if (reqexp > f.emax - ndigits(c) + 1) { x.st |= S_INVALID; return qnan(); }
  if (c !== 0n && reqexp + ndigits(c) - 1 < f.emin && (x.st & S_INEXACT)) x.st |= S_UNDERFLOW;
  return fin(lhs.neg, c, reqexp);
}

/** decNumberToIntegralExact: round to exponent 0 (numbers with exponent >= 0 unchanged). */
export function toIntegral(b: Dec, x: Ctx): Dec {
  if (isNaN(b)) return nans(b, null, x);
  if (b.kind === INF || b.e >= 0) return { ...b };
  const r = roundDrop(b.c, -b.e, false, b.neg, x.round);
  if (r.inexact) x.st |= S_INEXACT;
  return fin(b.neg, r.c, 0);
}

/** decNumberShift of a finite coefficient by n digits (left when positive) within the precision. */
export function shiftCoeff(c: bigint, n: number, p: number): bigint {
  if (n >= 0) return (c * pow10(n)) % pow10(p);
  return c / pow10(-n);
}

/** Digits of a number as decNumber counts them (payload digits for NaNs, 1 for zero and Inf). */
export function digitsOf(d: Dec): number {
  return ndigits(d.c);
}

/** FPRF class of a result (QEMU's dfp_set_FPRF_from_FRT with a context of minimum exponent emin). */
export function fprfOf(d: Dec, emin: number): number {
  switch (d.kind) {
    case SNAN: return 0x01;
    case QNAN: return 0x11;
    case INF: return d.neg ? 0x09 : 0x05;
  }
  if (d.c === 0n) return d.neg ? 0x12 : 0x02;
  const sub = d.e + ndigits(d.c) - 1 < emin;
  return d.neg ? (sub ? 0x18 : 0x08) : (sub ? 0x14 : 0x04);
}
