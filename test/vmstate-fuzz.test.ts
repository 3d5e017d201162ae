// A small seeded run of the stream fuzzer (src/core/vmstate/fuzz.ts) over QEMU's stream:
// no exception escapes the decoder or the loader, nothing hangs, and every damaged stream
// ends in 'eof' or a LoadError. Longer runs: npx tsx bench/fuzz.bench.ts --cases N.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock';
import { SpaprMachine, type MachineHost } from '../src/core/spapr/machine';
import { spaprRegisterVmstate } from '../src/core/spapr/vmstate';
import { MUTATIONS, Rng, mapStream, mutate, runCase } from '../src/core/vmstate/fuzz';
import { MigrationLoader, SaveVMRegistry } from '../src/core/vmstate/savevm';

describe('stream fuzzing (seeded)', () => {
  it('survives 15 mutated copies of QEMU\'s pseries-7.2 stream', () => {
    const stream = new Uint8Array(gunzipSync(readFileSync(new URL('./fixtures/stream-pseries-p8.bin.gz', import.meta.url))));
    const map = mapStream(stream);
    expect(map.sections.length).toBe(21);
    expect(map.subsections.length).toBeGreaterThan(3);
    const host: MachineHost = { clock: new VirtualClock(true, () => 0), resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
    const machine = new SpaprMachine(host, { machineType: 'pseries-7.2' });
    const rng = new Rng(0x5eed);
    const failures: string[] = [];
    for (let i = 0; i < 15; i++) {
      const kind = MUTATIONS[i % MUTATIONS.length];
      const r = runCase(mutate(stream, map, rng, kind), kind, machine, 20_000);
      if (!r.ok) failures.push(`case ${i} (${kind}): ${r.problem}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('stream fuzzing of our own streams (seeded)', () => {
  it('survives 15 mutated copies of the CAS-reboot scenario\'s stream (hot-plugged core, pending event, spapr_cas_reboot)', async () => {
    const { casRebootScenario } = await import('../src/core/scenarios/cas-reboot');
    const run = casRebootScenario.run(new Uint8Array(readFileSync(new URL('../public/guests/cas-boot.elf', import.meta.url))), { variant: 'qemu-4.2+cas-reboot-patch' });
    const stream = run.session.streamBytes();
    const map = mapStream(stream);
    expect(map.subsections.length).toBeGreaterThan(3);
    const host: MachineHost = { clock: new VirtualClock(true, () => 0), resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
    const machine = new SpaprMachine(host, { machineType: 'pseries-4.2', maxCpus: 2, coreIds: [0, 1], ramSize: 256 * 1024 * 1024 });
    machine.casRebootMigrated = true;
    machine.qemuRelease = '4.2';
    // the undamaged stream loads to its end on such a machine
    const reg = new SaveVMRegistry();
    spaprRegisterVmstate(machine, reg);
    expect(new MigrationLoader(reg, { machineName: machine.machineType }).feed(stream)).toBe('eof');
    const rng = new Rng(0xca5);
    const failures: string[] = [];
    for (let i = 0; i < 15; i++) {
      const kind = MUTATIONS[i % MUTATIONS.length];
      const r = runCase(mutate(stream, map, rng, kind), kind, machine, 20_000);
      if (!r.ok) failures.push(`case ${i} (${kind}): ${r.problem}`);
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
