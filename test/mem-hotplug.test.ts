// Memory (LMB) hot-plug of the pseries machine: `-m SIZE,slots=N,maxmem=M`, memory-backend-ram
// objects and pc-dimm devices, QEMU 7.2's error messages, the LMB DRCs' migration sections, and
// the mem-hotplug test guest, whose console is compared with QEMU 7.2's
// (test/fixtures/regen-mem-hotplug-qemu.sh).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { parseArgs, UsageError } from '../src/cli/args';
import { parseMemOption, qemuBootOptions } from '../src/cli/dtb';
import { SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNUSABLE } from '../src/core/spapr/drc';
import { gunzipSync } from 'node:zlib';
import { MemoryLink } from '../src/core/migration/transport';
import { migrateInProcess } from '../src/core/migration/local';
import { analyzeStream, type StreamAnalysis } from '../src/core/vmstate/analyze';
import { counters } from '../src/cli/commands';
import { qemuIncoming } from './qemu-incoming';
import { SpaprMachine, type MachineHost } from '../src/core/spapr/machine';
import { VirtualClock } from '../src/core/clock';
import { fdtToDts } from '../src/core/spapr/dts';
import { infoMemoryDevices, parseHmp } from '../src/ui/hmp';
import { formatTrace } from '../src/core/trace';

const QEMU = readFileSync(new URL('./fixtures/mem-hotplug-qemu-console.txt', import.meta.url), 'utf8');
const QEMU_DRC_TRACES = readFileSync(new URL('./fixtures/mem-hotplug-qemu-drc-traces.txt', import.meta.url), 'utf8');
const QEMU_QMP = readFileSync(new URL('./fixtures/mem-hotplug-qemu-qmp.txt', import.meta.url), 'utf8').trimEnd().split('\n');
const elf = new Uint8Array(readFileSync(new URL('../public/guests/mem-hotplug.elf', import.meta.url)));
const MiB = 1024 * 1024;
const errText = (e: string | null): string => (e === null ? '' : `Error: ${e}\n`);

/** query-memory-devices as QEMU answers it, from the machine's DIMMs. */
function queryMemoryDevices(inst: Instance): string {
  return JSON.stringify(inst.machine.dimms.map((d) => ({
    data: { addr: d.addr, hotpluggable: true, hotplugged: d.hotplugged, id: d.id, memdev: `/objects/${d.memdev}`, node: d.node, size: d.size, slot: d.slot },
    type: 'dimm',
  }))).replace(/([,:])/g, '$1 ');
}

function plug(inst: Instance, mem: string, dimm: string, size: number): void {
  expect(inst.machine.objectAdd('memory-backend-ram', { id: mem, size })).toBeNull();
  expect(inst.machine.deviceAdd('pc-dimm', { id: dimm, memdev: mem })).toBeNull();
}

/** -m 256M,slots=4,maxmem=1G -kernel mem-hotplug.elf, dimm1 plugged before it runs; run to the end. */
function runGuest(): { inst: Instance; out: string; qmp: string[]; traces: string[] } {
  const inst = new Instance({ name: 'source', deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4 });
  let text = '';
  const qmp: string[] = [];
  const traces: string[] = [];
  inst.onSerial = (t) => { text += t; };
  inst.tracer.on((ev) => {
    const line = formatTrace(ev);
    if (/^spapr_drc_(set_|attach drc: 0x8|unplug_request|awaiting_quiesce)/.test(line)) traces.push(line);
  });
  inst.boot(elf);
  plug(inst, 'mem1', 'dimm1', 256 * MiB);
  qmp.push(queryMemoryDevices(inst));
  const steps: Array<[string, () => void]> = [
    ['ready for device_add dimm2\r\n', () => { plug(inst, 'mem2', 'dimm2', 512 * MiB); qmp.push(queryMemoryDevices(inst)); }],
    ['ready for device_del dimm1\r\n', () => { expect(inst.machine.deviceDel('dimm1')).toBeNull(); }],
    ['CAS after unplug', () => { qmp.push(queryMemoryDevices(inst)); }],
    ['ready for device_add dimm3\r\n', () => {
      expect(inst.machine.deviceAdd('pc-dimm', { id: 'dimm3', memdev: 'mem1' })).toBeNull();
      qmp.push(queryMemoryDevices(inst));
    }],
  ];
  const done = new Set<string>();
  for (let i = 0; i < 200_000 && !text.endsWith('done\r\n') && inst.runstate() === 'running'; i++) {
    inst.turn();
    for (const [k, act] of steps) if (!done.has(k) && text.includes(k)) { done.add(k); act(); }
  }
  return { inst, out: text.replace(/\r/g, ''), qmp, traces };
}

describe('mem-hotplug guest', () => {
  it('prints what QEMU 7.2 prints: LMB DRCs acquired, fragments walked, events by count and count-indexed, ibm,dynamic-memory(-v2) after CAS', () => {
    const { out, qmp, traces } = runGuest();
    expect(out).toBe(QEMU);
    // and QEMU's spapr_drc_* trace events of the same run
    expect(traces.join('\n') + '\n').toBe(QEMU_DRC_TRACES);
    // query-memory-devices after each plug and once dimm1 was given back (QEMU's replies)
    expect(qmp).toEqual(QEMU_QMP.filter((l) => !l.includes('DEVICE_DELETED')));
  });

  it('the DIMMs\' LMB DRCs: attached and unusable when plugged, configured by the guest, empty once released', () => {
    const inst = new Instance({ name: 'source', deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4 });
    inst.boot(elf);
    const m = inst.machine;
    plug(inst, 'mem1', 'dimm1', 256 * MiB);
    const drc = m.drcs.get(0x80000004)!;
    expect([drc.dev, drc.state]).toEqual([true, SPAPR_DRC_STATE_LOGICAL_UNUSABLE]);
    expect(m.pending_events.length).toBe(1);
    // device_del before the guest did anything: released at once
    expect(m.deviceDel('dimm1')).toBeNull();
    expect(m.dimms).toEqual([]);
    expect(drc.dev).toBe(false);
    // the backend is free again; a plug before a reset is ready after it
    expect(m.deviceAdd('pc-dimm', { id: 'dimm1', memdev: 'mem1' })).toBeNull();
    m.reset();
    expect(drc.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    // spapr_setup_hpt: the HPT follows RAM + DIMMs at reset (512 MiB: 2^22)
    expect(m.htabShift).toBe(22);
  });
});

describe('cold-plugged DIMMs', () => {
  it('-object memory-backend-ram,size=512M -device pc-dimm: ready LMB DRCs, the HPT sized for RAM + DIMMs (QEMU\'s dumpdtb)', () => {
    const host: MachineHost = { clock: new VirtualClock(true, () => 0), resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
    const m = new SpaprMachine(host, { machineType: 'pseries-7.2', ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4, vof: false, dimms: [{ memdev: 'mem1', size: 512 * MiB, id: 'dimm1' }] });
    m.reset();
    const noSeed = (t: string) => t.replace(/rng-seed = <[^>]*>;/, 'rng-seed = <...>;');
    expect(noSeed(fdtToDts(m.fdt))).toBe(noSeed(readFileSync(new URL('./fixtures/dt-qemu-pseries-7.2-maxmem1G-dimm512M.dts', import.meta.url), 'utf8')));
    expect([0x80000004, 0x80000005, 0x80000006].map((i) => m.drcs.get(i)!.state)).toEqual([
      SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNUSABLE]);
    expect(m.pending_events).toEqual([]);
    expect(m.dimms.map((d) => [d.id, d.addr, d.hotplugged])).toEqual([['dimm1', 0x40000000, false]]);
  });
});

describe('memory hot-plug errors (QEMU 7.2\'s texts over HMP)', () => {
  const machine = (mem: string) => {
    const o = parseMemOption(mem);
    const m = new Instance({ name: 'source', deterministic: true, ramSize: o.ramSize, maxRamSize: o.maxRamSize, ramSlots: o.ramSlots }).machine;
    m.reset(); // QEMU's monitor comes after the machine's first reset
    return m;
  };

  it('object_add / device_add pc-dimm / object_del / device_del / info memory-devices: QEMU 7.2\'s replies (fixtures/mem-hotplug-qemu-hmp.txt)', () => {
    const text = readFileSync(new URL('./fixtures/mem-hotplug-qemu-hmp.txt', import.meta.url), 'utf8');
    let m: SpaprMachine | null = null;
    let n = 0;
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('# -m ')) { m = machine(line.slice(5)); continue; }
      const [cmd, reply] = line.split(' => ');
      const a = parseHmp(cmd)!;
      let out: string;
      switch (a.kind) {
        case 'object_add': out = errText(m!.objectAdd(a.qomType, a.props)); break;
        case 'object_del': out = errText(m!.objectDel(a.id)); break;
        case 'device_add': out = errText(m!.deviceAdd(a.driver, a.props)); break;
        case 'device_del': out = errText(m!.deviceDel(a.device)); break;
        case 'info': out = infoMemoryDevices(m!.dimms).map((l) => `${l}\n`).join(''); break;
        default: throw new Error(`unexpected ${cmd}`);
      }
      expect([cmd, out]).toEqual([cmd, JSON.parse(reply)]);
      n++;
    }
    expect(n).toBe(51);
  });

  it('-m SIZE,slots=N,maxmem=M is checked as QEMU does', () => {
    const err = (mem: string): string => {
      try {
        const o = parseMemOption(mem);
        new Instance({ name: 'source', deterministic: true, ramSize: o.ramSize, maxRamSize: o.maxRamSize, ramSlots: o.ramSlots });
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err('256M,slots=4')).toBe('slots specified but no max-size');
    expect(err('256M,slots=4,maxmem=256M')).toBe('invalid value of maxmem: memory slots were specified but maximum memory size (0x10000000) is equal to the initial memory size (0x10000000)');
    expect(err('512M,maxmem=256M')).toBe('invalid value of maxmem: maximum memory size (0x10000000) must be at least the initial memory size (0x20000000)');
    expect(err('256M,slots=4,maxmem=1000M')).toBe('Maximum memory size 0x10000000 is not aligned to 256 MiB');
    expect(err('256M,slots=40,maxmem=1G')).toBe('Specified number of memory slots 40 exceeds max supported 32');
    expect(err('256M,maxmem=1G')).toBe('ok');
    expect(parseMemOption('size=512M,maxmem=2G,slots=2')).toEqual({ ramSize: 512 * MiB, maxRamSize: 2048 * MiB, ramSlots: 2 });
    const p = parseArgs(['-m', '256M,slots=4,maxmem=1G']);
    expect(qemuBootOptions(p)).toMatchObject({ ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4 });
    expect(() => parseMemOption('256M,foo=1')).toThrow(UsageError);
  });
});

describe('migration of a machine with device memory', () => {
  const HELLO = new Uint8Array(readFileSync('public/guests/hello.elf'));
  const QEMU_STREAM = new Uint8Array(gunzipSync(readFileSync(new URL('./fixtures/stream-pseries-p8-maxmem1G-dimm1.bin.gz', import.meta.url))));
  const sections = (a: StreamAnalysis): string[] => a.records.filter((r) => r.type !== 'PART').map((r) =>
    r.type === 'END' ? `END ${r.sectionId} ${r.idstr}` : `${r.type} ${r.sectionId} ${r.idstr} ${r.instanceId} ${r.version}`);

  it('-m 256M,slots=4,maxmem=1G with dimm1 hot-plugged: the sections (ids, the LMB DRC) of QEMU 7.2\'s stream', () => {
    const opts = { deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4 };
    const src = new Instance({ name: 'source', ...opts });
    const dst = new Instance({ name: 'destination', ...opts });
    src.boot(HELLO);
    while (src.machine.cpu.state.insnCount < 200_000 && src.runstate() === 'running') src.turn();
    plug(src, 'mem1', 'dimm1', 256 * MiB);
    plug(dst, 'mem1', 'dimm1', 256 * MiB);
    const m = migrateInProcess(src, dst);
    expect([m.src?.status, m.dstStatus]).toEqual(['completed', 'completed']);
    const ours = analyzeStream(m.link.bytes());
    const qemu = analyzeStream(QEMU_STREAM);
    expect(ours.error).toBeUndefined();
    expect(qemu.error).toBeUndefined();
    expect(sections(ours)).toEqual(sections(qemu));
    expect(sections(qemu)).toContain('FULL 10 spapr_drc 2147483652 1');
    // the destination's LMB DRC took the source's state; the event waits there too
    expect(dst.machine.drcs.get(0x80000004)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_UNUSABLE);
    expect(dst.machine.pending_events.length).toBe(1);
    // the DIMM's RAM block goes with the machine's, after it (ram_list: largest first)
    expect(qemu.ram.blocks).toEqual([['ppc_spapr.ram', 256 * MiB], ['mem1', 256 * MiB]]);
    expect(ours.ram.blocks).toEqual(qemu.ram.blocks);
  });
});

describe('a DIMM\'s memory across a migration', () => {
  const opts = { deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4 };
  const HELLO = new Uint8Array(readFileSync('public/guests/hello.elf'));

  it('what the source stored in two DIMMs (mem1 after RAM, the larger mem2 first) is at the same addresses on the destination', () => {
    const src = new Instance({ name: 'source', ...opts });
    const dst = new Instance({ name: 'destination', ...opts });
    src.boot(HELLO);
    while (src.machine.cpu.state.insnCount < 200_000) src.turn();
    plug(src, 'mem1', 'dimm1', 256 * MiB);
    plug(src, 'mem2', 'dimm2', 512 * MiB);
    plug(dst, 'mem1', 'dimm1', 256 * MiB);
    plug(dst, 'mem2', 'dimm2', 512 * MiB);
    const ram = src.machine.ram;
    expect(ram.blocks.map((b) => [b.idstr, b.offset, b.length])).toEqual([
      ['mem2', 0x50000000, 512 * MiB], ['ppc_spapr.ram', 0, 256 * MiB], ['mem1', 0x40000000, 256 * MiB]]);
    const marks = [0x40000000, 0x4ffff000, 0x50000008, 0x6ffffff0];
    for (const a of marks) ram.view.setBigUint64(a, 0x5a5an << 48n | BigInt(a));
    const errors: string[] = [];
    src.onError = (e) => errors.push(e);
    // the source's monitor refuses to change its devices while the migration runs
    const refused: Array<string | null> = [];
    src.onMigration = (i) => {
      if (i.status === 'active' && !refused.length) refused.push(src.deviceAdd('pc-dimm', { id: 'dimm3', memdev: 'mem3' }), src.deviceDel('dimm1'));
    };
    const m = migrateInProcess(src, dst);
    expect(refused).toEqual(['device_add not allowed while migrating', 'device_del not allowed while migrating']);
    expect([m.src?.status, errors]).toEqual(['completed', []]);
    // info migrate's total counts every block: RAM and both DIMMs
    expect(m.src?.ramTotal).toBe(1024 * MiB);
    expect(analyzeStream(m.link.bytes()).ram.blocks).toEqual([['mem2', 512 * MiB], ['ppc_spapr.ram', 256 * MiB], ['mem1', 256 * MiB]]);
    for (const a of marks) expect(dst.machine.ram.view.getBigUint64(a)).toBe(0x5a5an << 48n | BigInt(a));
    // and the guest's own RAM
    expect(Buffer.from(dst.machine.ram.u8.subarray(0, 1 << 20)).equals(Buffer.from(src.machine.ram.u8.subarray(0, 1 << 20)))).toBe(true);
  });

  it('QEMU 7.2\'s stream with mem1 loads where dimm1 is plugged, and is refused with QEMU\'s error where it is not', async () => {
    const { loadCommand } = await import('../src/cli/load');
    const file = join(mkdtempSync(join(tmpdir(), 'memhp-')), 's.bin');
    writeFileSync(file, gunzipSync(readFileSync(new URL('./fixtures/stream-pseries-p8-maxmem1G-dimm1.bin.gz', import.meta.url))));
    const run = async (extra: string[]) => {
      let out = '';
      const rc = await loadCommand(parseArgs([file, '--max-insns', '0', '-m', '256M,slots=4,maxmem=1G', ...extra]), (t) => { out += t; });
      return { rc, out };
    };
    const good = await run(['-object', 'memory-backend-ram,id=mem1,size=256M', '-device', 'pc-dimm,id=dimm1,memdev=mem1']);
    expect(good.rc).toBe(0);
    expect(good.out).toMatch(/^load: \d+ bytes, machine pseries-7.2, runstate prelaunch/);
    const bad = await run([]);
    expect(bad.rc).toBe(1);
    expect(bad.out).toContain('qemu-system-ppc64: Unknown ramblock "mem1", cannot accept migration\n');
  });
});

describe.skipIf(spawnSync('qemu-system-ppc64', ['--version']).status !== 0)('qemu-system-ppc64 -incoming with our stream after device_add pc-dimm', () => {
  it('QEMU 7.2 started with the DIMM cold-plugged loads it and the guest keeps counting', async () => {
    const opts = { deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 4 };
    const src = new Instance({ name: 'source', ...opts });
    let con = '';
    src.onSerial = (t) => { con += t; };
    src.boot(new Uint8Array(readFileSync('public/guests/hello.elf')));
    while (counters(con.split(/\r?\n/)).length < 2) src.turn();
    plug(src, 'mem1', 'dimm1', 256 * MiB);
    let s = '';
    src.onMigration = (i) => { s = i.status; };
    const link = new MemoryLink(1 << 30);
    link.receiver.onChunk = () => link.receiver.ack();
    src.migrate(link.sender);
    for (let i = 0; i < 200_000 && !['completed', 'failed', 'cancelled'].includes(s); i++) { src.turn(); link.receiver.pump(); link.sender.pump(); }
    expect(s).toBe('completed');
    const last = counters(con.split(/\r?\n/)).at(-1)!;
    const file = join(mkdtempSync(join(tmpdir(), 'memhp-')), 's.bin');
    writeFileSync(file, link.bytes());
    const { lines, errors } = await qemuIncoming(file, ['-m', '256M,slots=4,maxmem=1G',
      '-object', 'memory-backend-ram,id=mem1,size=256M', '-device', 'pc-dimm,id=dimm1,memdev=mem1']);
    expect(errors).toEqual([]);
    expect(counters(lines).slice(0, 2)).toEqual([last + 1, last + 2]);
  }, 60_000);
});

describe('guests/mem-hotplug build', () => {
  it.skipIf(spawnSync('bash', ['-c', 'command -v powerpc64le-linux-gnu-gcc']).status !== 0)('build.sh reproduces the committed ELF', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'memhp-')), 'm.elf');
    const r = spawnSync('guests/mem-hotplug/build.sh', [out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(out).equals(readFileSync('public/guests/mem-hotplug.elf'))).toBe(true);
  });
});
