import { describe, it, expect } from 'vitest';
import { diffProgramSource, diffSystemSource, diffLineNames, diffFpSource, FP_INSNS } from './qemu-diff';
import { runDiffHere as runHere } from './diff-here';
import fixture from './qemu-diff.fixture.json';

describe('differential test against QEMU 7.2 TCG (fixture from qemu-diff.gen.ts)', () => {
  it('every instruction hashes like QEMU over all operand pairs, in 32- and 64-bit mode', () => {
    const lines = runHere(diffProgramSource());
    const names = diffLineNames();
    const expected = fixture.expected as Record<string, string>;
    expect(lines.length).toBe(names.length);
    const mismatches = names.filter((n, i) => lines[i] !== expected[n]);
    expect(mismatches).toEqual([]);
  });

  it('interrupts, SPR access and MSR moves print the same SRR0/SRR1/MSR/DAR/DSISR and values', () => {
    const lines = runHere(diffSystemSource());
    const expected = fixture.system as string[];
    const first = lines.findIndex((l, i) => l !== expected[i]);
    expect(first === -1 ? null : { line: first, got: lines.slice(first, first + 6), want: expected.slice(first, first + 6) })
      .toBeNull();
    expect(lines.length).toBe(expected.length);
  });

  it('floating point: every FP instruction hashes like QEMU over operand pairs, rounding modes and enabled exceptions', () => {
    const lines = runHere(diffFpSource());
    const expected = (fixture as { fp: Record<string, string> }).fp;
    expect(lines.length).toBe(FP_INSNS.length);
    const mismatches = FP_INSNS.filter((n, i) => lines[i] !== expected[n]);
    expect(mismatches).toEqual([]);
  });
});
