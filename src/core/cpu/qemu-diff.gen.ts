// Regenerates qemu-diff.fixture.json by running the differential guest under QEMU TCG.
// Needs qemu-system-ppc64 (Debian: apt-get install qemu-system-ppc).
// Run: npx tsx src/core/cpu/qemu-diff.gen.ts

import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleBytes } from '../asm/asm';
import { diffProgramSource, diffSystemSource, diffElf, diffLineNames, DIFF_LOAD_ADDR } from './qemu-diff';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qemu-diff-'));
const version = execFileSync('qemu-system-ppc64', ['--version']).toString().split('\n')[0];
const argsFor = (elf: string) => ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-accel', 'tcg', '-m', '256M',
  '-nographic', '-nodefaults', '-serial', 'stdio', '-kernel', elf];

/** Boot `src` under QEMU and collect its output lines up to END. */
function runQemu(name: string, src: string): Promise<string[]> {
  const elf = join(dir, `${name}.elf`);
  writeFileSync(elf, diffElf(assembleBytes(src, BigInt(DIFF_LOAD_ADDR))));
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-ppc64', argsFor(elf), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => q.kill('SIGKILL'), 120_000);
    q.stdout.on('data', (d) => {
      out += d.toString();
      if (/\bEND\r?\n/.test(out)) q.kill('SIGKILL');
    });
    q.on('exit', () => {
      clearTimeout(timer);
      const lines = out.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[0-9a-f]{16}$/.test(l) || l === 'END');
      if (lines[lines.length - 1] !== 'END') reject(new Error(`${name}: no END in output:\n${out.slice(0, 2000)}`));
      else resolve(lines.slice(0, -1));
    });
  });
}

const alu = await runQemu('alu', diffProgramSource());
const names = diffLineNames();
if (alu.length !== names.length) throw new Error(`alu: ${alu.length} lines, expected ${names.length}`);
const system = await runQemu('system', diffSystemSource());
writeFileSync(join(here, 'qemu-diff.fixture.json'), JSON.stringify({
  generator: 'src/core/cpu/qemu-diff.gen.ts',
  qemu: version,
  command: `qemu-system-ppc64 ${argsFor('<image>.elf').join(' ')}`,
  expected: Object.fromEntries(names.map((n, i) => [n, alu[i]])),
  system,
}, null, 2) + '\n');
console.log(`wrote ${alu.length} + ${system.length} lines from ${version}`);
