// Regenerates vsx-extra.fixture.json: the VSX floating-point cases under the FPSCR images with
// exceptions enabled (without and with MSR[FE0|FE1]), and the little-endian load/store guest
// (all in vsx-cases.ts), run under QEMU 7.2 TCG. Needs qemu-system-ppc64. Run: npx tsx src/core/cpu/vsx-extra.gen.ts

import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../asm/asm';
import { endLines, printRoutines } from './qemu-diff';
import { qemuCommand, qemuVersion, runQemuDiff } from './qemu-run';
import { vecDiffSource } from './vec-diff';
import { FP_CASES, withFpscrImages, vsxLeSource } from './vsx-cases';

const here = dirname(fileURLToPath(import.meta.url));
const fp = await runQemuDiff('vsx-fpscr', withFpscrImages(vecDiffSource(FP_CASES)));
const trap = await runQemuDiff('vsx-fpscr-trap', withFpscrImages(vecDiffSource(FP_CASES), true));
for (const l of [fp, trap]) if (l.length !== FP_CASES.length) throw new Error(`${l.length} lines, expected ${FP_CASES.length}`);
const le = await runQemuDiff('vsx-le', vsxLeSource((i) => assemble(i, 0n)[0], endLines(), printRoutines()));
writeFileSync(join(here, 'vsx-extra.fixture.json'), JSON.stringify({
  generator: 'src/core/cpu/vsx-extra.gen.ts', qemu: qemuVersion(), command: qemuCommand(),
  fpscr: Object.fromEntries(FP_CASES.map((c, i) => [c.insn, fp[i]])),
  fpscrTrap: Object.fromEntries(FP_CASES.map((c, i) => [c.insn, trap[i]])),
  le,
}, null, 2) + '\n');
console.log(`wrote ${fp.length} + ${trap.length} + ${le.length} lines from ${qemuVersion()}`);
