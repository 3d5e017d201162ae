import { describe, expect, it } from 'vitest';
import { GuestRam } from '../mem/ram';
import { QEMUFileReader, QEMUFileWriter } from '../vmstate/qemufile';
import { ErrorLog } from '../vmstate/vmstate';
import { RAM_SAVE_FLAG_CONTINUE, RAM_SAVE_FLAG_EOS, RAM_SAVE_FLAG_PAGE, RAM_SAVE_FLAG_ZERO, RAM_VERSION, RamMigration } from './ram';

const PAGE = 4096;

/** [page, 'zero' | 'page'] for each page record of a PART/END payload. */
function records(payload: Uint8Array): [number, 'zero' | 'page'][] {
  const r = new QEMUFileReader(payload);
  const out: [number, 'zero' | 'page'][] = [];
  for (;;) {
    const [hi, lo] = r.be64Words();
    const flags = lo & 0xfff;
    if (flags & RAM_SAVE_FLAG_EOS) return out;
    if (!(flags & RAM_SAVE_FLAG_CONTINUE)) r.countedString();
    out.push([(hi * 2 ** 32 + (lo & ~0xfff)) / PAGE, flags & RAM_SAVE_FLAG_ZERO ? 'zero' : 'page']);
    if (flags & RAM_SAVE_FLAG_ZERO) r.u8();
    else { expect(flags & RAM_SAVE_FLAG_PAGE).toBeTruthy(); r.skip(PAGE); }
  }
}

function load(dst: RamMigration, chunks: Uint8Array[]): void {
  const errors = new ErrorLog();
  for (const c of chunks) {
    const r = new QEMUFileReader(c);
    r.eof = true;
    expect(dst.load_state(r, RAM_VERSION, errors)).toBe(0);
    expect(r.remaining).toBe(0);
  }
}

describe('ram section: the zero-page look ahead', () => {
  it('sends a page found zero ahead of the pass, then written, with what was written', () => {
    const ram = new GuestRam(64 * PAGE);
    ram.u8[3 * PAGE + 100] = 7;
    const rm = new RamMigration(ram);
    const w = new QEMUFileWriter();
    rm.save_setup(w);
    const chunks = [w.take()];
    // pages 0-7 go out; the look ahead finds 8-15 zero
    expect(rm.save_live_iterate(w, 8)).toBe(0);
    chunks.push(w.take());
    // the guest (as a store while dirty logging is on) writes pages 9 and 12 before they are sent
    ram.write(9 * PAGE + 5, new Uint8Array([1, 2, 3]));
    ram.st32(12 * PAGE + 8, 0x11223344, false);
    expect(rm.save_live_iterate(w, 8)).toBe(0);
    const second = w.take();
    chunks.push(second);
    expect(records(second)).toEqual([
      [8, 'zero'], [9, 'page'], [10, 'zero'], [11, 'zero'], [12, 'page'], [13, 'zero'], [14, 'zero'], [15, 'zero'],
    ]);
    ram.write(40 * PAGE, new Uint8Array([9]));
    while (rm.save_live_iterate(w, 8) === 0) chunks.push(w.take());
    chunks.push(w.take());
    rm.save_live_complete_precopy(w);
    chunks.push(w.take());
    const dst = new RamMigration(new GuestRam(64 * PAGE));
    dst.load_setup();
    load(dst, chunks);
    expect(Buffer.compare(Buffer.from(dst.ram.u8), Buffer.from(ram.u8))).toBe(0);
    expect(dst.ram.u8[9 * PAGE + 6]).toBe(2);
    expect(dst.ram.u8[40 * PAGE]).toBe(9);
  });

  it('stop-and-copy: pages the look ahead saw zero go out as ZERO records, a later store makes a PAGE record', () => {
    const ram = new GuestRam(32 * PAGE);
    const rm = new RamMigration(ram);
    const w = new QEMUFileWriter();
    rm.save_setup(w);
    w.take();
    rm.save_live_iterate(w, 4); // sends 0-3, looks at 4-7
    rm.save_live_iterate(w, 4); // sends 4-7, looks at 8-11
    w.take();
    ram.write(10 * PAGE + 4095, new Uint8Array([0xaa]));
    rm.save_live_complete_precopy(w);
    const end = records(w.take());
    expect(end.length).toBe(24);
    expect(end.filter(([, k]) => k === 'page')).toEqual([[10, 'page']]);
  });

  it('a new migration forgets what an earlier one saw', () => {
    const ram = new GuestRam(16 * PAGE);
    const rm = new RamMigration(ram);
    const w = new QEMUFileWriter();
    rm.save_setup(w);
    rm.save_live_iterate(w, 2); // looks at pages 2-3
    rm.save_cleanup();
    // written while no migration logs writes
    ram.u8[2 * PAGE] = 5;
    w.take();
    rm.save_setup(w);
    w.take();
    rm.save_live_iterate(w, 4);
    expect(records(w.take()).slice(0, 4)).toEqual([[0, 'zero'], [1, 'zero'], [2, 'page'], [3, 'zero']]);
  });
});
