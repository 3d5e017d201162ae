// Regenerate test/fixtures/editor-examples-qemu.json: the guest editor's example programs
// (src/core/asm/examples.ts), assembled by our assembler and booted on QEMU 7.2 (Debian's
// qemu-system-ppc64, TCG) as -kernel with x-vof=on; each runs for a second, then QEMU is stopped
// and its console (stdout) kept. test/editor-examples.test.ts runs the same ELFs here.
//
//   npx tsx scripts/regen-editor-examples.ts      (needs qemu-system-ppc64: apt-get install -y qemu-system-ppc)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, programElf } from '../src/core/asm/examples';

const dir = mkdtempSync(join(tmpdir(), 'editor-examples-'));
const out: Record<string, string> = {};
for (const e of EXAMPLES) {
  const elf = join(dir, `${e.id}.elf`);
  writeFileSync(elf, programElf(e.source));
  const r = spawnSync('qemu-system-ppc64', ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-m', '256M', '-nodefaults',
    '-nographic', '-chardev', 'stdio,id=con', '-device', 'spapr-vty,chardev=con', '-kernel', elf],
  { timeout: 1000, killSignal: 'SIGKILL', input: '' });
  out[e.id] = r.stdout.toString();
  if (!out[e.id]) throw new Error(`${e.id}: no console output from QEMU`);
}
const version = spawnSync('qemu-system-ppc64', ['--version']).stdout.toString().split('\n')[0];
writeFileSync('test/fixtures/editor-examples-qemu.json', JSON.stringify({ generator: 'scripts/regen-editor-examples.ts', qemu: version, console: out }, null, 2) + '\n');
console.log(`wrote ${EXAMPLES.length} consoles from ${version}`);
