// Regenerates mmu-diff.fixture.json by running the MMU differential guest (mmu-diff.ts) under
// QEMU TCG. Needs qemu-system-ppc64 (Debian: apt-get install qemu-system-ppc).
// Run: npx tsx src/core/cpu/mmu-diff.gen.ts

import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mmuDiffSource } from './mmu-diff';
import { qemuCommand, qemuVersion, runQemuDiff } from './qemu-run';

const here = dirname(fileURLToPath(import.meta.url));
const version = qemuVersion();
const lines = await runQemuDiff('mmu', mmuDiffSource());
writeFileSync(join(here, 'mmu-diff.fixture.json'), JSON.stringify({
  generator: 'src/core/cpu/mmu-diff.gen.ts',
  qemu: version,
  command: qemuCommand(),
  lines,
}, null, 2) + '\n');
console.log(`wrote ${lines.length} lines from ${version}`);
