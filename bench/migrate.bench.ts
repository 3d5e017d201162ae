// Migration of the bundled guest between two instances in one process (deterministic mode):
// stream size, RAM pages sent, source instructions executed while precopy ran, and wall
// time of the whole hand-over. Run: npx tsx bench/migrate.bench.ts
import { readFileSync } from 'node:fs';
import { Instance } from '../src/core/instance';
import { migrateInProcess } from '../src/core/migration/local';

const elf = new Uint8Array(readFileSync(new URL('../public/guests/hello.elf', import.meta.url)));

function once(afterInsns: number, deterministic = true) {
  const src = new Instance({ name: 'source', deterministic });
  src.boot(elf);
  while (src.machine.cpu.state.insnCount < afterInsns) src.turn();
  const insns0 = src.machine.cpu.state.insnCount;
  const m = migrateInProcess(src, new Instance({ name: 'destination', deterministic }));
  const srcInfo = m.src!;
  return { ms: m.ms, bytes: m.link.bytes().length, pages: srcInfo.pagesSent, zero: srcInfo.zeroPages,
    iterations: srcInfo.dirtyPerIteration.length, srcInsns: src.machine.cpu.state.insnCount - insns0,
    downtime: srcInfo.downtimeMs as number };
}

once(1_000_000); // warm-up
const runs = [1_000_000, 3_000_000, 6_000_000].map((n) => once(n));
for (const [i, r] of runs.entries()) {
  console.log(`migrate after ${[1, 3, 6][i]}M insns: ${r.ms.toFixed(1)} ms wall, stream ${(r.bytes / 1048576).toFixed(2)} MiB, ` +
    `${r.pages} pages (${r.zero} zero), ${r.iterations} iterations, source ran ${r.srcInsns} insns during precopy, ` +
    `downtime ${r.downtime.toFixed(1)} ms (stop-and-copy: the last dirty pages and every device section)`);
}

// Real-time mode, as on the page: the stop-and-copy threshold comes from the bandwidth measured
// every 100 ms (migration_update_counters), so little is left for the downtime.
const rt = [2_000_000, 2_000_000, 2_000_000].map((n) => once(n, false));
for (const r of rt) {
  console.log(`real-time migrate after 2M insns: ${r.ms.toFixed(1)} ms wall, ${r.iterations} iterations, downtime ${r.downtime.toFixed(1)} ms`);
}
