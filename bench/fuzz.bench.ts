// Mutation fuzzing of the stream decoder and loader: cases/s and failures.
// Run: npx tsx bench/fuzz.bench.ts [--cases N] [--seed S]   (npm run -s bench runs 60 cases)
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { VirtualClock } from '../src/core/clock';
import { SpaprMachine, type MachineHost } from '../src/core/spapr/machine';
import { MUTATIONS, Rng, mapStream, mutate, runCase } from '../src/core/vmstate/fuzz';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const cases = arg('cases', 60);
const seed = arg('seed', 1);
const stream = new Uint8Array(gunzipSync(readFileSync(new URL('../test/fixtures/stream-pseries-p8.bin.gz', import.meta.url))));
const map = mapStream(stream);
const host: MachineHost = { clock: new VirtualClock(true, () => 0), resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
const machine = new SpaprMachine(host, { machineType: 'pseries-7.2' });
const rng = new Rng(seed);
const t0 = performance.now();
let failures = 0;
for (let i = 0; i < cases; i++) {
  const kind = MUTATIONS[rng.below(MUTATIONS.length)];
  const r = runCase(mutate(stream, map, rng, kind), kind, machine);
  if (!r.ok) { failures++; console.log(`case ${i} (${kind}, seed ${seed}): ${r.problem}`); }
}
const s = (performance.now() - t0) / 1000;
console.log(`fuzz: ${cases} cases in ${s.toFixed(1)} s (${(cases / s).toFixed(1)} cases/s, ${(stream.length / 1048576).toFixed(1)} MiB stream), ${failures} failures`);
