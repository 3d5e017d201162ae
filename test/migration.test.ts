import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { counters, migrateCommand, runCommand } from '../src/cli/commands';
import { Instance } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import { analyzeStream } from '../src/core/vmstate/analyze';

const ELF = 'public/guests/hello.elf';
// The first lines QEMU 7.2 printed for the same ELF (test/fixtures/regen-hello-qemu.sh).
const QEMU_CONSOLE = readFileSync(new URL('./fixtures/hello-qemu-console.txt', import.meta.url), 'utf8').trimEnd().split('\n');

function capture(fn: (out: (s: string) => void, err: (s: string) => void) => number): { rc: number; lines: string[]; errors: string[] } {
  let text = '';
  let errText = '';
  const rc = fn((s) => { text += s; }, (s) => { errText += s; });
  return { rc, lines: text.trimEnd().split('\n'), errors: errText ? errText.trimEnd().split('\n') : [] };
}

describe('cli run', () => {
  it('prints what QEMU prints for the bundled guest', () => {
    const { rc, lines } = capture((o, e) => runCommand(parseArgs([ELF, '--max-insns', '3000000']), o, e));
    expect(rc).toBe(0);
    expect(lines.slice(0, QEMU_CONSOLE.length)).toEqual(QEMU_CONSOLE);
  });

  it('echoes input typed on the console', () => {
    const { lines } = capture((o, e) => runCommand(parseArgs([ELF, '--max-insns', '2000000', '--input', 'hi there\\r']), o, e));
    expect(lines).toContain('hi there');
  });
});

describe('cli migrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-'));
  const out = join(dir, 's.bin');
  const { rc, lines } = capture((o, e) => migrateCommand(parseArgs(['--after-insns', '1000000', '--then-insns', '1000000', '--out', out]), o, e));
  const src = lines.filter((l) => l.startsWith('src: ')).map((l) => l.slice(5));
  const dst = lines.filter((l) => l.startsWith('dst: ')).map((l) => l.slice(5));

  it('exits 0 with both sides completed', () => {
    expect(rc).toBe(0);
    expect(lines[lines.length - 1]).toMatch(/^migration: source completed, destination completed/);
  });

  it('shows QEMU runstate sequences on both sides', () => {
    const rs = (l: string[]) => l.filter((x) => x.startsWith('runstate_set '));
    expect(rs(src)).toEqual([
      'runstate_set current_run_state 6 (prelaunch) new_state 9 (running)',
      'runstate_set current_run_state 9 (running) new_state 7 (finish-migrate)',
      'runstate_set current_run_state 7 (finish-migrate) new_state 5 (postmigrate)',
    ]);
    expect(rs(dst)).toEqual([
      'runstate_set current_run_state 6 (prelaunch) new_state 1 (inmigrate)',
      'runstate_set current_run_state 1 (inmigrate) new_state 9 (running)',
    ]);
    expect(src.filter((x) => x.startsWith('migrate_set_state'))).toEqual(
      ['migrate_set_state new state setup', 'migrate_set_state new state active', 'migrate_set_state new state completed']);
    expect(dst.filter((x) => x.startsWith('migrate_set_state'))).toEqual(
      ['migrate_set_state new state active', 'migrate_set_state new state completed']);
  });

  it('continues the guest exactly where it stopped', () => {
    const s = counters(src);
    const d = counters(dst);
    expect(s.length).toBeGreaterThan(0);
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]).toBe(s[s.length - 1] + 1);
    expect(lines.some((l) => l.includes('CORRUPT'))).toBe(false);
    // the checksums the destination prints are the ones QEMU prints for those counts
    const qemu = new Map(QEMU_CONSOLE.map((l) => [Number(/^count (\d+)/.exec(l)?.[1] ?? -1), l]));
    for (const l of dst.filter((x) => x.startsWith('count '))) {
      const n = Number(/^count (\d+)/.exec(l)![1]);
      if (qemu.has(n)) expect(l).toBe(qemu.get(n));
    }
  });

  it('writes a QEMU stream our reader decodes', () => {
    const bytes = new Uint8Array(readFileSync(out));
    expect(Buffer.from(bytes.subarray(0, 8)).toString('hex')).toBe('5145564d00000003');
    const a = analyzeStream(bytes);
    expect(a.machine).toBe('pseries-7.2');
    const full = a.records.filter((s) => s.type === 'FULL').map((s) => s.idstr);
    expect(full).toEqual(['timer', 'ics', 'cpu_common', 'cpu', 'icp/server', 'spapr_cpu', 'spapr/rtc',
      'nvram@71000000/spapr_nvram', 'spapr_iommu', 'spapr_iommu', 'spapr_pci', 'PCIBUS', 'spapr',
      'vty@71000001/spapr_vty', 'globalstate']);
    expect(a.error).toBeUndefined();
    expect(a.vmdescText).toBeDefined();
  });
});

describe('migration failure', () => {
  it('leaves the source running when the destination refuses the stream', () => {
    const elf = new Uint8Array(readFileSync(ELF));
    const src = new Instance({ name: 'source', deterministic: true });
    const dst = new Instance({ name: 'destination', deterministic: true, machineType: 'pseries-2.6' });
    const dstErrors: string[] = [];
    dst.onError = (m) => dstErrors.push(m);
    let console = '';
    src.onSerial = (t) => { console += t; };
    let status = '';
    src.onMigration = (i) => { status = i.status; };
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 1_000_000) src.turn();
    const link = new MemoryLink();
    dst.incoming(link.receiver);
    src.migrate(link.sender);
    for (let i = 0; i < 2000 && status !== 'failed'; i++) {
      src.turn(); link.receiver.pump(); dst.turn(); link.sender.pump();
    }
    expect(status).toBe('failed');
    expect(dstErrors).toContain("Machine type received is 'pseries-7.2' and local is 'pseries-2.6'");
    expect(dstErrors).toContain('load of migration failed: Invalid argument');
    expect(src.runstate()).toBe('running');
    const before = counters(console.split('\r\n')).length;
    const start = src.machine.cpu.state.insnCount;
    while (src.machine.cpu.state.insnCount - start < 1_500_000) src.turn();
    expect(counters(console.split('\r\n')).length).toBeGreaterThan(before);
    expect(console).not.toContain('CORRUPT');
  });
});
