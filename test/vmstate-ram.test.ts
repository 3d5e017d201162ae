import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GuestRam } from '../src/core/mem/ram';
import { HtabMigration, register_htab } from '../src/core/migration/htab';
import { RAM_SAVE_FLAG_CONTINUE, RAM_SAVE_FLAG_EOS, RAM_SAVE_FLAG_MEM_SIZE, RAM_SAVE_FLAG_PAGE, RAM_SAVE_FLAG_ZERO, RamMigration, register_ram } from '../src/core/migration/ram';
import { QEMUFileReader, QEMUFileWriter } from '../src/core/vmstate/qemufile';
import {
  LoadError, MigrationLoader, SaveVMRegistry, qemu_savevm_state_complete_precopy, qemu_savevm_state_header,
  qemu_savevm_state_iterate, qemu_savevm_state_pending, qemu_savevm_state_setup, save_section_footer, save_section_header,
} from '../src/core/vmstate/savevm';
import { ErrorLog } from '../src/core/vmstate/vmstate';

const PAGE = 4096;

function filledRam(pages: number): GuestRam {
  const ram = new GuestRam(pages * PAGE);
  for (let p = 0; p < pages; p += 2) ram.u8.fill(0x10 + p, p * PAGE, p * PAGE + 64 + p);
  return ram;
}

/** The page records of a PART/END payload: [offset, flags, has idstr]. */
function records(payload: Uint8Array): [number, number, boolean][] {
  const r = new QEMUFileReader(payload);
  const out: [number, number, boolean][] = [];
  for (;;) {
    const [hi, lo] = r.be64Words();
    const flags = lo & 0xfff;
    if (flags & RAM_SAVE_FLAG_EOS) return out;
    const id = !(flags & RAM_SAVE_FLAG_CONTINUE);
    if (id) r.countedString();
    out.push([hi * 2 ** 32 + (lo & ~0xfff), flags, id]);
    if (flags & RAM_SAVE_FLAG_ZERO) expect(r.u8()).toBe(0);
    else r.skip(PAGE);
  }
}

describe('ram section (source)', () => {
  it('writes the START payload QEMU writes: MEM_SIZE, the block list, EOS', () => {
    const rm = new RamMigration(new GuestRam(0x10000000 / 64));
    const w = new QEMUFileWriter();
    rm.save_setup(w);
    const b = Buffer.from(w.take());
    expect(b.toString('hex')).toBe(
      '0000000000400004' + '0d' + Buffer.from('ppc_spapr.ram').toString('hex') + '0000000000400000' + '0000000000000010');
    expect(rm.ram.logDirty).toBe(true);
    expect(rm.dirtyPages()).toBe(0x10000000 / 64 / PAGE);
  });

  it('sends dirty pages in order, zero pages as one byte, the block id only once', () => {
    const ram = filledRam(16);
    const rm = new RamMigration(ram);
    const w = new QEMUFileWriter();
    rm.save_setup(w);
    w.take();
    expect(rm.save_live_iterate(w, 5)).toBe(0);
    const first = records(w.take());
    expect(first).toEqual([
      [0, RAM_SAVE_FLAG_PAGE, true],
      [PAGE, RAM_SAVE_FLAG_ZERO | RAM_SAVE_FLAG_CONTINUE, false],
      [2 * PAGE, RAM_SAVE_FLAG_PAGE | RAM_SAVE_FLAG_CONTINUE, false],
      [3 * PAGE, RAM_SAVE_FLAG_ZERO | RAM_SAVE_FLAG_CONTINUE, false],
      [4 * PAGE, RAM_SAVE_FLAG_PAGE | RAM_SAVE_FLAG_CONTINUE, false],
    ]);
    expect(rm.dirtyPages()).toBe(11);
    // the guest writes behind the scan position and ahead of it
    ram.st32(PAGE + 4, 0xdeadbeef, false);
    ram.st8(15 * PAGE, 1);
    expect(rm.save_live_iterate(w, 100)).toBe(1); // reached the end of RAM: pass complete
    const rest = records(w.take());
    expect(rest.map(([o]) => o / PAGE)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(rest[10][1]).toBe(RAM_SAVE_FLAG_PAGE | RAM_SAVE_FLAG_CONTINUE); // page 15 is no longer zero
    expect(rm.dirtyPages()).toBe(1);
    expect(rm.save_live_pending()).toBe(PAGE);
    // next pass: only the re-dirtied page
    expect(rm.save_live_iterate(w, 100)).toBe(1);
    expect(records(w.take()).map(([o, f]) => [o / PAGE, f])).toEqual([[1, RAM_SAVE_FLAG_PAGE | RAM_SAVE_FLAG_CONTINUE]]);
    ram.st8(7 * PAGE + 9, 9);
    rm.save_live_complete_precopy(w);
    expect(records(w.take()).map(([o]) => o / PAGE)).toEqual([7]);
    expect(rm.stats).toMatchObject({ normalPages: 11, zeroPages: 7, rounds: 2, iterations: 3 });
    rm.save_cleanup();
    expect(ram.logDirty).toBe(false);
  });
});

function migrate(src: GuestRam, dst: GuestRam, dirty: (round: number) => void, budget = 7) {
  const sreg = new SaveVMRegistry();
  const srm = new RamMigration(src);
  register_ram(sreg, srm);
  register_htab(sreg, new HtabMigration({ htabShift: 18 }));
  const w = new QEMUFileWriter();
  qemu_savevm_state_header(w, { machineName: 'pseries-7.2' });
  qemu_savevm_state_setup(w, sreg);
  let round = 0;
  while (qemu_savevm_state_iterate(w, sreg, budget) === 0 || round < 3) {
    dirty(round++);
    if (round > 50) throw new Error('no convergence');
  }
  expect(qemu_savevm_state_pending(sreg)).toBeGreaterThanOrEqual(0);
  qemu_savevm_state_complete_precopy(w, sreg);
  const bytes = w.take();

  const dreg = new SaveVMRegistry();
  const drm = new RamMigration(dst);
  register_ram(dreg, drm);
  register_htab(dreg, new HtabMigration({ htabShift: 0 }));
  const loader = new MigrationLoader(dreg, { machineName: 'pseries-7.2' });
  return { res: loader.feed(bytes), srm, drm, loader, bytes };
}

describe('ram section (round trip)', () => {
  it('copies RAM with zero and non-zero pages through incremental iterations', () => {
    const src = filledRam(40);
    const dst = new GuestRam(40 * PAGE);
    dst.u8.fill(0xee); // stale destination memory: zero pages must clear it
    const { res, srm, drm } = migrate(src, dst, (round) => {
      src.st32(((round * 13) % 40) * PAGE + 16, 0x11223344 + round, false);
      src.st8(39 * PAGE + round, round);
    });
    expect(res).toBe('eof');
    expect(Buffer.compare(Buffer.from(dst.u8), Buffer.from(src.u8))).toBe(0);
    expect(drm.stats.normalPages).toBe(srm.stats.normalPages);
    expect(drm.stats.zeroPages).toBe(srm.stats.zeroPages);
    expect(srm.stats.normalPages + srm.stats.zeroPages).toBeGreaterThan(40);
  });

  it('reports QEMU errors for bad RAM records', () => {
    const build = (payload: (w: QEMUFileWriter) => void, version = 4) => {
      const reg = new SaveVMRegistry();
      const se = register_ram(reg, new RamMigration(new GuestRam(4 * PAGE)));
      se.version_id = version;
      const w = new QEMUFileWriter();
      qemu_savevm_state_header(w, { machineName: 'pseries-7.2' });
      save_section_header(w, se, 1);
      payload(w);
      save_section_footer(w, se);
      return w.take();
    };
    const load = (bytes: Uint8Array) => {
      const reg = new SaveVMRegistry();
      register_ram(reg, new RamMigration(new GuestRam(4 * PAGE)));
      reg.handlers[0].version_id = 5; // accept any stream version up to 5 here
      const res = new MigrationLoader(reg, { machineName: 'pseries-7.2' }).feed(bytes);
      expect(res).toBeInstanceOf(LoadError);
      return (res as LoadError).format('');
    };
    const sect = "error while loading state for instance 0x0 of device 'ram'";
    const inval = 'load of migration failed: Invalid argument';
    expect(load(build((w) => { w.be64(4 * PAGE + RAM_SAVE_FLAG_MEM_SIZE); w.countedString('pc.ram'); w.be64(4 * PAGE); }))).toEqual([
      'Unknown ramblock "pc.ram", cannot accept migration', sect, inval]);
    expect(load(build((w) => { w.be64(8 * PAGE + RAM_SAVE_FLAG_MEM_SIZE); w.countedString('ppc_spapr.ram'); w.be64(8 * PAGE); }))).toEqual([
      'Size mismatch: ppc_spapr.ram: 0x8000 != 0x4000: Invalid argument', sect, inval]);
    expect(load(build((w) => { w.be64(9 * PAGE + RAM_SAVE_FLAG_ZERO); w.countedString('ppc_spapr.ram'); w.u8(0); }))).toEqual([
      'Illegal RAM offset 9000', sect, inval]);
    expect(load(build((w) => { w.be64(RAM_SAVE_FLAG_ZERO | RAM_SAVE_FLAG_CONTINUE); w.u8(0); }))).toEqual([
      'Ack, bad migration stream!', 'Illegal RAM offset 0', sect, inval]);
    expect(load(build((w) => { w.be64(RAM_SAVE_FLAG_PAGE); w.countedString('other'); }))).toEqual([
      "Can't find block other", 'Illegal RAM offset 0', sect, inval]);
    expect(load(build((w) => { w.be64(0x1); }))).toEqual(['Unknown combination of migration flags: 0x1', sect, inval]);
    expect(load(build((w) => { w.be64(RAM_SAVE_FLAG_ZERO | RAM_SAVE_FLAG_PAGE); w.countedString('ppc_spapr.ram'); }))).toEqual([
      'Unknown combination of migration flags: 0xa', sect, inval]);
    expect(load(build((w) => { w.be64(RAM_SAVE_FLAG_EOS); }, 3))).toEqual([sect, inval]);
  });

  it('reads the RAM of a real QEMU 7.2 stream', () => {
    const d = new Uint8Array(gunzipSync(readFileSync(new URL('./fixtures/stream-pseries-p8.bin.gz', import.meta.url))));
    const ram = new GuestRam(0x10000000);
    const rm = new RamMigration(ram);
    const errors = new ErrorLog();
    // payload offsets from the section walk: START 0x29, PART 0x7a, END 0x34edf1
    for (const at of [0x29, 0x7a, 0x34edf1]) {
      const r = new QEMUFileReader(d);
      r.eof = true;
      r.pos = at;
      expect(rm.load_state(r, 4, errors)).toBe(0);
      expect(d[r.pos]).toBe(0x7e); // the footer follows
    }
    expect(errors.lines).toEqual([]);
    expect(rm.stats).toMatchObject({ normalPages: 710, zeroPages: 64841 });
    let nonZero = 0;
    for (let p = 0; p < ram.pages; p++) if (!ram.isZeroPage(p)) nonZero++;
    expect(nonZero).toBe(703);
    expect(Buffer.from(ram.read(0x20, 8)).toString('latin1')).toBe('header\0\0');
  });
});
