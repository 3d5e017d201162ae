import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/cli/analyze';
import { CpuState } from '../src/core/cpu/state';
import { GuestRam } from '../src/core/mem/ram';
import { HtabMigration, register_htab } from '../src/core/migration/htab';
import { RamMigration, register_ram } from '../src/core/migration/ram';
import { analyzeStream, formatDesc, formatState } from '../src/core/vmstate/analyze';
import { register_cpu_vmstate } from '../src/core/vmstate/cpu';
import { GlobalState, register_global_state } from '../src/core/vmstate/globalstate';
import { QEMUFileWriter } from '../src/core/vmstate/qemufile';
import {
  SaveVMRegistry, qemu_savevm_state_complete_precopy, qemu_savevm_state_header, qemu_savevm_state_iterate, qemu_savevm_state_setup,
} from '../src/core/vmstate/savevm';
import { register_timers } from '../src/core/vmstate/timer';

const FIXTURE = new URL('./fixtures/stream-pseries-p8.bin.gz', import.meta.url).pathname;
const STREAM = new Uint8Array(gunzipSync(readFileSync(FIXTURE)));

// QEMU 7.2's stream-pseries-p8.dump.txt: type, section id, idstr, instance id, version, record bytes
const EXPECTED: [string, number, string, number, number, number][] = [
  ['START', 2, 'ram', 0, 4, 60],
  ['START', 560, 'spapr/htab', 0, 1, 33],
  ['PART', 2, 'ram', 0, 4, 3468641],
  ['PART', 560, 'spapr/htab', 0, 1, 22],
  ['END', 2, 'ram', 0, 4, 28818],
  ['END', 560, 'spapr/htab', 0, 1, 22],
  ['FULL', 0, 'timer', 0, 2, 48],
  ['FULL', 4, 'ics', 0, 1, 32794],
  ['FULL', 6, 'cpu_common', 0, 1, 37],
  ['FULL', 7, 'cpu', 0, 5, 10666],
  ['FULL', 8, 'icp/server', 0, 1, 35],
  ['FULL', 9, 'spapr_cpu', 0, 1, 28],
  ['FULL', 10, 'spapr/rtc', 0, 1, 36],
  ['FULL', 11, 'nvram@71000000/spapr_nvram', 0, 1, 65585],
  ['FULL', 555, 'spapr_iommu', 0x80000000, 3, 2097192],
  ['FULL', 556, 'spapr_iommu', 0x80000001, 3, 72],
  ['FULL', 557, 'spapr_pci', 0, 2, 56],
  ['FULL', 558, 'PCIBUS', 0, 1, 45],
  ['FULL', 559, 'spapr', 0, 3, 14406],
  ['FULL', 565, 'vty@71000001/spapr_vty', 0, 1, 97],
  ['FULL', 566, 'globalstate', 0, 1, 134],
];

async function run(file: string, dump?: 'state' | 'desc') {
  const lines: string[] = [];
  const code = await analyze(file, { dump }, (l) => lines.push(l));
  return { code, lines };
}

describe('analyze a real QEMU 7.2 stream', () => {
  const a = analyzeStream(STREAM);

  it('reads the configuration and exactly the section list of QEMU\'s walk', () => {
    expect(a.error).toBeUndefined();
    expect(a.warnings).toEqual([]);
    expect(a.machine).toBe('pseries-7.2');
    expect(a.records.map((r) => [r.type, r.sectionId, r.idstr, r.instanceId, r.version, r.size])).toEqual(EXPECTED);
    expect(a.eofOffset).toBe(0x574343);
    expect(a.vmdescOffset).toBe(0x574344);
    expect(a.ram).toEqual({ blocks: [['ppc_spapr.ram', 0x10000000]], pages: 710, zeroPages: 64841 });
  });

  it('decodes every FULL section through our declarations', () => {
    const by = (id: number) => a.records.find((r) => r.sectionId === id)!;
    expect(by(7).decodedBy).toBe('declaration');
    expect(by(7).summary).toBe('nip=0xdb19e08 msr=0x8000000000000000 pvr=0x004d0200');
    expect([by(0), by(6), by(566)].map((r) => r.decodedBy)).toEqual(['declaration', 'declaration', 'declaration']);
    expect(by(566).summary).toBe('runstate=running');
    expect(a.records.filter((r) => r.type === 'FULL').filter((r) => r.decodedBy !== 'declaration')).toEqual([]);
    expect(by(555).summary).toBe('liobn=0x80000000 nb_table=0x40000 page_shift=12 tces=0');
    expect(by(557).summary).toBe('buid=0x800000020000000 lsi=0x1200,0x1201,0x1202,0x1203 msi_devs=0');
    expect(by(560).summary).toBe('htab_shift=21');
  });

  it('prints one line per record, instance ids >= 0x80000000 in hex', async () => {
    const { code, lines } = await run(FIXTURE);
    expect(code).toBe(0);
    expect(lines[0]).toBe("configuration: machine 'pseries-7.2'");
    expect(lines.filter((l) => /^(START|PART|END|FULL) /.test(l))).toHaveLength(EXPECTED.length);
    expect(lines.find((l) => l.includes("'spapr_iommu'"))).toMatch(/^FULL  id=555 +'spapr_iommu' +instance=0x80000000 v3 +size=2097192 payload=2097162 \[declaration\] liobn=0x80000000/);
    expect(lines.find((l) => l.includes("'cpu'"))).toContain('[declaration] nip=0xdb19e08');
    expect(lines).toContain('ram: 65551 page records (710 pages, 64841 zero pages); blocks: ppc_spapr.ram 0x10000000');
  });

  it('dumps the state exactly as analyze-migration.py -d state does', async () => {
    const { code, lines } = await run(FIXTURE, 'state');
    expect(code).toBe(0);
    const text = lines.join('\n') + '\n';
    // see test/fixtures/README.md for how the expected output was produced
    expect(createHash('sha256').update(text).digest('hex')).toBe('dfe11a2b8397046a50c1e7bad5bb94d2904ba8de924f3001e701a630dcaa8ebc');
    const excerpt = JSON.parse(readFileSync(new URL('./fixtures/analyze-state-pseries-p8.excerpt.json', import.meta.url), 'utf8'));
    const ours = JSON.parse(text);
    for (const k of Object.keys(excerpt)) expect(ours[k]).toEqual(excerpt[k]);
    expect(Object.keys(ours)[0]).toBe('ram (2)');
    expect(ours['cpu (7)']['env.nip']).toBe('0x000000000db19e08');
    expect(ours['cpu (7)']['env.spr'][287]).toBe('0x00000000004d0200');
  });

  it('dumps the vmdesc pretty-printed', async () => {
    const { code, lines } = await run(FIXTURE, 'desc');
    expect(code).toBe(0);
    expect(lines.slice(0, 3)).toEqual(['{', '    "page_size": 4096,', '    "devices": [']);
    expect(JSON.parse(lines.join('\n'))).toEqual(JSON.parse(a.vmdescText!));
    expect(formatDesc(a)).toEqual(lines);
  });

  it('reads a raw (not gzip\'d) file too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-'));
    const raw = join(dir, 'stream.bin');
    writeFileSync(raw, STREAM);
    const { code, lines } = await run(raw);
    expect(code).toBe(0);
    expect(lines[0]).toBe("configuration: machine 'pseries-7.2'");
  });

  it('flags a PVR that is not a POWER8', () => {
    const bad = STREAM.slice();
    const payload = 0x35df03 + 17;
    const pvrLow = payload + 8 + 32 * 8 + 8 * 4 + 8 + 287 * 8 + 4;
    expect(Array.from(bad.subarray(pvrLow, pvrLow + 4))).toEqual([0x00, 0x4d, 0x02, 0x00]);
    bad.set([0x00, 0x4e, 0x12, 0x02], pvrLow);
    const b = analyzeStream(bad);
    expect(b.error).toBeUndefined();
    expect(b.warnings).toEqual([
      'cpu (7): env.spr[287] (PVR) = 0x004e1202 is not a POWER8 (0x004b..., 0x004c..., 0x004d...)',
      'cpu (7): loading it here would fail (ret -22)',
    ]);
  });

  it('stops with an error on a truncated stream', async () => {
    // cut inside the cpu section: no vmdesc to fall back on
    const b = analyzeStream(STREAM.subarray(0, 0x360000));
    expect(b.error).toBe("Unexpected end of stream in section 'cpu' at 0x360000");
    expect(b.records.at(-1)!.idstr).toBe('cpu_common');
    const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-'));
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, STREAM.subarray(0, 0x360000));
    const { code, lines } = await run(cut);
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe("error: Unexpected end of stream in section 'cpu' at 0x360000");
  });
});

describe('analyze a stream written here', () => {
  it('reads back every section, including the vmdesc we wrote', () => {
    const reg = new SaveVMRegistry();
    register_timers(reg, { cpu_ticks_offset: 5n, cpu_clock_offset: -7n });
    const ram = new GuestRam(16 * 4096);
    ram.u8.fill(3, 4096, 8192);
    register_ram(reg, new RamMigration(ram));
    const cpu = { state: new CpuState(), pvr: 0x004d0200, preSave() {}, postLoad() {} };
    cpu.state.setSpr(287, 0x004d0200n);
    cpu.state.setNip(0x100n);
    register_cpu_vmstate(reg, cpu);
    register_htab(reg, new HtabMigration({ htabShift: 18 }));
    const gs = new GlobalState();
    gs.store('paused');
    register_global_state(reg, gs);
    const w = new QEMUFileWriter();
    qemu_savevm_state_header(w, { machineName: 'pseries-7.2' });
    qemu_savevm_state_setup(w, reg);
    while (qemu_savevm_state_iterate(w, reg, 5) === 0);
    qemu_savevm_state_complete_precopy(w, reg);
    const w0 = w.take();
    const a = analyzeStream(w0, { state: true });
    expect(a.error).toBeUndefined();
    expect(a.warnings).toEqual([]);
    expect(a.records.filter((r) => r.type === 'FULL').map((r) => [r.idstr, r.decodedBy])).toEqual([
      ['timer', 'declaration'], ['cpu_common', 'declaration'], ['cpu', 'declaration'], ['globalstate', 'declaration'],
    ]);
    expect(a.ram).toMatchObject({ pages: 1, zeroPages: 15 });
    const state = JSON.parse(formatState(a).join('\n'));
    expect(state['timer (0)']).toEqual({ cpu_ticks_offset: '0x0000000000000005', unused: '00 00 00 00 00 00 00 00', cpu_clock_offset: '0xfffffffffffffff9 (-7)' });
    expect(Object.keys(state)).toEqual(['ram (1)', 'spapr/htab (4)', 'timer (0)', 'cpu_common (2)', 'cpu (3)', 'globalstate (5)']);
    expect(state['cpu (3)']['env.nip']).toBe('0x0000000000000100');
    expect(state['globalstate (5)'].size).toBe('0x00000007');
    // cut inside the cpu section: the walk stops there
    const cut = analyzeStream(w0.subarray(0, a.records.find((r) => r.idstr === 'cpu')!.offset + 100));
    expect(cut.error).toMatch(/Unexpected end of stream/);
  });
});
