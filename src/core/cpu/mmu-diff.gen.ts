// Regenerates mmu-diff.fixture.json by running the MMU differential guest (mmu-diff.ts) under
// QEMU TCG. Needs qemu-system-ppc64 (Debian: apt-get install qemu-system-ppc).
// Run: npx tsx src/core/cpu/mmu-diff.gen.ts

import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleBytes } from '../asm/asm';
import { mmuDiffSource, diffElf, DIFF_LOAD_ADDR } from './mmu-diff';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmu-diff-'));
const version = execFileSync('qemu-system-ppc64', ['--version']).toString().split('\n')[0];
const argsFor = (elf: string) => ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-accel', 'tcg', '-m', '256M',
  '-nographic', '-nodefaults', '-serial', 'stdio', '-kernel', elf];

const elf = join(dir, 'mmu.elf');
writeFileSync(elf, diffElf(assembleBytes(mmuDiffSource(), BigInt(DIFF_LOAD_ADDR))));
const lines = await new Promise<string[]>((resolve, reject) => {
  const q = spawn('qemu-system-ppc64', argsFor(elf), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const timer = setTimeout(() => q.kill('SIGKILL'), 120_000);
  q.stdout.on('data', (d) => {
    out += d.toString();
    if (/\bEND\r?\n/.test(out)) q.kill('SIGKILL');
  });
  q.on('exit', () => {
    clearTimeout(timer);
    const ls = out.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[0-9a-f]{16}$/.test(l) || l === 'END');
    if (ls[ls.length - 1] !== 'END') reject(new Error(`no END in output:\n${out.slice(0, 3000)}`));
    else resolve(ls.slice(0, -1));
  });
});
writeFileSync(join(here, 'mmu-diff.fixture.json'), JSON.stringify({
  generator: 'src/core/cpu/mmu-diff.gen.ts',
  qemu: version,
  command: `qemu-system-ppc64 ${argsFor('<image>.elf').join(' ')}`,
  lines,
}, null, 2) + '\n');
console.log(`wrote ${lines.length} lines from ${version}`);
