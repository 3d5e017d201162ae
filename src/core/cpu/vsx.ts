// VSX as QEMU 7.2's TCG executes it for -cpu POWER8 (target/ppc/fpu_helper.c,
// translate/vsx-impl.c.inc): one function per ISA row, keyed by mnemonic (see vec.ts).
//
// Registers: VSR n is state.vsr[4n .. 4n+3], word 0 the most significant; doubleword 0 (the
// FPR part) is words 0-1. The floating-point rows compute with fpu.ts (softfloat-equivalent
// results and flags) and set FPSCR as QEMU's VSX helpers do, which is not quite what the scalar
// FP instructions do:
//  - the scalar (xs*) rows write the whole target VSR: doubleword 1 becomes 0;
//  - the vector (xv*) rows neither set FPRF nor change FI, and never set FPCC on an invalid
//    operation; the vector compares only ever set VXSNAN/VXVC;
//  - the estimates (x*re*, x*rsqrte*) never set ZX;
//  - the single-precision scalar arithmetic (xsaddsp, xssubsp, xsmulsp, xsdivsp, xssqrtsp,
//    xsresp, xsrsqrtesp, xscvsxdsp, xscvuxdsp) rounds to double first and then to single (two
//    roundings), the multiply-adds (xsmadd*sp ...) round once;
//  - a vector conversion to integer, once an element was invalid, gives the invalid result
//    (and sets VXCVI again) for the following elements too (the flags are not reset per element);
//  - maximum/minimum pack the chosen operand again: with FPSCR[UE] set a denormal comes back
//    with its exponent rebiased, and UX is set;
//  - xsrsp (alone among the scalar rows) is not written when an enabled exception interrupts.

import { type VecCpu, type VecFn, vs } from './vec';
import * as fpu from './fpu';
import { EXCP_PROGRAM, SRR1_FP } from './interrupts';

type C = VecCpu;

// ---- operand fields (6-bit VSR numbers)
const XT = (w: number) => vs(((w >>> 21) & 31) | ((w & 1) << 5));
const XA = (w: number) => vs(((w >>> 16) & 31) | ((w & 4) << 3));
const XB = (w: number) => vs(((w >>> 11) & 31) | ((w & 2) << 4));
const XC = (w: number) => vs(((w >>> 6) & 31) | ((w & 8) << 2));
const RA = (w: number) => (w >>> 16) & 31;
const RB = (w: number) => (w >>> 11) & 31;
const BF = (w: number) => (w >>> 23) & 7;

/** The direct moves: their facility is MSR[FP] (VSRs 0-31) or MSR[VEC] (VSRs 32-63). */
export const VSX_DIRECT_MOVES: ReadonlySet<string> = new Set(['mfvsrd', 'mfvsrwz', 'mtvsrd', 'mtvsrwa', 'mtvsrwz']);

const TMP = new Int32Array(4);

/** EA += 8 (the second doubleword of a quadword access; 64-bit add as QEMU's). */
function ea8(c: C): void {
  const e = c.ea, lo = (e[1] + 8) | 0;
  if ((lo >>> 0) < (e[1] >>> 0)) e[0] = (e[0] + 1) | 0;
  e[1] = lo;
}

// ---------------------------------------------------------------------------------------------
// Loads, stores and moves

function lxsdx(c: C, w: number): void {
  c.eaX(RA(w), RB(w));
  c.ld64(c.state.vsr, XT(w), false);
}
function lxsiwax(c: C, w: number): void {
  c.eaX(RA(w), RB(w));
  const x = c.ld32(), v = c.state.vsr, t = XT(w);
  v[t] = x >> 31; v[t + 1] = x;
}
function lxsiwzx(c: C, w: number): void {
  c.eaX(RA(w), RB(w));
  const x = c.ld32(), v = c.state.vsr, t = XT(w);
  v[t] = 0; v[t + 1] = x;
}
function lxsspx(c: C, w: number): void {
  c.eaX(RA(w), RB(w));
  c.singleToDouble(c.ld32(), c.state.vsr, XT(w));
}
function lxvd2x(c: C, w: number): void {
  // two doubleword loads in the context's byte order; the first is written before the second is tried
  const v = c.state.vsr, t = XT(w);
  c.eaX(RA(w), RB(w));
  c.ld64(v, t, false);
  ea8(c);
  c.ld64(v, t + 2, false);
}
function lxvdsx(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w);
  c.eaX(RA(w), RB(w));
  c.ld64(TMP, 0, false);
  v[t] = v[t + 2] = TMP[0];
  v[t + 1] = v[t + 3] = TMP[1];
}
function lxvw4x(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w);
  c.eaX(RA(w), RB(w));
  c.ld64(TMP, 0, false);
  ea8(c);
  c.ld64(TMP, 2, false);
  // little-endian: each word is loaded little-endian, in ascending element order
  const sw = c.le ? 1 : 0;
  v[t] = TMP[sw]; v[t + 1] = TMP[1 - sw]; v[t + 2] = TMP[2 + sw]; v[t + 3] = TMP[3 - sw];
}
function stxsdx(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w);
  c.eaX(RA(w), RB(w));
  c.st64(v[s], v[s + 1], false);
}
function stxsiwx(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w);
  c.eaX(RA(w), RB(w));
  c.st32(v[s + 1], false);
}
function stxsspx(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w);
  c.eaX(RA(w), RB(w));
  c.st32(c.doubleToSingle(v[s], v[s + 1]), false);
}
function stxvd2x(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w);
  c.eaX(RA(w), RB(w));
  c.st64(v[s], v[s + 1], false);
  ea8(c);
  c.st64(v[s + 2], v[s + 3], false);
}
function stxvw4x(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w);
  c.eaX(RA(w), RB(w));
  if (c.le) {
    c.st64(v[s + 1], v[s], false);
    ea8(c);
    c.st64(v[s + 3], v[s + 2], false);
  } else {
    c.st64(v[s], v[s + 1], false);
    ea8(c);
    c.st64(v[s + 2], v[s + 3], false);
  }
}
function mfvsrd(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w), g = c.state.gpr, a = 2 * RA(w);
  g[a] = v[s]; g[a + 1] = v[s + 1];
}
function mfvsrwz(c: C, w: number): void {
  const v = c.state.vsr, s = XT(w), g = c.state.gpr, a = 2 * RA(w);
  g[a] = 0; g[a + 1] = v[s + 1];
}
function mtvsrd(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), g = c.state.gpr, a = 2 * RA(w);
  v[t] = g[a]; v[t + 1] = g[a + 1];
}
function mtvsrwa(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), g = c.state.gpr, a = 2 * RA(w);
  v[t] = g[a + 1] >> 31; v[t + 1] = g[a + 1];
}
function mtvsrwz(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), g = c.state.gpr, a = 2 * RA(w);
  v[t] = 0; v[t + 1] = g[a + 1];
}

// ---------------------------------------------------------------------------------------------
// Logical and permute

function logical(op: (a: number, b: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w);
    for (let k = 0; k < 4; k++) v[t + k] = op(v[a + k], v[b + k]);
  };
}

function xxsel(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w), m = XC(w);
  for (let k = 0; k < 4; k++) v[t + k] = (v[a + k] & ~v[m + k]) | (v[b + k] & v[m + k]);
}

function merge(lo: number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w), a = XA(w) + lo, b = XB(w) + lo;
    const a0 = v[a], a1 = v[a + 1], b0 = v[b], b1 = v[b + 1];
    v[t] = a0; v[t + 1] = b0; v[t + 2] = a1; v[t + 3] = b1;
  };
}

function xxpermdi(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), dm = (w >>> 8) & 3;
  const a = XA(w) + (dm & 2), b = XB(w) + 2 * (dm & 1);
  const h0 = v[a], h1 = v[a + 1], l0 = v[b], l1 = v[b + 1];
  v[t] = h0; v[t + 1] = h1; v[t + 2] = l0; v[t + 3] = l1;
}

function xxsldwi(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w), sh = (w >>> 8) & 3;
  for (let k = 0; k < 4; k++) TMP[k] = sh + k < 4 ? v[a + sh + k] : v[b + sh + k - 4];
  v.set(TMP, t);
}

function xxspltw(c: C, w: number): void {
  const v = c.state.vsr, t = XT(w), x = v[XB(w) + ((w >>> 16) & 3)];
  v[t] = v[t + 1] = v[t + 2] = v[t + 3] = x;
}

// ---------------------------------------------------------------------------------------------
// Floating point: FPSCR side (QEMU 7.2 fpu_helper.c)

const FP_FX = 0x80000000 | 0, FP_FEX = 0x40000000, FP_VX = 0x20000000, FP_OX = 0x10000000, FP_UX = 0x08000000,
  FP_ZX = 0x04000000, FP_XX = 0x02000000, FP_VXSNAN = 0x01000000, FP_VXISI = 0x00800000, FP_VXIDI = 0x00400000,
  FP_VXZDZ = 0x00200000, FP_VXIMZ = 0x00100000, FP_VXVC = 0x00080000, FP_FR = 0x00040000, FP_FI = 0x00020000,
  FP_VXSQRT = 0x200, FP_VXCVI = 0x100, FP_VE = 0x80, FP_OE = 0x40, FP_UE = 0x20, FP_ZE = 0x10, FP_XE = 0x08;
const FPRF_MASK = 0x1f000, FPCC_MASK = 0xf000, FP_C_FU = 0x11000;
const MSR_FE0_BIT = 1 << 11, MSR_FE1_BIT = 1 << 8;

/** An enabled exception is pending until the end of the instruction (after the target is written). */
let deferred = false;

/** helper_reset_fpstatus plus the rounding state from FPSCR. */
function begin(c: C): void {
  const f = c.state.fpscr[1];
  fpu.fs.flags = 0;
  fpu.fs.mode = f & 3;
  fpu.fs.rebiasOverflow = (f & FP_OE) !== 0;
  fpu.fs.rebiasUnderflow = (f & FP_UE) !== 0;
  deferred = false;
}

/** The floating-point enabled program interrupt, if MSR[FE0|FE1] allow it; true if raised. */
function trap(c: C): boolean {
  if ((c.state.msr[1] & (MSR_FE0_BIT | MSR_FE1_BIT)) === 0) return false;
  c.raise(EXCP_PROGRAM, SRR1_FP);
  return true;
}

function finishInvalid(c: C): boolean {
  const f = c.state.fpscr;
  f[1] |= FP_VX | FP_FX;
  if (f[1] & FP_VE) { f[1] |= FP_FEX; return trap(c); }
  return false;
}

function invArith(c: C, bit: number, setFpcc: boolean): boolean {
  const f = c.state.fpscr;
  f[1] = (f[1] | bit) & ~(FP_FR | FP_FI);
  if ((f[1] & FP_VE) === 0 && setFpcc) f[1] = (f[1] & ~FPCC_MASK) | FP_C_FU;
  return finishInvalid(c);
}

function vxsnan(c: C): boolean {
  c.state.fpscr[1] |= FP_VXSNAN;
  return finishInvalid(c);
}

function vxvc(c: C): void {
  const f = c.state.fpscr;
  f[1] |= FP_VXVC | FP_VX | FP_FX;
  if (f[1] & FP_VE) { f[1] |= FP_FEX; deferred = true; }
}

function vxcvi(c: C): boolean {
  const f = c.state.fpscr;
  f[1] = (f[1] | FP_VXCVI) & ~(FP_FR | FP_FI);
  return finishInvalid(c);
}

function zeroDivide(c: C): boolean {
  const f = c.state.fpscr;
  f[1] = (f[1] | FP_ZX | FP_FX) & ~(FP_FR | FP_FI);
  if (f[1] & FP_ZE) { f[1] |= FP_FEX; return trap(c); }
  return false;
}

/** do_float_check_status: OX/UX/XX (and FI when `fi`); a deferred enabled exception interrupts. */
function checkStatus(c: C, fl: number, fi: boolean): boolean {
  const f = c.state.fpscr;
  if (fl & fpu.FL_OVERFLOW) {
    f[1] |= FP_OX | FP_FX;
    if (f[1] & FP_OE) { f[1] |= FP_FEX; deferred = true; } else fl |= fpu.FL_INEXACT;
  } else if (fl & fpu.FL_UNDERFLOW) {
    f[1] |= FP_UX | FP_FX;
    if (f[1] & FP_UE) { f[1] |= FP_FEX; deferred = true; }
  }
  if (fl & fpu.FL_INEXACT) {
    f[1] |= FP_XX | FP_FX;
    if (f[1] & FP_XE) { f[1] |= FP_FEX; deferred = true; }
  }
  if (fi) f[1] = fl & fpu.FL_INEXACT ? f[1] | FP_FI : f[1] & ~FP_FI;
  if (deferred) { deferred = false; return trap(c); }
  return false;
}

type Kind = 'addsub' | 'mul' | 'div' | 'madd' | 'sqrt';

/** The invalid-operation exception an operation's flags call for; true if an interrupt was raised. */
function invalid(c: C, kind: Kind, fl: number, setFpcc: boolean): boolean {
  if ((fl & fpu.FL_INVALID) === 0) return false;
  switch (kind) {
    case 'mul': if (fl & fpu.FL_INV_IMZ) return invArith(c, FP_VXIMZ, setFpcc); break;
    case 'madd':
      if (fl & fpu.FL_INV_IMZ) return invArith(c, FP_VXIMZ, setFpcc);
      if (fl & fpu.FL_INV_ISI) return invArith(c, FP_VXISI, setFpcc);
      break;
    case 'addsub': if (fl & fpu.FL_INV_ISI) return invArith(c, FP_VXISI, setFpcc); break;
    case 'div':
      if (fl & fpu.FL_INV_IDI) return invArith(c, FP_VXIDI, setFpcc);
      if (fl & fpu.FL_INV_ZDZ) return invArith(c, FP_VXZDZ, setFpcc);
      break;
    case 'sqrt': if (fl & fpu.FL_INV_SQRT) return invArith(c, FP_VXSQRT, setFpcc); break;
    default: break;
  }
  return fl & fpu.FL_INV_SNAN ? vxsnan(c) : false;
}

function setFprf(c: C, r: bigint): void {
  const f = c.state.fpscr;
  f[1] = (f[1] & ~FPRF_MASK) | (fpu.fprfOf(r) << 12);
}

/** FPRF of a single-precision result (helper_compute_fprf_float32). */
function setFprf32(c: C, x: number): void {
  const e = (x >>> 23) & 0xff, m = x & 0x7fffff, neg = x < 0;
  let r: number;
  if (e === 0xff) r = m === 0 ? (neg ? 0x09 : 0x05) : (m & 0x400000 ? 0x11 : 0);
  else if (e === 0) r = m === 0 ? (neg ? 0x12 : 0x02) : (neg ? 0x18 : 0x14);
  else r = neg ? 0x08 : 0x04;
  const f = c.state.fpscr;
  f[1] = (f[1] & ~FPRF_MASK) | (r << 12);
}

// ---- element access

const SIGN = 1n << 63n, QUIET = 1n << 51n, ONE = 0x3ff0000000000000n;

function get64(v: Int32Array, o: number): bigint {
  return (BigInt(v[o] >>> 0) << 32n) | BigInt(v[o + 1] >>> 0);
}
function put64(v: Int32Array, o: number, x: bigint): void {
  v[o] = Number(x >> 32n) | 0;
  v[o + 1] = Number(x & 0xffffffffn) | 0;
}
const D = new Int32Array(2);
/** Single-precision bits to the double they denote (exact). */
function s2d(c: C, x: number): bigint {
  c.singleToDouble(x, D, 0);
  return get64(D, 0);
}
/** A double that is exactly representable in single precision (or a NaN) to its single bits. */
function d2s(c: C, x: bigint): number {
  return c.doubleToSingle(Number(x >> 32n) | 0, Number(x & 0xffffffffn) | 0);
}
const isSnan32 = (x: number) => (x & 0x7fc00000) === 0x7f800000 && (x & 0x3fffff) !== 0;
const isNan32 = (x: number) => (x & 0x7fffffff) > 0x7f800000;

/** do_frsp: round to single precision (as a double), VXSNAN from the accumulated flags. */
function frsp(c: C, x: bigint): bigint | null {
  const r = fpu.frsp(x);
  if ((fpu.fs.flags & fpu.FL_INV_SNAN) && vxsnan(c)) return null;
  return r;
}

/** Write a scalar result: doubleword 0 = r, doubleword 1 = 0. */
function putScalar(c: C, t: number, r: bigint): void {
  const v = c.state.vsr;
  put64(v, t, r);
  v[t + 2] = 0; v[t + 3] = 0;
}

// ---------------------------------------------------------------------------------------------
// Floating-point arithmetic

type Op3 = (a: bigint, b: bigint, single: boolean) => bigint;

/** Scalar double (r2sp: then rounded to single) two-operand arithmetic. */
function xsArith(kind: Kind, op: Op3, r2sp: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr;
    begin(c);
    let r: bigint | null = op(get64(v, XA(w)), get64(v, XB(w)), false);
    const fl = fpu.fs.flags;
    if (invalid(c, kind, fl, true)) return;
    if (kind === 'div' && (fl & fpu.FL_DIVZERO) && zeroDivide(c)) return;
    if (r2sp && (r = frsp(c, r)) === null) return;
    setFprf(c, r);
    putScalar(c, XT(w), r);
    checkStatus(c, fpu.fs.flags, true);
  };
}

/** Vector two-operand arithmetic, double (2 elements) or single (4). */
function xvArith(kind: Kind, op: Op3, single: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, a = XA(w), b = XB(w);
    begin(c);
    let acc = 0;
    for (let i = 0; i < (single ? 4 : 2); i++) {
      fpu.fs.flags = 0;
      const x = single ? s2d(c, v[a + i]) : get64(v, a + 2 * i), y = single ? s2d(c, v[b + i]) : get64(v, b + 2 * i);
      const r = op(x, y, single);
      const fl = fpu.fs.flags;
      acc |= fl;
      if (invalid(c, kind, fl, false)) return;
      if (kind === 'div' && (fl & fpu.FL_DIVZERO) && zeroDivide(c)) return;
      if (single) OUT[i] = d2s(c, r);
      else put64(OUT, 2 * i, r);
    }
    v.set(OUT, XT(w));
    checkStatus(c, acc, false);
  };
}
const OUT = new Int32Array(4);

/** Multiply-add: A-type T = A*B + T, M-type T = A*T + B (negC: subtract, negR: negate). */
function xsMadd(m: boolean, negC: boolean, negR: boolean, single: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w);
    begin(c);
    const a = get64(v, XA(w)), b = get64(v, XB(w)), tt = get64(v, t);
    const r = m ? fpu.fmadd(a, tt, b, negC, negR, single) : fpu.fmadd(a, b, tt, negC, negR, single);
    const fl = fpu.fs.flags;
    if (invalid(c, 'madd', fl, true)) return;
    setFprf(c, r);
    putScalar(c, t, r);
    checkStatus(c, fl, true);
  };
}

function xvMadd(negC: boolean, negR: boolean, single: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w);
    const m = (w & 0x40) !== 0; // bit 25: A*T + B
    begin(c);
    let acc = 0;
    for (let i = 0; i < (single ? 4 : 2); i++) {
      fpu.fs.flags = 0;
      const get = (o: number) => single ? s2d(c, v[o + i]) : get64(v, o + 2 * i);
      const x = get(a), y = get(b), z = get(t);
      const r = m ? fpu.fmadd(x, z, y, negC, negR, single) : fpu.fmadd(x, y, z, negC, negR, single);
      const fl = fpu.fs.flags;
      acc |= fl;
      if (invalid(c, 'madd', fl, false)) return;
      if (single) OUT[i] = d2s(c, r);
      else put64(OUT, 2 * i, r);
    }
    v.set(OUT, t);
    checkStatus(c, acc, false);
  };
}

/** Square root (kind 'sqrt'), reciprocal estimate (1/x) and reciprocal square root estimate. */
type Unary = 'sqrt' | 're' | 'rsqrte';

function unaryOp(u: Unary, x: bigint, single: boolean): bigint {
  if (u === 'sqrt') return fpu.fsqrt(x, single);
  if (u === 're') return fpu.fdiv(ONE, x, single);
  return fpu.fdiv(ONE, fpu.fsqrt(x, single), single);
}

function xsUnary(u: Unary, r2sp: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, x = get64(v, XB(w));
    begin(c);
    if (u === 're' && fpu.isSnan(x) && vxsnan(c)) return;
    let r: bigint | null = unaryOp(u, x, false);
    if (u !== 're' && invalid(c, 'sqrt', fpu.fs.flags, true)) return;
    if (r2sp && (r = frsp(c, r)) === null) return;
    setFprf(c, r);
    putScalar(c, XT(w), r);
    checkStatus(c, fpu.fs.flags, true);
  };
}

function xvUnary(u: Unary, single: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, b = XB(w);
    begin(c);
    let acc = 0;
    for (let i = 0; i < (single ? 4 : 2); i++) {
      const x = single ? s2d(c, v[b + i]) : get64(v, b + 2 * i);
      let r: bigint;
      if (u === 're') {
        // computed in the running status (no per-element reset); only an SNaN operand is reported
        fpu.fs.flags = acc;
        if (fpu.isSnan(x) && vxsnan(c)) return;
        r = unaryOp(u, x, single);
        acc = fpu.fs.flags;
      } else {
        fpu.fs.flags = 0;
        r = unaryOp(u, x, single);
        acc |= fpu.fs.flags;
        if (invalid(c, 'sqrt', fpu.fs.flags, false)) return;
      }
      if (single) OUT[i] = d2s(c, r);
      else put64(OUT, 2 * i, r);
    }
    v.set(OUT, XT(w));
    checkStatus(c, acc, false);
  };
}

// ---- sign manipulation (no FPSCR effect)

function xsSign(op: (b: bigint, a: bigint) => bigint): VecFn {
  return (c, w) => {
    const v = c.state.vsr;
    putScalar(c, XT(w), op(get64(v, XB(w)), get64(v, XA(w))));
  };
}
function xvSignDp(op: (b: number, a: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w);
    const r0 = op(v[b], v[a]), r1 = v[b + 1], r2 = op(v[b + 2], v[a + 2]), r3 = v[b + 3];
    v[t] = r0; v[t + 1] = r1; v[t + 2] = r2; v[t + 3] = r3;
  };
}
function xvSignSp(op: (b: number, a: number) => number): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w);
    for (let k = 0; k < 4; k++) OUT[k] = op(v[b + k], v[a + k]);
    v.set(OUT, t);
  };
}
const SGN32 = 0x80000000 | 0;

// ---- maximum / minimum (IEEE maxNum/minNum as softfloat: a quiet NaN loses to a number)

function maxMin(x: bigint, y: bigint, max: boolean, single: boolean): bigint {
  const xn = fpu.isNan(x), yn = fpu.isNan(y);
  if (xn || yn) {
    if (!fpu.isSnan(x) && !fpu.isSnan(y) && !(xn && yn)) return repack(xn ? y : x, single);
    return (xn ? x : y) | QUIET;
  }
  const sx = fpu.isNeg(x), sy = fpu.isNeg(y);
  if (sx !== sy) return repack((max ? sx : sy) ? y : x, single);
  const mx = x & ~SIGN, my = y & ~SIGN;
  const xBigger = sx ? mx < my : mx > my;
  return repack(xBigger === max ? x : y, single);
}

/** softfloat packs the chosen operand again: a denormal with FPSCR[UE] set comes back with its
 * exponent rebiased and underflow signalled (multiplying by one takes the same rounding path). */
function repack(x: bigint, single: boolean): bigint {
  return fpu.isZero(x) || fpu.isInf(x) ? x : fpu.fmul(x, ONE, single);
}

function xMaxMin(max: boolean, n: 1 | 2 | 4): VecFn {
  return (c, w) => {
    const v = c.state.vsr, a = XA(w), b = XB(w), single = n === 4;
    begin(c);
    OUT.fill(0);
    for (let i = 0; i < n; i++) {
      const x = single ? s2d(c, v[a + i]) : get64(v, a + 2 * i), y = single ? s2d(c, v[b + i]) : get64(v, b + 2 * i);
      const r = maxMin(x, y, max, single);
      if ((fpu.isSnan(x) || fpu.isSnan(y)) && vxsnan(c)) return;
      if (single) OUT[i] = d2s(c, r);
      else put64(OUT, 2 * i, r);
    }
    v.set(OUT, XT(w));
    checkStatus(c, fpu.fs.flags, false);
  };
}

// ---- compares

function xscmp(ordered: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, x = get64(v, XA(w)), y = get64(v, XB(w)), f = c.state.fpscr;
    begin(c);
    const cc = fpu.compare(x, y);
    let sn = false, vc = false;
    if (cc === 1) {
      if (fpu.isSnan(x) || fpu.isSnan(y)) { sn = true; vc = ordered && (f[1] & FP_VE) === 0; }
      else vc = ordered;
    }
    f[1] = (f[1] & ~FPCC_MASK) | (cc << 12);
    c.state.crf[BF(w)] = cc;
    if (sn && vxsnan(c)) return;
    if (vc) vxvc(c);
    checkStatus(c, 0, false);
  };
}

/** xvcmp{eq,ge,gt}{dp,sp}[.]: all-ones where true; CR6 = all true (8) / all false (2) with Rc. */
function xvcmp(cond: number, svxvc: boolean, single: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, t = XT(w), a = XA(w), b = XB(w);
    begin(c);
    OUT.set(v.subarray(t, t + 4));
    let allTrue = true, allFalse = true;
    for (let i = 0; i < (single ? 4 : 2); i++) {
      const x = single ? s2d(c, v[a + i]) : get64(v, a + 2 * i), y = single ? s2d(c, v[b + i]) : get64(v, b + 2 * i);
      let r: boolean;
      if (fpu.isNan(x) || fpu.isNan(y)) {
        if ((fpu.isSnan(x) || fpu.isSnan(y)) && vxsnan(c)) return;
        if (svxvc) vxvc(c);
        r = false;
      } else r = (fpu.compare(x, y) & cond) !== 0;
      if (r) allFalse = false; else allTrue = false;
      if (single) OUT[i] = r ? -1 : 0;
      else OUT[2 * i] = OUT[2 * i + 1] = r ? -1 : 0;
    }
    v.set(OUT, t);
    if (w & 0x400) c.state.crf[6] = (allTrue ? 8 : 0) | (allFalse ? 2 : 0);
  };
}

// ---- test for software divide / square root

function tdiv32(a: number, b: number): number {
  let fe = false, fg = false;
  const inf = (x: number) => (x & 0x7fffffff) === 0x7f800000, zero = (x: number) => (x & 0x7fffffff) === 0;
  if (inf(a) || inf(b) || zero(b)) { fe = true; fg = true; }
  else {
    const ea = ((a >>> 23) & 0xff) - 127, eb = ((b >>> 23) & 0xff) - 127;
    if (isNan32(a) || isNan32(b)) fe = true;
    else if (eb <= -126 || eb >= 125) fe = true;
    else if (!zero(a) && (ea - eb >= 127 || ea - eb <= -125 || ea <= -103)) fe = true;
    if (((b >>> 23) & 0xff) === 0) fg = true;
  }
  return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

function tsqrt32(b: number): number {
  let fe = false, fg = false;
  if ((b & 0x7fffffff) === 0x7f800000 || (b & 0x7fffffff) === 0) { fe = true; fg = true; }
  else {
    const eb = ((b >>> 23) & 0xff) - 127;
    if (isNan32(b) || b < 0 || eb <= -103) fe = true;
    if (((b >>> 23) & 0xff) === 0) fg = true;
  }
  return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

function xtdiv(n: 1 | 2 | 4): VecFn {
  return (c, w) => {
    const v = c.state.vsr, a = XA(w), b = XB(w);
    let cc = 8;
    for (let i = 0; i < n; i++) {
      cc |= n === 4 ? tdiv32(v[a + i], v[b + i]) : fpu.ftdiv(get64(v, a + 2 * i), get64(v, b + 2 * i));
    }
    c.state.crf[BF(w)] = cc;
  };
}

function xtsqrt(n: 1 | 2 | 4): VecFn {
  return (c, w) => {
    const v = c.state.vsr, b = XB(w);
    let cc = 8;
    for (let i = 0; i < n; i++) cc |= n === 4 ? tsqrt32(v[b + i]) : fpu.ftsqrt(get64(v, b + 2 * i));
    c.state.crf[BF(w)] = cc;
  };
}

// ---- round to integral

function xRound(mode: number, n: 1 | 2 | 4): VecFn {
  const scalar = n === 1, single = n === 4;
  return (c, w) => {
    const v = c.state.vsr, b = XB(w);
    begin(c);
    const m = mode < 0 ? fpu.fs.mode : mode;
    OUT.fill(0);
    for (let i = 0; i < n; i++) {
      if (single) {
        const x = v[b + i];
        if (isSnan32(x)) { if (vxsnan(c)) return; OUT[i] = x | 0x400000; }
        else OUT[i] = d2s(c, fpu.roundToInt(s2d(c, x), m));
      } else {
        const x = get64(v, b + 2 * i);
        let r: bigint;
        if (fpu.isSnan(x)) { if (vxsnan(c)) return; r = x | QUIET; }
        else r = fpu.roundToInt(x, m);
        if (scalar) setFprf(c, r);
        put64(OUT, 2 * i, r);
      }
    }
    if (mode >= 0) fpu.fs.flags &= ~fpu.FL_INEXACT;
    v.set(OUT, XT(w));
    checkStatus(c, fpu.fs.flags, scalar);
  };
}

// ---- conversions between formats

function xscvdpsp(c: C, w: number): void {
  const v = c.state.vsr, x = get64(v, XB(w));
  begin(c);
  const r = d2s(c, fpu.frsp(x));
  if (fpu.isSnan(x) && vxsnan(c)) return;
  setFprf32(c, r);
  const t = XT(w);
  v[t] = v[t + 1] = r; v[t + 2] = v[t + 3] = 0;
  checkStatus(c, fpu.fs.flags, true);
}
function xvcvdpsp(c: C, w: number): void {
  const v = c.state.vsr, b = XB(w);
  begin(c);
  for (let i = 0; i < 2; i++) {
    const x = get64(v, b + 2 * i);
    const r = d2s(c, fpu.frsp(x));
    if (fpu.isSnan(x) && vxsnan(c)) return;
    OUT[2 * i] = OUT[2 * i + 1] = r;
  }
  v.set(OUT, XT(w));
  checkStatus(c, fpu.fs.flags, false);
}
function xscvspdp(c: C, w: number): void {
  const v = c.state.vsr, x = v[XB(w)];
  begin(c);
  let r = s2d(c, x);
  if (isSnan32(x)) { if (vxsnan(c)) return; r |= QUIET; }
  setFprf(c, r);
  putScalar(c, XT(w), r);
  checkStatus(c, 0, true);
}
function xvcvspdp(c: C, w: number): void {
  const v = c.state.vsr, b = XB(w);
  begin(c);
  for (let i = 0; i < 2; i++) {
    const x = v[b + 2 * i];
    let r = s2d(c, x);
    if (isSnan32(x)) { if (vxsnan(c)) return; r |= QUIET; }
    put64(OUT, 2 * i, r);
  }
  v.set(OUT, XT(w));
  checkStatus(c, 0, false);
}
function xscvdpspn(c: C, w: number): void {
  const v = c.state.vsr, x = get64(v, XB(w));
  const sign = Number(x >> 63n);
  let exp = Number((x >> 52n) & 0x7ffn), frac = (x & ((1n << 52n) - 1n)) | (1n << 52n);
  if (exp === 0 && (frac & ((1n << 52n) - 1n)) !== 0n) { exp = 1; frac &= ~(1n << 53n); }
  if (exp < 897 && frac !== 0n) {
    frac = 897 - exp > 63 ? 0n : frac >> BigInt(897 - exp);
    exp = 896;
  }
  const r = (sign << 31) | (((exp >>> 10) & 1) << 30) | ((exp & 0x7f) << 23) | Number((frac >> 29n) & 0x7fffffn);
  const t = XT(w);
  v[t] = v[t + 1] = r; v[t + 2] = v[t + 3] = 0;
}
function xscvspdpn(c: C, w: number): void {
  const v = c.state.vsr;
  putScalar(c, XT(w), s2d(c, v[XB(w)]));
}
function xsrsp(c: C, w: number): void {
  const v = c.state.vsr;
  begin(c);
  const r = frsp(c, get64(v, XB(w)));
  if (r === null) return;
  setFprf(c, r);
  // the helper returns the value and the translation writes it: a deferred interrupt comes first
  if (checkStatus(c, fpu.fs.flags, true)) return;
  putScalar(c, XT(w), r);
}

// ---- floating point to integer (round toward zero)

/**
 * Convert `x` (double bits) to a `bits`-bit integer as softfloat's float_to_[u]int*_round_to_zero
 * with the running status: a NaN is invalid (not "cvti"), giving the maximum; the result as an
 * unsigned 64-bit BigInt (low `bits` bits significant).
 */
function toIntRz(x: bigint, bits: 32 | 64, signed: boolean): bigint {
  if (fpu.isNan(x)) {
    fpu.fs.flags |= fpu.FL_INVALID | (fpu.isSnan(x) ? fpu.FL_INV_SNAN : 0);
    return signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  }
  return fpu.toInt(x, bits, signed, fpu.RM_ZERO);
}

/** float_invalid_cvt with the running flags: VXSNAN, VXCVI; the result for a NaN. Null: interrupted. */
function cvtResult(c: C, r: bigint, rnan: bigint): bigint | null {
  const fl = fpu.fs.flags;
  if ((fl & fpu.FL_INVALID) === 0) return r;
  if (fl & fpu.FL_INV_SNAN) c.state.fpscr[1] |= FP_VXSNAN;
  if (vxcvi(c)) return null;
  return fl & fpu.FL_INV_CVTI ? r : rnan;
}

/** src: 'd' doublewords, 's' words 0 and 2 (xvcvsp*xds) or all four words (xvcvsp*xws).
 * dst: 'd' doublewords, 'w2' one word per doubleword repeated (xscvdp*xws, xvcvdp*xws), 'w' words. */
function xCvtToInt(n: 1 | 2 | 4, src: 'd' | 's', bits: 32 | 64, signed: boolean): VecFn {
  const rnan = signed ? (bits === 32 ? 0x80000000n : 0x8000000000000000n) : 0n;
  return (c, w) => {
    const v = c.state.vsr, b = XB(w);
    begin(c);
    OUT.fill(0);
    for (let i = 0; i < n; i++) {
      const x = src === 'd' ? get64(v, b + 2 * i) : s2d(c, v[b + (n === 4 ? i : 2 * i)]);
      const r = cvtResult(c, toIntRz(x, bits, signed), rnan);
      if (r === null) return;
      if (bits === 64) put64(OUT, 2 * i, r);
      else if (n === 4) OUT[i] = Number(r & 0xffffffffn) | 0;
      else OUT[2 * i] = OUT[2 * i + 1] = Number(r & 0xffffffffn) | 0;
    }
    v.set(OUT, XT(w));
    checkStatus(c, fpu.fs.flags, n === 1);
  };
}

// ---- integer to floating point

/** Scalar and doubleword-element conversions to double (r2sp: then rounded to single). */
function xCvtFromInt(n: 1 | 2, src: 'd' | 'w', signed: boolean, r2sp: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, b = XB(w);
    begin(c);
    for (let i = 0; i < n; i++) {
      const x = src === 'd' ? get64(v, b + 2 * i) : BigInt(signed ? v[b + 2 * i] : v[b + 2 * i] >>> 0);
      let r: bigint | null = fpu.fromInt(x, signed, false);
      if (r2sp && (r = frsp(c, r)) === null) return;
      if (n === 1) setFprf(c, r);
      put64(OUT, 2 * i, r);
    }
    if (n === 1) OUT[2] = OUT[3] = 0;
    v.set(OUT, XT(w));
    checkStatus(c, fpu.fs.flags, n === 1);
  };
}

/** Conversions to single: four words (xvcvsxwsp, xvcvuxwsp) or two doublewords (xvcvsxdsp, xvcvuxdsp). */
function xvCvtToSp(src: 'd' | 'w', signed: boolean): VecFn {
  return (c, w) => {
    const v = c.state.vsr, b = XB(w);
    begin(c);
    for (let i = 0; i < (src === 'w' ? 4 : 2); i++) {
      const x = src === 'd' ? get64(v, b + 2 * i) : BigInt(signed ? v[b + i] : v[b + i] >>> 0);
      const r = d2s(c, fpu.fromInt(x, signed, true));
      if (src === 'w') OUT[i] = r;
      else OUT[2 * i] = OUT[2 * i + 1] = r;
    }
    v.set(OUT, XT(w));
    checkStatus(c, fpu.fs.flags, false);
  };
}

const add: Op3 = (a, b, s) => fpu.fadd(a, b, s);
const sub: Op3 = (a, b, s) => fpu.fsub(a, b, s);
const mul: Op3 = (a, b, s) => fpu.fmul(a, b, s);
const div: Op3 = (a, b, s) => fpu.fdiv(a, b, s);

export const VSX_IMPL: Record<string, VecFn> = {
  // loads, stores, moves
  lxsdx, lxsiwax, lxsiwzx, lxsspx, lxvd2x, lxvdsx, lxvw4x,
  stxsdx, stxsiwx, stxsspx, stxvd2x, stxvw4x,
  mfvsrd, mfvsrwz, mtvsrd, mtvsrwa, mtvsrwz,
  // logical and permute
  xxland: logical((a, b) => a & b),
  xxlandc: logical((a, b) => a & ~b),
  xxlor: logical((a, b) => a | b),
  xxlxor: logical((a, b) => a ^ b),
  xxlnor: logical((a, b) => ~(a | b)),
  xxlorc: logical((a, b) => a | ~b),
  xxlnand: logical((a, b) => ~(a & b)),
  xxleqv: logical((a, b) => ~(a ^ b)),
  xxsel, xxpermdi, xxsldwi, xxspltw,
  xxmrghw: merge(0),
  xxmrglw: merge(2),
  // scalar arithmetic
  xsadddp: xsArith('addsub', add, false),
  xssubdp: xsArith('addsub', sub, false),
  xsmuldp: xsArith('mul', mul, false),
  xsdivdp: xsArith('div', div, false),
  xsaddsp: xsArith('addsub', add, true),
  xssubsp: xsArith('addsub', sub, true),
  xsmulsp: xsArith('mul', mul, true),
  xsdivsp: xsArith('div', div, true),
  xssqrtdp: xsUnary('sqrt', false),
  xssqrtsp: xsUnary('sqrt', true),
  xsredp: xsUnary('re', false),
  xsresp: xsUnary('re', true),
  xsrsqrtedp: xsUnary('rsqrte', false),
  xsrsqrtesp: xsUnary('rsqrte', true),
  xsmaddadp: xsMadd(false, false, false, false),
  xsmaddmdp: xsMadd(true, false, false, false),
  xsmsubadp: xsMadd(false, true, false, false),
  xsmsubmdp: xsMadd(true, true, false, false),
  xsnmaddadp: xsMadd(false, false, true, false),
  xsnmaddmdp: xsMadd(true, false, true, false),
  xsnmsubadp: xsMadd(false, true, true, false),
  xsnmsubmdp: xsMadd(true, true, true, false),
  xsmaddasp: xsMadd(false, false, false, true),
  xsmaddmsp: xsMadd(true, false, false, true),
  xsmsubasp: xsMadd(false, true, false, true),
  xsmsubmsp: xsMadd(true, true, false, true),
  xsnmaddasp: xsMadd(false, false, true, true),
  xsnmaddmsp: xsMadd(true, false, true, true),
  xsnmsubasp: xsMadd(false, true, true, true),
  xsnmsubmsp: xsMadd(true, true, true, true),
  xsabsdp: xsSign((b) => b & ~SIGN),
  xsnabsdp: xsSign((b) => b | SIGN),
  xsnegdp: xsSign((b) => b ^ SIGN),
  xscpsgndp: xsSign((b, a) => (a & SIGN) | (b & ~SIGN)),
  xsmaxdp: xMaxMin(true, 1),
  xsmindp: xMaxMin(false, 1),
  xscmpudp: xscmp(false),
  xscmpodp: xscmp(true),
  xstdivdp: xtdiv(1),
  xstsqrtdp: xtsqrt(1),
  xsrdpi: xRound(fpu.RM_AWAY, 1),
  xsrdpic: xRound(-1, 1),
  xsrdpim: xRound(fpu.RM_DOWN, 1),
  xsrdpip: xRound(fpu.RM_UP, 1),
  xsrdpiz: xRound(fpu.RM_ZERO, 1),
  xscvdpsp, xscvdpspn, xscvspdp, xscvspdpn, xsrsp,
  xscvdpsxds: xCvtToInt(1, 'd', 64, true),
  xscvdpsxws: xCvtToInt(1, 'd', 32, true),
  xscvdpuxds: xCvtToInt(1, 'd', 64, false),
  xscvdpuxws: xCvtToInt(1, 'd', 32, false),
  xscvsxddp: xCvtFromInt(1, 'd', true, false),
  xscvuxddp: xCvtFromInt(1, 'd', false, false),
  xscvsxdsp: xCvtFromInt(1, 'd', true, true),
  xscvuxdsp: xCvtFromInt(1, 'd', false, true),
  // vector double
  xvadddp: xvArith('addsub', add, false),
  xvsubdp: xvArith('addsub', sub, false),
  xvmuldp: xvArith('mul', mul, false),
  xvdivdp: xvArith('div', div, false),
  xvsqrtdp: xvUnary('sqrt', false),
  xvredp: xvUnary('re', false),
  xvrsqrtedp: xvUnary('rsqrte', false),
  xvmaddadp: xvMadd(false, false, false),
  xvmaddmdp: xvMadd(false, false, false),
  xvmsubadp: xvMadd(true, false, false),
  xvmsubmdp: xvMadd(true, false, false),
  xvnmaddadp: xvMadd(false, true, false),
  xvnmaddmdp: xvMadd(false, true, false),
  xvnmsubadp: xvMadd(true, true, false),
  xvnmsubmdp: xvMadd(true, true, false),
  xvabsdp: xvSignDp((b) => b & 0x7fffffff),
  xvnabsdp: xvSignDp((b) => b | SGN32),
  xvnegdp: xvSignDp((b) => b ^ SGN32),
  xvcpsgndp: xvSignDp((b, a) => (a & SGN32) | (b & 0x7fffffff)),
  xvmaxdp: xMaxMin(true, 2),
  xvmindp: xMaxMin(false, 2),
  xvcmpeqdp: xvcmp(2, false, false),
  xvcmpgedp: xvcmp(6, true, false),
  xvcmpgtdp: xvcmp(4, true, false),
  xvtdivdp: xtdiv(2),
  xvtsqrtdp: xtsqrt(2),
  xvrdpi: xRound(fpu.RM_AWAY, 2),
  xvrdpic: xRound(-1, 2),
  xvrdpim: xRound(fpu.RM_DOWN, 2),
  xvrdpip: xRound(fpu.RM_UP, 2),
  xvrdpiz: xRound(fpu.RM_ZERO, 2),
  xvcvdpsp, xvcvspdp,
  xvcvdpsxds: xCvtToInt(2, 'd', 64, true),
  xvcvdpsxws: xCvtToInt(2, 'd', 32, true),
  xvcvdpuxds: xCvtToInt(2, 'd', 64, false),
  xvcvdpuxws: xCvtToInt(2, 'd', 32, false),
  xvcvsxddp: xCvtFromInt(2, 'd', true, false),
  xvcvuxddp: xCvtFromInt(2, 'd', false, false),
  xvcvsxwdp: xCvtFromInt(2, 'w', true, false),
  xvcvuxwdp: xCvtFromInt(2, 'w', false, false),
  // vector single
  xvaddsp: xvArith('addsub', add, true),
  xvsubsp: xvArith('addsub', sub, true),
  xvmulsp: xvArith('mul', mul, true),
  xvdivsp: xvArith('div', div, true),
  xvsqrtsp: xvUnary('sqrt', true),
  xvresp: xvUnary('re', true),
  xvrsqrtesp: xvUnary('rsqrte', true),
  xvmaddasp: xvMadd(false, false, true),
  xvmaddmsp: xvMadd(false, false, true),
  xvmsubasp: xvMadd(true, false, true),
  xvmsubmsp: xvMadd(true, false, true),
  xvnmaddasp: xvMadd(false, true, true),
  xvnmaddmsp: xvMadd(false, true, true),
  xvnmsubasp: xvMadd(true, true, true),
  xvnmsubmsp: xvMadd(true, true, true),
  xvabssp: xvSignSp((b) => b & 0x7fffffff),
  xvnabssp: xvSignSp((b) => b | SGN32),
  xvnegsp: xvSignSp((b) => b ^ SGN32),
  xvcpsgnsp: xvSignSp((b, a) => (a & SGN32) | (b & 0x7fffffff)),
  xvmaxsp: xMaxMin(true, 4),
  xvminsp: xMaxMin(false, 4),
  xvcmpeqsp: xvcmp(2, false, true),
  xvcmpgesp: xvcmp(6, true, true),
  xvcmpgtsp: xvcmp(4, true, true),
  xvtdivsp: xtdiv(4),
  xvtsqrtsp: xtsqrt(4),
  xvrspi: xRound(fpu.RM_AWAY, 4),
  xvrspic: xRound(-1, 4),
  xvrspim: xRound(fpu.RM_DOWN, 4),
  xvrspip: xRound(fpu.RM_UP, 4),
  xvrspiz: xRound(fpu.RM_ZERO, 4),
  xvcvspsxds: xCvtToInt(2, 's', 64, true),
  xvcvspsxws: xCvtToInt(4, 's', 32, true),
  xvcvspuxds: xCvtToInt(2, 's', 64, false),
  xvcvspuxws: xCvtToInt(4, 's', 32, false),
  xvcvsxdsp: xvCvtToSp('d', true),
  xvcvuxdsp: xvCvtToSp('d', false),
  xvcvsxwsp: xvCvtToSp('w', true),
  xvcvuxwsp: xvCvtToSp('w', false),
};
