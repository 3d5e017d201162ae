// Runs a differential-test guest under QEMU 7.2 TCG and collects the 16-hex-digit lines it
// prints up to END: what the *.gen.ts scripts turn into committed fixtures (Node only).

import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleBytes } from '../asm/asm';
import { diffElf, DIFF_LOAD_ADDR } from './qemu-diff';

export const qemuVersion = (): string => execFileSync('qemu-system-ppc64', ['--version']).toString().split('\n')[0];

export const qemuArgsFor = (elf: string): string[] => ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-accel', 'tcg',
  '-m', '256M', '-nographic', '-nodefaults', '-serial', 'stdio', '-kernel', elf];

/** The command line a fixture records. */
export const qemuCommand = (): string => `qemu-system-ppc64 ${qemuArgsFor('<image>.elf').join(' ')}`;

const dir = mkdtempSync(join(tmpdir(), 'qemu-diff-'));

/** Assemble `src`, boot it under QEMU and collect its output lines up to END. */
export function runQemuDiff(name: string, src: string): Promise<string[]> {
  const elf = join(dir, `${name}.elf`);
  writeFileSync(elf, diffElf(assembleBytes(src, BigInt(DIFF_LOAD_ADDR))));
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-ppc64', qemuArgsFor(elf), { stdio: ['ignore', 'pipe', 'pipe'] });
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
