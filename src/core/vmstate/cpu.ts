// The PowerPC CPU's migrated state as QEMU 7.2 declares it: "cpu" (target/ppc/machine.c,
// vmstate_ppc_cpu) and "cpu_common" (hw/core/cpu-sysemu / cpu.c, vmstate_cpu_common).
// Both are registered per vCPU with instance id = cpu_index.
//
// API
//   interface PowerPCCPUVm        the opaque: { state, pvr, preSave(), postLoad(), ... }
//   vmstate_ppc_cpu               "cpu" v5 (min 5)
//   vmstate_cpu_common            "cpu_common" v1
//   register_cpu_vmstate(reg, cpu)  cpu_common then cpu, instance = cpu.cpu_index ?? 0
//   POWER8_COMPAT_PVRS, pvr_match(localPvr, pvr)
//
// Layout notes (see qemu-facts §6.1 and the real stream's vmdesc):
//   - env.vsr carries three views: cpu/fpu "fpr" = VsrD(0) of vsr[0..31], cpu/vsx "vsr" =
//     VsrD(1) of vsr[0..31], cpu/altivec "avr" = vsr[32..63] as QEMU stores it on a
//     little-endian host: the ISA's low doubleword VsrD(1) first, then VsrD(0).
//   - CpuState.vsr keeps each 128-bit register as 4 words, most significant first, so
//     VsrD(0) = words 0,1 and VsrD(1) = words 2,3.
//   - env.hflags_compat_nmsr is always 0 (QEMU >= 6.0 writes 0, and ignores it on load).
//   - The pre-2.8 "mig_*" fields and cpu/slb's mig_slb_nr exist only for the machine types
//     that set pre_2_8_migration / pre_3_0_migration (pseries-2.7 and older / 2.12 and older).
//   - Book3s has no segment registers, software TLBs or (under TCG) transactional memory, so
//     cpu/sr, cpu/tlb6xx, cpu/tlbemb (also named "cpu/tlb6xx") and cpu/tlbmas are never sent;
//     they are declared so a stream carrying them is recognised.

import type { CpuState } from '../cpu/state';
import { SPR_PVR } from '../cpu/state';
import type { RegisterOpts, SaveStateEntry, SaveVMRegistry } from './savevm';
import {
  EINVAL, VMSTATE_ARRAY, VMSTATE_BOOL, VMSTATE_INT32, VMSTATE_INT32_EQUAL, VMSTATE_SINGLE,
  VMSTATE_STRUCT_VARRAY, VMSTATE_UINT32, VMSTATE_UINT32_ARRAY, VMSTATE_UINT64, VMSTATE_UINTTL,
  VMSTATE_UINTTL_ARRAY, VMSTATE_UNUSED, VMStateDescription, VMStateError, constant, elems, fn, hiLo,
  vmstate_info_named, vmstate_info_uint32, vmstate_info_words, type Accessor,
  vmstate_info_equal_fmt, vmstate_info_uint64, type EqualMessageFormat, type VMStateField, type VMStateInfo,
} from './vmstate';

/** Values of the pre-2.8 compatibility fields (filled by the CPU model; received ones land here). */
export interface PpcMigCompat {
  msr_mask: bigint;
  insns_flags: bigint;
  insns_flags2: bigint;
  nb_BATs: number;
  slb_nr: number;
  /**
   * How a QEMU <= 2.7 build declares the sanity fields (see CpuSanityMode; default 'equal').
   * It rides with the values because the machine gives every vCPU's opaque a copy of them.
   */
  sanity?: CpuSanityMode;
  /**
   * What post_load does with the PVR that arrived in env.spr[]: 'check' (QEMU 2.10+,
   * d5fc133eed: it must pvr_match() the local model, default) or 'overwrite' (QEMU <= 2.9:
   * the local model's PVR replaces it, nothing is checked).
   */
  pvr_on_load?: 'check' | 'overwrite';
}

/**
 * The four "Sanity checking" fields of QEMU <= 2.7 (msr_mask, insns_flags, insns_flags2,
 * nb_BATs; 8+8+8+4 bytes on the wire whatever the variant) and the fixes the 2016 thread
 * discussed for them, as a 2.7 destination would have declared them:
 *   'equal'             VMSTATE_*_EQUAL on all four (a90db1584a, QEMU 1.6 ... 2.7)
 *   'unused-flags'      Nikunj's patch: the two insns fields become VMSTATE_UNUSED(8), skipped
 *   'post-load-compare' Ben's / Paolo's idea: the insns fields are plain env.src_insns_flags /
 *                       env.src_insns_flags2, and post_load compares them with the local model:
 *                       the source must not have an instruction flag this CPU lacks
 *   'skip-insns-check'  Nikunj's experiment: the insns fields keep their place but a mismatch
 *                       is ignored ("insns equal" codec)
 * msr_mask and nb_BATs stay _EQUAL in all of them.
 */
export type CpuSanityMode = 'equal' | 'unused-flags' | 'post-load-compare' | 'skip-insns-check';

/** The "cpu" section's opaque: the CPU as the vmstate layer sees it. */
export interface PowerPCCPUVm {
  state: CpuState;
  /** The local CPU model's PVR (PowerPCCPUClass::pvr), e.g. 0x004d0200 for power8_v2.0. */
  pvr: number;
  /** Before saving: bring spr[] up to date (DEC into spr[22] and the like). */
  preSave(): void;
  /** After loading (all subsections included): rebuild what derives from the loaded state. */
  postLoad(): void;
  cpu_index?: number;
  /** CPU properties set by old machine types. */
  pre_2_8_migration?: boolean;
  pre_2_10_migration?: boolean;
  pre_3_0_migration?: boolean;
  /** The values the pre-2.8 fields carry; received ones are stored here. */
  mig?: PpcMigCompat;
  /**
   * QEMU 1.6 ... 2.7 (a90db1584a until 16a2497bd4): the four sanity fields are
   * VMSTATE_*_EQUAL(env.msr_mask / insns_flags / insns_flags2 / nb_BATs) compared with `mig`
   * (the local model's values), on every machine type; the value is how a mismatch is
   * reported. Unset: the plain mig_* fields of pre-2.8-migration machines (QEMU 2.8+).
   */
  sanity_equal?: EqualMessageFormat;
  /** Compatibility PVRs this model accepts in cpu/compat (default: POWER8's). */
  compatPvrs?: readonly number[];
  /** A halted vCPU has a timer (the decrementer) armed that will wake it. */
  wakeArmed?(): boolean;
}

/**
 * halted as sent. QEMU 7.2 under TCG does not migrate the decrementer (spr[22] is ignored on
 * load; the destination keeps the DEC of its own reset, whose interrupt was raised and
 * cleared before the stream arrived). A vCPU halted in H_CEDE until its decrementer fires
 * would sleep there forever on a QEMU destination. So a halted vCPU whose wake-up is an
 * armed timer is sent running: it continues after its H_CEDE as if woken at the stop (a
 * PAPR guest re-checks why it woke), re-programs its decrementer and cedes again. A vCPU
 * halted with nothing armed (stopped for good) is sent halted.
 */
function haltedOut(o: PowerPCCPUVm): number {
  const st = env(o);
  if (st.halted && o.wakeArmed?.()) return 0;
  return st.halted >>> 0;
}

/** Architected compat PVRs a POWER8 accepts: ISA 2.05, 2.06, 2.07. */
export const POWER8_COMPAT_PVRS: readonly number[] = [0x0f000002, 0x0f000003, 0x0f000004];
/** Every compat PVR QEMU 7.2 knows (2.05 ... 3.1). */
const KNOWN_COMPAT_PVRS: readonly number[] = [0x0f000002, 0x0f000003, 0x0f000004, 0x0f000005, 0x0f000006];

/** pvr_match() for the POWER8/9/10 classes: equal, or the same `pvr & 0xffff0000` family. */
export function pvr_match(localPvr: number, pvr: number): boolean {
  return (pvr >>> 0) === (localPvr >>> 0) || ((pvr & 0xffff0000) >>> 0) === ((localPvr & 0xffff0000) >>> 0);
}

/** State QEMU migrates that CpuState does not hold (never non-zero on a TCG POWER8 here). */
interface Scratch {
  mig: PpcMigCompat;
  /** 'post-load-compare': the source's insns flags as received. */
  src_insns_flags: bigint;
  src_insns_flags2: bigint;
  sr: Int32Array;
  tm_gpr: Int32Array;
  tm_vsr: Int32Array;
  tm: Int32Array; // cr lr ctr fpscr amr ppr vrsave dscr tar (hi/lo)
  tm_vscr: number;
  nb_tlb: number;
  tgpr: Int32Array;
}

const scratchOf = new WeakMap<PowerPCCPUVm, Scratch>();
function scratch(o: PowerPCCPUVm): Scratch {
  let s = scratchOf.get(o);
  if (!s) {
    s = {
      mig: { msr_mask: 0n, insns_flags: 0n, insns_flags2: 0n, nb_BATs: 0, slb_nr: 0 },
      src_insns_flags: 0n, src_insns_flags2: 0n,
      sr: new Int32Array(64), tm_gpr: new Int32Array(64), tm_vsr: new Int32Array(256),
      tm: new Int32Array(18), tm_vscr: 0, nb_tlb: 0, tgpr: new Int32Array(8),
    };
    scratchOf.set(o, s);
  }
  return s;
}
const mig = (o: PowerPCCPUVm): PpcMigCompat => o.mig ?? scratch(o).mig;

// ---- custom codecs ----------------------------------------------------------------------

const vmstate_info_fpr = vmstate_info_words('fpr', 2);
const vmstate_info_vsr = vmstate_info_words('vsr', 2);
const vmstate_info_avr = vmstate_info_words('avr', 4);
const vmstate_info_slbe = vmstate_info_words('slbe', 4);
const vmstate_vscr = vmstate_info_named(vmstate_info_uint32, 'cpu/altivec/vscr');

/** Doubleword `dw` (0 = VsrD(0)) of vsr[base+i], as two words. */
function vsrD<O>(sel: (o: O) => Int32Array, base: number, dw: 0 | 1): Accessor<O, ArrayLike<number>> {
  return {
    get: (o, i) => { const v = sel(o), k = 4 * (base + i) + 2 * dw; return [v[k], v[k + 1]]; },
    set: (o, i, w) => { const v = sel(o), k = 4 * (base + i) + 2 * dw; v[k] = w[0]; v[k + 1] = w[1]; },
  };
}

/** A 128-bit register in QEMU's little-endian-host ppc_avr_t order: VsrD(1), then VsrD(0). */
function avr<O>(sel: (o: O) => Int32Array, base: number): Accessor<O, ArrayLike<number>> {
  return {
    get: (o, i) => { const v = sel(o), k = 4 * (base + i); return [v[k + 2], v[k + 3], v[k], v[k + 1]]; },
    set: (o, i, w) => { const v = sel(o), k = 4 * (base + i); v[k + 2] = w[0]; v[k + 3] = w[1]; v[k] = w[2]; v[k + 1] = w[3]; },
  };
}

/** Four consecutive words of an Int32Array per element (slb entries: esid hi/lo, vsid hi/lo). */
function quad<O>(sel: (o: O) => Int32Array): Accessor<O, ArrayLike<number>> {
  return {
    get: (o, i) => sel(o).subarray(4 * i, 4 * i + 4),
    set: (o, i, w) => { sel(o).set(Array.from(w).slice(0, 4), 4 * i); },
  };
}

const env = (o: PowerPCCPUVm) => o.state;

// ---- subsections ----------------------------------------------------------------------

const vmstate_fpu: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/fpu',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => true, // insns_flags & PPC_FLOAT
  fields: [
    VMSTATE_ARRAY('env.vsr', 32, vmstate_info_fpr, 8, vsrD((o: PowerPCCPUVm) => env(o).vsr, 0, 0)),
    VMSTATE_UINTTL('env.fpscr', hiLo((o: PowerPCCPUVm) => env(o).fpscr)),
  ],
};

const vmstate_altivec: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/altivec',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => true, // insns_flags & PPC_ALTIVEC
  fields: [
    VMSTATE_ARRAY('env.vsr', 32, vmstate_info_avr, 16, avr((o: PowerPCCPUVm) => env(o).vsr, 32)),
    VMSTATE_SINGLE('vscr', vmstate_vscr, 4, fn((o: PowerPCCPUVm) => env(o).vscr, (o, v: number) => { env(o).vscr = v | 0; })),
  ],
};

const vmstate_vsx: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/vsx',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => true, // insns_flags2 & PPC2_VSX
  fields: [
    VMSTATE_ARRAY('env.vsr', 32, vmstate_info_vsr, 8, vsrD((o: PowerPCCPUVm) => env(o).vsr, 0, 1)),
  ],
};

const vmstate_sr: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/sr',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => false, // !mmu_is_64bit()
  fields: [VMSTATE_UINTTL_ARRAY('env.sr', 32, hiLo((o: PowerPCCPUVm) => scratch(o).sr))],
};

const tm = (k: number) => hiLo((o: PowerPCCPUVm) => scratch(o).tm, k);
const vmstate_tm: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/tm',
  version_id: 1,
  minimum_version_id: 1,
  needed: (o) => ((env(o).msr[0] >>> 1) & 3) !== 0, // MSR[TS] (bits 33, 34)
  fields: [
    VMSTATE_UINTTL_ARRAY('env.tm_gpr', 32, hiLo((o: PowerPCCPUVm) => scratch(o).tm_gpr)),
    VMSTATE_ARRAY('env.tm_vsr', 64, vmstate_info_avr, 16, avr((o: PowerPCCPUVm) => scratch(o).tm_vsr, 0)),
    VMSTATE_UINT64('env.tm_cr', tm(0)),
    VMSTATE_UINT64('env.tm_lr', tm(1)),
    VMSTATE_UINT64('env.tm_ctr', tm(2)),
    VMSTATE_UINT64('env.tm_fpscr', tm(3)),
    VMSTATE_UINT64('env.tm_amr', tm(4)),
    VMSTATE_UINT64('env.tm_ppr', tm(5)),
    VMSTATE_UINT64('env.tm_vrsave', tm(6)),
    VMSTATE_UINT32('env.tm_vscr', (o: PowerPCCPUVm) => scratch(o).tm_vscr, (o, v) => { scratch(o).tm_vscr = v; }),
    VMSTATE_UINT64('env.tm_dscr', tm(7)),
    VMSTATE_UINT64('env.tm_tar', tm(8)),
  ],
};

const vmstate_slb: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/slb',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => true, // mmu_is_64bit()
  fields: [
    VMSTATE_INT32('mig_slb_nr', (o: PowerPCCPUVm) => mig(o).slb_nr, (o, v) => { mig(o).slb_nr = v; },
      { field_exists: (o) => !!o.pre_3_0_migration }),
    VMSTATE_ARRAY('env.slb', 64, vmstate_info_slbe, 16, quad((o: PowerPCCPUVm) => env(o).slb)),
  ],
};

// Software-TLB entries (6xx, embedded, MAS): never present on book3s; nb_tlb is 0 here.
interface TlbEntry { [k: string]: bigint | number }
const tlbEntry = (): TlbEntry => ({});
const u64f = (name: string) => VMSTATE_UINT64(name, (e: TlbEntry) => BigInt(e[name] ?? 0n), (e, v) => { e[name] = v; });
const u32f = (name: string) => VMSTATE_UINT32(name, (e: TlbEntry) => Number(e[name] ?? 0), (e, v) => { e[name] = v; });

const vmstate_tlb6xx_entry: VMStateDescription<TlbEntry> = {
  name: 'cpu/tlb6xx_entry', version_id: 1, minimum_version_id: 1,
  fields: [u64f('pte0'), u64f('pte1'), u64f('EPN')],
};
const vmstate_tlbemb_entry: VMStateDescription<TlbEntry> = {
  name: 'cpu/tlbemb_entry', version_id: 1, minimum_version_id: 1,
  fields: [u64f('RPN'), u64f('EPN'), u64f('PID'), u64f('size'), u32f('prot'), u32f('attr')],
};
const vmstate_tlbmas_entry: VMStateDescription<TlbEntry> = {
  name: 'cpu/tlbmas_entry', version_id: 1, minimum_version_id: 1,
  fields: [u32f('mas8'), u32f('mas1'), u64f('mas2'), u64f('mas7_3')],
};

const nbTlb = VMSTATE_INT32_EQUAL('env.nb_tlb', (o: PowerPCCPUVm) => scratch(o).nb_tlb);
const tlbEntries = (name: string, vmsd: VMStateDescription<TlbEntry>) =>
  VMSTATE_STRUCT_VARRAY(name, (o: PowerPCCPUVm) => scratch(o).nb_tlb, vmsd, tlbEntry);

const vmstate_tlb6xx: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/tlb6xx', version_id: 1, minimum_version_id: 1,
  needed: () => false,
  fields: [
    nbTlb,
    tlbEntries('env.tlb.tlb6', vmstate_tlb6xx_entry),
    VMSTATE_UINTTL_ARRAY('env.tgpr', 4, hiLo((o: PowerPCCPUVm) => scratch(o).tgpr)),
  ],
};

const vmstate_tlbemb: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/tlb6xx', // sic: QEMU gives the embedded TLB the 6xx name
  version_id: 1, minimum_version_id: 1,
  needed: () => false,
  fields: [nbTlb, tlbEntries('env.tlb.tlbe', vmstate_tlbemb_entry)],
};

const vmstate_tlbmas: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/tlbmas', version_id: 1, minimum_version_id: 1,
  needed: () => false,
  fields: [nbTlb, tlbEntries('env.tlb.tlbm', vmstate_tlbmas_entry)],
};

const vmstate_compat: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu/compat',
  version_id: 1,
  minimum_version_id: 1,
  needed: (o) => !o.pre_2_10_migration && env(o).compatPvr !== 0,
  fields: [VMSTATE_UINT32('compat_pvr', (o: PowerPCCPUVm) => env(o).compatPvr >>> 0, (o, v) => { env(o).compatPvr = v >>> 0; })],
};

// ---- cpu ----------------------------------------------------------------------------------

/**
 * Nikunj's experimental codec from the 2016 thread: reads the value and accepts it whatever it
 * is (his version printed "Did not match, ignore <local> != <stream>" to stdout and went on).
 */
const vmstate_info_insns_equal: VMStateInfo = {
  name: 'insns equal',
  get(r) { r.be64(); return 0; },
  put(w, o, f, i) { w.be64(f.acc!.get(o, i) as bigint); },
};

const pre_2_8 = { field_exists: (o: PowerPCCPUVm) => !!o.pre_2_8_migration && !o.sanity_equal };
const sanityEqual = { field_exists: (o: PowerPCCPUVm) => !!o.sanity_equal };
const sanityMode = (o: PowerPCCPUVm): CpuSanityMode | null => (o.sanity_equal ? mig(o).sanity ?? 'equal' : null);
const eqFmt = (o: PowerPCCPUVm): EqualMessageFormat => o.sanity_equal ?? 'hex';
const eq64 = vmstate_info_equal_fmt<PowerPCCPUVm>(8, eqFmt);
const eq32 = vmstate_info_equal_fmt<PowerPCCPUVm>(4, eqFmt);
const localMig = <K extends keyof PpcMigCompat>(k: K): Accessor<PowerPCCPUVm, PpcMigCompat[K]> =>
  ({ get: (o) => mig(o)[k], set: () => {} });

const u64 = (get: (o: PowerPCCPUVm) => bigint, set: (o: PowerPCCPUVm, v: bigint) => void): Accessor<PowerPCCPUVm, bigint> => ({ get: (o) => get(o), set: (o, _i, v) => set(o, v) });

/** The two insns fields of each CpuSanityMode (all present only with `sanity_equal`). */
const INSNS_FIELDS: Record<CpuSanityMode, VMStateField<PowerPCCPUVm>[]> = {
  'equal': [
    VMSTATE_SINGLE('env.insns_flags', eq64, 8, localMig('insns_flags'), sanityEqual),
    VMSTATE_SINGLE('env.insns_flags2', eq64, 8, localMig('insns_flags2'), sanityEqual),
  ],
  'unused-flags': [
    VMSTATE_UNUSED(8, sanityEqual), // was _EQUAL(env.insns_flags)
    VMSTATE_UNUSED(8, sanityEqual), // was _EQUAL(env.insns_flags2)
  ],
  'post-load-compare': [
    VMSTATE_SINGLE('env.src_insns_flags', vmstate_info_uint64, 8, u64((o) => scratch(o).src_insns_flags, (o, v) => { scratch(o).src_insns_flags = v; }), sanityEqual),
    VMSTATE_SINGLE('env.src_insns_flags2', vmstate_info_uint64, 8, u64((o) => scratch(o).src_insns_flags2, (o, v) => { scratch(o).src_insns_flags2 = v; }), sanityEqual),
  ],
  'skip-insns-check': [
    VMSTATE_SINGLE('env.insns_flags', vmstate_info_insns_equal, 8, localMig('insns_flags'), sanityEqual),
    VMSTATE_SINGLE('env.insns_flags2', vmstate_info_insns_equal, 8, localMig('insns_flags2'), sanityEqual),
  ],
};

/**
 * 'post-load-compare': the check a post_load can make with the source's flags at hand. An
 * equality test would refuse 2.6 -> 2.7 exactly as the _EQUAL fields did; what matters for the
 * guest is that every instruction the source offered exists here, so the source's flags must be
 * a subset of this model's. (The wording of the refusal is this project's: the patch was never
 * written.)
 */
function comparePostLoad(o: PowerPCCPUVm): void {
  const sc = scratch(o), local = mig(o);
  const hex = (v: bigint) => v.toString(16).padStart(16, '0');
  for (const [name, src, here] of [
    ['insns_flags', sc.src_insns_flags, local.insns_flags],
    ['insns_flags2', sc.src_insns_flags2, local.insns_flags2],
  ] as const) {
    const missing = src & ~here;
    if (missing) throw new VMStateError(-EINVAL, [`cpu: the source's ${name} ${hex(src)} has bits this CPU lacks (${hex(missing)})`]);
  }
}

function cpu_post_load(o: PowerPCCPUVm): number {
  const s = env(o);
  if (sanityMode(o) === 'post-load-compare') comparePostLoad(o);
  if (mig(o).pvr_on_load === 'overwrite') {
    // QEMU <= 2.9: the local model's PVR replaces the migrated one, unchecked
    s.spr[2 * SPR_PVR] = 0;
    s.spr[2 * SPR_PVR + 1] = o.pvr | 0;
  }
  if (s.compatPvr) {
    // ppc_set_compat()
    const c = s.compatPvr >>> 0;
    const hexPvr = c.toString(16).padStart(8, '0');
    if (!KNOWN_COMPAT_PVRS.includes(c)) throw new VMStateError(-EINVAL, [`Unknown compatibility PVR 0x${hexPvr}`]);
    if (!(o.compatPvrs ?? POWER8_COMPAT_PVRS).includes(c)) throw new VMStateError(-EINVAL, [`Compatibility PVR 0x${hexPvr} not valid for CPU`]);
  } else if (!pvr_match(o.pvr, s.spr[2 * SPR_PVR + 1])) {
    return -EINVAL; // no message of its own
  }
  o.postLoad();
  return 0;
}

export const vmstate_ppc_cpu: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu',
  version_id: 5,
  minimum_version_id: 5,
  pre_save: (o) => { o.preSave(); },
  post_load: (o) => cpu_post_load(o),
  fields: [
    VMSTATE_UNUSED(8), // was _EQUAL(env.spr[SPR_PVR])
    VMSTATE_UINTTL_ARRAY('env.gpr', 32, hiLo((o: PowerPCCPUVm) => env(o).gpr)),
    VMSTATE_UINT32_ARRAY('env.crf', 8, elems((o: PowerPCCPUVm) => env(o).crf)),
    VMSTATE_UINTTL('env.nip', hiLo((o: PowerPCCPUVm) => env(o).nip)),
    VMSTATE_UINTTL_ARRAY('env.spr', 1024, hiLo((o: PowerPCCPUVm) => env(o).spr)),
    VMSTATE_UINT64('env.spe_acc', hiLo((o: PowerPCCPUVm) => env(o).speAcc)),
    VMSTATE_UINTTL('env.reserve_addr', hiLo((o: PowerPCCPUVm) => env(o).reserveAddr)),
    VMSTATE_UINTTL('env.msr', hiLo((o: PowerPCCPUVm) => env(o).msr)),
    VMSTATE_UINTTL('env.hflags_compat_nmsr', constant<PowerPCCPUVm, bigint>(0n)),
    VMSTATE_UINTTL('mig_msr_mask', (o: PowerPCCPUVm) => mig(o).msr_mask, (o, v) => { mig(o).msr_mask = v; }, pre_2_8),
    VMSTATE_UINT64('mig_insns_flags', (o: PowerPCCPUVm) => mig(o).insns_flags, (o, v) => { mig(o).insns_flags = v; }, pre_2_8),
    VMSTATE_UINT64('mig_insns_flags2', (o: PowerPCCPUVm) => mig(o).insns_flags2, (o, v) => { mig(o).insns_flags2 = v; }, pre_2_8),
    VMSTATE_UINT32('mig_nb_BATs', (o: PowerPCCPUVm) => mig(o).nb_BATs, (o, v) => { mig(o).nb_BATs = v; }, pre_2_8),
    // the same bytes as QEMU <= 2.7 declared them ("Sanity checking"), and the 2016 thread's
    // variants of the two insns fields (CpuSanityMode)
    VMSTATE_SINGLE('env.msr_mask', eq64, 8, localMig('msr_mask'), sanityEqual),
    ...INSNS_FIELDS.equal,
    VMSTATE_SINGLE('env.nb_BATs', eq32, 4, localMig('nb_BATs'), sanityEqual),
  ],
  subsections: [
    vmstate_fpu,
    vmstate_altivec,
    vmstate_vsx,
    vmstate_sr,
    vmstate_tm,
    vmstate_slb,
    vmstate_tlb6xx,
    vmstate_tlbemb,
    vmstate_tlbmas,
    vmstate_compat,
  ],
};

// ---- cpu_common ---------------------------------------------------------------------------

const vmstate_cpu_common_exception_index: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu_common/exception_index',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => false, // exception_index is -1 whenever the main loop runs
  fields: [VMSTATE_INT32('exception_index', constant<PowerPCCPUVm, number>(-1))],
};

const vmstate_cpu_common_crash_occurred: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu_common/crash_occurred',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => false,
  fields: [VMSTATE_BOOL('crash_occurred', constant<PowerPCCPUVm, boolean>(false))],
};

export const vmstate_cpu_common: VMStateDescription<PowerPCCPUVm> = {
  name: 'cpu_common',
  version_id: 1,
  minimum_version_id: 1,
  post_load: (o) => {
    // 0x01 was CPU_INTERRUPT_EXIT
    env(o).interruptRequest &= ~0x01;
  },
  fields: [
    VMSTATE_UINT32('halted', (o: PowerPCCPUVm) => haltedOut(o), (o, v) => { env(o).halted = v; }),
    VMSTATE_UINT32('interrupt_request', (o: PowerPCCPUVm) => env(o).interruptRequest >>> 0, (o, v) => { env(o).interruptRequest = v; }),
  ],
  subsections: [vmstate_cpu_common_exception_index, vmstate_cpu_common_crash_occurred],
};

const cpuVmsdByMode = new Map<CpuSanityMode, VMStateDescription<PowerPCCPUVm>>([['equal', vmstate_ppc_cpu]]);

/**
 * The "cpu" description a QEMU <= 2.7 build with sanity mode `mode` declares: vmstate_ppc_cpu
 * with its two insns fields replaced (same wire size; vmdesc names as that build's).
 */
export function vmstate_ppc_cpu_for(mode: CpuSanityMode): VMStateDescription<PowerPCCPUVm> {
  let d = cpuVmsdByMode.get(mode);
  if (!d) {
    const eq = INSNS_FIELDS.equal;
    d = { ...vmstate_ppc_cpu, fields: vmstate_ppc_cpu.fields.flatMap((f) => (f === eq[0] ? INSNS_FIELDS[mode] : f === eq[1] ? [] : [f])) };
    cpuVmsdByMode.set(mode, d);
  }
  return d;
}

/** cpu_exec_realizefn's registrations: "cpu_common" then "cpu", instance = cpu_index. */
export function register_cpu_vmstate(reg: SaveVMRegistry, cpu: PowerPCCPUVm, opts: { common?: RegisterOpts; cpu?: RegisterOpts } = {}): [SaveStateEntry, SaveStateEntry] {
  const idx = cpu.cpu_index ?? 0;
  const vmsd = vmstate_ppc_cpu_for(sanityMode(cpu) ?? 'equal');
  return [reg.vmstate_register(idx, vmstate_cpu_common, cpu, opts.common), reg.vmstate_register(idx, vmsd, cpu, opts.cpu)];
}
