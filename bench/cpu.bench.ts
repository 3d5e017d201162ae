// Interpreter speed on a fixed integer workload: the cpu-workload guest (guests/cpu-workload:
// CRC-32, heapsort and SHA-256, from boot to RTAS power-off) in a deterministic Instance in
// Node (a fresh process's first run, then warmed up), in a bare Chromium worker (the same loop,
// no page), and on QEMU 7.2 TCG when qemu-system-ppc64 is installed (process start to exit,
// beside a rounds=0 run of the same ELF for QEMU's start and exit alone). The guest's checksum
// line is compared across all of them. Figures only: nothing here fails on a mismatch.
// Run: npm run -s bench -- cpu [--runs N] [--no-browser] [--no-qemu]

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { root } from '../scripts/proc.mjs';
import { findChromium } from '../scripts/chromium.mjs';
import { runGuest, type GuestJob } from './boot';
import { bareWorkerRuns, bundleWorker } from './browser';

const runsArg = process.argv.indexOf('--runs');
/** Node runs in this process, and runs in the Chromium worker: the first cold, the rest warmed. */
const RUNS = Math.max(1, runsArg > 0 ? Number(process.argv[runsArg + 1]) : 2);
const QEMU_RUNS = 3;
const ELF = 'public/guests/cpu-workload.elf';
const RAM = 256 << 20;
const job: GuestJob = { kernel: new Uint8Array(readFileSync(join(root, ELF))), ramSize: RAM, maxInsns: 4e9 };
const QEMU_ARGS = ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-m', '256M', '-nodefaults', '-nographic',
  '-chardev', 'stdio,id=con', '-device', 'spapr-vty,chardev=con', '-kernel', join(root, ELF)];

interface Run { ms: number; insns: number; console: string; cpuMs?: number }

const mips = (insns: number, ms: number) => insns / ms / 1000;
const f1 = (x: number) => x.toFixed(1);
const checksum = (console: string) => /checksum ([0-9a-f]{16})/.exec(console)?.[1] ?? null;
const results = (console: string) => console.split(/\r?\n/).filter((l) => /^(crc32|sha256|sort|checksum) /.test(l));
const best = <T extends { ms: number }>(runs: T[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

function nodeRuns(): Run[] {
  const out: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const { ms, insns, console } = runGuest(job);
    const c = process.cpuUsage(c0);
    out.push({ ms, insns, console, cpuMs: (c.user + c.system) / 1000 });
  }
  return out;
}

/** One QEMU run, process start to exit; null when it does not exit within two minutes. */
function qemuRun(append?: string): Promise<{ ms: number; console: string } | null> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const q = spawn('qemu-system-ppc64', append === undefined ? QEMU_ARGS : [...QEMU_ARGS, '-append', append],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    let console = '';
    q.stdout.on('data', (d: Buffer) => { console += d.toString('latin1'); });
    const timer = setTimeout(() => q.kill(), 120_000);
    q.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? null : { ms: performance.now() - t0, console });
    });
    q.on('error', () => { clearTimeout(timer); resolve(null); });
  });
}

async function main(): Promise<void> {
  console.log(`guest: ${ELF} (guests/cpu-workload); host: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);

  // ---- Node ----
  const node = nodeRuns();
  const first = node[0];
  const nodeBest = best(node);
  console.log(`guest instructions: ${first.insns} (deterministic: ${node.every((r) => r.insns === first.insns) ? 'the same every run' : 'DIFFERENT between runs'})`);
  for (const l of results(first.console)) console.log(`  ${l}`);
  const cpuNote = (r: Run) => (r.cpuMs !== undefined ? `, process CPU ${(r.cpuMs / 1000).toFixed(1)} s` : '');
  console.log(`node: first run in a fresh process ${(first.ms / 1000).toFixed(1)} s (${f1(mips(first.insns, first.ms))} MIPS${cpuNote(first)})` +
    (node.length > 1 ? `; warmed: ${node.slice(1).map((r) => `${(r.ms / 1000).toFixed(1)} s (${f1(mips(r.insns, r.ms))} MIPS${cpuNote(r)})`).join(', ')}` : ''));

  // ---- QEMU ----
  let qemuBest: { ms: number; console: string } | null = null;
  if (process.argv.includes('--no-qemu')) console.log('qemu-system-ppc64: skipped (--no-qemu)');
  else if (spawnSync('qemu-system-ppc64', ['--version']).status !== 0) console.log('qemu-system-ppc64: not installed (apt-get install -y qemu-system-ppc), no reference');
  else {
    const runs: { ms: number; console: string }[] = [];
    const bases: { ms: number; console: string }[] = [];
    for (let r = 0; r < QEMU_RUNS; r++) {
      const q = await qemuRun();
      if (q) runs.push(q);
      const b = await qemuRun('rounds=0');
      if (b) bases.push(b);
    }
    if (!runs.length) console.log('qemu-system-ppc64: the guest did not power off within two minutes');
    else {
      qemuBest = best(runs);
      const base = bases.length ? best(bases).ms : null;
      const net = base !== null && qemuBest.ms > base ? `; start and exit alone (rounds=0): ${base.toFixed(0)} ms, so ~${f1(mips(first.insns, qemuBest.ms - base))} MIPS net` : '';
      console.log(`qemu-system-ppc64 TCG: ${runs.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')} (process start to exit), ` +
        `best ${qemuBest.ms.toFixed(0)} ms (${f1(mips(first.insns, qemuBest.ms))} MIPS over the whole process)${net}`);
      console.log(`node / qemu wall time: first run ${f1(first.ms / qemuBest.ms)}x, best ${f1(nodeBest.ms / qemuBest.ms)}x`);
    }
  }

  // ---- Chromium ----
  let chromium: Run[] | null = null;
  if (process.argv.includes('--no-browser')) console.log('chromium: skipped (--no-browser)');
  else {
    try {
      findChromium({ onMissing: 'throw' });
      const code = await bundleWorker('bench/cpu-worker.entry.ts');
      chromium = await bareWorkerRuns(code, { ramSize: RAM, maxInsns: job.maxInsns, runs: RUNS }, { kernel: job.kernel });
      const c = chromium;
      console.log(`chromium bare worker (fresh browser, the same deterministic loop, no page): ` +
        c.map((r, i) => `${i === 0 ? 'first' : 'warmed'} ${(r.ms / 1000).toFixed(1)} s (${f1(mips(r.insns, r.ms))} MIPS)`).join(', ') +
        `; instructions ${c[0].insns === first.insns ? 'the same as in node' : `${c[0].insns}, DIFFERENT from node`}; ` +
        `to node: first ${(c[0].ms / first.ms).toFixed(2)}x, best ${(best(c).ms / nodeBest.ms).toFixed(2)}x`);
    } catch (e) {
      console.log(`chromium: cannot run (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      chromium = null;
    }
  }

  // ---- checksums ----
  const sums: [string, string | null][] = [['node', checksum(first.console)]];
  if (chromium) sums.push(['chromium', checksum(chromium[0].console)]);
  if (qemuBest) sums.push(['qemu', checksum(qemuBest.console)]);
  const all = new Set(sums.map(([, s]) => s));
  const verdict = (all.size === 1 && !all.has(null) ? 'match' : 'MISMATCH') + (qemuBest ? '' : ' (no qemu reference)');
  console.log(`checksum: ${sums.map(([n, s]) => `${n} ${s ?? '(none)'}`).join(', ')}: ${verdict}`);

  const x = f1(mips(nodeBest.insns, nodeBest.ms));
  const y = chromium ? f1(mips(best(chromium).insns, best(chromium).ms)) : 'n/a';
  const z = qemuBest ? f1(nodeBest.ms / qemuBest.ms) : 'n/a';
  console.log(`cpu: ${x} MIPS node, ${y} MIPS chromium, ${z} x qemu-tcg`);
}

main().catch((e) => { console.error(e); process.exit(1); });
