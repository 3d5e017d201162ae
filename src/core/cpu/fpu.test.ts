import { describe, it, expect } from 'vitest';
import * as fpu from './fpu';

// The JavaScript-double fast paths must agree with the exact (BigInt) path whenever they answer:
// same bits, same inexact flag. Operands are random doubles of mixed magnitudes and random
// single-precision values; the exact path is what the QEMU differential test checks.

const buf = new DataView(new ArrayBuffer(8));
const bits = (x: number): bigint => { buf.setFloat64(0, x); return buf.getBigUint64(0); };

/** Deterministic generator (xorshift). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

function operand(r: () => number): number {
  const k = r();
  const m = 1 + r();
  const sign = r() < 0.5 ? -1 : 1;
  if (k < 0.1) return sign * Math.fround(m * 2 ** Math.floor(r() * 40 - 20));
  if (k < 0.2) return sign * Math.floor(r() * 1000);
  if (k < 0.25) return sign * 2 ** Math.floor(r() * 100 - 50);
  return sign * m * 2 ** Math.floor(r() * 1200 - 600);
}

function check(name: string, fastFn: () => number, exact: () => bigint): boolean {
  fpu.fs.flags = 0;
  fpu.fs.mode = fpu.RM_NEAREST;
  fpu.fs.rebiasOverflow = false;
  fpu.fs.rebiasUnderflow = false;
  const r = fastFn();
  if (r !== r) return false;
  const want = exact();
  expect({ name, r: bits(r).toString(16), inexact: fpu.fast.inexact })
    .toEqual({ name, r: want.toString(16), inexact: (fpu.fs.flags & fpu.FL_INEXACT) !== 0 });
  return true;
}

describe('fpu fast paths agree with the exact path (round to nearest)', () => {
  it('add, multiply, divide and multiply-add over random operands', () => {
    const r = rng(12345);
    const answered = { add: 0, mul: 0, div: 0, fma: 0 };
    for (let i = 0; i < 20000; i++) {
      const x = operand(r), y = operand(r), z = operand(r);
      const bx = bits(x), by = bits(y), bz = bits(z);
      if (check('add', () => fpu.addFast(x, y), () => fpu.fadd(bx, by, false))) answered.add++;
      if (check('mul', () => fpu.mulFast(x, y), () => fpu.fmul(bx, by, false))) answered.mul++;
      if (check('div', () => fpu.divFast(x, y), () => fpu.fdiv(bx, by, false))) answered.div++;
      // products close to the addend make the sum cancel: the hard cases for the fast FMA
      const z2 = r() < 0.3 ? -(x * y) * (1 + (r() - 0.5) * 2 ** -40) : z;
      if (check('fma', () => fpu.fmaFast(x, y, z2), () => fpu.fmadd(bx, by, bits(z2), false, false, false))) answered.fma++;
    }
    // the fast paths answer most ordinary cases
    expect(answered.add).toBeGreaterThan(5000);
    expect(answered.mul).toBeGreaterThan(5000);
    expect(answered.div).toBeGreaterThan(5000);
    expect(answered.fma).toBeGreaterThan(5000);
  });
});
