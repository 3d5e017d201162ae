// dump-vmstate: QEMU 7.2's -dump-vmstate entries for the qdev types our pseries machine has,
// checked against QEMU's own dump (test/fixtures/dump-vmstate-qemu-7.2-pseries-7.2.json) and,
// when QEMU's source is present, with its scripts/vmstate-static-checker.py.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpVmstate, dumpVmstateCommand, dumpVmstateText } from '../src/cli/dump-vmstate';
import { parseArgs } from '../src/cli/args';

type Json = Record<string, any>;
const root = join(__dirname, '..');
const fixtureFile = join(root, 'test/fixtures/dump-vmstate-qemu-7.2-pseries-7.2.json');
const fixtureText = readFileSync(fixtureFile, 'utf8');
const TYPES = ['spapr-rtc', 'spapr-wdt', 'spapr-vty', 'ics', 'spapr-nvram', 'spapr-pci-host-bridge', 'ics-spapr'];

describe('dump-vmstate', () => {
  const qemu = JSON.parse(fixtureText) as Json;

  it('keys the qdev types QEMU dumps for our devices, with QEMU\'s Name, and nothing else', () => {
    for (const mt of ['pseries-7.2', 'pseries-2.6']) {
      const d = dumpVmstate(mt, { qdevOnly: true });
      expect(d.vmschkmachine).toEqual({ Name: mt });
      expect(Object.keys(d)).toEqual(['vmschkmachine', ...TYPES]);
      for (const t of TYPES) expect((d[t] as Json).Name).toBe(t);
    }
    expect(Object.keys(qemu)).toEqual(['vmschkmachine', ...TYPES]);
  });

  it('gives each type the entry QEMU 7.2 gives it, byte for byte as JSON', () => {
    const ours = dumpVmstate('pseries-7.2', { qdevOnly: true }) as Json;
    const q = qemu;
    expect(JSON.stringify(ours.vmschkmachine)).toBe(JSON.stringify(q.vmschkmachine));
    for (const t of TYPES) expect(JSON.stringify(ours[t]), t).toBe(JSON.stringify(q[t]));
    // struct fields carry QEMU's sizeof the element, the timer sizeof(QEMUTimer)
    expect(ours['spapr-vty'].Description.Fields[0].size).toBe(848);
    expect(ours['spapr-wdt'].Description.Fields[0].size).toBe(48);
    expect(ours.ics.Description.Fields[1].size).toBe(8);
  });

  it('writes the file in QEMU\'s text layout', () => {
    expect(dumpVmstateText(JSON.parse(fixtureText))).toBe(fixtureText);
    const dir = mkdtempSync(join(tmpdir(), 'dump-vmstate-'));
    try {
      const f = join(dir, 'd.json');
      let said = '';
      expect(dumpVmstateCommand(parseArgs([f, '--machine', 'pseries-7.2', '--qdev']), (s) => { said += s; })).toBe(0);
      expect(said).toBe(`${f}: 7 device types of pseries-7.2\n`);
      const text = readFileSync(f, 'utf8');
      expect(text).toBe(dumpVmstateText(dumpVmstate('pseries-7.2', { qdevOnly: true })));
      expect(text).toBe(fixtureText);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without --qdev also describes the machine\'s own sections, keyed by section name', () => {
    const d = dumpVmstate('pseries-7.2') as Json;
    for (const k of ['spapr', 'cpu', 'cpu_common', 'icp/server', 'spapr_cpu', 'spapr_iommu', 'spapr_drc', 'PCIBUS', 'timer', 'globalstate']) {
      expect(d[k]?.Description?.name, k).toBeTruthy();
    }
    // the live sections: their version, no fields
    expect(d.ram).toEqual({ Name: 'ram', version_id: 4, minimum_version_id: 4, Description: { name: 'ram', version_id: 4, minimum_version_id: 4, Fields: [] } });
    expect(d['spapr/htab'].version_id).toBe(1);
    // the cpu section's pre-2.8 migration fields carry their test (field_exists), as QEMU's
    const mig = (d.cpu.Description.Fields as Json[]).find((f) => f.field === 'mig_msr_mask');
    expect(mig?.field_exists).toBe(true);
  });

  const checker = join(root, '.cache/qemu-src/qemu-7.2+dfsg/scripts/vmstate-static-checker.py');
  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!existsSync(checker) || !python)('passes vmstate-static-checker.py against QEMU 7.2\'s dump, both ways', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dump-vmstate-'));
    try {
      const o72 = join(dir, 'o72.json');
      const o26 = join(dir, 'o26.json');
      dumpVmstateCommand(parseArgs([o72, '--machine', 'pseries-7.2', '--qdev']), () => {});
      dumpVmstateCommand(parseArgs([o26, '--machine', 'pseries-2.6', '--qdev']), () => {});
      const run = (src: string, dest: string) => {
        const r = spawnSync('python3', [checker, '-s', src, '-d', dest], { encoding: 'utf8' });
        return { status: r.status, lines: r.stdout.split('\n').filter(Boolean) };
      };
      expect(run(fixtureFile, o72)).toEqual({ status: 0, lines: [] });
      expect(run(o72, fixtureFile)).toEqual({ status: 0, lines: [] });
      // our two machine types' dumps, as QEMU's would be: the same device descriptions
      expect(run(o26, o72)).toEqual({ status: 0, lines: ['Warning: checking incompatible machine types: "pseries-2.6", "pseries-7.2"'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
