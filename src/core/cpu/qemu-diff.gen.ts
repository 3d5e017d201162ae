// Regenerates qemu-diff.fixture.json by running the differential guest under QEMU TCG.
// Needs qemu-system-ppc64 (Debian: apt-get install qemu-system-ppc).
// Run: npx tsx src/core/cpu/qemu-diff.gen.ts

import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffProgramSource, diffSystemSource, diffLineNames, diffFpSource, FP_INSNS } from './qemu-diff';
import { qemuCommand, qemuVersion, runQemuDiff } from './qemu-run';

const here = dirname(fileURLToPath(import.meta.url));
const version = qemuVersion();

const alu = await runQemuDiff('alu', diffProgramSource());
const names = diffLineNames();
if (alu.length !== names.length) throw new Error(`alu: ${alu.length} lines, expected ${names.length}`);
const system = await runQemuDiff('system', diffSystemSource());
const fp = await runQemuDiff('fp', diffFpSource());
if (fp.length !== FP_INSNS.length) throw new Error(`fp: ${fp.length} lines, expected ${FP_INSNS.length}`);
writeFileSync(join(here, 'qemu-diff.fixture.json'), JSON.stringify({
  generator: 'src/core/cpu/qemu-diff.gen.ts',
  qemu: version,
  command: qemuCommand(),
  expected: Object.fromEntries(names.map((n, i) => [n, alu[i]])),
  system,
  fp: Object.fromEntries(FP_INSNS.map((n, i) => [n, fp[i]])),
}, null, 2) + '\n');
console.log(`wrote ${alu.length} + ${system.length} + ${fp.length} lines from ${version}`);
