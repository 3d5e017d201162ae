// The incremental loader: a stream cut anywhere loads the same as a stream fed whole, and a
// corrupted stream only ever ends in a clean result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuState } from '../src/core/cpu/state';
import { GuestRam } from '../src/core/mem/ram';
import { HtabMigration, register_htab } from '../src/core/migration/htab';
import { RamMigration, register_ram } from '../src/core/migration/ram';
import { register_cpu_vmstate, type PowerPCCPUVm } from '../src/core/vmstate/cpu';
import { GlobalState, register_global_state } from '../src/core/vmstate/globalstate';
import { QEMUFileWriter } from '../src/core/vmstate/qemufile';
import {
  LoadError, MigrationLoader, SaveVMRegistry, qemu_savevm_state_cleanup, qemu_savevm_state_complete_precopy,
  qemu_savevm_state_header, qemu_savevm_state_iterate, qemu_savevm_state_setup, type FeedResult,
} from '../src/core/vmstate/savevm';
import { register_timers, type TimersState } from '../src/core/vmstate/timer';

const PAGES = 24;

interface Machine {
  reg: SaveVMRegistry;
  ram: GuestRam;
  cpu: PowerPCCPUVm;
  timers: TimersState;
  gs: GlobalState;
  hptes: Map<number, Uint8Array | null>;
  shift: number;
}

function machine(): Machine {
  const reg = new SaveVMRegistry();
  const ram = new GuestRam(PAGES * 4096);
  const cpu: PowerPCCPUVm = { state: new CpuState(), pvr: 0x004d0200, preSave() {}, postLoad() {} };
  const timers: TimersState = { cpu_ticks_offset: 0n, cpu_clock_offset: 0n };
  const gs = new GlobalState();
  const m: Machine = { reg, ram, cpu, timers, gs, hptes: new Map(), shift: 0 };
  register_timers(reg, timers);
  register_ram(reg, new RamMigration(ram), { section_id: 2 });
  register_cpu_vmstate(reg, cpu);
  register_htab(reg, new HtabMigration({ htabShift: 18, onShift: (s) => { m.shift = s; }, onHpte: (i, h) => m.hptes.set(i, h) }));
  register_global_state(reg, gs);
  return m;
}

/** A source stream with two PART rounds, pages dirtied in between, and device state. */
function sourceStream(): Uint8Array {
  const m = machine();
  for (let p = 0; p < PAGES; p += 3) m.ram.u8.fill(p + 1, p * 4096 + 100, p * 4096 + 300);
  const s = m.cpu.state;
  for (let i = 0; i < 32; i++) s.setGpr(i, BigInt(i) * 0x1111111111n);
  s.setNip(0xdb19e08n);
  s.setMsr(0x8000000000000000n);
  s.setSpr(287, 0x004d0200n);
  s.setSpr(8, 0xdaf1ff8n);
  s.setCr(0x20000008);
  s.vsr[5] = 0x12345678;
  s.slb[9] = -1;
  s.halted = 1;
  m.timers.cpu_ticks_offset = 13680538119n;
  m.timers.cpu_clock_offset = -5594387005n;
  m.gs.store('running');

  const w = new QEMUFileWriter(1024);
  const chunks: Uint8Array[] = [];
  const flush = () => chunks.push(w.take());
  qemu_savevm_state_header(w, { machineName: 'pseries-7.2' });
  expect(qemu_savevm_state_setup(w, m.reg)).toBe(0);
  flush();
  qemu_savevm_state_iterate(w, m.reg, 10);
  flush();
  m.ram.st32(5 * 4096, 0x5a5a5a5a, false); // re-dirty an already sent page
  m.ram.st32(23 * 4096 + 8, 0x01020304, false);
  while (qemu_savevm_state_iterate(w, m.reg, 10) === 0) flush();
  flush();
  m.ram.st32(0, 0x7f7f7f7f, false);
  expect(qemu_savevm_state_complete_precopy(w, m.reg).ret).toBe(0);
  qemu_savevm_state_cleanup(m.reg);
  flush();
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

const SOURCE = sourceStream();

function snapshot(m: Machine, res: FeedResult, loader: MigrationLoader) {
  const s = m.cpu.state;
  return {
    res: res instanceof LoadError ? res.format() : res,
    errors: loader.errors.lines,
    ram: Buffer.from(m.ram.u8).toString('base64'),
    gpr: Array.from(s.gpr), spr: Array.from(s.spr), nip: s.getNip(), crf: Array.from(s.crf), vsr: Array.from(s.vsr),
    slb: Array.from(s.slb), halted: s.halted,
    timers: { ...m.timers }, runstate: m.gs.state, shift: m.shift,
    vmdesc: loader.vmdesc,
    counts: { ...loader.counts },
  };
}

function loadChunks(chunks: Uint8Array[]) {
  const m = machine();
  const loader = new MigrationLoader(m.reg, { machineName: 'pseries-7.2' });
  let res: FeedResult = 'more';
  for (const c of chunks) {
    res = loader.feed(c);
    if (res !== 'more') break;
  }
  return snapshot(m, res, loader);
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const pts = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of pts) { out.push(bytes.slice(prev, p)); prev = p; }
  out.push(bytes.slice(prev));
  return out;
}

const WHOLE = loadChunks([SOURCE]);

describe('MigrationLoader, incrementally', () => {
  it('loads the whole stream: RAM, CPU, timers, runstate, htab', () => {
    expect(WHOLE.res).toBe('eof');
    expect(WHOLE.errors).toEqual([]);
    expect(WHOLE.nip).toBe(0xdb19e08n);
    expect(WHOLE.halted).toBe(1);
    expect(WHOLE.runstate).toBe('running');
    expect(WHOLE.shift).toBe(18);
    expect(WHOLE.timers).toEqual({ cpu_ticks_offset: 13680538119n, cpu_clock_offset: -5594387005n });
    expect(WHOLE.counts).toEqual({ START: 2, PART: 6, END: 2, FULL: 4 });
    const ram = Buffer.from(WHOLE.ram, 'base64');
    expect(ram.readUInt32BE(0)).toBe(0x7f7f7f7f);
    expect(ram.readUInt32BE(5 * 4096)).toBe(0x5a5a5a5a);
    expect(ram[3 * 4096 + 150]).toBe(4);
    expect(JSON.parse(WHOLE.vmdesc!).devices.map((d: { name: string }) => d.name)).toEqual(['timer', 'cpu_common', 'cpu', 'globalstate']);
  });

  it('gives the same result however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: SOURCE.length - 1 }), { minLength: 1, maxLength: 40 }), (cuts) => {
        expect(loadChunks(split(SOURCE, cuts))).toEqual(WHOLE);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same result fed one byte at a time', () => {
    const bytes = Array.from({ length: SOURCE.length }, (_, i) => SOURCE.subarray(i, i + 1));
    expect(loadChunks(bytes)).toEqual(WHOLE);
  });

  it('answers "more" until the vmdesc is complete', () => {
    const m = machine();
    const loader = new MigrationLoader(m.reg, { machineName: 'pseries-7.2' });
    expect(loader.feed(SOURCE.subarray(0, SOURCE.length - 1))).toBe('more');
    expect(loader.sawEof).toBe(true);
    expect(loader.feed(SOURCE.subarray(SOURCE.length - 1))).toBe('eof');
    expect(loader.consumed).toBe(SOURCE.length);
  });

  it('never throws on a corrupted stream (200 cases)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: SOURCE.length - 1 }), { maxLength: 6 }),
        fc.boolean(),
        (flips, cuts, truncate) => {
          const bad = SOURCE.slice();
          // bias half the flips to the device-state tail, where the structure is dense
          for (const [k, f] of flips.entries()) {
            const span = k % 2 ? bad.length : Math.min(bad.length, 12000);
            bad[(k % 2 ? f.at : bad.length - 1 - (f.at % span)) % bad.length] ^= f.xor;
          }
          const input = truncate ? bad.subarray(0, (cuts[0] ?? bad.length) % bad.length) : bad;
          const m = machine();
          const loader = new MigrationLoader(m.reg, { machineName: 'pseries-7.2' });
          let res: FeedResult = 'more';
          for (const c of split(input, cuts)) {
            res = loader.feed(c);
            if (res !== 'more') break;
          }
          if (res === 'more') res = loader.finish();
          expect(res === 'eof' || res instanceof LoadError).toBe(true);
          if (res instanceof LoadError) {
            expect(res.ret).toBeLessThan(0);
            expect(res.message).toMatch(/^load of migration failed: /);
            expect(res.errors.lines.join('\n')).not.toMatch(/internal error/);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
