import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISA, isAssemblable } from '../cpu/isa';
import { disassemble } from './disasm';
import { rng, randomWord } from './random-words';

// Every table row, encoded with random operands, goes through GNU as (as .long words, so the
// encoding is ours) and objdump -d -M power8; the disassembler must print what objdump prints.
// Words objdump does not decode (reserved BO values and the like) are counted, not compared.
// Needs Debian's binutils-powerpc64le-linux-gnu; skipped without it.

const AS = 'powerpc64le-linux-gnu-as', OBJDUMP = 'powerpc64le-linux-gnu-objdump';
const have = (() => {
  try { execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' }); execFileSync(AS, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

const PER_ROW = 8;

describe('disassembler against GNU objdump -M power8', () => {
  it.skipIf(!have)('prints what objdump prints for every table row (random operands)', () => {
    const words: { w: number; mn: string }[] = [];
    ISA.forEach((row, i) => {
      if (!isAssemblable(row)) return;
      const next = rng(i * 31 + 7);
      for (let k = 0; k < PER_ROW; k++) words.push({ w: randomWord(row, next), mn: row.mn });
    });
    const dir = mkdtempSync(join(tmpdir(), 'objdump-'));
    writeFileSync(join(dir, 'w.s'), words.map(({ w }) => `.long 0x${(w >>> 0).toString(16)}`).join('\n') + '\n');
    execFileSync(AS, ['-mpower8', '-mbig', '-a64', '-o', join(dir, 'w.o'), join(dir, 'w.s')]);
    const out = execFileSync(OBJDUMP, ['-d', '-M', 'power8', join(dir, 'w.o')], { maxBuffer: 1 << 26 }).toString();
    const mismatches: string[] = [];
    let compared = 0, undecoded = 0;
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2} ){4})\s*(.*)$/.exec(line);
      if (!m) continue;
      const addr = parseInt(m[1], 16), w = parseInt(m[2].replace(/ /g, ''), 16);
      const theirs = m[3].replace(/\s+/g, ' ').trim();
      if (theirs.startsWith('.long')) { undecoded++; continue; }
      compared++;
      const ours = disassemble(w, BigInt(addr));
      if (ours !== theirs) mismatches.push(`${words[addr / 4].mn} ${w.toString(16).padStart(8, '0')}: objdump '${theirs}', ours '${ours}'`);
    }
    expect(compared + undecoded).toBe(words.length);
    expect(mismatches.slice(0, 40)).toEqual([]);
    // most words are valid encodings objdump decodes
    expect(undecoded).toBeLessThan(words.length / 20);
  });
});
