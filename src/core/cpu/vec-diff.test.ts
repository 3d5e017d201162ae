import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vecDiffSource } from './vec-diff';
import { VEC_AREAS } from './vec-diff-areas';
import { runDiffHere } from './diff-here';

const here = dirname(fileURLToPath(import.meta.url));

describe('vector units against QEMU 7.2 TCG (fixtures from vec-diff.gen.ts)', () => {
  for (const [area, list] of Object.entries(VEC_AREAS)) {
    if (list.length === 0) continue;
    it(`${area}: every instruction hashes like QEMU over ${list.length} instructions' register images`, () => {
      const file = join(here, `vec-diff-${area}.fixture.json`);
      expect(existsSync(file), `${file} (run: npx tsx src/core/cpu/vec-diff.gen.ts ${area})`).toBe(true);
      const expected = JSON.parse(readFileSync(file, 'utf8')).expected as Record<string, string>;
      expect(Object.keys(expected).sort()).toEqual(list.map((c) => c.insn).sort());
      const lines = runDiffHere(vecDiffSource(list));
      expect(lines.length).toBe(list.length);
      const mismatches = list.filter((c, i) => lines[i] !== expected[c.insn]).map((c) => c.insn);
      expect(mismatches).toEqual([]);
    });
  }
});
