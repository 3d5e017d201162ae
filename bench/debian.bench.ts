// Debian 12's own ppc64el kernel (linux-image-6.1.0-*-powerpc64le, NUMA, VMX/VSX in use) and
// busybox-static as init, booted to busybox's shell prompt: guest instructions, wall time and
// MIPS here (Node, deterministic), QEMU 7.2 TCG's wall time for the same boot, the ratio, and
// how many console lines differ once printk timestamps are set aside.
// The images come from scripts/get-debian-guest.sh (into .cache/debian/); without them the
// benchmark says so and prints nothing else.
// Run: npm run -s bench -- debian

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { Instance } from '../src/core/instance';
import { guestCaps, guestById } from '../src/core/guests';
import { root } from '../scripts/proc.mjs';

const dir = join(root, '.cache/debian');
const VMLINUX = join(dir, 'vmlinux'), INITRD = join(dir, 'initramfs.cpio');
const PROMPT = 'debian# ';
const RAM = 512 << 20;
const caps = guestById('linux')!.machineProps; // TCG's Spectre caps, as for the bundled Linux

if (!existsSync(VMLINUX) || !existsSync(INITRD)) {
  console.log('debian: no images in .cache/debian (run: sh scripts/get-debian-guest.sh, as root)');
  process.exit(0);
}

const strip = (s: string) => s.replace(/\r/g, '').split('\n').map((l) => l.replace(/^\[ *\d+\.\d+\] /, ''));

function here(): { insns: number; ms: number; console: string } {
  const inst = new Instance({ name: 'debian', deterministic: true, ramSize: RAM, caps: guestCaps(guestById('linux')!) });
  let out = '';
  inst.onSerial = (t) => { out += t; };
  const t0 = performance.now();
  inst.boot(new Uint8Array(readFileSync(VMLINUX)), { initrd: new Uint8Array(readFileSync(INITRD)), append: 'console=hvc0' });
  while (!out.includes(PROMPT) && inst.runstate() === 'running') inst.turn();
  return { insns: inst.machine.cpu.state.insnCount, ms: performance.now() - t0, console: out };
}

function qemu(): Promise<{ ms: number; console: string } | null> {
  if (spawnSync('qemu-system-ppc64', ['--version']).status !== 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const q = spawn('qemu-system-ppc64', ['-M', ['pseries', 'x-vof=on', ...caps].join(','), '-cpu', 'POWER8',
      '-m', `${RAM >> 20}M`, '-nodefaults', '-display', 'none', '-chardev', 'stdio,id=con', '-device', 'spapr-vty,chardev=con',
      '-kernel', VMLINUX, '-initrd', INITRD, '-append', 'console=hvc0'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    q.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (out.includes(PROMPT)) { const ms = performance.now() - t0; q.kill(); resolve({ ms, console: out }); }
    });
    q.on('exit', () => resolve(null));
  });
}

const q = await qemu();
const h = here();
console.log(`debian: ${(h.insns / 1e6).toFixed(1)} M guest instructions to the shell prompt, ${(h.ms / 1000).toFixed(1)} s here (${(h.insns / h.ms / 1000).toFixed(1)} MIPS)`);
if (q) {
  const a = strip(q.console), b = strip(h.console);
  // lines one console has and the other has not (as multisets: order aside)
  const count = new Map<string, number>();
  for (const l of a) count.set(l, (count.get(l) ?? 0) + 1);
  let differ = 0;
  for (const l of b) { const n = count.get(l) ?? 0; if (n > 0) count.set(l, n - 1); else differ++; }
  for (const n of count.values()) differ += n;
  console.log(`debian: QEMU 7.2 TCG ${(q.ms / 1000).toFixed(1)} s to the same prompt: ${(h.ms / q.ms).toFixed(1)} x slower here; console ${b.length} lines, ${differ} lines in one and not the other (timestamps aside)`);
}
