import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  R, add64, mul64, mulhu64, mulhs64, mulhu32, mulhs32, divu64, divs64, rotl64, mask64, mask32,
  cntlz64, popcnt32, popcntb32, shl64, shr64, sar64, cmps64, cmpu64,
} from './int64';

const M64 = (1n << 64n) - 1n;
const u64 = (hi: number, lo: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const s64 = (hi: number, lo: number) => BigInt.asIntN(64, u64(hi, lo));
const res = () => u64(R[0], R[1]);

/** 64-bit values biased towards edge cases. */
const word = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 2, 3),
);
const pair = fc.tuple(word, word);

const cfg = { numRuns: 2000 };

describe('int64 helpers against a BigInt oracle', () => {
  it('add64 with carry', () => {
    fc.assert(fc.property(pair, pair, fc.integer({ min: 0, max: 1 }), ([ah, al], [bh, bl], c) => {
      add64(ah, al, bh, bl, c);
      const full = u64(ah, al) + u64(bh, bl) + BigInt(c);
      expect(res()).toBe(full & M64);
      expect(R[2]).toBe(full > M64 ? 1 : 0);
    }), cfg);
  });

  it('subtract as ~a + b + 1 (subf) with carry', () => {
    fc.assert(fc.property(pair, pair, ([ah, al], [bh, bl]) => {
      add64(~ah, ~al, bh, bl, 1);
      expect(res()).toBe((u64(bh, bl) - u64(ah, al)) & M64);
      expect(R[2]).toBe(u64(bh, bl) >= u64(ah, al) ? 1 : 0);
    }), cfg);
  });

  it('mul64 low / mulhu64 / mulhs64', () => {
    fc.assert(fc.property(pair, pair, ([ah, al], [bh, bl]) => {
      mul64(ah, al, bh, bl);
      expect(res()).toBe((u64(ah, al) * u64(bh, bl)) & M64);
      mulhu64(ah, al, bh, bl);
      expect(res()).toBe((u64(ah, al) * u64(bh, bl)) >> 64n);
      mulhs64(ah, al, bh, bl);
      expect(res()).toBe(BigInt.asUintN(64, (s64(ah, al) * s64(bh, bl)) >> 64n));
    }), cfg);
  });

  it('mulhu32 / mulhs32', () => {
    fc.assert(fc.property(word, word, (a, b) => {
      expect(mulhu32(a, b) >>> 0).toBe(Number((BigInt(a >>> 0) * BigInt(b >>> 0)) >> 32n));
      expect(mulhs32(a, b)).toBe(Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b)) >> 32n)));
    }), cfg);
  });

  it('divu64 / divs64', () => {
    fc.assert(fc.property(pair, pair, ([ah, al], [bh, bl]) => {
      fc.pre((bh | bl) !== 0);
      divu64(ah, al, bh, bl);
      expect(res()).toBe(u64(ah, al) / u64(bh, bl));
      const a = s64(ah, al), b = s64(bh, bl);
      fc.pre(!(a === -(1n << 63n) && b === -1n));
      divs64(ah, al, bh, bl);
      expect(res()).toBe(BigInt.asUintN(64, a / b));
    }), cfg);
  });

  it('rotl64', () => {
    fc.assert(fc.property(pair, fc.integer({ min: 0, max: 63 }), ([h, l], n) => {
      rotl64(h, l, n);
      const v = u64(h, l);
      expect(res()).toBe(((v << BigInt(n)) | (v >> BigInt((64 - n) % 64))) & M64);
    }), cfg);
  });

  it('mask64 / mask32 (ISA bit numbering, wrapping)', () => {
    const mask = (mb: number, me: number, bitsN: number) => {
      let m = 0n;
      const set = (i: number) => { m |= 1n << BigInt(bitsN - 1 - i); };
      if (mb <= me) for (let i = mb; i <= me; i++) set(i);
      else { for (let i = mb; i < bitsN; i++) set(i); for (let i = 0; i <= me; i++) set(i); }
      return m;
    };
    for (let mb = 0; mb < 64; mb++) for (let me = 0; me < 64; me++) {
      mask64(mb, me);
      expect(res()).toBe(mask(mb, me, 64));
    }
    for (let mb = 0; mb < 32; mb++) for (let me = 0; me < 32; me++) {
      expect(mask32(mb, me) >>> 0).toBe(Number(mask(mb, me, 32)));
    }
  });

  it('shifts: shl64 / shr64 / sar64 (7-bit amounts) and CA', () => {
    fc.assert(fc.property(pair, fc.integer({ min: 0, max: 127 }), ([h, l], n) => {
      const v = u64(h, l), s = s64(h, l), N = BigInt(n);
      shl64(h, l, n);
      expect(res()).toBe(n >= 64 ? 0n : (v << N) & M64);
      shr64(h, l, n);
      expect(res()).toBe(n >= 64 ? 0n : v >> N);
      sar64(h, l, n);
      const sh = n >= 64 ? 63n : N;
      expect(res()).toBe(BigInt.asUintN(64, s >> sh));
      const lost = n >= 64 ? v : v & ((1n << N) - 1n);
      expect(R[2]).toBe(s < 0n && lost !== 0n ? 1 : 0);
    }), cfg);
  });

  it('cntlz64 / popcnt', () => {
    fc.assert(fc.property(pair, ([h, l]) => {
      const v = u64(h, l);
      expect(cntlz64(h, l)).toBe(v === 0n ? 64 : 64 - v.toString(2).length);
      const pc = (x: bigint) => x.toString(2).split('').filter((c) => c === '1').length;
      expect(popcnt32(l)).toBe(pc(BigInt(l >>> 0)));
      const pb = popcntb32(l);
      for (let k = 0; k < 4; k++) expect((pb >>> (8 * k)) & 0xff).toBe(pc(BigInt((l >>> (8 * k)) & 0xff)));
    }), cfg);
  });

  it('signed and unsigned compares', () => {
    fc.assert(fc.property(pair, pair, ([ah, al], [bh, bl]) => {
      const sgn = (x: bigint) => (x < 0n ? -1 : x > 0n ? 1 : 0);
      expect(cmps64(ah, al, bh, bl)).toBe(sgn(s64(ah, al) - s64(bh, bl)));
      expect(cmpu64(ah, al, bh, bl)).toBe(sgn(u64(ah, al) - u64(bh, bl)));
    }), cfg);
  });
});
