// Regenerate test/fixtures/linux/console-qemu-7.2{,-smp2,-memhp}.txt: the bundled Linux guest
// booted on QEMU 7.2 (Debian's qemu-system-ppc64, TCG) with the command line of
// src/core/guests.ts (and with -smp 2), the guest's transcript commands typed one per prompt,
// the console saved as it came (carriage returns and printk timestamps included; the test
// normalises both).
//
// console-qemu-7.2-memhp.txt: the same command line with `-m 256M,slots=2,maxmem=768M` and a
// QMP socket. At the first prompt `object-add memory-backend-ram id=mem1 size=256M` and
// `device_add pc-dimm id=dimm1 memdev=mem1` are sent over QMP; two seconds later (the kernel
// takes the DLPAR event, resizes its HPT and onlines the LMB) `cat /proc/meminfo` is typed;
// at the next prompt `device_del dimm1`, and once QEMU reports DEVICE_DELETED (the kernel
// offlined and removed the LMB and released its DRC) `cat /proc/meminfo` again; then
// `poweroff`.
//
//   npx tsx scripts/regen-linux-console.ts        (needs qemu-system-ppc64: apt-get install -y qemu-system-ppc)

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
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

/** The memory hot-plug machine: -m 256M,slots=2,maxmem=768M. */
const MEMHP_MEM = `${guest.ramSize! >> 20}M,slots=2,maxmem=768M`;

/**
 * Boot QEMU and call `step(n)` at the n-th prompt (n from 0) with a function that types a line;
 * save the console to console-qemu-7.2<suffix>.txt once QEMU exits.
 */
function capture(suffix: string, args: string[], step: (n: number, type: (line: string) => void) => void | Promise<void>, steps: number): Promise<void> {
  const [exe, ...rest] = args;
  console.error(`$ ${args.join(' ')}`);
  const qemu = spawn(exe, rest, { stdio: ['pipe', 'pipe', 'inherit'] });
  let log = '';
  let n = 0;
  const driver = new PromptDriver(guest.prompt!, Array.from({ length: steps }, () => ''), () => {
    const k = n++;
    void step(k, (line) => qemu.stdin.write(`${line}\r`));
  });
  qemu.stdout.setEncoding('latin1');
  qemu.stdout.on('data', (d: string) => { log += d; driver.output(d); });
  const timer = setTimeout(() => { console.error('timed out'); qemu.kill(); }, 60_000);
  return new Promise((done) => qemu.on('exit', (code) => {
    clearTimeout(timer);
    if (n < steps || code !== 0) {
      console.error(`qemu-system-ppc64 exited ${code} after ${driver.promptsSeen} prompts`);
      process.exit(1);
    }
    const out = resolve(`test/fixtures/linux/console-qemu-7.2${suffix}.txt`);
    writeFileSync(out, log);
    console.error(`wrote ${out} (${log.length} bytes)`);
    done();
  }));
}

function transcript(smp: number): Promise<void> {
  const commands = guest.transcript!;
  return capture(smp > 1 ? `-smp${smp}` : '', qemuCommandLine(guest, dir, smp), (n, type) => type(commands[n]), commands.length);
}

/** A QMP client on a unix socket: execute() resolves with the reply's return; events are collected. */
class Qmp {
  private buf = '';
  private waiting: Array<(r: { return?: unknown; error?: { desc: string } }) => void> = [];
  readonly events: string[] = [];
  private listeners: Array<() => void> = [];
  private constructor(private sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 1);
        if (msg.QMP) continue;
        if (msg.event) { this.events.push(msg.event); for (const l of this.listeners.splice(0)) l(); continue; }
        this.waiting.shift()!(msg);
      }
    });
  }
  static async open(path: string): Promise<Qmp> {
    for (let i = 0; ; i++) {
      try {
        const sock = await new Promise<Socket>((ok, fail) => { const s = connect(path, () => ok(s)); s.on('error', fail); });
        const q = new Qmp(sock);
        await q.execute('qmp_capabilities');
        return q;
      } catch (e) {
        if (i > 200) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  execute(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
    this.sock.write(JSON.stringify(args ? { execute: cmd, arguments: args } : { execute: cmd }) + '\n');
    return new Promise((ok) => this.waiting.push((r) => {
      if (r.error) { console.error(`${cmd}: ${r.error.desc}`); process.exit(1); }
      ok(r.return);
    }));
  }
  async event(name: string): Promise<void> {
    while (!this.events.includes(name)) await new Promise<void>((r) => this.listeners.push(r));
  }
  close(): void { this.sock.end(); }
}

async function memhp(): Promise<void> {
  const sock = join(dir, 'qmp.sock');
  const args = qemuCommandLine(guest, dir);
  args[args.indexOf('-m') + 1] = MEMHP_MEM;
  args.push('-qmp', `unix:${sock},server=on,wait=off`);
  let qmp: Qmp | null = null;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await capture('-memhp', args, async (n, type) => {
    qmp ??= await Qmp.open(sock);
    if (n === 0) {
      await qmp.execute('object-add', { 'qom-type': 'memory-backend-ram', id: 'mem1', size: 256 << 20 });
      await qmp.execute('device_add', { driver: 'pc-dimm', id: 'dimm1', memdev: 'mem1' });
      await sleep(2000);
      type('cat /proc/meminfo');
    } else if (n === 1) {
      await qmp.execute('device_del', { id: 'dimm1' });
      await qmp.event('DEVICE_DELETED');
      type('cat /proc/meminfo');
    } else {
      qmp.close();
      type('poweroff');
    }
  }, 3);
}

await transcript(1);
await transcript(2);
await memhp();
