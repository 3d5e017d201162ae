// The whole pseries device set: our streams carry exactly the sections (names, ids, instance
// ids, versions, order) of QEMU 7.2's own streams for the same machine types, and analyze
// decodes both of QEMU's streams section by section through our declarations.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import { analyzeStream, type StreamAnalysis } from '../src/core/vmstate/analyze';

const ELF = new Uint8Array(readFileSync('public/guests/hello.elf'));

/** test/fixtures/sections-*.txt: "TYPE id idstr [instance version]" (see fixtures/README.md). */
function fixtureSections(name: string): string[] {
  return readFileSync(new URL(`./fixtures/sections-${name}.txt`, import.meta.url), 'utf8').trimEnd().split('\n');
}

/** The record list without PART records (their number depends on how iterations fell). */
function sectionList(a: StreamAnalysis): string[] {
  return a.records.filter((r) => r.type !== 'PART').map((r) =>
    r.type === 'END' ? `END ${r.sectionId} ${r.idstr}` : `${r.type} ${r.sectionId} ${r.idstr} ${r.instanceId} ${r.version}`);
}

/** Boot the hello guest on `machineType`, migrate it after `after` instructions; the stream and both ends. */
export function migrateHello(machineType: string, after = 1_000_000): { bytes: Uint8Array; src: Instance; dst: Instance; srcStatus: string; dstStatus: string } {
  const src = new Instance({ name: 'source', deterministic: true, machineType });
  const dst = new Instance({ name: 'destination', deterministic: true, machineType });
  let srcStatus = 'none';
  let dstStatus = 'none';
  src.onMigration = (i) => { srcStatus = i.status; };
  dst.onMigration = (i) => { dstStatus = i.status; };
  src.boot(ELF);
  while (src.machine.cpu.state.insnCount < after && src.runstate() === 'running') src.turn();
  const link = new MemoryLink();
  dst.incoming(link.receiver);
  src.migrate(link.sender);
  const done = (s: string) => s === 'completed' || s === 'failed' || s === 'cancelled';
  for (let t = 0; t < 1_000_000 && !(done(srcStatus) && done(dstStatus)); t++) {
    src.turn(); link.receiver.pump(); link.sender.pump();
    dst.turn(); link.receiver.pump(); link.sender.pump();
  }
  return { bytes: link.bytes(), src, dst, srcStatus, dstStatus };
}

describe('the pseries section list', () => {
  it('pseries-7.2: our stream has exactly the sections of QEMU 7.2\'s own stream', () => {
    const { bytes, srcStatus, dstStatus } = migrateHello('pseries-7.2');
    expect([srcStatus, dstStatus]).toEqual(['completed', 'completed']);
    const a = analyzeStream(bytes);
    expect(a.error).toBeUndefined();
    expect(a.warnings).toEqual([]);
    expect(sectionList(a)).toEqual(fixtureSections('pseries-p8'));
    expect(a.records.filter((r) => r.type === 'FULL').every((r) => r.decodedBy === 'declaration')).toBe(true);
  });

  it('pseries-2.6: no spapr_cpu, one spapr_iommu, the 2.6 section ids', () => {
    const { bytes, srcStatus, dstStatus } = migrateHello('pseries-2.6');
    expect([srcStatus, dstStatus]).toEqual(['completed', 'completed']);
    const a = analyzeStream(bytes);
    expect(a.error).toBeUndefined();
    expect(a.warnings).toEqual([]);
    expect(sectionList(a)).toEqual(fixtureSections('pseries-2.6-p8'));
  });

  it('carries QEMU\'s reset values for the state-only devices', () => {
    const { bytes } = migrateHello('pseries-7.2');
    const a = analyzeStream(bytes, { state: true });
    const st = a.state!;
    const ics = st.get('ics (4)') as Map<string, unknown>;
    const irqs = ics.get('irqs') as Map<string, string>[];
    const claimed = irqs.map((x, i) => [i, x.get('flags')] as const).filter(([, f]) => f !== '0x00');
    expect(claimed).toEqual([[0, '0x02'], [1, '0x02'], [0x100, '0x02'], [0x101, '0x02'], [0x200, '0x01'], [0x201, '0x01'], [0x202, '0x01'], [0x203, '0x01']]);
    const win1 = st.get('spapr_iommu (556)') as Map<string, unknown>;
    expect(win1.get('mig_nb_table')).toBe('0x00000000');
    expect(win1.get('def_win')).toBe(false);
    const ex = win1.get('spapr_iommu_ex') as Map<string, unknown>;
    expect([ex.get('bus_offset'), ex.get('page_shift')]).toEqual(['0x0000000000000000', '0x00000000']);
    const pci = st.get('spapr_pci (557)') as Map<string, unknown>;
    expect((pci.get('lsi_table') as Map<string, string>[]).map((l) => l.get('irq'))).toEqual(['0x00001200', '0x00001201', '0x00001202', '0x00001203']);
    expect(pci.get('buid')).toBe('0x0800000020000000');
  });
});

describe('analyze of QEMU\'s own streams', () => {
  for (const name of ['pseries-p8', 'pseries-2.6-p8']) {
    it(`stream-${name}: exactly the sections of its dump, every FULL section through our declarations`, () => {
      const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(`./fixtures/stream-${name}.bin.gz`, import.meta.url))));
      const a = analyzeStream(bytes);
      expect(a.error).toBeUndefined();
      expect(a.warnings).toEqual([]);
      expect(sectionList(a)).toEqual(fixtureSections(name));
      const notOurs = a.records.filter((r) => r.type === 'FULL' && r.decodedBy !== 'declaration').map((r) => r.idstr);
      expect(notOurs).toEqual([]);
    });
  }
});
