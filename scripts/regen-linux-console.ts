// Regenerate test/fixtures/linux/console-qemu-7.2{,-smp2}.txt: the bundled Linux guest booted
// on QEMU 7.2 (Debian's qemu-system-ppc64, TCG) with the command line of src/core/guests.ts
// (and with -smp 2), the guest's transcript commands typed one per prompt, the console saved
// as it came (carriage returns and printk timestamps included; the test normalises both).
//
//   npx tsx scripts/regen-linux-console.ts        (needs qemu-system-ppc64: apt-get install -y qemu-system-ppc)

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { guestById, PromptDriver, qemuCommandLine } from '../src/core/guests';

const guest = guestById('linux')!;
const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-linux-'));
for (const f of [guest.kernel, guest.initrd!]) {
  const data = readFileSync(resolve('public/guests', f));
  mkdirSync(join(dir, f, '..'), { recursive: true });
  writeFileSync(join(dir, f.replace(/\.gz$/, '')), f.endsWith('.gz') ? gunzipSync(data) : data);
}
function capture(smp: number): Promise<void> {
  const [exe, ...args] = qemuCommandLine(guest, dir, smp);
  console.error(`$ ${[exe, ...args].join(' ')}`);
  const qemu = spawn(exe, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let log = '';
  const driver = new PromptDriver(guest.prompt!, [...guest.transcript!], (line) => qemu.stdin.write(line));
  qemu.stdout.setEncoding('latin1');
  qemu.stdout.on('data', (d: string) => { log += d; driver.output(d); });
  const timer = setTimeout(() => { console.error('timed out'); qemu.kill(); }, 60_000);
  return new Promise((done) => qemu.on('exit', (code) => {
    clearTimeout(timer);
    if (!driver.done || code !== 0) {
      console.error(`qemu-system-ppc64 exited ${code} after ${driver.promptsSeen} prompts`);
      process.exit(1);
    }
    const out = resolve(`test/fixtures/linux/console-qemu-7.2${smp > 1 ? `-smp${smp}` : ''}.txt`);
    writeFileSync(out, log);
    console.error(`wrote ${out} (${log.length} bytes)`);
    done();
  }));
}

await capture(1);
await capture(2);
