// pseries machine types and their compat knobs (hw/ppc/spapr.c spapr_machine_*_class_options,
// QEMU 7.2), as one table. Each entry lists only what changes for that version and older;
// `machineVersion(name)` folds the table from the newest down to the requested one, the way
// each class_options function calls the next newer one and then adds its own changes.

export interface MachineCompat {
  /** Machine type name, e.g. "pseries-7.2". */
  name: string;
  /** QEMU's default CPU model for the machine type. */
  defaultCpu: string;
  /** OV5_FORM2_AFFINITY offered (not for <= 6.1). */
  form2Affinity: boolean;
  /** modern-hotplug-events: OV5_HP_EVT offered (off for <= 2.7). */
  modernHotplugEvents: boolean;
  /** resize-hpt default: OV5_HPT_RESIZE offered unless disabled (disabled for <= 2.9). */
  resizeHpt: boolean;
  /** dr_lmb_enabled: OV5_DRCONF_MEMORY (off for <= 2.4). */
  drLmb: boolean;
  /** CPU/PHB pre-2.8-migration: the cpu section carries mig_msr_mask & co, spapr_pci the mig_* windows. */
  pre_2_8_migration: boolean;
  /** pre-2.10-migration: no cpu/compat subsection; dummy icp/server entries. */
  pre_2_10_migration: boolean;
  /** pre-3.0-migration: no spapr_cpu section, cpu/slb carries mig_slb_nr. */
  pre_3_0_migration: boolean;
  /** Legacy IRQ numbering: 1024-entry ics (XICS_IRQS_SPAPR 0x400) for <= 3.0. */
  legacyIrqs: boolean;
  /** update_dt_enabled: the spapr_dtb subsection and H_UPDATE_DT (>= 4.0). */
  updateDtEnabled: boolean;
  /** pre_4_1_migration: no spapr/cap/hpt_maxpagesize subsection for <= 4.0. */
  pre_4_1_migration: boolean;
  /** PHB dynamic DMA windows (the second spapr_iommu, 0x80000001); off for <= 2.6. */
  ddw: boolean;
  /** The PHB's IOMMU page sizes (spapr-pci-host-bridge "pgsz"): 4K|64K on 4.1 and older. */
  phbPageSizeMask: number;
  /** Hotpluggable CPU cores (off for <= 2.6). */
  hotplugCpus: boolean;
  /** spapr caps defaults by mig.caps[] index (see SPAPR_CAPS in vmstate.ts). */
  capsDefaults: number[];
  /** smc->dr_phb_enabled: PHB DRCs, ibm,my-drc-index on the PHB (off for <= 3.1). */
  drPhbEnabled: boolean;
  /** smc->linux_pci_probe: /chosen/linux,pci-probe-only (off for <= 4.1). */
  linuxPciProbe: boolean;
  /** smc->smp_threads_vsmt: vsmt = threads, else MAX(8, threads) (off for <= 4.1). */
  smpThreadsVsmt: boolean;
  /** mc->nvdimm_supported: PMEM DRCs and /ibm,persistent-memory (off for <= 4.2). */
  nvdimmSupported: boolean;
  /** smc->pre_5_1_assoc_refpoints: ibm,associativity-reference-points <4 4> (<= 5.0). */
  pre_5_1_assoc_refpoints: boolean;
  /** smc->legacy_irq_allocation: interrupt numbers handed out in order from 0x1000 (<= 3.0). */
  legacyIrqAllocation: boolean;
  /** phb_placement_2_7: PHB windows below 1 TiB boundaries and one big 32-bit window (<= 2.7). */
  phbPlacement27: boolean;
  /**
   * Largest page shift the hpt-max-page-size cap allows in ibm,segment-page-sizes: 16 (64 KiB)
   * from 3.0; the cap defaults to 0 for <= 2.12 and is then derived from the CPU under TCG (16 GiB pages).
   */
  hptMaxPageShift: number;
}

/** pseries-7.2 cap defaults: htm off, vsx, dfp on, cfpc/sbbc/ibs workaround, hpt-max-page-size 16, nested-hv off, large-decr, ccf-assist, fwnmi on, rpt-invalidate off. */
const CAPS_7_2 = [0, 1, 1, 1, 1, 1, 16, 0, 1, 1, 1, 0];

const LATEST: MachineCompat = {
  name: 'pseries-7.2',
  defaultCpu: 'power9_v2.0',
  form2Affinity: true,
  modernHotplugEvents: true,
  resizeHpt: true,
  drLmb: true,
  pre_2_8_migration: false,
  pre_2_10_migration: false,
  pre_3_0_migration: false,
  legacyIrqs: false,
  updateDtEnabled: true,
  pre_4_1_migration: false,
  ddw: true,
  phbPageSizeMask: 2 ** 12 + 2 ** 16 + 2 ** 21 + 2 ** 24,
  hotplugCpus: true,
  capsDefaults: CAPS_7_2,
  drPhbEnabled: true,
  linuxPciProbe: true,
  smpThreadsVsmt: true,
  nvdimmSupported: true,
  pre_5_1_assoc_refpoints: false,
  legacyIrqAllocation: false,
  phbPlacement27: false,
  hptMaxPageShift: 16,
};

type Change = Partial<Omit<MachineCompat, 'name'>> & { caps?: Record<number, number> };

/** Newest first: what each version changes for itself and every older one. */
const TABLE: Array<[string, Change]> = [
  ['7.2', {}],
  ['7.1', {}],
  ['7.0', {}],
  ['6.2', {}],
  ['6.1', { form2Affinity: false }],
  ['6.0', {}],
  ['5.2', {}],
  ['5.1', {}],
  ['5.0', { pre_5_1_assoc_refpoints: true }],
  ['4.2', { nvdimmSupported: false, caps: { 9: 0, 10: 0 } }], // ccf_assist=off, fwnmi=off
  ['4.1', { linuxPciProbe: false, smpThreadsVsmt: false, phbPageSizeMask: 0x11000 }],
  ['4.0', { pre_4_1_migration: true }],
  ['3.1', { defaultCpu: 'power8_v2.0', updateDtEnabled: false, drPhbEnabled: false, caps: { 3: 0, 4: 0, 5: 0, 8: 0 } }], // cfpc/sbbc/ibs broken, large_decr off
  ['3.0', { legacyIrqs: true, legacyIrqAllocation: true }],
  ['2.12', { pre_3_0_migration: true, hptMaxPageShift: 34 }],
  ['2.11', { caps: { 0: 1 } }], // htm on
  ['2.10', {}],
  ['2.9', { pre_2_10_migration: true, resizeHpt: false }],
  ['2.8', {}],
  ['2.7', { defaultCpu: 'power7_v2.3', modernHotplugEvents: false, pre_2_8_migration: true, phbPlacement27: true }],
  ['2.6', { ddw: false, hotplugCpus: false }],
];

export const PSERIES_VERSIONS: readonly string[] = TABLE.map(([v]) => `pseries-${v}`);

export class UnknownMachineError extends Error {}

/** The compat knobs of one machine type ("pseries" is an alias of the latest). */
export function machineVersion(name: string): MachineCompat {
  const want = name === 'pseries' ? LATEST.name : name;
  const m: MachineCompat = { ...LATEST, capsDefaults: [...LATEST.capsDefaults] };
  for (const [v, change] of TABLE) {
    const { caps, ...rest } = change;
    Object.assign(m, rest);
    if (caps) for (const [i, val] of Object.entries(caps)) m.capsDefaults[Number(i)] = val;
    if (`pseries-${v}` === want) return { ...m, name: want };
  }
  throw new UnknownMachineError(`unsupported machine type '${name}'`);
}
