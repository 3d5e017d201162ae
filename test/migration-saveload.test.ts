// save / load: a stream written to a file (migrate "exec:cat > FILE") restores into a new
// machine that keeps counting, and QEMU's own SLOF stream restores and runs.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { counters } from '../src/cli/commands';
import { loadCommand, streamMachineType } from '../src/cli/load';
import { saveCommand } from '../src/cli/save';

describe('save and load', () => {
  it('save writes a stream of the running guest; load resumes it and it keeps counting', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pseries-lab-save-')), 's.bin');
    let out = '';
    expect(saveCommand(parseArgs([file, '--after-insns', '2000000']), (s) => { out += s; })).toBe(0);
    expect(out).toMatch(/saved \d+ bytes to .*; source postmigrate/);
    const last = counters(out.split('\n').filter((l) => l.startsWith('src: ')).map((l) => l.slice(5))).at(-1)!;
    let loaded = '';
    expect(await loadCommand(parseArgs([file, '--max-insns', '3000000']), (s) => { loaded += s; })).toBe(0);
    const got = counters(loaded.split(/\r?\n/));
    expect(got[0]).toBe(last + 1);
    expect(got.length).toBeGreaterThanOrEqual(3);
    expect(loaded).not.toContain('CORRUPT');
  });

  it('restores QEMU\'s own pseries-7.2 and pseries-2.6 SLOF streams and runs them', async () => {
    for (const name of ['stream-pseries-p8', 'stream-pseries-2.6-p8']) {
      const file = new URL(`./fixtures/${name}.bin.gz`, import.meta.url).pathname;
      let out = '';
      expect(await loadCommand(parseArgs([file, '--max-insns', '200000']), (s) => { out += s; })).toBe(0);
      expect(out).toMatch(/^load: \d+ bytes, machine pseries-(7\.2|2\.6), runstate running, nip 0xdb19e08/);
      expect(out).toMatch(/load: ran 200\d+ instructions, runstate running/);
    }
  });

  it('QEMU\'s SLOF, restored from its pseries-7.2 stream, answers at its prompt: "1 2 + ." prints 3', async () => {
    const file = new URL('./fixtures/stream-pseries-p8.bin.gz', import.meta.url).pathname;
    let out = '';
    expect(await loadCommand(parseArgs([file, '--max-insns', '12000000', '--input', '1 2 + .\\r']), (s) => { out += s; })).toBe(0);
    expect(out).toContain('1 2 + .');
    expect(out).toMatch(/ 3 {2}ok\r?\n0 > /);
  }, 60_000);

  it('reads the machine type from the configuration section', () => {
    const b = new Uint8Array([0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3, 7, 0, 0, 0, 11, ...new TextEncoder().encode('pseries-7.2')]);
    expect(streamMachineType(b)).toBe('pseries-7.2');
  });
});
