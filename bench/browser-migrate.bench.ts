// Live migration as the page does it, in Debian's Chromium: two Web Workers, the stream worker
// to worker over a MessageChannel. Builds the app (vite build), serves it (vite preview), boots
// the bundled guest in the left column, migrates it right and back N times, and prints what
// the page's own `info migrate` figures say: total time, downtime, throughput, RAM bytes sent.
// Beside them, the same migration in-process in Node (MemoryLink) as the reference, and the
// ratio. Run: npm run -s bench -- browser-migrate [--runs N]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Instance } from '../src/core/instance';
import { migrateInProcess } from '../src/core/migration/local';
import type { MigrationInfo } from '../src/worker/protocol';
import { root } from '../scripts/proc.mjs';
import { buildAndServe, freshBrowser } from './browser';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

interface Figures { totalMs: number; downtimeMs: number; mbps: number; bytes: number }

function nodeReference(): Figures {
  const elf = new Uint8Array(readFileSync(join(root, 'public/guests/hello.elf')));
  const src = new Instance({ name: 'source' });
  src.boot(elf);
  while (src.machine.cpu.state.insnCount < 2_000_000) src.turn();
  const m = migrateInProcess(src, new Instance({ name: 'destination' }));
  const info = m.src!;
  return { totalMs: m.ms, downtimeMs: info.downtimeMs ?? 0, mbps: info.mbps ?? 0, bytes: info.bytes };
}

async function main(): Promise<void> {
  const server = await buildAndServe();
  const context = await freshBrowser();
  try {
    const page = await context.newPage();
    for (let i = 0; ; i++) {
      try { await page.goto(server.url); break; } catch (e) { if (i > 50) throw e; await new Promise((r) => setTimeout(r, 200)); }
    }
    await page.waitForFunction(() => window.__pseriesLab !== undefined && /count 1 /.test(window.__pseriesLab.consoleText('left')), null, { timeout: 60_000 });
    const browserRuns: Figures[] = [];
    for (let r = 0; r < RUNS; r++) {
      const button = r % 2 === 0 ? 'migrate-right' : 'migrate-left';
      const from: 'left' | 'right' = r % 2 === 0 ? 'left' : 'right';
      await page.getByTestId(button).click();
      await page.waitForFunction((side) => window.__pseriesLab!.migration(side)?.status === 'completed', from, { timeout: 120_000 });
      const info = await page.evaluate((side) => window.__pseriesLab!.migration(side), from);
      browserRuns.push({ totalMs: info!.totalTimeMs ?? 0, downtimeMs: info!.downtimeMs ?? 0, mbps: info!.mbps ?? 0, bytes: info!.bytes });
      // let the guest print on its new side before migrating back
      const to: 'left' | 'right' = from === 'left' ? 'right' : 'left';
      await page.waitForFunction((side) => /count \d+ /.test(window.__pseriesLab!.consoleText(side)), to, { timeout: 60_000 });
    }
    const ref = nodeReference();
    for (const [i, b] of browserRuns.entries()) {
      console.log(`chromium migration ${i + 1}: total ${b.totalMs.toFixed(0)} ms, downtime ${b.downtimeMs.toFixed(1)} ms, ` +
        `${b.mbps.toFixed(0)} Mbps, RAM records ${(b.bytes / 1048576).toFixed(2)} MiB (ratio to Node in-process: ${(b.totalMs / ref.totalMs).toFixed(2)}x)`);
    }
    console.log(`node in-process reference: total ${ref.totalMs.toFixed(0)} ms, downtime ${ref.downtimeMs.toFixed(1)} ms, ` +
      `${ref.mbps.toFixed(0)} Mbps, RAM records ${(ref.bytes / 1048576).toFixed(2)} MiB`);
  } finally {
    await context.close();
    server.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
