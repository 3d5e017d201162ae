// Regenerates vec-diff-AREA.fixture.json by running an area's vector differential guest under
// QEMU 7.2 TCG, or (--dump INSN) prints one instruction's folded registers per sample from QEMU
// and from this interpreter side by side, marking the lines that differ.
// Needs qemu-system-ppc64 (Debian: apt-get install qemu-system-ppc).
// Run: npx tsx src/core/cpu/vec-diff.gen.ts AREA [--dump 'INSN']

import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vecDiffSource, VEC_FOLDED, VEC_SAMPLES, cases } from './vec-diff';
import { VEC_AREAS } from './vec-diff-areas';
import { qemuCommand, qemuVersion, runQemuDiff } from './qemu-run';
import { runDiffHere } from './diff-here';

const here = dirname(fileURLToPath(import.meta.url));
const [area, flag, insn] = process.argv.slice(2);
const list = VEC_AREAS[area];
if (!list) {
  console.error(`usage: vec-diff.gen.ts ${Object.keys(VEC_AREAS).join('|')} [--dump 'INSN']`);
  process.exit(2);
}

if (flag === '--dump') {
  const src = vecDiffSource(cases(insn), true);
  const q = await runQemuDiff(`dump-${area}`, src);
  let h: string[];
  try { h = runDiffHere(src); } catch (e) { h = [String(e)]; }
  const names = ['v0 hi', 'v0 lo', 'v1 hi', 'v1 lo', 'v2 hi', 'v2 lo', 'v3 hi', 'v3 lo',
    'vs0 hi', 'vs0 lo', 'vs1 hi', 'vs1 lo', 'vs2 hi', 'vs2 lo', 'vs3 hi', 'vs3 lo',
    'vscr hi', 'vscr lo', 'fpscr', 'cr', 'r3', ...Array.from({ length: 8 }, (_, k) => `buf+${8 * k}`)];
  let diffs = 0;
  for (let s = 0; s < VEC_SAMPLES; s++) {
    for (let k = 0; k < VEC_FOLDED; k++) {
      const i = s * VEC_FOLDED + k, a = q[i] ?? '-', b = h[i] ?? '-';
      if (a !== b) diffs++;
      console.log(`${a !== b ? '*' : ' '} sample ${String(s).padStart(2)} ${names[k].padEnd(7)} qemu ${a}  here ${b}`);
    }
  }
  console.log(`${insn}: ${diffs} of ${VEC_SAMPLES * VEC_FOLDED} lines differ`);
} else {
  const lines = await runQemuDiff(`vec-${area}`, vecDiffSource(list));
  if (lines.length !== list.length) throw new Error(`${area}: ${lines.length} lines, expected ${list.length}`);
  writeFileSync(join(here, `vec-diff-${area}.fixture.json`), JSON.stringify({
    generator: `src/core/cpu/vec-diff.gen.ts ${area}`,
    qemu: qemuVersion(),
    command: qemuCommand(),
    expected: Object.fromEntries(list.map((c, i) => [c.insn, lines[i]])),
  }, null, 2) + '\n');
  console.log(`wrote ${lines.length} lines for ${area} from ${qemuVersion()}`);
}
