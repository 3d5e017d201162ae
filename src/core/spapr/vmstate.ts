// The pseries machine's migration state, declared once per device with QEMU 7.2's names,
// versions, field layouts and subsections (hw/ppc/spapr.c, spapr_vio.c, spapr_vty.c,
// spapr_nvram.c, spapr_rtc.c, spapr_cpu_core.c, hw/intc/xics.c), and registered in the
// order and with the section ids QEMU 7.2 uses for `-M pseries -cpu POWER8 -nodefaults
// -device spapr-vty`, so our streams line up with QEMU's section by section.
//
// State only (QEMU's layouts and reset values, not modelled further): ics, icp/server,
// spapr_iommu (both TCE windows), spapr_pci, PCIBUS, spapr_drc (+ spapr_drc/physical),
// spapr_watchdog, the spapr_pending_events and spapr_irq_map subsections.

import { nsToTB } from '../clock';
import { register_cpu_vmstate, type PowerPCCPUVm } from '../vmstate/cpu';
import { GlobalState, register_global_state } from '../vmstate/globalstate';
import { SaveVMRegistry as SaveVMRegistryCtor, type SaveVMRegistry } from '../vmstate/savevm';
import { register_timers, type TimersState } from '../vmstate/timer';
import {
  EINVAL, VMSTATE_BITMAP, VMSTATE_BOOL, VMSTATE_BUFFER, VMSTATE_INT32, VMSTATE_INT32_ARRAY,
  VMSTATE_INT32_EQUAL, VMSTATE_INT64, VMSTATE_STRUCT, VMSTATE_STRUCT_ARRAY, VMSTATE_STRUCT_VARRAY,
  VMSTATE_UINT32, VMSTATE_UINT32_EQUAL, VMSTATE_UINT64, VMSTATE_UINT64_EQUAL, VMSTATE_UINT8,
  VMSTATE_UNUSED, VMSTATE_UNUSED_TEST, VMSTATE_VARRAY_UINT64_BYTES, VMSTATE_VBUFFER, VMStateError,
  elems, fn, prop, vmstate_load_state, vmstate_save_state, vmstate_subsections_needed, type VMStateDescription, type VMStateInfo,
} from '../vmstate/vmstate';
import { RamMigration, register_ram } from '../migration/ram';
import { HtabMigration, register_htab } from '../migration/htab';
import { FDT_MAX_SIZE } from './cas';
import { fdtParse } from './fdt';
import {
  SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNUSABLE, SPAPR_DRC_STATE_PHYSICAL_CONFIGURED,
  SPAPR_DRC_STATE_PHYSICAL_POWERON, type SpaprDrc,
} from './drc';
import { spaprSubsectionExists } from './releases';
import { SPAPR_CAPS } from './caps';
import { SPAPR_PCI_LIOBN, SPAPR_TCE_PAGE_SHIFT, SpaprTceTable } from './iommu';
export { SpaprTceTable } from './iommu';
import { testOvBit, type SpaprCpuCore, type SpaprMachine, type SpaprNvram } from './machine';
import { nrServers } from './dt';
import { spaprLmbIds } from './memory';
import type { MachineCompat } from './versions';
import type { SpaprVioDevice, SpaprVty } from './vty';

// ---- spapr (the machine) -----------------------------------------------------------------

interface PpcTimebase { m: SpaprMachine; guest_timebase: bigint; time_of_the_day_ns: bigint }

/**
 * Machines that only hold a decoded stream (analyze): saving them again gives back what was
 * loaded (no fresh timebase, caps as received) instead of acting as a live source.
 */
const decodeOnly = new WeakSet<SpaprMachine>();

/** VMSTATE_PPC_TIMEBASE_V: saved when the VM stops; the destination derives its TB offset. */
const vmstate_ppc_timebase: VMStateDescription<PpcTimebase> = {
  name: 'timebase',
  version_id: 1,
  minimum_version_id: 1,
  pre_save: (t) => {
    if (decodeOnly.has(t.m)) return;
    t.guest_timebase = BigInt(t.m.readTB());
    t.time_of_the_day_ns = t.m.rtcHostNs(); // QEMU_CLOCK_HOST
  },
  post_load: (t) => {
    t.m.tbOffset = Number(t.guest_timebase) - nsToTB(t.m.host.clock.ns());
  },
  fields: [
    VMSTATE_UINT64('guest_timebase', prop('guest_timebase')),
    VMSTATE_INT64('time_of_the_day_ns', prop('time_of_the_day_ns')),
  ],
};

/** ov5 bit n <-> QEMU's unsigned-long bitmap (bit n in word n/32, 1 << n%32). */
function ovecToWords(ov: Uint8Array): Uint32Array {
  const w = new Uint32Array(64);
  for (let n = 0; n < 2048; n++) if (ov[n >> 3] & (0x80 >> (n & 7))) w[n >> 5] |= 1 << (n & 31);
  return w;
}
function wordsToOvec(w: Uint32Array, ov: Uint8Array): void {
  ov.fill(0);
  for (let n = 0; n < 2048; n++) if (w[n >> 5] & (1 << (n & 31))) ov[n >> 3] |= 0x80 >> (n & 7);
}

const vmstate_spapr_ovec: VMStateDescription<Uint8Array> = {
  name: 'spapr_option_vector',
  version_id: 1,
  minimum_version_id: 1,
  fields: [VMSTATE_BITMAP('bitmap', 2048, fn((ov: Uint8Array) => ovecToWords(ov), (ov, v) => wordsToOvec(v, ov)))],
};

/** OV5 bits that do not by themselves make the ov5_cas subsection needed (aef19c04bf). */
// DRCONF_MEMORY, FORM1_AFFINITY, DRMEM_V2 (numbers, not OV5.*: machine.ts imports this module)
const OV5_CAS_MIGRATION_MASK: readonly number[] = [10, 32, 168];

/** The platform ov5 bits outside that mask: what makes spapr_option_vector_ov5_cas needed. */
export function ov5BitsOutsideCasMask(ov5: Uint8Array): number[] {
  const out: number[] = [];
  for (let n = 0; n < 2048; n++) if (testOvBit(ov5, n) && !OV5_CAS_MIGRATION_MASK.includes(n)) out.push(n);
  return out;
}

const vmstate_spapr_ov5_cas: VMStateDescription<SpaprMachine> = {
  name: 'spapr_option_vector_ov5_cas',
  version_id: 1,
  minimum_version_id: 1,
  exists: spaprSubsectionExists('spapr_option_vector_ov5_cas'),
  // Tests the platform set (spapr->ov5), not ov5_cas: sent even before CAS on pseries >= 2.8.
  needed: (m) => ov5BitsOutsideCasMask(m.ov5).length > 0,
  fields: [VMSTATE_STRUCT('ov5_cas', vmstate_spapr_ovec, (m: SpaprMachine) => m.ov5_cas)],
};

const vmstate_spapr_patb_entry: VMStateDescription<SpaprMachine> = {
  name: 'spapr_patb_entry',
  version_id: 1,
  minimum_version_id: 1,
  exists: spaprSubsectionExists('spapr_patb_entry'),
  needed: (m) => m.patb_entry !== 0n,
  fields: [VMSTATE_UINT64('patb_entry', prop('patb_entry'))],
};

export { SPAPR_CAPS } from './caps';

/**
 * One "spapr/cap/<name>" subsection: sent when the user set the cap to a value other than the
 * machine default (hpt_maxpagesize: always on pseries >= 4.1). The destination refuses a
 * level above its own (spapr_caps_post_migration).
 */
function capSubsection(index: number): VMStateDescription<SpaprMachine> {
  const name = SPAPR_CAPS[index];
  return {
    name: `spapr/cap/${name}`,
    version_id: 1,
    minimum_version_id: 1,
    exists: spaprSubsectionExists(`spapr/cap/${name}`),
    needed: (m) => (name === 'hpt_maxpagesize' && !m.compat.pre_4_1_migration ? true : m.caps.user[index] !== undefined && m.caps.user[index] !== m.caps.defaults[index]),
    post_load: (m) => {
      const got = m.caps.mig[index];
      if (decodeOnly.has(m)) { m.caps.user[index] = got; return; }
      const mine = m.caps.effective(index);
      if (got > mine) {
        throw new VMStateError(-EINVAL, [`cap-${name.replace(/_/g, '-')} higher level (${got}) in incoming stream than on destination (${mine})`]);
      }
    },
    fields: [VMSTATE_UINT8(`mig.caps[0x${index.toString(16).padStart(2, '0')}]`, (m: SpaprMachine) => m.caps.effective(index), (m, v) => { m.caps.mig[index] = v; })],
  };
}

const vmstate_spapr_dtb: VMStateDescription<SpaprMachine> = {
  name: 'spapr_dtb',
  version_id: 1,
  minimum_version_id: 1,
  exists: spaprSubsectionExists('spapr_dtb'),
  needed: (m) => m.compat.updateDtEnabled,
  post_load: (m) => {
    try {
      m.fdt = fdtParse(m.fdtBlob);
    } catch (e) {
      throw new VMStateError(-EINVAL, [`spapr_dtb: ${(e as Error).message}`]);
    }
  },
  fields: [
    VMSTATE_UINT32('fdt_initial_size', prop('fdtInitialSize')),
    VMSTATE_UINT32('fdt_size', fn((m: SpaprMachine) => m.fdtBlob.length, (m, v) => {
      // FDT_MAX_SIZE (include/hw/ppc/spapr.h): x-vof streams carry a tree of exactly that size
      if (v > FDT_MAX_SIZE) throw new VMStateError(-EINVAL, [`spapr_dtb: fdt_size 0x${v.toString(16)} exceeds 0x${FDT_MAX_SIZE.toString(16)}`]);
      m.fdtBlob = new Uint8Array(v);
    })),
    VMSTATE_VBUFFER('fdt_blob', (m: SpaprMachine) => m.fdtBlob.length, fn((m: SpaprMachine) => m.fdtBlob, (m, v) => { m.fdtBlob.set(v); })),
  ],
};

const vmstate_spapr_fwnmi: VMStateDescription<SpaprMachine> = {
  name: 'spapr_fwnmi',
  version_id: 1,
  minimum_version_id: 1,
  exists: spaprSubsectionExists('spapr_fwnmi'),
  needed: (m) => m.fwnmi.machine_check_addr !== -1n,
  fields: [
    VMSTATE_UINT64('fwnmi_system_reset_addr', fn((m: SpaprMachine) => m.fwnmi.system_reset_addr, (m, v) => { m.fwnmi.system_reset_addr = v; })),
    VMSTATE_UINT64('fwnmi_machine_check_addr', fn((m: SpaprMachine) => m.fwnmi.machine_check_addr, (m, v) => { m.fwnmi.machine_check_addr = BigInt.asIntN(64, v); })),
    VMSTATE_INT32('fwnmi_machine_check_interlock', fn((m: SpaprMachine) => m.fwnmi.interlock, (m, v) => { m.fwnmi.interlock = v; })),
  ],
};

type SpaprEventLogEntry = SpaprMachine['pending_events'][number];

const vmstate_spapr_event_entry: VMStateDescription<SpaprEventLogEntry> = {
  name: 'spapr_event_log_entry',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32('summary', prop('summary')),
    VMSTATE_UINT32('extended_length', fn((e: SpaprEventLogEntry) => e.extended_length, (e, v) => {
      if (v > 0x10000) throw new VMStateError(-EINVAL, [`spapr_event_log_entry: extended_length 0x${v.toString(16)} too large`]);
      e.extended_length = v;
      e.extended_log = new Uint8Array(v);
    })),
    VMSTATE_VBUFFER('extended_log', (e: SpaprEventLogEntry) => e.extended_length, fn((e: SpaprEventLogEntry) => e.extended_log, (e, v) => { e.extended_log.set(v); })),
  ],
};

/**
 * VMSTATE_QTAILQ_V: each element preceded by a 1 byte, the list ended by a 0 byte. The
 * accessor gets the list (an array) and the loader appends fresh elements to it.
 */
function qtailqInfo<E>(vmsd: VMStateDescription<E>, create: () => E): VMStateInfo {
  return {
    name: 'qtailq',
    get(r, o, f, i, ctx) {
      const list: E[] = f.acc!.get(o, i);
      const loaded: E[] = [];
      while (r.u8()) {
        if (r.error) return r.error;
        const e = create();
        const ret = vmstate_load_state(r, vmsd, e, vmsd.version_id, ctx);
        if (ret) return ret;
        loaded.push(e);
        if (loaded.length > 1 << 16) return -EINVAL;
      }
      // a destination's list is empty (reset clears it); a decode-only machine is reused
      if (!ctx.dry) list.splice(0, list.length, ...loaded);
      return 0;
    },
    put(w, o, f, i, vmdesc) {
      const list: E[] = f.acc!.get(o, i);
      for (const e of list) {
        w.u8(1);
        // put_qtailq hands the field's vmdesc to every element: the struct is described in it
        const ret = vmstate_save_state(w, vmsd, e, vmdesc ?? null);
        if (ret) return ret;
      }
      w.u8(0);
      return 0;
    },
  };
}

const vmstate_spapr_pending_events: VMStateDescription<SpaprMachine> = {
  name: 'spapr_pending_events',
  version_id: 1,
  minimum_version_id: 1,
  exists: spaprSubsectionExists('spapr_pending_events'),
  needed: (m) => m.pending_events.length > 0,
  fields: [{
    name: 'pending_events',
    info: qtailqInfo(vmstate_spapr_event_entry, () => ({ summary: 0, extended_length: 0, extended_log: new Uint8Array(0) })),
    acc: { get: (m: SpaprMachine) => m.pending_events, set: () => {} },
    size: 0,
    version_id: 1,
  }],
};

/** spapr->irq_map_nr: MSIs the map covers (XICS sources from SPAPR_IRQ_MSI on; all of them with legacy numbering). */
function irqMapNr(m: SpaprMachine): number {
  return m.irqs.nrMsis;
}

const vmstate_spapr_irq_map: VMStateDescription<SpaprMachine> = {
  name: 'spapr_irq_map',
  version_id: 1,
  minimum_version_id: 1,
  exists: spaprSubsectionExists('spapr_irq_map'),
  needed: (m) => m.irq_map !== null && m.irq_map.some((w) => w !== 0),
  fields: [VMSTATE_BITMAP('irq_map', irqMapNr, fn(
    (m: SpaprMachine) => m.irq_map ?? new Uint32Array(Math.ceil(irqMapNr(m) / 32)),
    (m, v) => { m.irq_map = v.slice(0, Math.ceil(irqMapNr(m) / 32)); },
  ))],
};

const cap = (name: (typeof SPAPR_CAPS)[number]) => capSubsection(SPAPR_CAPS.indexOf(name));

/**
 * spapr_cas_reboot: only in a QEMU with the unmerged 2020 patch (never upstream). Sent while a
 * CAS reboot is pending, so the destination can perform the reset the source still owes.
 */
export const vmstate_spapr_cas_reboot: VMStateDescription<SpaprMachine> = {
  name: 'spapr_cas_reboot',
  version_id: 1,
  minimum_version_id: 1,
  exists: (m) => m.casRebootMigrated,
  needed: (m) => m.cas_reboot,
  fields: [VMSTATE_BOOL('cas_reboot', prop<SpaprMachine, 'cas_reboot'>('cas_reboot'))],
};

export const vmstate_spapr: VMStateDescription<SpaprMachine> = {
  name: 'spapr',
  version_id: 3,
  minimum_version_id: 1,
  pre_load: (m) => { m.caps.mig = [...m.caps.defaults]; },
  post_load: (m) => {
    // The cpu sections were loaded before the TB offset: redo their timer hand-over.
    for (const cpu of m.cpus) cpu.postLoad();
    // spapr_irq_post_load: re-raise the vCPU's interrupt line from the loaded ICP state.
    m.xics.postLoad();
  },
  fields: [
    // Only in streams older than version 3: the old next_irq and rtc_offset.
    VMSTATE_UNUSED_TEST((_m: SpaprMachine, v: number) => v < 3, 4),
    VMSTATE_UINT64('rtc_offset', fn((m: SpaprMachine) => m.rtcNsOffset, (m, v) => { m.rtcNsOffset = v; }), { field_exists: (_m, v) => v < 3 }),
    VMSTATE_STRUCT('tb', vmstate_ppc_timebase, (m: SpaprMachine) => m.timebase, { version_id: 2 }),
  ],
  subsections: [
    vmstate_spapr_ov5_cas,
    vmstate_spapr_patb_entry,
    vmstate_spapr_pending_events,
    cap('htm'), cap('vsx'), cap('dfp'), cap('cfpc'), cap('sbbc'), cap('ibs'),
    cap('hpt_maxpagesize'),
    vmstate_spapr_irq_map,
    cap('nested_kvm_hv'),
    vmstate_spapr_dtb,
    cap('large_decr'), cap('ccf_assist'),
    vmstate_spapr_cas_reboot,
    cap('fwnmi'),
    vmstate_spapr_fwnmi,
    cap('rpt_invalidate'),
  ],
};

// ---- VIO devices -------------------------------------------------------------------------

/** VMSTATE_SPAPR_VIO: the struct every VIO device starts with. */
const vmstate_spapr_vio: VMStateDescription<SpaprVioDevice> = {
  name: 'spapr_vio',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32_EQUAL('reg', prop('reg')),
    VMSTATE_UINT32_EQUAL('irq', prop('irq')),
    VMSTATE_UINT64('signal_state', prop('signal_state')),
    VMSTATE_UINT64('crq.qladdr', fn((d: SpaprVioDevice) => d.crq.qladdr, (d, v) => { d.crq.qladdr = v; })),
    VMSTATE_UINT32('crq.qsize', fn((d: SpaprVioDevice) => d.crq.qsize, (d, v) => { d.crq.qsize = v; })),
    VMSTATE_UINT32('crq.qnext', fn((d: SpaprVioDevice) => d.crq.qnext, (d, v) => { d.crq.qnext = v; })),
  ],
};

export const vmstate_spapr_vty: VMStateDescription<SpaprVty> = {
  name: 'spapr_vty',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_STRUCT('sdev', vmstate_spapr_vio, (d: SpaprVty) => d),
    VMSTATE_UINT32('in', prop('in')),
    VMSTATE_UINT32('out', prop('out')),
    VMSTATE_BUFFER('buf', 16, (d: SpaprVty) => d.buf),
  ],
};

export const vmstate_spapr_nvram: VMStateDescription<SpaprNvram> = {
  name: 'spapr_nvram',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32('size', fn((n: SpaprNvram) => n.buf.length, (n, v) => {
      // MAX_NVRAM_SIZE: a larger size can only come from a corrupt stream
      if (v > 0x100000) throw new VMStateError(-EINVAL, [`spapr_nvram: size 0x${v.toString(16)} exceeds 0x100000`]);
      if (v !== n.buf.length) n.buf = new Uint8Array(v);
    })),
    VMSTATE_VBUFFER('buf', (n: SpaprNvram) => n.buf.length, fn((n: SpaprNvram) => n.buf, (n, v) => { n.buf.set(v); }), { version_id: 1 }),
  ],
};

const vmstate_spapr_rtc: VMStateDescription<SpaprMachine> = {
  name: 'spapr/rtc',
  version_id: 1,
  minimum_version_id: 1,
  fields: [VMSTATE_INT64('ns_offset', fn((m: SpaprMachine) => m.rtcNsOffset, (m, v) => { m.rtcNsOffset = v; }))],
};

/** spapr_cpu: no fields; the VPA registrations travel in subsections (none made yet). */
const vmstate_spapr_cpu_state: VMStateDescription<SpaprMachine> = {
  name: 'spapr_cpu',
  version_id: 1,
  minimum_version_id: 1,
  fields: [],
};

// ---- XICS (state only: the reset values QEMU sends) --------------------------------------

export interface IcsIrq { server: number; priority: number; saved_priority: number; status: number; flags: number }
export interface IcsState { nr_irqs: number; irqs: IcsIrq[] }
export interface IcpState { xirr: number; pending_priority: number; mfrr: number }

const vmstate_ics_irq: VMStateDescription<IcsIrq> = {
  name: 'ics/irq',
  version_id: 2,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32('server', prop('server')),
    VMSTATE_UINT8('priority', prop('priority')),
    VMSTATE_UINT8('saved_priority', prop('saved_priority')),
    VMSTATE_UINT8('status', prop('status')),
    VMSTATE_UINT8('flags', prop('flags')),
  ],
};

export const vmstate_ics: VMStateDescription<IcsState> = {
  name: 'ics',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32_EQUAL('nr_irqs', prop('nr_irqs')),
    VMSTATE_STRUCT_VARRAY('irqs', (s: IcsState) => s.nr_irqs, vmstate_ics_irq, (s: IcsState, i) => s.irqs[i]),
  ],
};

export const vmstate_icp_server: VMStateDescription<IcpState> = {
  name: 'icp/server',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32('xirr', prop('xirr')),
    VMSTATE_UINT8('pending_priority', prop('pending_priority')),
    VMSTATE_UINT8('mfrr', prop('mfrr')),
  ],
};

/** XICS_IRQS_SPAPR: 4096 interrupt sources on pseries >= 3.1; ICS_IRQ_LSI/MSI flags. */
export function icsReset(nr: number): IcsState {
  const irqs: IcsIrq[] = [];
  for (let i = 0; i < nr; i++) irqs.push({ server: 0, priority: 0xff, saved_priority: 0xff, status: 0, flags: 0 });
  return { nr_irqs: nr, irqs };
}


/** ICS_IRQ_LSI / ICS_IRQ_MSI: the flags of sources claimed by a device. */
export const ICS_IRQ_LSI = 0x1;
export const ICS_IRQ_MSI = 0x2;

/**
 * The sources the machine's devices claim at realize (EPOW, hotplug, VIO as MSI; the PHB's
 * LSIs), as QEMU's stream shows them: flags only, everything else at reset values.
 */
export function icsClaimDefaults(ics: IcsState, m: Pick<SpaprMachine, 'irqs'>): void {
  const claim = (irq: number | undefined, flags: number) => {
    if (irq === undefined) return;
    const e = ics.irqs[irq - 0x1000];
    if (e && e.flags === 0) e.flags = flags;
  };
  claim(m.irqs.epow, ICS_IRQ_MSI);
  claim(m.irqs.hotplug, ICS_IRQ_MSI);
  for (const irq of m.irqs.vio.values()) claim(irq, ICS_IRQ_MSI);
  for (const irq of m.irqs.phbLsi) claim(irq, ICS_IRQ_LSI);
}

// ---- sPAPR IOMMU: the TCE tables of PHB 0 (iommu.ts) ----------------------------------------

const vmstate_spapr_tce_table_ex: VMStateDescription<SpaprTceTable> = {
  name: 'spapr_iommu_ex',
  version_id: 1,
  minimum_version_id: 1,
  needed: (t) => t.bus_offset !== 0n || t.page_shift !== SPAPR_TCE_PAGE_SHIFT,
  fields: [
    VMSTATE_UINT64('bus_offset', prop('bus_offset')),
    VMSTATE_UINT32('page_shift', prop('page_shift')),
  ],
};

export const vmstate_spapr_tce_table: VMStateDescription<SpaprTceTable> = {
  name: 'spapr_iommu',
  version_id: 3,
  minimum_version_id: 2,
  pre_save: (t) => {
    t.mig_table = t.table;
    t.mig_nb_table = t.nb_table;
  },
  post_load: (t) => {
    if (t.mig_nb_table !== t.nb_table) {
      // spapr_tce_table_disable
      t.nb_table = 0;
      t.table = new Uint8Array(0);
    }
    if (t.mig_nb_table) {
      if (!t.nb_table) t.nb_table = t.mig_nb_table;
      t.table = t.mig_table.length === t.nb_table * 8 ? t.mig_table : new Uint8Array(t.nb_table * 8);
      t.mig_table = new Uint8Array(0);
    }
  },
  fields: [
    VMSTATE_UINT32_EQUAL('liobn', (t: SpaprTceTable) => t.liobn),
    VMSTATE_UINT32('mig_nb_table', prop('mig_nb_table')),
    VMSTATE_BOOL('bypass', prop('bypass')),
    VMSTATE_VARRAY_UINT64_BYTES('mig_table', (t: SpaprTceTable) => t.mig_nb_table, (t) => t.mig_table, (t, b) => { t.mig_table = b; }),
    VMSTATE_BOOL('def_win', prop('def_win'), { version_id: 3 }),
  ],
  subsections: [vmstate_spapr_tce_table_ex],
};

// ---- the PCI host bridge and its bus (state only) ----------------------------------------

export interface SpaprPciLsi { irq: number }
export interface SpaprPciMsiMig { key: number; first_irq: number; num: number }

export class SpaprPhbState {
  /** BUID_BASE 0x800000020000000 + index */
  buid = 0x800000020000000n;
  pre_2_8_migration: boolean;
  dma_liobn = SPAPR_PCI_LIOBN;
  mem_win_addr: bigint;
  mem_win_size: bigint;
  io_win_addr: bigint;
  io_win_size = 0x10000n;
  mig_liobn = 0;
  mig_mem_win_addr = 0n;
  mig_mem_win_size = 0n;
  mig_io_win_addr = 0n;
  mig_io_win_size = 0n;
  lsi_table: SpaprPciLsi[];
  msi_devs: SpaprPciMsiMig[] = [];
  msi_devs_num = 0;
  constructor(c: MachineCompat, lsis: number[]) {
    this.pre_2_8_migration = c.pre_2_8_migration;
    this.lsi_table = lsis.map((irq) => ({ irq }));
    if (c.phbPlacement27) {
      // spapr_phb_placement_2_7 for PHB 0
      this.mem_win_addr = 0x100a0000000n;
      this.mem_win_size = 0xf80000000n;
      this.io_win_addr = 0x10080000000n;
    } else {
      // SPAPR_PCI_BASE 1 TiB + 64 GiB windows; SPAPR_PCI_LIMIT
      this.mem_win_addr = 0x200000000000n + 0x80000000n;
      this.mem_win_size = 0x80000000n;
      this.io_win_addr = 0x200000000000n;
    }
  }
}

const vmstate_spapr_pci_lsi: VMStateDescription<SpaprPciLsi> = {
  name: 'spapr_pci/lsi',
  version_id: 1,
  minimum_version_id: 1,
  fields: [VMSTATE_UINT32_EQUAL('irq', (l: SpaprPciLsi) => l.irq)],
};

const vmstate_spapr_pci_msi: VMStateDescription<SpaprPciMsiMig> = {
  name: 'spapr_pci/msi',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_UINT32('key', prop('key')),
    VMSTATE_UINT32('value.first_irq', prop('first_irq')),
    VMSTATE_UINT32('value.num', prop('num')),
  ],
};

const pre_2_8 = (p: SpaprPhbState) => p.pre_2_8_migration;

export const vmstate_spapr_pci: VMStateDescription<SpaprPhbState> = {
  name: 'spapr_pci',
  version_id: 2,
  minimum_version_id: 2,
  pre_save: (p) => {
    if (p.pre_2_8_migration) {
      p.mig_liobn = p.dma_liobn;
      p.mig_mem_win_addr = p.mem_win_addr;
      p.mig_mem_win_size = p.mem_win_size;
      p.mig_io_win_addr = p.io_win_addr;
      p.mig_io_win_size = p.io_win_size;
    }
    p.msi_devs_num = p.msi_devs.length;
  },
  post_load: (p) => {
    if (p.pre_2_8_migration) {
      p.dma_liobn = p.mig_liobn;
      p.mem_win_addr = p.mig_mem_win_addr;
      p.mem_win_size = p.mig_mem_win_size;
      p.io_win_addr = p.mig_io_win_addr;
      p.io_win_size = p.mig_io_win_size;
    }
    p.msi_devs.length = p.msi_devs_num;
  },
  fields: [
    VMSTATE_UINT64_EQUAL('buid', (p: SpaprPhbState) => p.buid),
    VMSTATE_UINT32('mig_liobn', prop('mig_liobn'), { field_exists: pre_2_8 }),
    VMSTATE_UINT64('mig_mem_win_addr', prop('mig_mem_win_addr'), { field_exists: pre_2_8 }),
    VMSTATE_UINT64('mig_mem_win_size', prop('mig_mem_win_size'), { field_exists: pre_2_8 }),
    VMSTATE_UINT64('mig_io_win_addr', prop('mig_io_win_addr'), { field_exists: pre_2_8 }),
    VMSTATE_UINT64('mig_io_win_size', prop('mig_io_win_size'), { field_exists: pre_2_8 }),
    VMSTATE_STRUCT_ARRAY('lsi_table', 4, vmstate_spapr_pci_lsi, (p: SpaprPhbState, i) => p.lsi_table[i]),
    VMSTATE_INT32('msi_devs_num', fn((p: SpaprPhbState) => p.msi_devs_num, (p, v) => {
      p.msi_devs_num = Math.max(0, Math.min(v, 1 << 16));
      while (p.msi_devs.length < p.msi_devs_num) p.msi_devs.push({ key: 0, first_irq: 0, num: 0 });
    })),
    VMSTATE_STRUCT_VARRAY('msi_devs', (p: SpaprPhbState) => p.msi_devs_num, vmstate_spapr_pci_msi, (p: SpaprPhbState, i) => p.msi_devs[i]),
  ],
};

export interface PCIBusState { nirq: number; irq_count: Int32Array }

export const vmstate_pcibus: VMStateDescription<PCIBusState> = {
  name: 'PCIBUS',
  version_id: 1,
  minimum_version_id: 1,
  fields: [
    VMSTATE_INT32_EQUAL('nirq', (b: PCIBusState) => b.nirq),
    VMSTATE_INT32_ARRAY('irq_count', 4, elems((b: PCIBusState) => b.irq_count)),
  ],
};

// ---- DR connectors, watchdogs, pre-2.10 dummy ICPs (state only, never needed idle) -------

export const SPAPR_DR_INDICATOR_INACTIVE = 0;
export const SPAPR_DR_INDICATOR_ACTIVE = 1;

export interface SpaprDrcState {
  index: number;
  physical: boolean;
  /** A device is attached (drc->dev). */
  attached: boolean;
  state: number;
  unplug_requested: boolean;
  dr_indicator: number;
}

function drcReadyState(d: SpaprDrcState): number {
  return d.physical ? SPAPR_DRC_STATE_PHYSICAL_CONFIGURED : SPAPR_DRC_STATE_LOGICAL_CONFIGURED;
}

export function drcStateReset(index: number, physical: boolean): SpaprDrcState {
  return {
    index, physical, attached: false, unplug_requested: false,
    state: physical ? SPAPR_DRC_STATE_PHYSICAL_POWERON : SPAPR_DRC_STATE_LOGICAL_UNUSABLE,
    dr_indicator: SPAPR_DR_INDICATOR_INACTIVE,
  };
}

/**
 * The migration view of a DRC: backed by the machine's live connector (m.drcs, the one RTAS
 * and the device tree use) when it has one for the index, else a DRC in its reset state.
 */
function drcView(index: number, physical: boolean, live: SpaprDrc | undefined): SpaprDrcState {
  const reset = drcStateReset(index, physical);
  if (!live) return reset;
  return {
    index, physical,
    get attached() { return !!live.dev; },
    get state() { return live.state ?? reset.state; },
    set state(v: number) { live.state = v; },
    get unplug_requested() { return !!live.unplug_requested; },
    set unplug_requested(v: boolean) { live.unplug_requested = v; },
    get dr_indicator() { return live.dr_indicator ?? reset.dr_indicator; },
    set dr_indicator(v: number) { live.dr_indicator = v; },
  };
}

const vmstate_spapr_drc_unplug_requested: VMStateDescription<SpaprDrcState> = {
  name: 'spapr_drc/unplug_requested',
  version_id: 1,
  minimum_version_id: 1,
  needed: (d) => d.unplug_requested,
  fields: [VMSTATE_BOOL('unplug_requested', prop('unplug_requested'))],
};

/** spapr_drc_needed: a device is attached and not ready, or an unplug is pending. */
export function spapr_drc_needed(d: SpaprDrcState): boolean {
  return d.attached && (d.state !== drcReadyState(d) || d.unplug_requested);
}

export const vmstate_spapr_drc: VMStateDescription<SpaprDrcState> = {
  name: 'spapr_drc',
  version_id: 1,
  minimum_version_id: 1,
  needed: spapr_drc_needed,
  fields: [VMSTATE_UINT32('state', prop('state'))],
  subsections: [vmstate_spapr_drc_unplug_requested],
};

export const vmstate_spapr_drc_physical: VMStateDescription<SpaprDrcState> = {
  name: 'spapr_drc/physical',
  version_id: 1,
  minimum_version_id: 1,
  needed: (d) => !((d.attached && d.dr_indicator === SPAPR_DR_INDICATOR_ACTIVE) || (!d.attached && d.dr_indicator === SPAPR_DR_INDICATOR_INACTIVE)),
  fields: [VMSTATE_UINT32('dr_indicator', prop('dr_indicator'))],
};

/** spapr-wdt: one per watchdog number (4); needed only while its timer is armed. */
export interface SpaprWatchdogState { expire_time: bigint; action: number; leave_others: number }

const vmstate_info_timer: VMStateInfo = {
  name: 'timer',
  get(r, o, f, i, ctx) {
    const v = BigInt.asIntN(64, r.be64());
    if (!ctx.dry) f.acc!.set(o, i, v);
    return 0;
  },
  put(w, o, f, i) { w.be64(BigInt.asUintN(64, f.acc!.get(o, i))); },
};

export const vmstate_spapr_watchdog: VMStateDescription<SpaprWatchdogState> = {
  name: 'spapr_watchdog',
  version_id: 1,
  minimum_version_id: 1,
  needed: (w) => w.expire_time !== -1n,
  fields: [
    { name: 'timer', info: vmstate_info_timer, acc: prop<SpaprWatchdogState, 'expire_time'>('expire_time'), size: 8, version_id: 0 },
    VMSTATE_UINT8('action', prop('action')),
    VMSTATE_UINT8('leave_others', prop('leave_others')),
  ],
};

/** pre_2_10_vmstate_dummy_icp: accepts (and skips) an unused ICP's state; never sent. */
const pre_2_10_vmstate_dummy_icp: VMStateDescription<number> = {
  name: 'icp/server',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => false,
  fields: [VMSTATE_UNUSED(4), VMSTATE_UNUSED(1), VMSTATE_UNUSED(1)],
};

// ---- registration --------------------------------------------------------------------------

const SPAPR_MAX_PHBS = 31;
const PCI_DRCS = 256;
const SPAPR_WDT_MAX = 4;

/**
 * QEMU 7.2's section ids for `-M <type> -cpu POWER8 -smp 1,maxcpus=N -nodefaults -device
 * spapr-vty [-device <core>,core-id=K ...]`: the per-process counter in registration order
 * (ids 1 and 3 belong to live handlers that never send). spapr_init_cpus registers the
 * pre-2.10 dummy ICPs (one per possible server), then for every possible core its DRC, the
 * boot core's vCPU sections right after its DRC; cores of -device come after the vty (before
 * globalstate), cores hot-plugged later take the next ids of the counter. Checked against
 * QEMU's own streams (pseries-7.2, pseries-2.6, and with maxcpus=2 a core cold-plugged or
 * hot-plugged with device_add) and their savevm_section_skip traces.
 */
export function spaprSectionIds(c: MachineCompat, maxCpus = 1, coldCores = 0, lmbDrcs = 0, pmemDrcs = 0) {
  let id = 5;
  const dummyIcps = c.pre_2_10_migration ? id : -1;
  if (c.pre_2_10_migration) id += nrServers(c, maxCpus);
  const cpuDrcs: number[] = [];
  let cpu_common = -1, cpu = -1, icp = -1, spapr_cpu = -1;
  for (let i = 0; i < maxCpus; i++) {
    if (c.hotplugCpus) cpuDrcs.push(id++);
    if (i === 0) {
      cpu_common = id++; cpu = id++; icp = id++;
      if (!c.pre_3_0_migration) spapr_cpu = id++;
    }
  }
  const cpuDrc = c.hotplugCpus ? cpuDrcs[0] : -1;
  // the LMB DRCs of the device memory, then the PMEM DRCs of the memory slots
  const lmbDrcsBase = id;
  id += lmbDrcs;
  const pmemDrcsBase = id;
  id += pmemDrcs;
  const rtc = id++, nvram = id++;
  const phbDrcs = c.drPhbEnabled ? id : -1;
  if (c.drPhbEnabled) id += SPAPR_MAX_PHBS;
  const pciDrcs = id;
  id += 2 * PCI_DRCS;
  const iommu0 = id++;
  const iommu1 = c.ddw ? id++ : -1;
  const pci = id++, pcibus = id++, spapr = id++, htab = id++;
  const watchdogs = id;
  id += SPAPR_WDT_MAX;
  const vty = id++;
  // sections per core: cpu_common, cpu, icp/server (+ spapr_cpu from pseries-3.0)
  const perCore = c.pre_3_0_migration ? 3 : 4;
  const coldCoreBase = id;
  id += coldCores * perCore;
  const globalstate = id++;
  return {
    timer: 0, ram: 2, ics: 4, dummyIcps, cpuDrc, cpuDrcs, cpu_common, cpu, icp, spapr_cpu, lmbDrcsBase, pmemDrcsBase, rtc, nvram,
    phbDrcs, pciDrcs, iommu0, iommu1, pci, pcibus, spapr, htab, watchdogs, vty, perCore, coldCoreBase,
    globalstate,
    /** the first id of hot-plugged cores' sections (the counter after globalstate) */
    hotCoreBase: id,
  };
}

/** The state-only devices of the machine (not modelled beyond their migration state). */
export interface SpaprStateOnlyDevices {
  tce: SpaprTceTable[];
  phb: SpaprPhbState;
  pcibus: PCIBusState;
  drcs: SpaprDrcState[];
  watchdogs: SpaprWatchdogState[];
}

/** What an invalid entry in an htab chunk loads as. */
const INVALID_HPTE = new Uint8Array(16);

export interface SpaprMigrationState {
  registry: SaveVMRegistry;
  ram: RamMigration;
  htab: HtabMigration;
  globalState: GlobalState;
  /** vCPU 0's cpu / cpu_common view */
  cpuVm: PowerPCCPUVm;
  /** every present vCPU's view, in the machine's core order (cpuVms[0] === cpuVm) */
  cpuVms: PowerPCCPUVm[];
  devices: SpaprStateOnlyDevices;
}

/** Register every section of the machine, as QEMU's device realize functions do. */
export function spaprRegisterVmstate(m: SpaprMachine, reg: SaveVMRegistry): SpaprMigrationState {
  const timers: TimersState = {
    // Our QEMU_CLOCK_VIRTUAL in ns: the destination's clock continues from it.
    get cpu_ticks_offset() { return BigInt(Math.round(m.host.clock.ns())); },
    set cpu_ticks_offset(_v: bigint) { /* derived from cpu_clock_offset */ },
    get cpu_clock_offset() { return BigInt(Math.round(m.host.clock.ns())); },
    set cpu_clock_offset(v: bigint) { m.host.clock.set(Number(v)); },
  };
  const cpuVmOf = (core: SpaprCpuCore): PowerPCCPUVm => {
    const cpu = core.cpu;
    const vm: PowerPCCPUVm = {
      state: cpu.state,
      pvr: cpu.model.pvr,
      cpu_index: core.cpuIndex,
      pre_2_8_migration: m.compat.pre_2_8_migration,
      pre_2_10_migration: m.compat.pre_2_10_migration,
      pre_3_0_migration: m.compat.pre_3_0_migration,
      preSave: () => cpu.preSave(),
      postLoad: () => cpu.postLoad(),
      wakeArmed: () => cpu.nextTimerTB() !== Infinity,
    };
    if (m.cpuMigCompat) {
      // a release profile: its model's values (a fresh copy: a load stores what it read here)
      vm.mig = { ...m.cpuMigCompat.mig };
      vm.sanity_equal = m.cpuMigCompat.sanity_equal;
    }
    return vm;
  };
  const cpuVms = m.cores.map(cpuVmOf);
  const cpuVm = cpuVms[0];
  const ram = new RamMigration(m.ram);
  const htab = new HtabMigration({
    htabShift: m.hpt.htabShift,
    table: m.hpt,
    onShift: (shift) => { if (shift !== m.hpt.htabShift) m.hpt.setShift(shift); },
    onHpte: (i, hpte) => m.hpt.writeHpteBytes(i, hpte ?? INVALID_HPTE),
  });
  const globalState = new GlobalState();
  const c = m.compat;
  const boot = m.cores[0];
  const coldCores = m.cores.filter((k) => k !== boot && !k.hotplugged);
  const hotCores = m.cores.filter((k) => k.hotplugged);
  const lmbIds = c.drLmb ? spaprLmbIds(m.memConfig) : [];
  const pmemCount = c.nvdimmSupported ? m.memConfig.ramSlots : 0;
  const ids = spaprSectionIds(c, m.maxCpus, coldCores.length, lmbIds.length, pmemCount);
  icsClaimDefaults(m.ics, m);
  const devices: SpaprStateOnlyDevices = {
    tce: m.tceTables,
    phb: new SpaprPhbState(c, m.irqs.phbLsi),
    pcibus: { nirq: 4, irq_count: new Int32Array(4) },
    drcs: [],
    watchdogs: [],
  };

  register_timers(reg, timers, { section_id: ids.timer });
  register_ram(reg, ram, { section_id: ids.ram });
  reg.vmstate_register(0, vmstate_ics, m.ics, { section_id: ids.ics });
  if (c.pre_2_10_migration) {
    // one dummy per possible server; each present vCPU's real ICP took its cpu_index's place
    for (let i = 0; i < nrServers(c, m.maxCpus); i++) {
      if (m.cores.some((k) => k.cpuIndex === i)) continue;
      reg.vmstate_register(i, pre_2_10_vmstate_dummy_icp, i, { section_id: ids.dummyIcps + i });
    }
  }
  /** A core's vCPU sections: cpu_common, cpu, icp/server, spapr_cpu from `first` on. */
  const registerCore = (core: SpaprCpuCore, vm: PowerPCCPUVm, first: number) => {
    register_cpu_vmstate(reg, vm, { common: { section_id: first }, cpu: { section_id: first + 1 } });
    reg.vmstate_register(core.cpuIndex, vmstate_icp_server, core.icp, { section_id: first + 2 });
    if (!c.pre_3_0_migration) reg.vmstate_register(core.cpuIndex, vmstate_spapr_cpu_state, m, { section_id: first + 3 });
  };
  for (let i = 0; i < (c.hotplugCpus ? m.maxCpus : 1); i++) {
    if (c.hotplugCpus) {
      const index = (0x10000000 | (i * (c.smpThreadsVsmt ? 1 : 8))) >>> 0;
      const d = drcView(index, false, m.drcs.get(index));
      devices.drcs.push(d);
      reg.vmstate_register(d.index, vmstate_spapr_drc, d, { section_id: ids.cpuDrcs[i] });
    }
    if (i === 0) registerCore(boot, cpuVm, ids.cpu_common);
  }
  // spapr_create_lmb_dr_connectors, spapr_create_nvdimm_dr_connectors
  lmbIds.forEach((id, i) => {
    const index = (0x80000000 | id) >>> 0;
    const d = drcView(index, false, m.drcs.get(index));
    devices.drcs.push(d);
    reg.vmstate_register(d.index, vmstate_spapr_drc, d, { section_id: ids.lmbDrcsBase + i });
  });
  for (let i = 0; i < pmemCount; i++) {
    const index = (0x90000000 | i) >>> 0;
    const d = drcView(index, false, m.drcs.get(index));
    devices.drcs.push(d);
    reg.vmstate_register(d.index, vmstate_spapr_drc, d, { section_id: ids.pmemDrcsBase + i });
  }
  reg.vmstate_register(0, vmstate_spapr_rtc, m, { section_id: ids.rtc });
  reg.vmstate_register(0, vmstate_spapr_nvram, m.nvram, { section_id: ids.nvram, idstr: `${m.nvram.dtName}/spapr_nvram` });
  if (c.drPhbEnabled) {
    for (let i = 0; i < SPAPR_MAX_PHBS; i++) {
      const d = drcView((0x20000000 | i) >>> 0, false, m.drcs.get((0x20000000 | i) >>> 0));
      devices.drcs.push(d);
      reg.vmstate_register(d.index, vmstate_spapr_drc, d, { section_id: ids.phbDrcs + i });
    }
  }
  for (let i = 0; i < PCI_DRCS; i++) {
    const d = drcView((0x40000000 | i) >>> 0, true, m.drcs.get((0x40000000 | i) >>> 0));
    devices.drcs.push(d);
    reg.vmstate_register(d.index, vmstate_spapr_drc, d, { section_id: ids.pciDrcs + 2 * i });
    reg.vmstate_register(d.index, vmstate_spapr_drc_physical, d, { section_id: ids.pciDrcs + 2 * i + 1 });
  }
  reg.vmstate_register(devices.tce[0].liobn, vmstate_spapr_tce_table, devices.tce[0], { section_id: ids.iommu0 });
  if (c.ddw) reg.vmstate_register(devices.tce[1].liobn, vmstate_spapr_tce_table, devices.tce[1], { section_id: ids.iommu1 });
  reg.vmstate_register(0, vmstate_spapr_pci, devices.phb, { section_id: ids.pci });
  reg.vmstate_register(0, vmstate_pcibus, devices.pcibus, { section_id: ids.pcibus });
  reg.vmstate_register(0, vmstate_spapr, m, { section_id: ids.spapr });
  register_htab(reg, htab, { section_id: ids.htab });
  for (let i = 0; i < SPAPR_WDT_MAX; i++) {
    const w: SpaprWatchdogState = { expire_time: -1n, action: 0, leave_others: 0 };
    devices.watchdogs.push(w);
    reg.vmstate_register(i, vmstate_spapr_watchdog, w, { section_id: ids.watchdogs + i });
  }
  reg.vmstate_register(0, vmstate_spapr_vty, m.vty, { section_id: ids.vty, idstr: `${m.vty.dtName}/spapr_vty` });
  // -device cores (cold-plugged), then globalstate, then the cores device_add plugged
  coldCores.forEach((k, j) => registerCore(k, cpuVms[m.cores.indexOf(k)], ids.coldCoreBase + j * ids.perCore));
  register_global_state(reg, globalState, { section_id: ids.globalstate });
  hotCores.forEach((k, j) => registerCore(k, cpuVms[m.cores.indexOf(k)], ids.hotCoreBase + j * ids.perCore));
  return { registry: reg, ram, htab, globalState, cpuVm, cpuVms, devices };
}

// ---- decoders for analyze ------------------------------------------------------------------

/** What analyze needs of a declaration (the SectionDecoder shape of vmstate/analyze.ts). */
export interface SpaprSectionDecoder<O = any> {
  idstr: string;
  vmsd: VMStateDescription<O>;
  create(instance_id: number, machine: string | undefined): O;
  describe?(o: O, key: string): { summary?: string; warnings?: string[] };
}

interface AnalysisMachine { m: SpaprMachine; st: SpaprMigrationState }
const analysisMachines = new Map<string, AnalysisMachine>();
let machineFactory: ((machineType: string) => SpaprMachine) | undefined;

/** How analyze builds a small machine of a given type to decode the machine's sections into. */
export function setAnalysisMachineFactory(f: (machineType: string) => SpaprMachine): void {
  machineFactory = f;
}

function analysisMachine(machine: string | undefined): AnalysisMachine {
  if (!machineFactory) throw new Error('no machine factory for decoding pseries sections');
  const want = machine && /^pseries-\d+\.\d+$/.test(machine) ? machine : 'pseries-7.2';
  let a = analysisMachines.get(want);
  if (!a) {
    let m: SpaprMachine;
    try { m = machineFactory(want); } catch { m = machineFactory('pseries-7.2'); }
    decodeOnly.add(m);
    const reg = new SaveVMRegistryCtor();
    a = { m, st: spaprRegisterVmstate(m, reg) };
    analysisMachines.set(want, a);
  }
  return a;
}

/** Our declarations of the pseries sections, for analyze (decoded and re-encoded byte for byte). */
export function spaprSectionDecoders(): SpaprSectionDecoder[] {
  const m = (machine: string | undefined) => analysisMachine(machine).m;
  const dev = (machine: string | undefined) => analysisMachine(machine).st.devices;
  return [
    { idstr: 'ics', vmsd: vmstate_ics, create: (_i, mt) => m(mt).ics,
      describe: (s: IcsState) => ({ summary: `nr_irqs=0x${s.nr_irqs.toString(16)} claimed=${s.irqs.filter((x) => x.flags).length}` }) },
    { idstr: 'icp/server', vmsd: vmstate_icp_server, create: (_i, mt) => m(mt).icp,
      describe: (s: IcpState) => ({ summary: `xirr=0x${s.xirr.toString(16)} mfrr=0x${s.mfrr.toString(16)}` }) },
    { idstr: 'spapr_cpu', vmsd: vmstate_spapr_cpu_state, create: (_i, mt) => m(mt) },
    { idstr: 'spapr/rtc', vmsd: vmstate_spapr_rtc, create: (_i, mt) => m(mt),
      describe: (s: SpaprMachine) => ({ summary: `ns_offset=${s.rtcNsOffset}` }) },
    { idstr: 'nvram@71000000/spapr_nvram', vmsd: vmstate_spapr_nvram, create: (_i, mt) => m(mt).nvram,
      describe: (n: SpaprNvram) => ({ summary: `size=0x${n.buf.length.toString(16)} non-zero=${n.buf.reduce((k, b) => k + (b ? 1 : 0), 0)}` }) },
    { idstr: 'spapr_iommu', vmsd: vmstate_spapr_tce_table,
      create: (i, mt) => dev(mt).tce.find((t) => t.liobn === i) ?? new SpaprTceTable(i, 0, SPAPR_TCE_PAGE_SHIFT, 0n, false),
      describe: (t: SpaprTceTable) => {
        let used = 0;
        for (let k = 0; k < t.table.length; k += 8) {
          for (let j = 0; j < 8; j++) if (t.table[k + j]) { used++; break; }
        }
        return { summary: `liobn=0x${t.liobn.toString(16)} nb_table=0x${t.nb_table.toString(16)} page_shift=${t.page_shift} tces=${used}` };
      } },
    { idstr: 'spapr_pci', vmsd: vmstate_spapr_pci, create: (_i, mt) => dev(mt).phb,
      describe: (p: SpaprPhbState) => ({ summary: `buid=0x${p.buid.toString(16)} lsi=${p.lsi_table.map((l) => '0x' + l.irq.toString(16)).join(',')} msi_devs=${p.msi_devs_num}` }) },
    { idstr: 'PCIBUS', vmsd: vmstate_pcibus, create: (_i, mt) => dev(mt).pcibus,
      describe: (b: PCIBusState) => ({ summary: `nirq=${b.nirq} irq_count=${[...b.irq_count].join(',')}` }) },
    { idstr: 'spapr', vmsd: vmstate_spapr, create: (_i, mt) => m(mt),
      describe: (s: SpaprMachine) => ({ summary: `guest_timebase=0x${s.timebase.guest_timebase.toString(16)} subsections=${vmstate_subsections_needed(vmstate_spapr, s).filter((x) => x.needed).map((x) => x.name).join(',')}` }) },
    { idstr: 'vty@71000001/spapr_vty', vmsd: vmstate_spapr_vty, create: (_i, mt) => m(mt).vty,
      describe: (v: SpaprVty) => ({ summary: `reg=0x${v.reg.toString(16)} irq=0x${v.irq.toString(16)} in=${v.in} out=${v.out}` }) },
    { idstr: 'spapr_drc', vmsd: vmstate_spapr_drc,
      create: (i, mt) => dev(mt).drcs.find((d) => d.index === i) ?? drcStateReset(i, (i >>> 28) === 4) },
    { idstr: 'spapr_drc/physical', vmsd: vmstate_spapr_drc_physical,
      create: (i, mt) => dev(mt).drcs.find((d) => d.index === i) ?? drcStateReset(i, true) },
    { idstr: 'spapr_watchdog', vmsd: vmstate_spapr_watchdog, create: () => ({ expire_time: -1n, action: 0, leave_others: 0 }) },
  ];
}
