// dump-vmstate: QEMU's -dump-vmstate schema for every section of the machine.

import { describe, expect, it } from 'vitest';
import { dumpVmstate } from '../src/cli/dump-vmstate';

describe('dump-vmstate', () => {
  it('lists every section of pseries-7.2 and pseries-2.6 in the -dump-vmstate schema', () => {
    const d72 = dumpVmstate('pseries-7.2');
    const d26 = dumpVmstate('pseries-2.6');
    expect(d72.vmschkmachine).toEqual({ Name: 'pseries-7.2' });
    expect(Object.keys(d72).slice(1)).toEqual([
      'timer', 'ram', 'ics', 'spapr_drc', 'cpu_common', 'cpu', 'icp/server', 'spapr_cpu', 'spapr/rtc',
      'nvram@71000000/spapr_nvram', 'spapr_drc/physical', 'spapr_iommu', 'spapr_pci', 'PCIBUS', 'spapr',
      'spapr/htab', 'spapr_watchdog', 'vty@71000001/spapr_vty', 'globalstate',
    ]);
    expect(Object.keys(d26)).not.toContain('spapr_cpu');
    const iommu = d72.spapr_iommu as { version_id: number; minimum_version_id: number; Description: { Fields: { field: string }[]; Subsections: { name: string }[] } };
    expect([iommu.version_id, iommu.minimum_version_id]).toEqual([3, 2]);
    expect(iommu.Description.Fields.map((f) => f.field)).toEqual(['liobn', 'mig_nb_table', 'bypass', 'mig_table', 'def_win']);
    expect(iommu.Description.Subsections.map((s) => s.name)).toEqual(['spapr_iommu_ex']);
    const spapr = d72.spapr as { Description: { Subsections: { name: string }[] } };
    expect(spapr.Description.Subsections).toHaveLength(18);
    const pci = d26.spapr_pci as { Description: { Fields: { field: string; field_exists: boolean }[] } };
    expect(pci.Description.Fields.filter((f) => f.field_exists).map((f) => f.field)).toEqual(
      ['mig_liobn', 'mig_mem_win_addr', 'mig_mem_win_size', 'mig_io_win_addr', 'mig_io_win_size']);
  });
});
