// The pseries machine's migration state, declared once per device with QEMU 7.2's names,
// versions, field layouts and subsections (hw/ppc/spapr.c, spapr_vio.c, spapr_vty.c,
// spapr_nvram.c, spapr_rtc.c, spapr_cpu_core.c, hw/intc/xics.c), and registered in the
// order and with the section ids QEMU 7.2 uses for `-M pseries -cpu POWER8 -nodefaults
// -device spapr-vty`, so our streams line up with QEMU's section by section.
//
// Not modelled yet (the sections are absent from our streams): spapr_iommu, spapr_pci,
// PCIBUS, spapr_drc. ics and icp/server carry QEMU's layout with reset values (state only).

import { nsToTB } from '../clock';
import { register_cpu_vmstate, type PowerPCCPUVm } from '../vmstate/cpu';
import { GlobalState, register_global_state } from '../vmstate/globalstate';
import type { SaveVMRegistry } from '../vmstate/savevm';
import { register_timers, type TimersState } from '../vmstate/timer';
import {
  EINVAL, VMSTATE_BITMAP, VMSTATE_BUFFER, VMSTATE_INT32, VMSTATE_INT64, VMSTATE_STRUCT,
  VMSTATE_STRUCT_VARRAY, VMSTATE_UINT32, VMSTATE_UINT32_EQUAL, VMSTATE_UINT64, VMSTATE_UINT8,
  VMSTATE_UNUSED_TEST, VMSTATE_VBUFFER, VMStateError, fn, prop, type VMStateDescription,
} from '../vmstate/vmstate';
import { RamMigration, register_ram } from '../migration/ram';
import { HtabMigration, register_htab } from '../migration/htab';
import { fdtParse } from './fdt';
import type { SpaprMachine, SpaprNvram } from './machine';
import type { SpaprVioDevice, SpaprVty } from './vty';

// ---- spapr (the machine) -----------------------------------------------------------------

interface PpcTimebase { m: SpaprMachine; guest_timebase: bigint; time_of_the_day_ns: bigint }

/** VMSTATE_PPC_TIMEBASE_V: saved when the VM stops; the destination derives its TB offset. */
const vmstate_ppc_timebase: VMStateDescription<PpcTimebase> = {
  name: 'timebase',
  version_id: 1,
  minimum_version_id: 1,
  pre_save: (t) => {
    t.guest_timebase = BigInt(t.m.readTB());
    t.time_of_the_day_ns = BigInt(Date.now()) * 1_000_000n;
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
const OV5_CAS_MIGRATION_MASK = [10, 32, 168]; // DRCONF_MEMORY, FORM1_AFFINITY, DRMEM_V2

const vmstate_spapr_ov5_cas: VMStateDescription<SpaprMachine> = {
  name: 'spapr_option_vector_ov5_cas',
  version_id: 1,
  minimum_version_id: 1,
  // Tests the platform set (spapr->ov5), not ov5_cas: sent even before CAS on pseries >= 2.8.
  needed: (m) => {
    for (let n = 0; n < 2048; n++) {
      if ((m.ov5[n >> 3] & (0x80 >> (n & 7))) && !OV5_CAS_MIGRATION_MASK.includes(n)) return true;
    }
    return false;
  },
  fields: [VMSTATE_STRUCT('ov5_cas', vmstate_spapr_ovec, (m: SpaprMachine) => m.ov5_cas)],
};

const vmstate_spapr_patb_entry: VMStateDescription<SpaprMachine> = {
  name: 'spapr_patb_entry',
  version_id: 1,
  minimum_version_id: 1,
  needed: (m) => m.patb_entry !== 0n,
  fields: [VMSTATE_UINT64('patb_entry', prop('patb_entry'))],
};

/** spapr caps, in mig.caps[] index order (hw/ppc/spapr_caps.c). */
export const SPAPR_CAPS = [
  'htm', 'vsx', 'dfp', 'cfpc', 'sbbc', 'ibs', 'hpt_maxpagesize', 'nested_kvm_hv', 'large_decr',
  'ccf_assist', 'fwnmi', 'rpt_invalidate',
] as const;

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
    needed: (m) => (name === 'hpt_maxpagesize' && !m.compat.pre_4_1_migration ? true : m.caps.user[index] !== undefined && m.caps.user[index] !== m.caps.defaults[index]),
    post_load: (m) => {
      const got = m.caps.mig[index];
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
    VMSTATE_UINT32('fdt_size', fn((m: SpaprMachine) => m.fdtBlob.length, (m, v) => { m.fdtBlob = new Uint8Array(v); })),
    VMSTATE_VBUFFER('fdt_blob', (m: SpaprMachine) => m.fdtBlob.length, fn((m: SpaprMachine) => m.fdtBlob, (m, v) => { m.fdtBlob.set(v); })),
  ],
};

const vmstate_spapr_fwnmi: VMStateDescription<SpaprMachine> = {
  name: 'spapr_fwnmi',
  version_id: 1,
  minimum_version_id: 1,
  needed: (m) => m.fwnmi.machine_check_addr !== -1n,
  fields: [
    VMSTATE_UINT64('fwnmi_system_reset_addr', fn((m: SpaprMachine) => m.fwnmi.system_reset_addr, (m, v) => { m.fwnmi.system_reset_addr = v; })),
    VMSTATE_UINT64('fwnmi_machine_check_addr', fn((m: SpaprMachine) => m.fwnmi.machine_check_addr, (m, v) => { m.fwnmi.machine_check_addr = BigInt.asIntN(64, v); })),
    VMSTATE_INT32('fwnmi_machine_check_interlock', fn((m: SpaprMachine) => m.fwnmi.interlock, (m, v) => { m.fwnmi.interlock = v; })),
  ],
};

const cap = (name: (typeof SPAPR_CAPS)[number]) => capSubsection(SPAPR_CAPS.indexOf(name));

export const vmstate_spapr: VMStateDescription<SpaprMachine> = {
  name: 'spapr',
  version_id: 3,
  minimum_version_id: 1,
  pre_load: (m) => { m.caps.mig = [...m.caps.defaults]; },
  post_load: (m) => {
    // The cpu section was loaded before the TB offset: redo its timer hand-over.
    m.cpu.postLoad();
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
    cap('htm'), cap('vsx'), cap('dfp'), cap('cfpc'), cap('sbbc'), cap('ibs'),
    cap('hpt_maxpagesize'),
    cap('nested_kvm_hv'),
    vmstate_spapr_dtb,
    cap('large_decr'), cap('ccf_assist'), cap('fwnmi'),
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
    VMSTATE_UINT32('size', fn((n: SpaprNvram) => n.buf.length, (n, v) => { if (v !== n.buf.length) n.buf = new Uint8Array(v); })),
    VMSTATE_VBUFFER('buf', (n: SpaprNvram) => n.buf.length, fn((n: SpaprNvram) => n.buf, (n, v) => { n.buf.set(v); })),
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
    VMSTATE_UINT8('flags', prop('flags'), { version_id: 2 }),
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

// ---- registration --------------------------------------------------------------------------

/** QEMU 7.2's section ids for pseries-7.2 / POWER8 / -nodefaults -device spapr-vty. */
const SECTION_IDS = {
  timer: 0, ram: 2, ics: 4, cpu_common: 6, cpu: 7, icp: 8, spapr_cpu: 9, rtc: 10, nvram: 11,
  spapr: 559, htab: 560, vty: 565, globalstate: 566,
};

export interface SpaprMigrationState {
  registry: SaveVMRegistry;
  ram: RamMigration;
  htab: HtabMigration;
  globalState: GlobalState;
  cpuVm: PowerPCCPUVm;
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
  const cpuVm: PowerPCCPUVm = {
    state: m.cpu.state,
    pvr: m.cpu.model.pvr,
    cpu_index: 0,
    pre_2_8_migration: m.compat.pre_2_8_migration,
    pre_2_10_migration: m.compat.pre_2_10_migration,
    pre_3_0_migration: m.compat.pre_3_0_migration,
    preSave: () => m.cpu.preSave(),
    postLoad: () => m.cpu.postLoad(),
  };
  const ram = new RamMigration(m.ram);
  const htab = new HtabMigration({ htabShift: m.htabShift });
  const globalState = new GlobalState();
  register_timers(reg, timers, { section_id: SECTION_IDS.timer });
  register_ram(reg, ram, { section_id: SECTION_IDS.ram });
  reg.vmstate_register(0, vmstate_ics, m.ics, { section_id: SECTION_IDS.ics });
  register_cpu_vmstate(reg, cpuVm, { common: { section_id: SECTION_IDS.cpu_common }, cpu: { section_id: SECTION_IDS.cpu } });
  reg.vmstate_register(0, vmstate_icp_server, m.icp, { section_id: SECTION_IDS.icp });
  if (!m.compat.pre_3_0_migration) reg.vmstate_register(0, vmstate_spapr_cpu_state, m, { section_id: SECTION_IDS.spapr_cpu });
  reg.vmstate_register(0, vmstate_spapr_rtc, m, { section_id: SECTION_IDS.rtc });
  reg.vmstate_register(0, vmstate_spapr_nvram, m.nvram, { section_id: SECTION_IDS.nvram, idstr: `${m.nvram.dtName}/spapr_nvram` });
  reg.vmstate_register(0, vmstate_spapr, m, { section_id: SECTION_IDS.spapr });
  register_htab(reg, htab, { section_id: SECTION_IDS.htab });
  reg.vmstate_register(0, vmstate_spapr_vty, m.vty, { section_id: SECTION_IDS.vty, idstr: `${m.vty.dtName}/spapr_vty` });
  register_global_state(reg, globalState, { section_id: SECTION_IDS.globalstate });
  return { registry: reg, ram, htab, globalState, cpuVm };
}
