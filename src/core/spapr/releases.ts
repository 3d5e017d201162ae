// Which QEMU release first declared each vmstate subsection this project knows (and, as data,
// a few sections): one table. A machine built "as QEMU X" (machine.qemuRelease, set from the
// release profile) declares a subsection only if release X had it, so it never sends one that
// X's loader would not know, and refuses one X would have refused (-ENOENT: "error while
// loading state for instance 0x0 of device 'spapr'", "load of migration failed: No such file
// or directory"). Applied today through `exists` hooks to the subsections of the `spapr`
// section (spapr/vmstate.ts); the `cpu`, `cpu_common`, `spapr_cpu`, `spapr_drc` and
// `spapr_iommu` rows are data only (their declarations do not consult it yet).
//
// How the releases were established. Only QEMU 7.2's source is at hand (no git history), so
// each row rests on one or more of:
//   - the machine-type compat code of 7.2's hw/ppc/spapr.c: a knob a pseries-X class option
//     turns off for older machine types was introduced in the release after X (update_dt_enabled
//     off on pseries-3.1 -> spapr_dtb in 4.0; legacy_irq_allocation on pseries-3.0 -> spapr_irq_map
//     in 3.1; cap-fwnmi off on pseries-4.2 -> 5.0; cap-large-decr off on pseries-3.1 -> 4.0);
//   - comments in 7.2's code (spapr_ov5_cas_needed: "the only options available for
//     pseries-2.7 and earlier", which is what keeps 2.7 <-> 2.8 working);
//   - the order of vmstate_spapr's subsection list in 7.2, which QEMU only ever appends to;
//   - the authors' commits as recalled (hashes given only where they are well known; a
//     "recalled" hash or title was not verified against a git tree here).
// `confidence` is about the exact release. What the profiles need is coarser: whether a
// subsection existed in 2.6, 2.7, 2.8, 4.2 and 5.1; `boundary` says how sure that is.
// `introduced: null` means "not established": such a row gates nothing (the subsection is
// declared in every release, as in 7.2) until it is.

export type Confidence = 'high' | 'medium' | 'low';

export interface VmstateRelease {
  /** The (sub)section name as on the wire. */
  name: string;
  /** The top-level section it belongs to ('cpu', 'spapr', ...); for a section, itself. */
  section: string;
  kind: 'subsection' | 'section';
  /** First QEMU release that declared it ("x.y"); null: not established (not gated). */
  introduced: string | null;
  /** First release that no longer declared it, if any. */
  removed?: string;
  /** Never in a release: only in a build with an unmerged patch (it has its own exists hook). */
  patchOnly?: boolean;
  /** How sure the exact release is. */
  confidence: Confidence;
  /** How sure its presence / absence is in each profile release (2.6, 2.7, 2.8, 4.2, 5.1, 7.2). */
  boundary: Confidence;
  /** Whether an `exists` hook consults this row today. */
  applied: boolean;
  evidence: string;
}

const spapr = (name: string, introduced: string, confidence: Confidence, boundary: Confidence, evidence: string): VmstateRelease =>
  ({ name, section: 'spapr', kind: 'subsection', introduced, confidence, boundary, applied: true, evidence });

const data = (section: string, name: string, introduced: string | null, confidence: Confidence, boundary: Confidence, evidence: string, kind: 'subsection' | 'section' = 'subsection'): VmstateRelease =>
  ({ name, section, kind, introduced, confidence, boundary, applied: false, evidence });

const CAPS_212 = 'David Gibson\'s spapr capabilities (2018: "spapr: Capabilities infrastructure", "spapr: Validate capabilities on migration", one spapr/cap/<name> subsection per cap)';
const SPECTRE_212 = 'Suraj Jitindar Singh\'s tristate Spectre/Meltdown caps (Jan 2018, with the first caps; pseries-2.12-sxxm, a 2.12 machine type, exists to turn them on)';

export const VMSTATE_RELEASES: readonly VmstateRelease[] = [
  // ---- spapr (vmstate_spapr's subsections, in 7.2's order) -----------------------------------
  spapr('spapr_option_vector_ov5_cas', '2.8', 'high', 'high',
    'Michael Roth, "spapr: add option vector handling in CAS-generated resets" (2016, recalled 62ef3760d4); '
    + '7.2\'s spapr_ov5_cas_needed: not needed when only the pre-2.8 bits are offered, "the only options available for pseries-2.7 and earlier"'),
  spapr('spapr_patb_entry', '2.9', 'medium', 'high',
    'POWER9 / ISA 3.00 MMU work (early 2017, after 2.8\'s December 2016 release): spapr->patb_entry and its subsection'),
  spapr('spapr_pending_events', '2.10', 'medium', 'high',
    'Daniel Henrique Barboza\'s 2017 series migrating the DRC state (spapr_drc section) and the pending RTAS events'),
  spapr('spapr/cap/htm', '2.12', 'high', 'high', `${CAPS_212}; 7.2 turns HTM back on for pseries-2.11 and older`),
  spapr('spapr/cap/vsx', '2.12', 'high', 'high', CAPS_212),
  spapr('spapr/cap/dfp', '2.12', 'high', 'high', CAPS_212),
  spapr('spapr/cap/cfpc', '2.12', 'high', 'high', SPECTRE_212),
  spapr('spapr/cap/sbbc', '2.12', 'high', 'high', SPECTRE_212),
  spapr('spapr/cap/ibs', '2.12', 'high', 'high', SPECTRE_212),
  spapr('spapr/cap/hpt_maxpagesize', '3.0', 'medium', 'high',
    'David Gibson, "spapr: Maximum (HPT) pagesize property" (2018, the page-size series posted around the 2.12 release for the next one); '
    + '7.2 gives pseries-2.12 and older the KVM-dependent default (caps[HPT_MAXPAGESIZE] = 0, "default_caps_with_cpu"), i.e. the behaviour from before the cap. '
    + 'Sent always from pseries-4.1 (pre_4_1_migration, 4.1)'),
  spapr('spapr_irq_map', '3.1', 'medium', 'high',
    'Cédric Le Goater\'s fixed IRQ number space and MSI allocator (2018); 7.2 sets legacy_irq_allocation (no irq_map) on pseries-3.0 and older'),
  spapr('spapr/cap/nested_kvm_hv', '3.1', 'medium', 'high',
    'cap-nested-hv for KVM-HV nested guests (late 2018, Linux 4.20); after spapr_irq_map in 7.2\'s list, before spapr_dtb (4.0)'),
  spapr('spapr_dtb', '4.0', 'high', 'high',
    'Alexey Kardashevskiy, "ppc/spapr: Receive and store device tree blob from SLOF" (KVMPPC_H_UPDATE_DT); 7.2 sets update_dt_enabled = false on pseries-3.1'),
  spapr('spapr/cap/large_decr', '4.0', 'high', 'high',
    'Suraj Jitindar Singh, "target/ppc/spapr: Add SPAPR_CAP_LARGE_DECREMENTER" (2019); 7.2 turns it off on pseries-3.1'),
  spapr('spapr/cap/ccf_assist', '4.0', 'medium', 'medium',
    'Suraj Jitindar Singh, "target/ppc/spapr: Add SPAPR_CAP_CCF_ASSIST" (early 2019, count-cache flush assist); default on from pseries-5.0 (7.2 turns it off on pseries-4.2); '
    + 'before the 2020 spapr_cas_reboot patch in the list, which was written on top of it'),
  spapr('spapr/cap/fwnmi', '5.0', 'high', 'high',
    'Aravinda Prasad / Nicholas Piggin FWNMI series (2020): "spapr: Add capability for FWNMI"; 7.2 turns it off on pseries-4.2'),
  spapr('spapr_fwnmi', '5.0', 'high', 'high',
    'the same FWNMI series: "migration: Include migration support for machine check handling" (fwnmi addresses and interlock)'),
  spapr('spapr/cap/rpt_invalidate', '6.1', 'medium', 'high',
    'Bharata B Rao, "target/ppc: Support for H_RPT_INVALIDATE hcall" (2021). Also cited as 6.0; it needs KVM_CAP_PPC_RPT_INVALIDATE, '
    + 'which Linux merged for 5.14 (after QEMU 6.0\'s April 2021 release), so 6.1 is the better bet. Either way after 5.1 and in 7.2, which is all the profiles need. '
    + 'Under TCG 7.2 refuses cap-rpt-invalidate=on ("No H_RPT_INVALIDATE support in TCG"), so a TCG stream never carries it'),
  {
    name: 'spapr_cas_reboot', section: 'spapr', kind: 'subsection', introduced: null, patchOnly: true,
    confidence: 'high', boundary: 'high', applied: false,
    evidence: 'Greg Kurz\'s 2020 patch "spapr: Migrate CAS reboot flag", never merged: only in the qemu-4.2+cas-reboot-patch profile (its own exists hook, machine.casRebootMigrated)',
  },

  // ---- cpu (target/ppc/machine.c), data only ------------------------------------------------
  data('cpu', 'cpu/fpu', '2.1', 'medium', 'high',
    'Alexey Kardashevskiy, "target-ppc: Convert ppc cpu savevm to VMStateDescription" (2014, recalled a90db1584a): fpu, altivec, vsx, sr, slb and the three TLB subsections'),
  data('cpu', 'cpu/altivec', '2.1', 'medium', 'high', 'as cpu/fpu'),
  data('cpu', 'cpu/vsx', '2.1', 'medium', 'high', 'as cpu/fpu'),
  data('cpu', 'cpu/sr', '2.1', 'medium', 'high', 'as cpu/fpu'),
  data('cpu', 'cpu/tm', '2.1', 'low', 'medium',
    'HTM state (POWER8 TM SPRs, 2014); believed to come with or soon after the VMStateDescription conversion, before 2.6 in any case'),
  data('cpu', 'cpu/slb', '2.1', 'medium', 'high',
    'as cpu/fpu. Field history: env.slb_nr was VMSTATE_INT32_EQUAL up to 2.12; from 3.0 mig_slb_nr, sent only on pseries <= 2.12 (pre_3_0_migration)'),
  data('cpu', 'cpu/tlb6xx', '2.1', 'medium', 'high', 'as cpu/fpu (declared twice: the embedded TLB subsection bears the same name)'),
  data('cpu', 'cpu/tlbmas', '2.1', 'medium', 'high', 'as cpu/fpu'),
  data('cpu', 'cpu/compat', '2.10', 'high', 'high',
    'David Gibson, d5fc133eed "ppc: Rework CPU compatibility testing across migration"; needed only with a compat PVR on pseries >= 2.10 (pre_2_10_migration)'),
  data('cpu_common', 'cpu_common/exception_index', '2.2', 'low', 'medium', 'generic CPU state (2014); before 2.6 in any case; never needed here'),
  data('cpu_common', 'cpu_common/crash_occurred', '2.5', 'low', 'medium', 'guest-crash flag (2015, with the Hyper-V crash MSRs); before 2.6 as far as known; never needed here'),

  // ---- other subsections, data only -----------------------------------------------------------
  data('spapr_cpu', 'spapr_cpu/vpa', '3.0', 'medium', 'high',
    'David Gibson\'s 2018 per-vCPU spapr state (VPA, SLB shadow, DTL) with the spapr_cpu section; 7.2 registers the section only on pseries >= 3.0 (pre_3_0_migration). Not declared here (no VPA migrates yet)'),
  data('spapr_cpu', 'spapr_cpu/vpa/slb_shadow', '3.0', 'medium', 'high', 'as spapr_cpu/vpa'),
  data('spapr_cpu', 'spapr_cpu/vpa/dtl', '3.0', 'medium', 'high', 'as spapr_cpu/vpa'),
  data('spapr_drc', 'spapr_drc/unplug_requested', null, 'low', 'low',
    'not established: absent from the 2.10 spapr_drc declaration as recalled, present in 7.2 (spapr_drc_needed: "or if an unplug request is pending"). '
    + 'Needed while a device_del waits for the guest; the DRC opaque does not reach the machine, so it is not gated'),
  data('spapr_iommu', 'spapr_iommu_ex', '2.7', 'medium', 'medium',
    'Alexey Kardashevskiy, "spapr_iommu: Migrate full state" (2016, with DDW); needed only for a window with a bus offset or non-4K pages (not the default ones)'),

  // ---- sections whose presence differs between releases (data only) -------------------------
  data('spapr_drc', 'spapr_drc', '2.10', 'medium', 'high',
    'Daniel Henrique Barboza, "hw/ppc: migrating the DRC state of hotplugged devices" (2017). A QEMU 2.7/2.8 destination knows no spapr_drc section: '
    + 'a stream sent after a CPU hot-plug on pseries-2.7/2.8 would fail there with "Unknown savevm section"', 'section'),
  data('spapr_cpu', 'spapr_cpu', '3.0', 'medium', 'high', 'see spapr_cpu/vpa; only on pseries >= 3.0, so every profile agrees', 'section'),
  data('spapr_watchdog', 'spapr_watchdog', '7.0', 'medium', 'high',
    'Alexey Kardashevskiy, "ppc/spapr: Implement H_WATCHDOG" (2022); sent only while a watchdog is armed. Registered by every profile here, which shifts no loadable state (section ids are stream-local) but is not what 4.2/5.1 did', 'section'),
];

/** "x.y" -> a number that orders releases. */
export function releaseKey(release: string): number {
  const [maj, min] = release.split('.').map(Number);
  return maj * 1000 + (min || 0);
}

const BY_NAME = new Map(VMSTATE_RELEASES.map((r) => [`${r.section}\0${r.name}`, r]));

/** The row of a (sub)section of `section`, if the table has one. */
export function vmstateRelease(section: string, name: string): VmstateRelease | undefined {
  return BY_NAME.get(`${section}\0${name}`);
}

/**
 * Whether QEMU `release` declared (sub)section `name` of `section`. null = QEMU 7.2 (no
 * profile). Names without a row, rows with `introduced: null` and patch-only rows (their own
 * hook decides) count as declared.
 */
export function existsInRelease(section: string, name: string, release: string | null): boolean {
  if (release === null) return true;
  const r = vmstateRelease(section, name);
  if (!r || r.patchOnly || r.introduced === null) return true;
  const k = releaseKey(release);
  if (k < releaseKey(r.introduced)) return false;
  if (r.removed !== undefined && k >= releaseKey(r.removed)) return false;
  return true;
}

/** An `exists` hook for a subsection of the `spapr` section (the opaque is the machine). */
export function spaprSubsectionExists(name: string): (m: { qemuRelease: string | null }) => boolean {
  if (!vmstateRelease('spapr', name)) throw new Error(`no release row for spapr subsection '${name}'`);
  return (m) => existsInRelease('spapr', name, m.qemuRelease);
}
