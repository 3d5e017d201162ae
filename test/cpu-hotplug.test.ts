// CPU cores beyond the first (`-smp 1,maxcpus=N`), cold-plugged with -device and hot-plugged
// with device_add, against QEMU 7.2: its device trees (test/fixtures/regen-dt-qemu.sh), its
// error messages, and its migration stream after `device_add power8_v2.0-spapr-cpu-core,core-id=1`
// (test/fixtures/regen-stream-hotplug-qemu.sh).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { qemuIncoming } from './qemu-incoming';
import { parseArgs } from '../src/cli/args';
import { counters, runCommand } from '../src/cli/commands';
import { dtbCommand, machineForDt, smpOptions, takeDashOptions } from '../src/cli/dtb';
import { POWER8 } from '../src/core/cpu/cpu';
import { Instance, type InstanceOptions } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import {
  SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNUSABLE,
} from '../src/core/spapr/drc';
import { fdtToDts } from '../src/core/spapr/dts';
import { findNode } from '../src/core/spapr/fdt';
import { SPAPR_CPU_CORE_TYPE } from '../src/core/spapr/machine';
import { spaprRegisterVmstate, spapr_drc_needed } from '../src/core/spapr/vmstate';
import { analyzeStream } from '../src/core/vmstate/analyze';
import { SaveVMRegistry } from '../src/core/vmstate/savevm';
import { parseHmp } from '../src/ui/hmp';
import { assemble } from '../src/core/asm/asm';
import { rtasToken } from '../src/core/spapr/rtas';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const noSeed = (dts: string): string => dts.replace(/rng-seed = <[^>]*>;/, 'rng-seed = <...>;');
const elf = new Uint8Array(readFileSync(new URL('../public/guests/hello.elf', import.meta.url)));
const CORE1_DRC = 0x10000001;
const hasQemu = spawnSync('qemu-system-ppc64', ['--version']).status === 0;
/** QEMU 7.2's stream of -smp 1,maxcpus=2 after HMP device_add of core 1 (SLOF, -S). */
const qemuHotplugStream = (): Uint8Array => new Uint8Array(gunzipSync(fixture('stream-pseries-p8-hotplug-core1.bin.gz')));

function instance(opts: Partial<InstanceOptions> = {}): Instance {
  return new Instance({ name: 'source', deterministic: true, maxCpus: 2, ...opts });
}

/** Run a migration over an in-memory link until both ends (or the source alone) are done. */
function migrate(src: Instance, dst: Instance | null): { bytes: Uint8Array; s: string; d: string } {
  let s = '';
  let d = '';
  src.onMigration = (i) => { s = i.status; };
  if (dst) dst.onMigration = (i) => { d = i.status; };
  const link = new MemoryLink(1 << 30);
  if (dst) dst.incoming(link.receiver);
  else link.receiver.onChunk = () => link.receiver.ack();
  src.migrate(link.sender);
  const end = (x: string) => ['completed', 'failed', 'cancelled'].includes(x);
  for (let i = 0; i < 200_000 && !(end(s) && (!dst || end(d))); i++) {
    src.turn(); link.receiver.pump(); dst?.turn(); link.sender.pump();
  }
  return { bytes: link.bytes(), s, d };
}

/** The FULL records of a stream as `section_id idstr instance`, RAM and htab left out. */
function fullSections(bytes: Uint8Array): string[] {
  return analyzeStream(bytes).records.filter((r) => r.type === 'FULL').map((r) => `${r.sectionId} ${r.idstr} ${r.instanceId}`);
}

/** spapr_pending_events of a stream's spapr section, as analyze-migration.py -d state shows it. */
function pendingEventsHex(bytes: Uint8Array): string {
  const a = analyzeStream(bytes, { state: true });
  const key = [...a.state!.keys()].find((k) => k.startsWith('spapr ('))!;
  const spapr = a.state!.get(key) as Map<string, Map<string, string>>;
  return spapr.get('spapr_pending_events')!.get('pending_events')!;
}

describe('device tree with more than one possible core, equal to QEMU 7.2\'s', () => {
  it('-smp 1,maxcpus=2: both CPU DRCs, rtas-size, lrdr-capacity, interrupt server range', () => {
    const m = machineForDt('pseries-7.2', POWER8, undefined, false, {}, { maxCpus: 2 });
    expect(noSeed(fdtToDts(m.fdt))).toBe(noSeed(fixture('dt-qemu-pseries-7.2-maxcpus2.dts').toString('utf8')));
  });

  it('-smp 1,maxcpus=2 -device power8_v2.0-spapr-cpu-core,core-id=1 (cli dtb): the second cpu node', () => {
    let text = '';
    const args = ['-M', 'pseries-7.2', '-smp', '1,maxcpus=2', '-device', 'power8_v2.0-spapr-cpu-core,core-id=1'];
    expect(dtbCommand(parseArgs(args), (s) => { text += s; })).toBe(0);
    expect(noSeed(text)).toBe(noSeed(fixture('dt-qemu-pseries-7.2-maxcpus2-core1.dts').toString('utf8')));
  });

  it('cli: -smp C,maxcpus=N and -device cores, with QEMU\'s refusals', () => {
    const smp = (...a: string[]) => { const p = parseArgs(a); takeDashOptions(p); return smpOptions(p); };
    expect(smp('-smp', '1,maxcpus=4', '-device', 'power8_v2.0-spapr-cpu-core,core-id=3', '-device', 'power8_v2.0-spapr-cpu-core,core-id=1,id=c1'))
      .toEqual({ maxCpus: 4, coreIds: [0, 3, 1] });
    expect(() => smp('-smp', '1,maxcpus=2', '-device', 'power8_v2.0-spapr-cpu-core,core-id=2')).toThrow(/core id 2 out of range/);
    expect(() => smp('-smp', '1,maxcpus=2', '-device', 'power8_v2.0-spapr-cpu-core,core-id=0')).toThrow(/core 0 already populated/);
    // -smp 2: two boot cores (spapr_init_cpus), one thread each
    expect(smp('-smp', '2')).toEqual({ maxCpus: 2, coreIds: [0, 1] });
    expect(smp('-smp', '2,maxcpus=4', '-device', 'power8_v2.0-spapr-cpu-core,core-id=3')).toEqual({ maxCpus: 4, coreIds: [0, 1, 3] });
    expect(() => smp('-smp', '2', '-device', 'power8_v2.0-spapr-cpu-core,core-id=1')).toThrow(/core 1 already populated/);
    let out = '';
    expect(runCommand(parseArgs(['-smp', '1,maxcpus=2', '-device', 'power8_v2.0-spapr-cpu-core,core-id=1', '--max-insns', '2000000']), (t) => { out += t; }, () => {})).toBe(0);
    expect(counters(out.split(/\r?\n/)).slice(0, 2)).toEqual([0, 1]);
  });

  it('refuses maxcpus > 1 on a machine type without CPU hotplug, as QEMU does', () => {
    expect(() => machineForDt('pseries-2.6', POWER8, undefined, false, {}, { maxCpus: 2 }))
      .toThrow('This machine version does not support CPU hotplug');
  });
});

describe('device_del of a CPU core', () => {
  it('releases at once a core the guest never configured (its DRC is still in the empty state); QEMU\'s errors otherwise', () => {
    const inst = instance();
    inst.boot(elf); // the hello guest ignores hotplug events
    const m = inst.machine;
    const traces: string[] = [];
    inst.tracer.on((ev) => { if (ev.name.startsWith('spapr_drc')) traces.push(ev.name); });
    expect(m.deviceDel('c1')).toBe("Device 'c1' not found");
    expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1, id: 'c1' })).toBeNull();
    expect(m.cores.length).toBe(2);
    expect(m.pending_events.length).toBe(1);
    expect(m.deviceDel('c1')).toBeNull();
    expect(m.cores.length).toBe(1);
    expect(m.cpus.length).toBe(1);
    // released: no remove event for a device that is gone
    expect(m.pending_events.length).toBe(1);
    expect(traces).toEqual(['spapr_drc_attach', 'spapr_drc_unplug_request']);
    expect(m.deviceDel('c1')).toBe("Device 'c1' not found");
    expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1, id: 'c1' })).toBeNull();
  });
});

describe('device_add of a CPU core', () => {
  it('answers with QEMU 7.2\'s error messages', () => {
    const m = instance().machine;
    expect(m.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': 2 })).toBe('core id 2 out of range');
    expect(m.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': 0 })).toBe('core 0 already populated');
    expect(m.deviceAdd('power8_v2.0-spapr-cpu-core')).toBe('core 0 already populated');
    expect(m.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': -1 })).toBe('Invalid core id -1');
    expect(m.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': 'x' })).toBe("Parameter 'core-id' expects integer");
    expect(m.deviceAdd('power8e_v2.1-spapr-cpu-core', { 'core-id': 1 })).toBe('CPU core type should be power8_v2.0-spapr-cpu-core');
    expect(m.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': 1, foo: '2' })).toBe("Property 'power8_v2.0-spapr-cpu-core.foo' not found");
    expect(m.deviceAdd('no-such-core', { 'core-id': 1 })).toBe("'no-such-core' is not a valid device model name");
    expect(m.cores.length).toBe(1);
    expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1, id: 'c1' })).toBeNull();
    expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1, id: 'c1' })).toBe("Duplicate device ID 'c1'");
    expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 })).toBe('core 1 already populated');
    // -smp 1 (maxcpus 1) and a machine type without CPU hotplug
    expect(instance({ maxCpus: 1 }).machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 })).toBe('core id 1 out of range');
    expect(instance({ maxCpus: 1, machineType: 'pseries-2.6' }).machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 }))
      .toBe('CPU hotplug not supported for this machine');
  });

  it('does what spapr_core_plug does: halted vCPU, DRC attached not ready, hotplug event, tree unchanged', () => {
    const src = instance();
    const traces: string[] = [];
    src.tracer.on((e) => { if (e.name === 'spapr_drc_attach' || e.name === 'guest_cpu_reset') traces.push(`${e.name} ${e.args}`); });
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 300_000) src.turn();
    const m = src.machine;
    const blob = m.fdtBlob.slice();
    const epow = m.ics.irqs[m.irqs.epow - 0x1000];
    traces.length = 0;
    expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 })).toBeNull();
    expect(traces).toEqual(['spapr_drc_attach drc: 0x10000001']);
    expect(m.cpus.length).toBe(2);
    expect(m.cpus[0]).toBe(m.cpu);
    const cpu1 = m.cpus[1];
    expect(cpu1.state.halted).toBe(1);
    expect(m.findCpu(1)).toBe(cpu1);
    expect(m.xics.icpGet(1)).toBe(m.cores[1].icp);
    const drc = m.drcs.get(CORE1_DRC)!;
    expect(drc.dev).toBe(true);
    expect(drc.state).toBe(SPAPR_DRC_STATE_LOGICAL_UNUSABLE);
    const st = spaprRegisterVmstate(m, new SaveVMRegistry());
    expect(spapr_drc_needed(st.devices.drcs.find((d) => d.index === CORE1_DRC)!)).toBe(true);
    // before CAS the event goes to the EPOW source (no OV5_HP_EVT negotiated): masked, so pending
    expect(m.pending_events.length).toBe(1);
    expect(m.pending_events[0].summary).toBe(0x063460e5);
    expect(epow.status & 0x8).toBe(0x8);
    // the guest learns of the core only through configure-connector: the tree is not rebuilt
    expect(m.fdtBlob).toEqual(blob);
    expect(findNode(m.fdt, '/cpus/PowerPC,POWER8@1')).toBeUndefined();
    // the guest runs on, vCPU 1 stays stopped
    const before = cpu1.state.insnCount;
    while (m.cpu.state.insnCount < 600_000) src.turn();
    expect(cpu1.state.insnCount).toBe(before);

    // a machine reset makes the core cold-plugged: ready, in the tree; every vCPU is reset
    traces.length = 0;
    src.systemReset();
    src.turn();
    expect(traces.filter((t) => t.startsWith('guest_cpu_reset')).length).toBe(2);
    expect(new Set(traces).size).toBe(2);
    expect(drc.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    expect(m.pending_events.length).toBe(0);
    expect(findNode(m.fdt, '/cpus/PowerPC,POWER8@1')).toBeDefined();
    expect(cpu1.state.halted).toBe(1);
  });

  it('HMP device_add parses like QemuOpts', () => {
    expect(parseHmp('device_add power8_v2.0-spapr-cpu-core,core-id=1,id=x'))
      .toEqual({ kind: 'device_add', driver: 'power8_v2.0-spapr-cpu-core', props: { 'core-id': '1', id: 'x' } });
    expect(parseHmp('device_add')).toEqual({ kind: 'print', lines: ["Error: Parameter 'driver' is missing"] });
  });
});

describe('migration with a hot-plugged core', () => {
  it('our stream has the sections and ids of QEMU 7.2\'s stream after the same device_add, and the same event', () => {
    const src = instance();
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 300_000) src.turn();
    expect(src.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 })).toBeNull();
    const { bytes, s } = migrate(src, null);
    expect(s).toBe('completed');
    const qemu = qemuHotplugStream();
    const ours = fullSections(bytes);
    expect(ours).toEqual(fullSections(qemu));
    // the hot-plugged core's sections come after globalstate, the DRC of core 1 is sent
    expect(ours.slice(-5)).toEqual(['567 globalstate 0', '568 cpu_common 1', '569 cpu 1', '570 icp/server 1', '571 spapr_cpu 1']);
    expect(ours).toContain(`10 spapr_drc ${CORE1_DRC}`);
    // the hotplug event is QEMU's byte for byte, but for Main-A's creation date and time (BCD)
    const strip = (hex: string) => { const b = hex.split(' '); b.splice(33, 8); return b.join(' '); };
    expect(strip(pendingEventsHex(bytes))).toBe(strip(pendingEventsHex(qemu)));
  });

  it('ours to ours: the destination started with the core cold-plugged gets the DRC state and the event', () => {
    const src = instance();
    const dst = instance({ name: 'destination', coreIds: [0, 1] });
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 300_000) src.turn();
    expect(src.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 })).toBeNull();
    // the destination's core is cold-plugged: ready, after the vty in the section list
    expect(dst.machine.drcs.get(CORE1_DRC)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    const { s, d } = migrate(src, dst);
    expect([s, d]).toEqual(['completed', 'completed']);
    const m = dst.machine;
    expect(m.drcs.get(CORE1_DRC)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_UNUSABLE);
    expect(m.pending_events.map((e) => e.summary)).toEqual([0x063460e5]);
    expect(m.pending_events[0].extended_log).toEqual(src.machine.pending_events[0].extended_log);
    expect(m.cpus[1].state.halted).toBe(1);
    expect(dst.runstate()).toBe('running');
  });

  it('a destination without the core refuses the stream with QEMU\'s message', () => {
    const src = instance();
    const dst = instance({ name: 'destination' });
    const errors: string[] = [];
    dst.onError = (e) => errors.push(e);
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 300_000) src.turn();
    src.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 });
    const { d } = migrate(src, dst);
    expect(d).toBe('failed');
    expect(errors.join('\n')).toContain("Unknown savevm section or instance 'cpu_common' 1. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices");
  });

  it('QEMU\'s stream decodes through our declarations and loads into a destination with the core cold-plugged', () => {
    const qemu = qemuHotplugStream();
    const a = analyzeStream(qemu);
    expect(a.warnings).toEqual([]);
    expect(a.records.filter((r) => r.type === 'FULL' && r.decodedBy !== 'declaration')).toEqual([]);
    const dst = instance({ name: 'destination', coreIds: [0, 1] });
    let d = '';
    dst.onMigration = (i) => { d = i.status; };
    const link = new MemoryLink(1 << 30);
    dst.incoming(link.receiver);
    link.sender.send(qemu);
    link.sender.close();
    for (let i = 0; i < 10_000 && d !== 'completed' && d !== 'failed'; i++) { link.receiver.pump(); dst.turn(); }
    expect(d).toBe('completed');
    const m = dst.machine;
    const drc = m.drcs.get(CORE1_DRC)!;
    expect([drc.dev, drc.state]).toEqual([true, SPAPR_DRC_STATE_LOGICAL_UNUSABLE]);
    expect(m.pending_events.map((e) => e.summary)).toEqual([0x063460e5]);
    expect(m.cpus[1].state.halted).toBe(1);
    expect(m.cpus[1].state.getNip()).toBe(0x100n);
  });
});

describe.skipIf(!hasQemu)('qemu-system-ppc64 -incoming with our stream after a hot-plug', () => {
  it('QEMU 7.2 started with the core cold-plugged loads it and the guest keeps counting', async () => {
    const src = instance();
    let con = '';
    src.onSerial = (t) => { con += t; };
    src.boot(elf);
    while (counters(con.split(/\r?\n/)).length < 2) src.turn();
    expect(src.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1 })).toBeNull();
    const { bytes, s } = migrate(src, null);
    expect(s).toBe('completed');
    const last = counters(con.split(/\r?\n/)).at(-1)!;
    const file = join(mkdtempSync(join(tmpdir(), 'hotplug-')), 's.bin');
    writeFileSync(file, bytes);
    const { lines, errors } = await qemuIncoming(file, ['-smp', '1,maxcpus=2', '-device', 'power8_v2.0-spapr-cpu-core,core-id=1']);
    expect(errors).toEqual([]);
    expect(counters(lines).slice(0, 2)).toEqual([last + 1, last + 2]);
  }, 60_000);
});

describe('secondary vCPUs: RTAS start-cpu / stop-self and round-robin', () => {
  it('a started vCPU runs beside vCPU 0 from the entry point with r3, and stops itself', () => {
    const inst = instance({ coreIds: [0, 1] });
    let con = '';
    inst.onSerial = (t) => { con += t; };
    inst.boot(elf);
    while (inst.machine.cpu.state.insnCount < 200_000) inst.turn();
    const m = inst.machine;
    const cpu1 = m.cpus[1];
    expect(cpu1.state.halted).toBe(1);
    const base = 0x5000000;
    // vCPU 1: store r3 and a marker, then RTAS stop-self through KVMPPC_H_RTAS
    const code = assemble(`lis r6, 0x500
stw r3, 0x100(r6)
li r5, 1
stw r5, 0x104(r6)
lis r3, 0
ori r3, r3, 0xf000
addi r4, r6, 0x200
sc 1
b .`, BigInt(base + 0x1000));
    code.forEach((w, i) => m.ram.st32(base + 0x1000 + 4 * i, w, false));
    const rtasArgs = (at: number, name: Parameters<typeof rtasToken>[0], args: number[], nret: number) => {
      m.ram.st32(at, rtasToken(name), false);
      m.ram.st32(at + 4, args.length, false);
      m.ram.st32(at + 8, nret, false);
      args.forEach((a, i) => m.ram.st32(at + 12 + 4 * i, a, false));
      return at + 12 + 4 * args.length;
    };
    rtasArgs(base + 0x200, 'stop-self', [], 1);
    const qrets = rtasArgs(base + 0x300, 'query-cpu-stopped-state', [1], 2);
    expect(m.rtas.call(m, m.ram, base + 0x300)).toBe(true);
    expect(m.ram.ld32(qrets + 4, false)).toBe(0); // stopped
    // start-cpu(1, entry, r3) as vCPU 0 would call it
    const rets = rtasArgs(base + 0x400, 'start-cpu', [1, base + 0x1000, 0x55], 1);
    m.currentCpu = m.cpu;
    expect(m.rtas.call(m, m.ram, base + 0x400)).toBe(true);
    expect(m.ram.ld32(rets, false)).toBe(0);
    expect(cpu1.state.halted).toBe(0);
    // a running vCPU cannot be started again
    expect(m.rtas.call(m, m.ram, base + 0x400)).toBe(true);
    expect(m.ram.ld32(rets, false)).toBe(-1);
    const lines = counters(con.split(/\r?\n/)).length;
    for (let i = 0; i < 50 && cpu1.state.halted === 0; i++) inst.turn();
    expect(m.ram.ld32(base + 0x100, false)).toBe(0x55);
    expect(m.ram.ld32(base + 0x104, false)).toBe(1);
    expect(cpu1.state.halted).toBe(1);
    expect(m.cpu.state.halted === 1 || m.cpu.state.insnCount > 200_000).toBe(true);
    // vCPU 0 kept running the guest
    while (counters(con.split(/\r?\n/)).length < lines + 1) inst.turn();
    expect(m.rtas.call(m, m.ram, base + 0x300)).toBe(true);
    expect(m.ram.ld32(qrets + 4, false)).toBe(0);
  });
});
