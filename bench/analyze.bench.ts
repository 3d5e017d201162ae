// Decode throughput of analyze on QEMU's two reference streams, and the same files through
// QEMU's scripts/analyze-migration.py when it is there (QEMU_SRC or .cache/qemu-src), with
// the ratio. "-d state" is the decode plus the JSON text as the CLI prints it (writeState's
// chunks, kept as stdout would take them); "as lines" is formatState's line array.
// Run: npx tsx bench/analyze.bench.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { analyzeStream, formatState, writeState } from '../src/core/vmstate/analyze';

function script(): string | undefined {
  const roots = process.env.QEMU_SRC ? [process.env.QEMU_SRC] : [];
  const cache = new URL('../.cache/qemu-src', import.meta.url).pathname;
  if (existsSync(cache)) for (const d of readdirSync(cache)) if (d.startsWith('qemu-7.2')) roots.push(join(cache, d));
  return roots.map((r) => join(r, 'scripts/analyze-migration.py')).find((s) => existsSync(s));
}

const py = script();
const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-bench-'));
for (const name of ['stream-pseries-p8', 'stream-pseries-2.6-p8']) {
  const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(`../test/fixtures/${name}.bin.gz`, import.meta.url))));
  const mib = bytes.length / 1048576;
  const dump = () => {
    const chunks: Uint8Array[] = [];
    writeState(analyzeStream(bytes, { state: true }), (c) => chunks.push(c));
    return chunks;
  };
  dump(); // warm-up
  const runs = 5;
  let t = performance.now();
  for (let i = 0; i < runs; i++) analyzeStream(bytes);
  const list = (performance.now() - t) / runs;
  t = performance.now();
  for (let i = 0; i < runs; i++) dump();
  const state = (performance.now() - t) / runs;
  t = performance.now();
  for (let i = 0; i < runs; i++) formatState(analyzeStream(bytes, { state: true }));
  const lines = (performance.now() - t) / runs;
  let line = `${name}: ${mib.toFixed(1)} MiB; section list ${list.toFixed(0)} ms (${(mib / list * 1000).toFixed(0)} MiB/s), ` +
    `-d state ${state.toFixed(0)} ms (as lines ${lines.toFixed(0)} ms)`;
  if (py) {
    const file = join(dir, `${name}.bin`);
    writeFileSync(file, bytes);
    t = performance.now();
    const r = spawnSync('python3', [py, '-f', file], { maxBuffer: 1 << 28 });
    const pyMs = performance.now() - t;
    line += r.status === 0 ? `; analyze-migration.py -d state ${pyMs.toFixed(0)} ms (${(pyMs / state).toFixed(1)}x ours)` : '; analyze-migration.py failed';
  } else {
    line += '; analyze-migration.py not found (scripts/get-qemu-source.sh)';
  }
  console.log(line);
}
