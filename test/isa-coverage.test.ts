import { describe, expect, it } from 'vitest';
import { isaCoverage, coveredRows } from '../src/cli/isa-coverage';
import { ISA, F } from '../src/core/cpu/isa';
import { decodeRow } from '../src/core/cpu/decode';
import { assemble } from '../src/core/asm/asm';

describe('isa-coverage', () => {
  const lines: string[] = [];
  isaCoverage((l) => lines.push(l));
  const text = lines.join('\n');

  it('every VMX and VSX row has differential cases against QEMU', () => {
    const covered = coveredRows();
    const bare = ISA.map((r, i) => ({ r, i })).filter(({ r }) => r.flags & (F.VMX | F.VSX) && !(r.flags & F.UNIMPL) && r.form !== 'ANY');
    expect(bare.filter(({ i }) => !covered.has(i)).map(({ r }) => r.mn)).toEqual([]);
    expect(text).toMatch(/VMX\s+\d+ rows,\s+\d+ with cases \(100%\)/);
  });

  it('counts a case by the rows its instructions decode to', () => {
    const covered = coveredRows();
    expect(covered.has(decodeRow(assemble('vaddubm v0,v1,v2', 0n)[0] | 0))).toBe(true);
    expect(covered.has(decodeRow(assemble('fadd f3,f1,f2', 0n)[0] | 0))).toBe(true);
  });

  it("lists objdump's POWER8 mnemonics the assembler does not take, and none it does", () => {
    const m = /missing: (\d+)/.exec(text);
    expect(m).not.toBeNull();
    const missing = lines.slice(lines.findIndex((l) => l.includes('missing:')) + 1, lines.findIndex((l) => l.startsWith('rows without')))
      .flatMap((l) => l.trim().split(/\s+/));
    expect(missing.length).toBe(Number(m![1]));
    for (const name of ['vmr', 'xxmr', 'vaddubm', 'lxvd2x', 'mtvsrd', 'fadd', 'bdnzflr', 'iselgt']) expect(missing).not.toContain(name);
  });
});
