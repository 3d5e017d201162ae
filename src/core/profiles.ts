// QEMU release profiles: a machine instance built "as QEMU X", independently of its machine
// type (limited to the pseries versions release X had). One table holds what differs between
// releases; applyProfile() puts it into a machine.
//
// This slice covers the cpu section (the 2016 thread "pseries-2.6 migration from QEMU-2.6 to
// QEMU-2.7 broken", qemu-facts §2.4, §3, §6):
//   - QEMU <= 2.7 declares VMSTATE_UINTTL_EQUAL(env.msr_mask), VMSTATE_UINT64_EQUAL
//     (env.insns_flags / env.insns_flags2) and VMSTATE_UINT32_EQUAL(env.nb_BATs) on every
//     machine type, compared with its own CPU model's values;
//   - QEMU 2.8+ (16a2497bd4, 146c11f16f) sends plain mig_* fields, only on pseries <= 2.7
//     (pre-2.8-migration), reads and ignores them, and writes its model's flags masked to the
//     bits QEMU 2.6 had (insns_compat_mask) so a 2.6/2.7 destination's checks pass;
//   - the messages of a failed _EQUAL: none before 2.8, decimal on 2.7 (as the thread shows,
//     from the reporter's early version of 49228e17ed), hex from 2.8; "Failed to load
//     <vmsd>:<field>" from 2.8 (a1771070e7), and on 2.7 as the thread shows it.
//
// Values (POWER8, the CPU this emulator runs):
//   insns_flags / insns_flags2 of 2.6 and 2.7 are the numbers of the thread:
//     2.7 (destination, local) 9223477658187168481 = 0x8000600fe1ff7ae1, 331702 = 0x50fb6;
//     2.6 (stream)             9223477658187151905 = 0x8000600fe1ff3a21,  69558 = 0x10fb6;
//   the difference is PPC_64BX|PPC_64H|PPC_CILDST (0x40c0) and PPC2_PM_ISA206 (0x40000), the
//   four commits the thread bisected (4e0806110c, dfdd3e4362, b781537560, 7778a575c7).
//   Caveat: the thread ran pseries-2.6 without -cpu, whose default was POWER7 in those
//   releases, and dfdd3e4362 added PPC_64BX to POWER7 only; QEMU 7.2 with -cpu POWER8 on
//   pseries-2.6 writes 0x8000600fe1ff3a61 / 0x23fff6 (reference stream dump). The table
//   uses the thread's numbers for POWER8 so the scenario prints the thread's line.
//   2.8+ models are given 2.7's flags: from 2.8 the unmasked values never reach the wire.
//   msr_mask 0x800000010280ff37 (the reference pseries-2.6 stream's mig_msr_mask) in every
//   release: the thread fails on insns_flags, which comes after msr_mask, so 2.6's and 2.7's
//   pseries msr_mask were equal there (2.7 added MSR_HV to the POWER8 class's mask, and PAPR
//   mode removed it again: see "Interrupt routing under TCG" below for what it changed).
//   nb_BATs 0 (book3s has none).
//   post_load and the PVR (pvrOnLoad): up to 2.9 the local model's PVR replaced the migrated
//   one unchecked; from 2.10 (d5fc133eed) it must match (or a cpu/compat PVR is applied).
//
// Interrupt routing under TCG (the TCG follow-up of the same thread: with the insns_flags check
// skipped, the 2.7 destination died with "qemu: fatal: Trying to deliver HV exception 4 with no
// HV support"). The mechanism as modelled here, from the structure of QEMU's excp_helper.c:
//   - QEMU 2.7's rework of the POWER7/POWER8 exception model gave POWER8's class msr_mask
//     MSR_HV (env->has_hv_mode follows from it) and made powerpc_excp send the external
//     interrupt (POWERPC_EXCP_EXTERNAL = 4) to the hypervisor - HSRR0/HSRR1, MSR[HV] - whenever
//     LPCR[LPES0] is clear; ppc_hw_interrupt then takes it even with MSR[EE] = 0. A pseries vCPU
//     runs in PAPR mode: MSR_HV is removed from its msr_mask again, and its LPCR reset value has
//     LPES0 set, so externals stay with the guest. powerpc_excp's sanity check aborts when an
//     interrupt is bound for HSRR0 while msr_mask has no MSR_HV.
//   - QEMU 2.6 routed nothing to HSRR0 (its LPES tests read other LPCR bits and could only add
//     MSR_HV, which msr_mask then dropped) and did not give a TCG pseries vCPU LPES0.
//   - env.spr[] travels whole in the cpu section, LPCR included, so a 2.6 stream replaces the
//     2.7 destination's LPCR by one without LPES0. The first external interrupt after the load
//     is routed to the hypervisor, hits the sanity check, and QEMU aborts ("exception 4").
// Cédric's remark in the thread ("we added MSR_HVB in msr_mask") points at that rework. How
// sure: the abort's own text (exception 4, no MSR_HV in msr_mask, so HSRR0 was chosen, which
// only a clear LPES0 does for an external) pins down the condition; that the clear LPES0 came
// with the migrated LPCR is the one explanation consistent with a fresh 2.7 pseries guest not
// dying the same way, but the 2.6 and 2.7 sources were not at hand to confirm it. The exact
// 2016 values of LPCR are not established here: the 2.6 profile's vCPU gets 0x1f000
// (LPES0 clear; the POWER8 wake-up enables PECE0-4 kept because this interpreter's H_CEDE
// wake-up uses them, where 2.6 woke a ceded vCPU on any interrupt), 2.7 and later 7.2's 0x1f008
// (LPES0 set; 2.7's real value also had LPES1 and an RMLS, which nothing here reads).

import type { MainLoop } from './mainloop';
import type { HvRouting } from './cpu/cpu';
import type { CasProfile } from './spapr/cas';
import { PSERIES_VERSIONS } from './spapr/versions';
import type { CpuSanityMode, PpcMigCompat } from './vmstate/cpu';
import type { EqualMessageFormat } from './vmstate/vmstate';

/** QEMU 2.7 with one of the cpu-section fixes the 2016 thread discussed (THREAD_004_PATCHES). */
export type Thread004PatchName =
  | 'qemu-2.7+vmstate-unused' | 'qemu-2.7+post-load-compare' | 'qemu-2.7+per-machine-flags'
  | 'qemu-2.7+pvr-check' | 'qemu-2.7+skip-insns-check';

export type ProfileName =
  | 'qemu-2.6' | 'qemu-2.7' | 'qemu-2.8' | 'qemu-4.2' | 'qemu-4.2+cas-reboot-patch' | 'qemu-5.1' | 'qemu-7.2'
  | Thread004PatchName;

/** A POWER8 model's flags as the cpu section's sanity fields carry them. */
export interface Power8Flags {
  msr_mask: bigint;
  insns_flags: bigint;
  insns_flags2: bigint;
  nb_BATs: number;
}

export interface QemuProfile {
  name: ProfileName;
  /** The QEMU release (its newest machine type is pseries-<release>). */
  release: string;
  /** One line for a picker. */
  summary: string;
  /** The POWER8 model's values in this release. */
  power8: Power8Flags;
  /**
   * 'equal': the four VMSTATE_*_EQUAL sanity fields on every machine type (<= 2.7);
   * 'mig-fields': plain mig_* fields on pre-2.8-migration machines only, written masked (2.8+).
   */
  cpuSanity: 'equal' | 'mig-fields';
  /** How an _EQUAL mismatch is reported (the cpu section's sanity fields). */
  equalMessage: EqualMessageFormat;
  /** Whether a failed field prints "Failed to load <vmsd>:<field>". */
  fieldFailureLine: boolean;
  /** What CAS does in this release about reboots (spapr/cas.ts, qemu-facts §4.5). */
  cas: CasProfile;
  /**
   * With cpuSanity 'equal': how the two insns fields are declared (the 2016 thread's patches
   * on 2.7; default 'equal', the four _EQUAL fields).
   */
  sanityMode?: CpuSanityMode;
  /**
   * Machine types on which the CPU model keeps older flag values (the per-machine-type flags
   * fix the thread discussed): the values the sanity fields carry and compare there.
   */
  legacyFlags?: { machines: readonly string[]; power8: Power8Flags };
  /** What cpu post_load does with the migrated PVR: 'overwrite' before 2.10, 'check' from 2.10. */
  pvrOnLoad: 'overwrite' | 'check';
  /** Interrupt delivery of a pseries POWER8 vCPU under TCG (see the header). */
  excp: ExcpProfile;
}

export interface ExcpProfile {
  /** The LPCR a pseries vCPU gets at reset (low word; the high word is 0). */
  lpcr: number;
  /** Routing to the hypervisor and its sanity check; null: nothing goes to HSRR0 (2.6). */
  routing: HvRouting | null;
}

const MSR_MASK_P8 = 0x800000010280ff37n;
const P8_26: Power8Flags = { msr_mask: MSR_MASK_P8, insns_flags: 0x8000600fe1ff3a21n, insns_flags2: 0x10fb6n, nb_BATs: 0 };
const P8_27: Power8Flags = { msr_mask: MSR_MASK_P8, insns_flags: 0x8000600fe1ff7ae1n, insns_flags2: 0x50fb6n, nb_BATs: 0 };

/** insns_compat_mask / insns_compat_mask2 as far as a POWER8 is concerned: the bits 2.6 had. */
export const INSNS_COMPAT_MASK = P8_26.insns_flags;
export const INSNS_COMPAT_MASK2 = P8_26.insns_flags2;

/** LPCR[LPES0] and the POWER8 wake-up enables LPCR[PECE0-4]. */
const LPCR_LPES0 = 0x8;
const LPCR_PECE_P8 = 0x1f000;
/** 2.6: no routing to the hypervisor; a TCG pseries vCPU without LPES0. */
const EXCP_26: ExcpProfile = { lpcr: LPCR_PECE_P8, routing: null };
/** 2.7 (the 2016 rework of the POWER7/8 exception model): LPES0 routing, the sanity check. */
const EXCP_27: ExcpProfile = {
  lpcr: LPCR_PECE_P8 | LPCR_LPES0,
  routing: { has_hv_mode: true, msr_mask: MSR_MASK_P8, abortFormat: 'Trying to deliver HV exception %d with no HV support' },
};
/** The wording of 7.2 (which release added "(HSRR)" is not established; 4.2 and 5.1 get it too). */
const EXCP_72: ExcpProfile = {
  lpcr: LPCR_PECE_P8 | LPCR_LPES0,
  routing: { has_hv_mode: true, msr_mask: MSR_MASK_P8, abortFormat: 'Trying to deliver HV exception (HSRR) %d with no HV support' },
};

/** 2.1-2.7: no flag, a CAS whose DT update fails requests the reset itself. */
const CAS_26: CasProfile = { logic: 'reset-on-dt-failure', hotplugReboot: false, migrateFlag: false };
/** 2.8 (6787d27b04): spapr->cas_reboot, set when ov5 bits were removed since the last CAS. */
const CAS_28: CasProfile = { logic: 'cas-reboot-flag', hotplugReboot: false, migrateFlag: false };
/** 2.11-4.2 (10f12e6450): also a device hot-plugged before CAS. */
const CAS_42: CasProfile = { logic: 'cas-reboot-flag', hotplugReboot: true, migrateFlag: false };
/** Greg Kurz's unmerged patch on 4.2: the flag migrates (spapr_cas_reboot). */
const CAS_42_PATCH: CasProfile = { logic: 'cas-reboot-flag', hotplugReboot: true, migrateFlag: true };
/** 5.1+ (087820e37f): no flag; pending hotplugs become cold-plugged at CAS (ad334d89a6). */
const CAS_51: CasProfile = { logic: 'no-cas-reboot', hotplugReboot: false, migrateFlag: false };

export const PROFILES: readonly QemuProfile[] = [
  { name: 'qemu-2.6', release: '2.6', summary: 'QEMU 2.6: _EQUAL sanity checks, no mismatch message', power8: P8_26, cpuSanity: 'equal', equalMessage: 'none', fieldFailureLine: false, cas: CAS_26, pvrOnLoad: 'overwrite', excp: EXCP_26 },
  { name: 'qemu-2.7', release: '2.7', summary: 'QEMU 2.7: new POWER8 flags, _EQUAL sanity checks (decimal message as in the 2016 thread)', power8: P8_27, cpuSanity: 'equal', equalMessage: 'decimal', fieldFailureLine: true, cas: CAS_26, pvrOnLoad: 'overwrite', excp: EXCP_27 },
  { name: 'qemu-2.8', release: '2.8', summary: 'QEMU 2.8: mig_* fields read and ignored, written masked, only on pseries <= 2.7', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_28, pvrOnLoad: 'overwrite', excp: EXCP_27 },
  { name: 'qemu-4.2', release: '4.2', summary: 'QEMU 4.2', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_42, pvrOnLoad: 'check', excp: EXCP_72 },
  { name: 'qemu-4.2+cas-reboot-patch', release: '4.2', summary: 'QEMU 4.2 with the 2020 spapr_cas_reboot patch', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_42_PATCH, pvrOnLoad: 'check', excp: EXCP_72 },
  { name: 'qemu-5.1', release: '5.1', summary: 'QEMU 5.1', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_51, pvrOnLoad: 'check', excp: EXCP_72 },
  { name: 'qemu-7.2', release: '7.2', summary: 'QEMU 7.2', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_51, pvrOnLoad: 'check', excp: EXCP_72 },
];

const Q27 = PROFILES[1];

/**
 * QEMU 2.7 with each fix the 2016 thread discussed for the cpu section (scenario
 * insns-flags-2.6). Not in PROFILES: no release shipped them.
 */
export const THREAD_004_PATCHES: readonly QemuProfile[] = [
  { ...Q27, name: 'qemu-2.7+vmstate-unused', summary: 'QEMU 2.7 with Nikunj\'s patch: the insns fields become VMSTATE_UNUSED', sanityMode: 'unused-flags' },
  { ...Q27, name: 'qemu-2.7+post-load-compare', summary: 'QEMU 2.7 with the insns flags as plain fields compared in post_load', sanityMode: 'post-load-compare' },
  { ...Q27, name: 'qemu-2.7+per-machine-flags', summary: 'QEMU 2.7 whose POWER8 keeps 2.6\'s flags on pseries-2.6', legacyFlags: { machines: ['pseries-2.6'], power8: P8_26 } },
  // David's plan: the insns checks removed (as 16a2497bd4 later did: plain fields, read and
  // ignored), and post_load checking the migrated PVR (as d5fc133eed later did, in 2.10)
  { ...Q27, name: 'qemu-2.7+pvr-check', summary: 'QEMU 2.7 with the sanity fields read and ignored and the PVR checked in post_load', cpuSanity: 'mig-fields', pvrOnLoad: 'check' },
  { ...Q27, name: 'qemu-2.7+skip-insns-check', summary: 'QEMU 2.7 with Nikunj\'s experiment: an insns flags mismatch is ignored', sanityMode: 'skip-insns-check' },
];

export const DEFAULT_PROFILE: ProfileName = 'qemu-7.2';

export function getProfile(name: string): QemuProfile {
  const p = PROFILES.find((x) => x.name === name) ?? THREAD_004_PATCHES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown QEMU profile '${name}' (known: ${PROFILES.map((x) => x.name).join(', ')})`);
  return p;
}

function versionKey(v: string): number {
  const [maj, min] = v.split('.').map(Number);
  return maj * 1000 + min;
}

/** The pseries machine types the release offers, newest first (as `-machine help` lists them). */
export function profileMachineTypes(p: QemuProfile): string[] {
  const top = versionKey(p.release);
  return PSERIES_VERSIONS.filter((m) => versionKey(m.slice('pseries-'.length)) <= top);
}

/** QEMU's refusal of a -machine it does not have: the lines it prints, prefix included. */
export class UnsupportedMachineError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'UnsupportedMachineError';
  }
}

/**
 * The machine type an instance of `p` runs: `requested` if the release had it ("pseries"
 * and no request mean its newest), otherwise QEMU's refusal.
 */
export function profileMachineType(p: QemuProfile, requested?: string): string {
  const types = profileMachineTypes(p);
  if (requested === undefined || requested === 'pseries') return types[0];
  if (types.includes(requested)) return requested;
  throw new UnsupportedMachineError([
    `qemu-system-ppc64: -machine ${requested}: unsupported machine type`,
    'Use -machine help to list supported machines',
  ]);
}

/**
 * What the cpu section's sanity fields carry for `p` on a machine type: the model's own
 * values for the _EQUAL checks (<= 2.7); from 2.8 the values cpu_pre_save writes into the
 * mig_* fields: insns flags masked to the bits 2.6 had, PPC_MEM_TLBIE kept (already set on
 * POWER8), msr_mask as is (its MSR_TS bits, masked from 2.12, are not in it here).
 */
export function cpuSanityValues(p: QemuProfile, machineType?: string): PpcMigCompat {
  const f = p.legacyFlags && machineType && p.legacyFlags.machines.includes(machineType) ? p.legacyFlags.power8 : p.power8;
  const slb_nr = 32; // POWER8: 32 SLB entries (cpu/slb's mig_slb_nr on pseries <= 2.12)
  if (p.cpuSanity === 'equal') return { ...f, slb_nr };
  return {
    msr_mask: f.msr_mask,
    insns_flags: f.insns_flags & INSNS_COMPAT_MASK,
    insns_flags2: f.insns_flags2 & INSNS_COMPAT_MASK2,
    nb_BATs: f.nb_BATs,
    slb_nr,
  };
}

/**
 * Give a freshly created machine the release's cpu-section layout and values, and its vCPUs
 * the release's LPCR reset value and interrupt routing (they take effect at the next reset:
 * boot or -incoming). A vCPU that hits the routing's sanity check stops the machine as QEMU's
 * cpu_abort() does; the message (with the register dump) is the main loop's `fatal`.
 */
export function applyProfile(loop: MainLoop, p: QemuProfile): void {
  const m = loop.machine;
  m.qemuRelease = p.release;
  m.casProfile = p.cas;
  m.casRebootMigrated = p.cas.migrateFlag;
  m.cpuMigCompat = {
    mig: { ...cpuSanityValues(p, m.machineType), sanity: p.sanityMode, pvr_on_load: p.pvrOnLoad },
    sanity_equal: p.cpuSanity === 'equal' ? p.equalMessage : undefined,
  };
  for (const cpu of m.cpus) {
    cpu.lpcrReset = p.excp.lpcr;
    cpu.hvRouting = p.excp.routing;
    cpu.onAbort = (message) => loop.abort(message);
  }
}

/** Whether a line the destination logs exists in release `p` (filters what it did not print). */
export function profilePrintsLine(p: QemuProfile, line: string): boolean {
  if (!p.fieldFailureLine && line.startsWith('Failed to load ')) return false;
  return true;
}
