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
//   msr_mask were equal there (the MSR_HVB addition Cédric mentions belongs to the
//   experimental tree the TCG follow-up ran on). nb_BATs 0 (book3s has none).

import type { MainLoop } from './mainloop';
import type { CasProfile } from './spapr/cas';
import { PSERIES_VERSIONS } from './spapr/versions';
import type { PpcMigCompat } from './vmstate/cpu';
import type { EqualMessageFormat } from './vmstate/vmstate';

export type ProfileName =
  | 'qemu-2.6' | 'qemu-2.7' | 'qemu-2.8' | 'qemu-4.2' | 'qemu-4.2+cas-reboot-patch' | 'qemu-5.1' | 'qemu-7.2';

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
}

const MSR_MASK_P8 = 0x800000010280ff37n;
const P8_26: Power8Flags = { msr_mask: MSR_MASK_P8, insns_flags: 0x8000600fe1ff3a21n, insns_flags2: 0x10fb6n, nb_BATs: 0 };
const P8_27: Power8Flags = { msr_mask: MSR_MASK_P8, insns_flags: 0x8000600fe1ff7ae1n, insns_flags2: 0x50fb6n, nb_BATs: 0 };

/** insns_compat_mask / insns_compat_mask2 as far as a POWER8 is concerned: the bits 2.6 had. */
export const INSNS_COMPAT_MASK = P8_26.insns_flags;
export const INSNS_COMPAT_MASK2 = P8_26.insns_flags2;

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
  { name: 'qemu-2.6', release: '2.6', summary: 'QEMU 2.6: _EQUAL sanity checks, no mismatch message', power8: P8_26, cpuSanity: 'equal', equalMessage: 'none', fieldFailureLine: false, cas: CAS_26 },
  { name: 'qemu-2.7', release: '2.7', summary: 'QEMU 2.7: new POWER8 flags, _EQUAL sanity checks (decimal message as in the 2016 thread)', power8: P8_27, cpuSanity: 'equal', equalMessage: 'decimal', fieldFailureLine: true, cas: CAS_26 },
  { name: 'qemu-2.8', release: '2.8', summary: 'QEMU 2.8: mig_* fields read and ignored, written masked, only on pseries <= 2.7', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_28 },
  { name: 'qemu-4.2', release: '4.2', summary: 'QEMU 4.2', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_42 },
  { name: 'qemu-4.2+cas-reboot-patch', release: '4.2', summary: 'QEMU 4.2 with the 2020 spapr_cas_reboot patch', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_42_PATCH },
  { name: 'qemu-5.1', release: '5.1', summary: 'QEMU 5.1', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_51 },
  { name: 'qemu-7.2', release: '7.2', summary: 'QEMU 7.2', power8: P8_27, cpuSanity: 'mig-fields', equalMessage: 'hex', fieldFailureLine: true, cas: CAS_51 },
];

export const DEFAULT_PROFILE: ProfileName = 'qemu-7.2';

export function getProfile(name: string): QemuProfile {
  const p = PROFILES.find((x) => x.name === name);
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
export function cpuSanityValues(p: QemuProfile): PpcMigCompat {
  const f = p.power8;
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

/** Give a freshly created machine the release's cpu-section layout and values. */
export function applyProfile(loop: MainLoop, p: QemuProfile): void {
  loop.machine.casProfile = p.cas;
  loop.machine.casRebootMigrated = p.cas.migrateFlag;
  loop.machine.cpuMigCompat = {
    mig: cpuSanityValues(p),
    sanity_equal: p.cpuSanity === 'equal' ? p.equalMessage : undefined,
  };
}

/** Whether a line the destination logs exists in release `p` (filters what it did not print). */
export function profilePrintsLine(p: QemuProfile, line: string): boolean {
  if (!p.fieldFailureLine && line.startsWith('Failed to load ')) return false;
  return true;
}
