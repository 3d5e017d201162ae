// Run qemu-system-ppc64 7.2 on a stream as a destination (`-incoming "exec:cat FILE"`) with the
// hello guest as its -kernel, until it printed `counts` count lines (or 30 s, or it exited).

import { spawn } from 'node:child_process';
import { counters } from '../src/cli/commands';

export interface QemuIncomingResult {
  /** Its console, line by line. */
  lines: string[];
  /** Its stderr lines, without the warnings about caps TCG cannot provide. */
  errors: string[];
}

export async function qemuIncoming(file: string, extraArgs: string[] = [], counts = 2): Promise<QemuIncomingResult> {
  const p = spawn('qemu-system-ppc64', ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-m', '256M', ...extraArgs,
    '-nodefaults', '-nographic', '-chardev', 'stdio,id=c0', '-device', 'spapr-vty,chardev=c0',
    '-kernel', 'public/guests/hello.elf', '-incoming', `exec:cat ${file}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const lines = await new Promise<string[]>((resolve) => {
    const timer = setTimeout(() => resolve(stdout.split(/\r?\n/)), 30_000);
    p.stdout.on('data', (b: Buffer) => {
      stdout += b.toString('latin1');
      const ls = stdout.split(/\r?\n/);
      if (counters(ls).length >= counts) { clearTimeout(timer); resolve(ls); }
    });
    p.stderr.on('data', (b: Buffer) => { stderr += b.toString('latin1'); });
    p.on('exit', () => { clearTimeout(timer); resolve(stdout.split(/\r?\n/)); });
  });
  p.kill('SIGTERM');
  const errors = stderr.split('\n').filter((l) => l && !l.includes("TCG doesn't support requested feature") && !l.includes('terminating on signal'));
  return { lines, errors };
}
