// Linux to the first prompt: guest instructions, wall time and MIPS in Node (a fresh process's
// first boot, then warmed up), in Debian's Chromium (the page with ?guest=linux: fetch,
// inflate, boot in the worker; beside it the same deterministic loop as in Node in a bare
// Chromium worker, no page, to tell the JS engine from the page), and QEMU 7.2 TCG's wall
// time for the same boot when qemu-system-ppc64 is installed, with the ratios. Then live migration of the running guest
// in Node (real-time mode, as the page runs): total, downtime, iterations.
// Run: npm run -s bench -- linux [--runs N] [--no-browser]

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { guestById, guestCaps, qemuCommandLine } from '../src/core/guests';
import { Instance } from '../src/core/instance';
import { migrateInProcess } from '../src/core/migration/local';
import type { MigrationInfo } from '../src/worker/protocol';
import { root } from '../scripts/proc.mjs';
import { runGuest } from './boot';
import { bareWorkerRuns, buildAndServe, bundleWorker, freshBrowser } from './browser';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const guest = guestById('linux')!;
const file = (f: string) => {
  const d = readFileSync(join(root, 'public/guests', f));
  return new Uint8Array(f.endsWith('.gz') ? gunzipSync(d) : d);
};
const kernel = file(guest.kernel);
const initrd = file(guest.initrd!);

function linux(name: string, deterministic: boolean): Instance {
  return new Instance({ name, deterministic, ramSize: guest.ramSize, caps: guestCaps(guest) });
}

/** Boot to the first prompt; returns the instance, its instruction count and the wall time. */
function nodeBoot(deterministic = true): { inst: Instance; insns: number; ms: number } {
  return runGuest({ kernel, initrd, append: guest.append, prompt: guest.prompt, ramSize: guest.ramSize, caps: guestCaps(guest) }, deterministic);
}

function qemuBoot(): Promise<number | null> {
  if (spawnSync('qemu-system-ppc64', ['--version']).status !== 0) return Promise.resolve(null);
  const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-linux-'));
  for (const f of [guest.kernel, guest.initrd!]) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f.replace(/\.gz$/, '')), file(f));
  }
  const [exe, ...args] = qemuCommandLine(guest, dir);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const q = spawn(exe, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    q.stdout.on('data', (d: Buffer) => {
      out = (out + d.toString('latin1')).slice(-64);
      if (out.includes(guest.prompt!)) { const ms = performance.now() - t0; q.kill(); resolve(ms); }
    });
    q.on('exit', () => resolve(null));
  });
}

async function chromiumBoots(runs: number): Promise<number[]> {
  const server = await buildAndServe();
  const times: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      // a fresh browser and profile each run: nothing compiled or cached from the last one
      const context = await freshBrowser();
      try {
        const page = await context.newPage();
        for (let i = 0; ; i++) {
          try { await page.goto(`${server.url}?guest=linux`); break; } catch (e) { if (i > 50) throw e; await new Promise((res) => setTimeout(res, 200)); }
        }
        const t0 = Date.now();
        await page.waitForFunction((p) => window.__pseriesLab !== undefined && window.__pseriesLab.consoleText('left').includes(p),
          guest.prompt!, { timeout: 120_000, polling: 20 });
        times.push(Date.now() - t0);
      } finally {
        await context.close();
      }
    }
  } finally {
    server.close();
  }
  return times;
}

/**
 * The same deterministic boot loop as nodeBoot in a bare Chromium worker (bench/linux-worker.entry.ts
 * bundled by bench/browser.ts; no page, no React, no xterm): a fresh browser per run, two boots per
 * worker. Returns each run's first (cold JIT) and second (warmed) boot times.
 */
async function chromiumBareWorker(runs: number): Promise<{ first: number; warm: number; insns: number }[]> {
  const code = await bundleWorker('bench/linux-worker.entry.ts');
  const out: { first: number; warm: number; insns: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const job = { append: guest.append!, prompt: guest.prompt!, ramSize: guest.ramSize, caps: Array.from(guestCaps(guest)), runs: 2 };
    const times = await bareWorkerRuns(code, job, { kernel, initrd });
    out.push({ first: times[0].ms, warm: times[1].ms, insns: times[0].insns });
  }
  return out;
}

function nodeMigration(): MigrationInfo {
  const { inst: src } = nodeBoot(false);
  return migrateInProcess(src, linux('destination', false)).src!;
}

async function main(): Promise<void> {
  const mips = (insns: number, ms: number) => (insns / ms / 1000).toFixed(1);
  const boots = Array.from({ length: RUNS }, () => nodeBoot());
  const first = boots[0];
  const warm = Math.min(...boots.slice(1).map((b) => b.ms));
  console.log(`guest instructions to the first prompt: ${first.insns} (deterministic: the same every run)`);
  console.log(`node: first boot in a fresh process ${first.ms.toFixed(0)} ms (${mips(first.insns, first.ms)} MIPS), ` +
    `warmed up ${warm.toFixed(0)} ms (${mips(first.insns, warm)} MIPS)`);
  const qemu: number[] = [];
  for (let r = 0; r < RUNS; r++) { const t = await qemuBoot(); if (t !== null) qemu.push(t); }
  const q = qemu.length ? Math.min(...qemu) : null;
  if (q !== null) console.log(`qemu-system-ppc64 7.2 TCG: ${q.toFixed(0)} ms (process start to prompt, best of ${qemu.length}); node first boot / qemu: ${(first.ms / q).toFixed(1)}x, warmed: ${(warm / q).toFixed(1)}x`);
  else console.log('qemu-system-ppc64: not installed (apt-get install -y qemu-system-ppc), no reference');
  if (!process.argv.includes('--no-browser')) {
    const bare = await chromiumBareWorker(RUNS);
    const bareFirst = Math.min(...bare.map((b) => b.first));
    const bareWarm = Math.min(...bare.map((b) => b.warm));
    console.log(`chromium bare worker (the same deterministic loop, no page; fresh browser each run): first boot ${bare.map((b) => `${b.first.toFixed(0)} ms`).join(', ')}; ` +
      `best ${bareFirst.toFixed(0)} ms (${mips(bare[0].insns, bareFirst)} MIPS), warmed ${bareWarm.toFixed(0)} ms (${mips(bare[0].insns, bareWarm)} MIPS); ` +
      `to node: first ${(bareFirst / first.ms).toFixed(2)}x, warmed ${(bareWarm / warm).toFixed(2)}x`);
    const c = await chromiumBoots(RUNS);
    const best = Math.min(...c);
    console.log(`chromium (page load to prompt, fresh browser each run): ${c.map((t) => `${t} ms`).join(', ')}; best ${best} ms ` +
      `(~${mips(first.insns, best)} MIPS); ratio to node first boot ${(best / first.ms).toFixed(2)}x` + (q !== null ? `, to qemu ${(best / q).toFixed(1)}x` : '') +
      `, to the bare worker's first boot ${(best / bareFirst).toFixed(2)}x`);
  }
  const m = nodeMigration();
  console.log(`migration at the prompt (node, real time): total ${m.totalTimeMs?.toFixed(0)} ms, downtime ${m.downtimeMs?.toFixed(1)} ms, ` +
    `iterations ${m.iterations}, ${(m.bytes / 1048576).toFixed(2)} MiB on the wire, ${m.pagesSent} pages (${m.zeroPages} zero)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
