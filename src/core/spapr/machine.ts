// The sPAPR ("pseries") machine: RAM at 0, one POWER8 vCPU, the VIO devices QEMU creates for
// `-M pseries -nodefaults -device spapr-vty` (spapr-nvram at 0x71000000, spapr-vty at
// 0x71000001), hypercalls in a table keyed by number, RTAS, and the guest entered from
// `-kernel` the way QEMU's x-vof=on firmware enters it.

import { POWER8, PowerPCCPU, type CpuModel, type VirtualHypervisor } from '../cpu/cpu';
import { MSR_EE, SPR_LPCR, SPR_PIR, SPR_SPRG0 } from '../cpu/state';
import { GuestRam } from '../mem/ram';
import { nsToTB, type VirtualClock } from '../clock';
import { fdtPack, type FdtNode } from './fdt';
import { nrServers, spaprBuildFdt, spaprCreateDrcs } from './dt';
import { DrcContainer, drcEmptyState, drcIndex, drcReset, SPAPR_DR_CONNECTOR_TYPE_CPU, SPAPR_DR_CONNECTOR_TYPE_LMB, SPAPR_DR_CONNECTOR_TYPE_PCI, SPAPR_DR_CONNECTOR_TYPE_PHB, SPAPR_DR_CONNECTOR_TYPE_PMEM, type SpaprDrc } from './drc';
import { spaprIrqLayout, type SpaprIrqLayout } from './irq';
import { loadElfKernel, type LoadedKernel } from './elf';
import {
  H_CEDE, H_CONFER, H_GET_TERM_CHAR, H_P2, H_P3, H_P4, H_PARAMETER, H_PROD,
  H_PUT_TERM_CHAR, H_SET_MODE, H_SET_SPRG0, H_SUCCESS, H_UNSUPPORTED_FLAG, HcallTable,
  KVMPPC_H_CAS, KVMPPC_H_RTAS, KVMPPC_H_VOF_CLIENT, type HcallArgs,
} from './hcall';
import { RtasTable } from './rtas';
import { spaprEventRtcDate } from './events';
import { registerRtasServices } from './rtas-services';
import { registerPlatformHcalls, spaprCpuStateReset, type SpaprCpuState } from './hcall-misc';
import { SpaprHpt, registerMmuHcalls } from './hpt';
import { registerHptResizeHcalls, type PendingHpt } from './hpt-resize';
import { Xics, type IcpServer } from './xics';
import { CAS_PROFILE_72, casRebootKeeps, spaprCasChangeStateHandler, h_client_architecture_support, type CasProfile } from './cas';
import { findNode, getProp } from './fdt';
import { SpaprVty, packTermChars, unpackTermChars } from './vty';
import { icsReset, type IcsState } from './vmstate';
import { machineVersion, type MachineCompat } from './versions';
import type { PpcMigCompat } from '../vmstate/cpu';
import type { EqualMessageFormat } from '../vmstate/vmstate';
import { phbDmaReset, phbTceTables, registerIommuHcalls, type SpaprTceTable } from './iommu';
import { LMB_SIZE } from './dt';
import {
  checkSpaprMemory, parseQemuSize, spaprDeviceMemory, spaprLmbIds, type MemoryBackend, type SpaprDimm,
  type SpaprMemoryConfig,
} from './memory';
import { vofClientCall, vofFinalizeDt, VOF_ENTRY, VOF_EXIT_RETURN, vofInstallTrampolines } from './vof';

/** The reasons QEMU gives a reset or shutdown request (ShutdownCause). */
export type ShutdownCause =
  | 'none' | 'host-error' | 'host-qmp-quit' | 'host-qmp-system-reset' | 'host-signal' | 'host-ui'
  | 'guest-shutdown' | 'guest-reset' | 'guest-panic' | 'subsystem-reset' | 'snapshot-load';

/** What the machine asks of the main loop that owns it. */
export interface MachineHost {
  clock: VirtualClock;
  /** qemu_system_reset_request(): handled at the next main_loop_should_exit(). */
  resetRequest(cause: ShutdownCause): void;
  /** qemu_system_shutdown_request() */
  shutdownRequest(cause: ShutdownCause): void;
  /** vm_stop(paused) requested by the guest (VOF "exit"). */
  stopRequest(reason: string): void;
  /** qemu_system_suspend_request() (RTAS ibm,suspend-me): the machine goes to `suspended`. */
  suspendRequest?(): void;
  trace(name: string, args?: string): void;
  /** QEMU's error_report / LOG_UNIMP / LOG_GUEST_ERROR lines. */
  log(message: string): void;
  /** migration_is_active(): an outgoing migration is under way. */
  migrationActive?(): boolean;
  /** The reset requested and not performed yet, if any. */
  readonly resetPending?: ShutdownCause | null;
}

export interface SpaprOptions {
  machineType?: string;
  ramSize?: number;
  cpuModel?: CpuModel;
  /** x-vof=on (default): the client interface in the machine, and its device-tree additions. */
  vof?: boolean;
  /** /chosen/rng-seed (QEMU draws 32 random bytes at every reset); a fixed stream by default. */
  rngSeed?: Uint8Array;
  /** -smp 1,maxcpus=N: the possible CPU cores (one thread each); default 1. */
  maxCpus?: number;
  /**
   * The cores present at creation: core 0 (the boot core) and those cold-plugged with
   * `-device power8_v2.0-spapr-cpu-core,core-id=K` (in that order); default [0].
   */
  coreIds?: number[];
  /** -m ...,maxmem=M: maxram_size (default: the RAM size, no device memory) */
  maxRamSize?: number;
  /** -m ...,slots=N: ram_slots (default 0) */
  ramSlots?: number;
  /**
   * `-object memory-backend-ram,id=B,size=S -device pc-dimm,memdev=B[,id=D]` on the command
   * line: DIMMs cold-plugged at creation (their LMB DRCs ready), in this order.
   */
  dimms?: Array<{
    memdev: string; size: number; id?: string;
    /** PC_DIMM_ADDR_PROP (a destination is started with the source's addresses) */
    addr?: number;
    /** the -device text, for errors */
    spec?: string;
  }>;
}

/** device_add properties: `core-id` (and `id`) of a CPU core; others are refused as QEMU does. */
export type DeviceAddProps = { 'core-id'?: number | string; id?: string } & Record<string, number | string | undefined>;

/** The CPU core device type of a POWER8 pseries machine (spapr_get_cpu_core_type). */
export const SPAPR_CPU_CORE_TYPE = 'power8_v2.0-spapr-cpu-core';

/** The spapr CPU core device types of QEMU 7.2 (`-device help`); only the -cpu's one plugs. */
export const SPAPR_CPU_CORE_TYPES: readonly string[] = [
  '970_v2.2', '970mp_v1.0', '970mp_v1.1', 'power10_v1.0', 'power10_v2.0', 'power5+_v2.1', 'power7+_v2.1',
  'power7_v2.3', 'power8_v2.0', 'power8e_v2.1', 'power8nvl_v1.0', 'power9_v1.0', 'power9_v2.0',
].map((t) => `${t}-spapr-cpu-core`);

/** One present CPU core (one thread): its vCPU, presenter and hypervisor state. */
export interface SpaprCpuCore {
  /** core-id */
  coreId: number;
  /** QEMU's cpu_index (core-id + thread): the instance id of the vCPU's sections. */
  cpuIndex: number;
  /** spapr_vcpu_id: core-id * vsmt (vsmt 8 on pseries <= 4.1, else 1); server and DRC number. */
  vcpuId: number;
  cpu: PowerPCCPU;
  /** the vCPU's icp/server (server number = vCPU id) */
  icp: IcpServer;
  /** SpaprCpuState: VPA, SLB shadow and DTL registrations. */
  spaprCpu: SpaprCpuState;
  /** plugged with device_add while the machine existed (dev->hotplugged); kept across resets */
  hotplugged: boolean;
  /** the device id (`id=`), if one was given */
  id?: string;
}

/** RTAS_LOG_V6_HP_TYPE_* by DRC type */
const RTAS_LOG_V6_HP_TYPE: Record<number, number> = {
  [SPAPR_DR_CONNECTOR_TYPE_CPU]: 1, [SPAPR_DR_CONNECTOR_TYPE_LMB]: 2, [SPAPR_DR_CONNECTOR_TYPE_PHB]: 4,
  [SPAPR_DR_CONNECTOR_TYPE_PCI]: 5, [SPAPR_DR_CONNECTOR_TYPE_PMEM]: 6,
};

/** 32 bytes from a xorshift32 stream: the rng-seed of a deterministic machine. */
export function deterministicRngSeed(seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(32);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < 32; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export const SPAPR_VIO_REG_BASE = 0x71000000;
const RTAS_LOG_V6_HP_ACTION_ADD = 1;
const RTAS_LOG_V6_HP_ACTION_REMOVE = 2;
/** XICS interrupt numbers start at XICS_IRQ_BASE 0x1000; VIO devices get 0x1100 + n. */
export const SPAPR_IRQ_VIO = 0x1100;
/** XICS_IRQS_SPAPR: interrupt sources of the ics (1024 on pseries <= 3.0). */
export const XICS_IRQS_SPAPR = 4096;
/** 1024 sources on pseries <= 3.0 (legacy IRQ numbering). */
export const XICS_IRQS_LEGACY = 1024;
export const DEFAULT_RAM_SIZE = 256 * 1024 * 1024;
/** VOF's stack top and TOC, as the guest sees them at entry under x-vof=on. */
const VOF_STACK_TOP = 0xff60;
const VOF_TOC = 0x8c00;

/** spapr-nvram: 64 KiB the guest reads and writes through RTAS (state only for now). */
export class SpaprNvram {
  buf = new Uint8Array(0x10000);
  get size(): number { return this.buf.length; }
  signal_state = 0n;
  crq = { qladdr: 0n, qsize: 0, qnext: 0 };
  constructor(public reg: number, public irq: number) {}
  get dtName(): string { return `nvram@${this.reg.toString(16)}`; }
}

export class SpaprMachine implements VirtualHypervisor {
  readonly machineType: string;
  /** The compat knobs of the machine type (versions.ts). */
  readonly compat: MachineCompat;
  readonly ram: GuestRam;
  /** vCPU 0 (cpus[0]): the one that runs the guest. */
  readonly cpu: PowerPCCPU;
  /** Every present vCPU in creation (CPU_FOREACH) order; cpus[0] === cpu. */
  readonly cpus: PowerPCCPU[] = [];
  /** The present CPU cores in plug order (cores[0] is the boot core). */
  readonly cores: SpaprCpuCore[] = [];
  /** -smp maxcpus: the number of possible cores (one thread each). */
  readonly maxCpus: number;
  /** next_plid of spapr_events.c: the platform log id of the next RTAS event. */
  nextPlid = 0;
  readonly nvram: SpaprNvram;
  readonly vty: SpaprVty;
  /** The DR connectors (CPU cores, PHBs, PCI slots of PHB 0) in QEMU's container order. */
  readonly drcs = new DrcContainer();
  /** Interrupt numbers of the machine's devices. */
  readonly irqs: SpaprIrqLayout;
  rngSeed: Uint8Array;
  /** x-vof=on */
  readonly vofEnabled: boolean;
  /**
   * The cpu section's pre-2.8 sanity fields as a release profile (profiles.ts) declares them:
   * the values this QEMU's CPU model has (or, from 2.8, writes) and, for QEMU <= 2.7, the
   * _EQUAL checks' message format. Unset: the mig_* fields as QEMU 7.2 declares them.
   */
  cpuMigCompat: { mig: PpcMigCompat; sanity_equal?: EqualMessageFormat } | undefined;
  /** vof->bootargs: what the client set in /chosen/bootargs (kept across a CAS rebuild). */
  vofBootargs: string | undefined;
  /** spapr->cas_reboot: set by a CAS whose policy asked for a reset, cleared by the reset. */
  cas_reboot = false;
  /**
   * The unmerged 2020 patch "spapr: Migrate CAS reboot flag": the spapr_cas_reboot subsection
   * exists, and a destination that starts running with cas_reboot set requests the reset.
   */
  casRebootMigrated = false;
  /**
   * The QEMU release this machine plays (a release profile's "x.y"); null: QEMU 7.2, no
   * profile. Decides which vmstate subsections exist (spapr/releases.ts).
   */
  qemuRelease: string | null = null;
  /** What CAS does about reboots in the release this machine plays (default QEMU 7.2's). */
  casProfile: CasProfile = CAS_PROFILE_72;
  /**
   * The alternative fix discussed in the 2020 thread: H_CAS answers H_BUSY while a migration
   * is active, and the firmware retries later (on the destination if the migration completed).
   */
  casBusyWhileMigrating = false;
  /**
   * log2 of the hashed page table size (21 for 256 MiB): spapr_setup_hpt at every reset, for
   * RAM plus plugged DIMMs, or for maxmem on machine types without HPT resizing (<= 2.9).
   */
  htabShift: number;
  /** -m SIZE,slots=N,maxmem=M */
  readonly memConfig: SpaprMemoryConfig;
  /** machine->device_memory: where DIMMs go (base 0, size 0 without maxmem) */
  readonly deviceMem: { base: number; size: number };
  /** memory-backend-ram objects by id (object_add), in creation order */
  readonly memBackends = new Map<string, MemoryBackend>();
  /** the plugged pc-dimms, by address */
  readonly dimms: SpaprDimm[] = [];
  /** spapr->ov5: option vector 5 bits the platform offers (2048-bit map, MSB-first bytes). */
  readonly ov5 = new Uint8Array(256);
  /** spapr->ov5_cas: negotiated at CAS; cleared at reset. */
  readonly ov5_cas = new Uint8Array(256);
  /** spapr/rtc: offset of the guest RTC from host time, ns. */
  rtcNsOffset = 0n;
  /** Timebase: TB = nsToTB(virtual ns) + tbOffset. */
  tbOffset = 0;
  /** The device tree given to the guest, and its packed blob (spapr_dtb). */
  fdt!: FdtNode;
  fdtBlob: Uint8Array = new Uint8Array(0);
  /** The tree as it was just before the last CAS rebuilt it (null until a CAS; reset clears it). */
  fdtBeforeCas: Uint8Array | null = null;
  /** The blob's memory reservation map (kernel, initrd). */
  memReserve: Array<[bigint, bigint]> = [];
  fdtInitialSize = 0;
  /** spapr->patb_entry: the partition table entry (radix / process tables); 0 on hash. */
  patb_entry = 0n;
  /** spapr caps by index (see SPAPR_CAPS): machine defaults, values the user set, values received. */
  readonly caps = {
    defaults: [] as number[],
    user: [] as Array<number | undefined>,
    mig: [] as number[],
    effective(i: number): number { return this.user[i] ?? this.defaults[i]; },
  };
  /** FWNMI registration (ibm,nmi-register); -1 = none. */
  readonly fwnmi = { system_reset_addr: -1n, machine_check_addr: -1n, interlock: -1 };
  /** The "tb" struct of the spapr section (filled at save, applied at load). */
  readonly timebase = { m: this as SpaprMachine, guest_timebase: 0n, time_of_the_day_ns: 0n };
  /** XICS source and presenter state (state only: QEMU's reset values). */
  readonly ics: IcsState;
  /** vCPU 0's presenter (cores[0].icp). */
  readonly icp: IcpServer;
  /** The interrupt controller over `ics` and one presenter per present vCPU (by vCPU id). */
  readonly xics: Xics;
  /** SpaprCpuState of vCPU 0 (cores[0].spaprCpu). */
  readonly spaprCpu: SpaprCpuState;
  /** spapr->pending_events: RTAS event log entries the guest has not fetched yet. */
  readonly pending_events: Array<{ summary: number; extended_length: number; extended_log: Uint8Array }> = [];
  /** spapr->irq_map: the MSI allocation bitmap (bit i = MSI i in use); null when absent. */
  irq_map: Uint32Array | null = null;
  kernel: LoadedKernel | null = null;
  /** PHB 0's DMA windows (sPAPR IOMMU): the default window, and the DDW one when the machine has DDW. */
  readonly tceTables: SpaprTceTable[];
  private kernelImage: Uint8Array | null = null;
  private initrdImage: Uint8Array | null = null;
  /** -initrd as loaded: spapr->initrd_base / initrd_size */
  initrd: { base: number; size: number } | null = null;
  /** -append */
  kernelCmdline = '';
  /**
   * -bios FILE: the firmware image loaded at 0 at every reset and entered at
   * SPAPR_ENTRY_POINT (0x100) instead of the built-in VOF entry; null: none given.
   */
  firmwareImage: Uint8Array | null = null;

  readonly hcalls = new HcallTable<SpaprMachine>();
  /** spapr->htab: the hashed page table (2^htabShift bytes), changed through the MMU hcalls. */
  readonly hpt = new SpaprHpt();
  readonly rtas = new RtasTable<SpaprMachine>();

  constructor(readonly host: MachineHost, opts: SpaprOptions = {}) {
    this.compat = machineVersion(opts.machineType ?? 'pseries');
    this.machineType = this.compat.name;
    const ramSize = opts.ramSize ?? DEFAULT_RAM_SIZE;
    this.memConfig = { ramSize, maxRamSize: opts.maxRamSize ?? ramSize, ramSlots: opts.ramSlots ?? 0 };
    const memErr = checkSpaprMemory(this.memConfig);
    if (memErr) throw new Error(memErr);
    this.deviceMem = spaprDeviceMemory(this.memConfig);
    // RAM at 0 and, above it, the device memory region the DIMMs map into
    this.ram = new GuestRam(ramSize, { span: this.deviceMem.size ? this.deviceMem.base + this.deviceMem.size : ramSize });
    this.maxCpus = opts.maxCpus ?? 1;
    if (!Number.isInteger(this.maxCpus) || this.maxCpus < 1) throw new Error(`Invalid SMP CPUs ${this.maxCpus}`);
    // spapr_init_cpus: machine types before CPU hotplug need maxcpus == cpus
    if (this.maxCpus > 1 && !this.compat.hotplugCpus) throw new Error('This machine version does not support CPU hotplug');
    this.cpuModel = opts.cpuModel ?? POWER8;
    this.xics = new Xics(icsReset(this.compat.legacyIrqs ? XICS_IRQS_LEGACY : XICS_IRQS_SPAPR), new Array(nrServers(this.compat, this.maxCpus)));
    this.ics = this.xics.ics;
    const boot = this.createCore(0, false);
    this.cpu = boot.cpu;
    this.icp = boot.icp;
    this.spaprCpu = boot.spaprCpu;
    this.irqs = spaprIrqLayout(this.compat, SPAPR_VIO_REG_BASE, [SPAPR_VIO_REG_BASE + 1]);
    this.nvram = new SpaprNvram(SPAPR_VIO_REG_BASE, this.irqs.vio.get(SPAPR_VIO_REG_BASE)!);
    this.vty = new SpaprVty(SPAPR_VIO_REG_BASE + 1, this.irqs.vio.get(SPAPR_VIO_REG_BASE + 1)!);
    spaprCreateDrcs(this.compat, this.drcs, this.maxCpus, { lmbIds: spaprLmbIds(this.memConfig), ramSlots: this.memConfig.ramSlots });
    this.rngSeed = opts.rngSeed ?? deterministicRngSeed();
    this.vofEnabled = opts.vof ?? true;
    this.htabShift = this.hptShiftAtReset();
    this.tceTables = phbTceTables(this.compat.ddw);
    this.caps.defaults = [...this.compat.capsDefaults];
    this.caps.mig = [...this.compat.capsDefaults];
    setOvBits(this.ov5, platformOv5(this.compat));
    // spapr_irq_claim: what the machine and its devices claim at creation
    this.xics.claim(this.irqs.epow, false);
    if (this.irqs.hotplug !== undefined) this.xics.claim(this.irqs.hotplug, false);
    for (const irq of this.irqs.vio.values()) this.xics.claim(irq, false);
    for (const irq of this.irqs.phbLsi) this.xics.claim(irq, true);
    // spapr_vio_irq_pulse when input arrives into an empty buffer
    this.vty.onIrqPulse = () => this.xics.pulse(this.vty.irq);
    this.registerHypercalls();
    this.registerRtas();
    // -object memory-backend-ram + -device pc-dimm on the command line: cold-plugged
    for (const d of opts.dimms ?? []) {
      const err = this.objectAdd('memory-backend-ram', { id: d.memdev, size: d.size })
        ?? this.dimmAdd({ memdev: d.memdev, ...(d.id !== undefined ? { id: d.id } : {}), ...(d.addr !== undefined ? { addr: d.addr } : {}) }, false);
      if (err) throw new Error(`-device ${d.spec ?? `pc-dimm,memdev=${d.memdev}`}: ${err}`);
    }
    // -device <core type>,core-id=K on the command line: cold-plugged, ready at reset
    for (const coreId of (opts.coreIds ?? [0]).filter((k) => k !== 0)) {
      const err = this.coreAdd(coreId, false);
      if (err) throw new Error(`-device ${SPAPR_CPU_CORE_TYPE},core-id=${coreId}: ${err}`);
    }
  }

  /** The CPU model of every core (-cpu). */
  readonly cpuModel: CpuModel;

  /** The vCPU whose hypercall (or RTAS call) is being handled: RTAS's `callcpu`. */
  currentCpu: PowerPCCPU | undefined;

  /**
   * One slice for every vCPU but the first that RTAS start-cpu started (round-robin, in core
   * order); halted ones wake when they have work. vCPU 0 is run by the main loop itself.
   */
  runSecondaryVcpus(sliceInsns: number): void {
    for (let i = 1; i < this.cores.length; i++) {
      const cpu = this.cores[i].cpu;
      cpu.updateTimers();
      if (cpu.state.halted && !cpu.hasWork()) continue;
      cpu.run(sliceInsns);
    }
  }

  /** A core's vCPU, presenter and SpaprCpuState (spapr_cpu_core_realize). */
  private createCore(coreId: number, hotplugged: boolean, id?: string): SpaprCpuCore {
    const cpuIndex = coreId;
    const vcpuId = coreId * (this.compat.smpThreadsVsmt ? 1 : 8);
    const cpu = new PowerPCCPU(this.ram, this, this.cpuModel, cpuIndex);
    if (this.cpus.length) cpu.hpt = this.cpu.hpt;
    const icp: IcpServer = {
      xirr: 0, pending_priority: 0xff, mfrr: 0xff, xirr_owner: false,
      output: (level) => cpu.setExternalIrq(level),
    };
    const core: SpaprCpuCore = {
      coreId, cpuIndex, vcpuId, cpu, icp, hotplugged, id,
      spaprCpu: { vpa_addr: 0n, slb_shadow_addr: 0n, slb_shadow_size: 0, dtl_addr: 0n, dtl_size: 0 },
    };
    this.cpus.push(cpu);
    this.cores.push(core);
    this.xics.icps[vcpuId] = icp;
    return core;
  }

  /** The core (and its presenter and SpaprCpuState) of a vCPU. */
  coreOf(cpu: PowerPCCPU): SpaprCpuCore {
    return this.cores.find((c) => c.cpu === cpu) ?? this.cores[0];
  }

  /** spapr_find_cpu: the present vCPU with this vCPU id. */
  findCpu(vcpuId: number): PowerPCCPU | undefined {
    return this.cores.find((c) => c.vcpuId === vcpuId)?.cpu;
  }

  /** spapr_get_vcpu_id */
  vcpuId(cpu: PowerPCCPU): number {
    return this.coreOf(cpu).vcpuId;
  }

  /**
   * device_add of a CPU core at run time (qdev_device_add + spapr_core_pre_plug/plug): null,
   * or the error QEMU 7.2 reports (HMP prints it after "Error: "). The core's vCPU exists halted
   * (stopped until RTAS start-cpu), its DRC is attached but not ready (the guest configures it
   * through ibm,configure-connector, or the next machine reset makes it cold-plugged), a hotplug
   * event is queued and the event interrupt pulsed; the device tree is not rebuilt.
   */
  deviceAdd(driver: string, props: DeviceAddProps = {}): string | null {
    // the -cpu spelling of the type (QEMU itself knows only the lower-case type name)
    if (driver === 'POWER8_v2.0-spapr-cpu-core') driver = SPAPR_CPU_CORE_TYPE;
    if (!SPAPR_CPU_CORE_TYPES.includes(driver) && driver !== 'pc-dimm') {
      return `'${driver}' is not a valid device model name`;
    }
    const id = props.id === undefined ? undefined : String(props.id);
    if (id !== undefined && (this.cores.some((c) => c.id === id) || this.dimms.some((d) => d.id === id))) {
      return `Duplicate device ID '${id}'`;
    }
    if (driver === 'pc-dimm') return this.dimmAdd(props, true);
    for (const k of Object.keys(props)) {
      if (k !== 'id' && k !== 'core-id' && props[k] !== undefined) return `Property '${driver}.${k}' not found`;
    }
    const raw = props['core-id'] ?? 0;
    const coreId = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isInteger(coreId)) return `Parameter 'core-id' expects integer`;
    if (coreId < 0) return `Invalid core id ${coreId}`;
    if (!this.compat.hotplugCpus) return 'CPU hotplug not supported for this machine';
    if (driver !== SPAPR_CPU_CORE_TYPE) return `CPU core type should be ${SPAPR_CPU_CORE_TYPE}`;
    return this.coreAdd(coreId, true, id);
  }

  /** spapr_core_pre_plug checks, then realize and spapr_core_plug. */
  private coreAdd(coreId: number, hotplugged: boolean, id?: string): string | null {
    if (coreId < 0) return `Invalid core id ${coreId}`;
    if (coreId >= this.maxCpus) return `core id ${coreId} out of range`;
    if (this.cores.some((c) => c.coreId === coreId)) return `core ${coreId} already populated`;
    const core = this.createCore(coreId, hotplugged, id);
    const cpu = core.cpu;
    // realize: a vCPU other than the first starts halted (spapr_reset_vcpu)
    cpu.reset();
    secondaryVcpuReset(cpu);
    const drc = this.drcs.get(drcIndex({ type: SPAPR_DR_CONNECTOR_TYPE_CPU, id: core.vcpuId, owner: 'machine' }));
    if (drc) {
      // spapr_drc_attach
      this.host.trace('spapr_drc_attach', `drc: 0x${drcIndex(drc).toString(16).padStart(8, '0')}`);
      drc.dev = true;
      if (hotplugged) this.hotplugReqByIndex(drc, RTAS_LOG_V6_HP_ACTION_ADD);
      else drcReset(drc);
    }
    // hot-plugged threads take the boot CPU's compat mode (CAS or reset set it)
    if (hotplugged) cpu.state.compatPvr = this.cpu.state.compatPvr;
    return null;
  }

  /**
   * device_del ID of a CPU core (spapr_core_unplug_request): null, or QEMU's error. The DRC
   * is marked unplug-requested and a remove event queued (again at every request, so a guest
   * that refused once can be asked again); the core goes away when the guest has isolated its
   * DRC and made it unusable (drc_set_unusable -> spapr_drc_release), or at once if the guest
   * never configured it.
   */
  deviceDel(id: string): string | null {
    const dimm = this.dimms.find((d) => d.id === id);
    if (dimm) return this.dimmUnplugRequest(dimm);
    const core = this.cores.find((c) => c.id === id);
    if (!core) return `Device '${id}' not found`;
    if (core.coreId === 0) return 'Boot CPU core may not be unplugged';
    const drc = this.drcs.get(drcIndex({ type: SPAPR_DR_CONNECTOR_TYPE_CPU, id: core.vcpuId, owner: 'machine' }));
    if (!drc) return `Unable to find CPU core with core-id: ${core.coreId}`;
    if (!drc.unplug_requested) this.drcUnplugRequest(drc);
    if (drc.dev) this.hotplugReqByIndex(drc, RTAS_LOG_V6_HP_ACTION_REMOVE);
    return null;
  }

  /** spapr_drc_unplug_request: released now if the DRC is in its empty state, else once the guest quiesced it. */
  private drcUnplugRequest(drc: SpaprDrc): void {
    const idx = `drc: 0x${drcIndex(drc).toString(16).padStart(8, '0')}`;
    this.host.trace('spapr_drc_unplug_request', idx);
    drc.unplug_requested = true;
    if (drc.state !== drcEmptyState(drc)) {
      this.host.trace('spapr_drc_awaiting_quiesce', idx);
      return;
    }
    this.drcRelease(drc);
  }

  /** spapr_drc_release: the device's release (spapr_core_release: unplug and unrealize the core), the DRC emptied. */
  drcRelease(drc: SpaprDrc): void {
    if (drc.type === SPAPR_DR_CONNECTOR_TYPE_LMB && drc.dev) this.lmbRelease(drc);
    const i = this.cores.findIndex((c) => c.vcpuId === drc.id && drc.type === SPAPR_DR_CONNECTOR_TYPE_CPU);
    if (i > 0) {
      const core = this.cores[i];
      this.cores.splice(i, 1);
      this.cpus.splice(this.cpus.indexOf(core.cpu), 1);
      this.xics.icps[core.vcpuId] = undefined;
      if (this.currentCpu === core.cpu) this.currentCpu = undefined;
    }
    drc.unplug_requested = false;
    drc.fdt = null;
    drc.fdt_start_offset = 0;
    drc.dev = false;
  }

  // ---- memory devices (pc-dimm on LMB DRCs) -----------------------------------------------

  /** spapr->pending_hpt: a table H_RESIZE_HPT_PREPARE made for H_RESIZE_HPT_COMMIT. */
  pendingHpt: PendingHpt | null = null;

  /** spapr->resize_hpt != SPAPR_RESIZE_HPT_DISABLED (machine types from 2.10 on). */
  get resizeHptEnabled(): boolean {
    return this.compat.resizeHpt;
  }

  /** get_plugged_memory_size: the bytes of the plugged DIMMs. */
  private pluggedMemorySize(): number {
    return this.dimms.reduce((a, d) => a + d.size, 0);
  }

  /** spapr_hpt_shift_for_ramsize(ram_size + get_plugged_memory_size()) */
  hptShiftForCurrentRam(): number {
    return htabShiftForRam(this.ram.size + this.pluggedMemorySize());
  }

  /**
   * is_ram_address (h_enter's WIMG check): RAM, or anywhere in the device memory region,
   * plugged or not.
   */
  isRamAddress(addr: bigint): boolean {
    const dm = this.deviceMem;
    return addr < BigInt(this.ram.size) || (dm.size > 0 && addr >= BigInt(dm.base) && addr - BigInt(dm.base) < BigInt(dm.size));
  }

  /** spapr_setup_hpt's size: RAM + plugged DIMMs, or maxmem when the HPT cannot be resized. */
  private hptShiftAtReset(): number {
    if (!this.compat.resizeHpt) return htabShiftForRam(this.memConfig.maxRamSize);
    return this.hptShiftForCurrentRam();
  }

  /**
   * object_add memory-backend-ram,id=ID,size=SIZE (the QMP/HMP argument order does not
   * matter): null, or QEMU's error.
   */
  objectAdd(qomType: string, props: Record<string, string | number | undefined>): string | null {
    if (qomType !== 'memory-backend-ram') return `Parameter 'qom-type' does not accept value '${qomType}'`;
    const id = props.id === undefined ? undefined : String(props.id);
    if (id === undefined) return `Parameter 'id' is missing`;
    for (const k of Object.keys(props)) {
      if (k !== 'id' && k !== 'size' && props[k] !== undefined) return `Parameter '${k}' is unexpected`;
    }
    if (props.size === undefined) return `Parameter 'size' is missing`;
    const size = typeof props.size === 'number' ? props.size : parseQemuSize(props.size);
    if (size === null || !Number.isInteger(size) || size < 0) return `Parameter 'size' expects size`;
    if (size === 0) return `property 'size' of ${qomType} doesn't take value '0'`;
    if (this.memBackends.has(id)) return `attempt to add duplicate property '${id}' to object (type 'container')`;
    this.memBackends.set(id, { id, size });
    return null;
  }

  /** object_del ID: null, or QEMU's error. */
  objectDel(id: string): string | null {
    const b = this.memBackends.get(id);
    if (!b) return `object '${id}' not found`;
    if (b.usedBy !== undefined) return `object '${id}' is in use, can not be deleted`;
    this.memBackends.delete(id);
    return null;
  }

  /**
   * device_add pc-dimm,memdev=ID[,id=X][,slot=N][,node=0]: spapr_memory_pre_plug, pc_dimm and
   * memory_device pre-plug checks, then spapr_memory_plug: the DIMM's LMB DRCs attached and,
   * hot-plugged, a hotplug event (by count-indexed once the guest negotiated OV5_HP_EVT at
   * CAS, else by count) queued; cold-plugged DRCs are reset (ready).
   */
  private dimmAdd(props: DeviceAddProps, hotplugged: boolean): string | null {
    const id = props.id === undefined ? undefined : String(props.id);
    let memdev: MemoryBackend | undefined;
    let slotHint: number | undefined;
    /** PC_DIMM_ADDR_PROP: 0 (the default) lets memory_device_get_free_addr choose */
    let addrHint: number | undefined;
    let node = 0;
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || k === 'id') continue;
      if (k === 'memdev') {
        memdev = this.memBackends.get(String(v));
        if (!memdev) return `Device '${v}' not found`;
      } else if (k === 'slot' || k === 'node' || k === 'addr') {
        const n = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
        if (!Number.isInteger(n) || (k === 'addr' && n < 0)) return `Parameter '${k}' expects integer`;
        if (k === 'slot') slotHint = n; else if (k === 'node') node = n; else addrHint = n || undefined;
      } else {
        return `Property 'pc-dimm.${k}' not found`;
      }
    }
    if (!this.compat.drLmb) return 'Memory hotplug not supported for this machine';
    if (!memdev) return `'memdev' property must be set`;
    const size = memdev.size;
    if (size % LMB_SIZE) return `Hotplugged memory size must be a multiple of ${LMB_SIZE / (1024 * 1024)} MB`;
    // pc_dimm_pre_plug: the slot
    const slots = this.memConfig.ramSlots;
    if (slotHint !== undefined && slotHint !== -1 && (slotHint < 0 || slotHint >= slots)) {
      // ram_slots - 1 printed as an unsigned 64-bit number
      return `invalid slot number ${slotHint}, valid range is [0-${slots ? slots - 1 : '18446744073709551615'}]`;
    }
    if (!slots) return `no slots where allocated, please specify the 'slots' option`;
    const used = new Set(this.dimms.map((d) => d.slot));
    let slot: number;
    if (slotHint !== undefined && slotHint !== -1) {
      if (used.has(slotHint)) return `slot ${slotHint} is busy`;
      slot = slotHint;
    } else {
      slot = [...Array(slots).keys()].find((i) => !used.has(i)) ?? -1;
      if (slot < 0) return 'no free slots available';
    }
    // memory_device_pre_plug: room in the device memory, first fit from its base
    const dm = this.deviceMem;
    const inUse = this.pluggedMemorySize();
    if (inUse + size > this.memConfig.maxRamSize - this.memConfig.ramSize) {
      return `not enough space, currently 0x${inUse.toString(16)} in use of total space for memory devices 0x${(this.memConfig.maxRamSize - this.memConfig.ramSize).toString(16)}`;
    }
    // the alignment of a memory-backend-ram region (QEMU_VMALLOC_ALIGN on an x86-64 host)
    const align = 2 * 1024 * 1024;
    if (addrHint !== undefined && addrHint % align) return `address must be aligned to 0x${align.toString(16)} bytes`;
    if (addrHint !== undefined && (addrHint < dm.base || addrHint + size > dm.base + dm.size)) {
      return `can't add memory device [0x${addrHint.toString(16)}:0x${size.toString(16)}], usable range for memory devices [0x${dm.base.toString(16)}:0x${dm.size.toString(16)}]`;
    }
    let addr = addrHint ?? dm.base;
    for (const d of [...this.dimms].sort((a, b) => a.addr - b.addr)) {
      if (addr < d.addr + d.size && d.addr < addr + size) {
        if (addrHint !== undefined) return `address range conflicts with memory device id='${d.id ?? '(unnamed)'}'`;
        addr = d.addr + d.size;
      } else if (d.addr >= addr + size) {
        break;
      }
    }
    if (addr + size > dm.base + dm.size) return 'could not find position in guest address space for memory device - memory fragmented due to alignments';
    // pc_dimm_realize
    if (memdev.usedBy !== undefined) return `can't use already busy memdev: ${memdev.id}`;
    // one NUMA node (memory hot-plug enables NUMA with node 0 alone)
    if (node >= 1) return `'DIMM property node has value ${node}' which exceeds the number of numa nodes: 1`;
    memdev.usedBy = id ?? '';
    const dimm: SpaprDimm = { id, memdev: memdev.id, addr, size, slot, node, hotplugged };
    this.dimms.push(dimm);
    this.dimms.sort((a, b) => a.addr - b.addr);
    // pc_dimm_plug: the backend's RAM block mapped at addr and registered for migration
    this.ram.plug(memdev.id, addr, size, memdev.content);
    memdev.content = undefined;
    // spapr_add_lmbs
    const nr = size / LMB_SIZE;
    for (let i = 0; i < nr; i++) {
      const drc = this.lmbDrc(addr + i * LMB_SIZE)!;
      this.host.trace('spapr_drc_attach', `drc: 0x${drcIndex(drc).toString(16).padStart(8, '0')}`);
      drc.dev = true;
      if (!hotplugged) drcReset(drc);
    }
    if (hotplugged) {
      if (testOvBit(this.ov5_cas, OV5.HP_EVT)) {
        this.hotplugReqEvent(SPAPR_DR_CONNECTOR_TYPE_LMB, RTAS_LOG_V6_HP_ACTION_ADD, { count: nr, index: drcIndex(this.lmbDrc(addr)!) });
      } else {
        this.hotplugReqEvent(SPAPR_DR_CONNECTOR_TYPE_LMB, RTAS_LOG_V6_HP_ACTION_ADD, { count: nr });
      }
    }
    return null;
  }

  /** The LMB DRC of the block at `addr`. */
  lmbDrc(addr: number): SpaprDrc | undefined {
    return this.drcs.get(drcIndex({ type: SPAPR_DR_CONNECTOR_TYPE_LMB, id: Math.floor(addr / LMB_SIZE), owner: 'machine' }));
  }

  /**
   * spapr_memory_unplug_request: every LMB DRC of the DIMM asked to unplug (released at once
   * when the guest never made it usable), and one remove event by count-indexed. Refused
   * unless the guest negotiated OV5_HP_EVT or has not done CAS yet.
   */
  private dimmUnplugRequest(dimm: SpaprDimm): string | null {
    if (!testOvBit(this.ov5_cas, OV5.HP_EVT) && this.ov5_cas.some((b) => b !== 0)) {
      return 'Memory hot unplug not supported for this guest';
    }
    if (dimm.pendingLmbs !== undefined) return `Memory unplug already in progress for device ${dimm.id}`;
    const nr = dimm.size / LMB_SIZE;
    dimm.pendingLmbs = nr;
    const first = this.lmbDrc(dimm.addr)!;
    for (let i = 0; i < nr; i++) this.drcUnplugRequest(this.lmbDrc(dimm.addr + i * LMB_SIZE)!);
    this.hotplugReqEvent(SPAPR_DR_CONNECTOR_TYPE_LMB, RTAS_LOG_V6_HP_ACTION_REMOVE, { count: nr, index: drcIndex(first) });
    return null;
  }

  /** spapr_lmb_release: once the guest gave back the DIMM's last LMB, the DIMM goes (pc_dimm_unplug). */
  private lmbRelease(drc: SpaprDrc): void {
    const addr = drc.id * LMB_SIZE;
    const dimm = this.dimms.find((d) => addr >= d.addr && addr < d.addr + d.size);
    if (!dimm) return;
    // a migration during the unplug loses the count: recovered from the DRCs still pending
    dimm.pendingLmbs ??= Array.from({ length: dimm.size / LMB_SIZE }, (_, i) => this.lmbDrc(dimm.addr + i * LMB_SIZE))
      .filter((d) => d?.dev).length;
    if (--dimm.pendingLmbs > 0) return;
    this.dimms.splice(this.dimms.indexOf(dimm), 1);
    // pc_dimm_unplug: the range unassigned again; the backend keeps its bytes
    const content = this.ram.unplug(dimm.memdev);
    for (const core of this.cores) {
      core.cpu.flushCodeCache();
      core.cpu.tlbFlush();
    }
    const b = this.memBackends.get(dimm.memdev);
    if (b) {
      b.usedBy = undefined;
      b.content = content;
    }
  }

  /**
   * spapr_hotplug_req_add_by_index / _remove_by_index: an RTAS hotplug event (v6 log: Main-A,
   * Main-B, HP) queued on pending_events and the event source's interrupt pulsed: the hot-plug
   * source once the guest negotiated OV5_HP_EVT at CAS, else the EPOW source (legacy hotplug
   * notification).
   */
  private hotplugReqByIndex(drc: SpaprDrc, action: number): void {
    this.hotplugReqEvent(drc.type, action, { index: drcIndex(drc) });
  }

  /**
   * spapr_hotplug_req_event: the event of one DRC (by index), of `count` DRCs of a type (by
   * count), or of `count` DRCs from an index (count-indexed).
   */
  private hotplugReqEvent(type: number, action: number, id: { index: number } | { count: number } | { count: number; index: number }): void {
    const log = new Uint8Array(108);
    const dv = new DataView(log.buffer);
    // rtas_event_log_v6
    log[0] = 0x80 | 0x04 | 0x02; // VALID | NEW_LOG | BIGENDIAN
    log[2] = 0x80 | 0x0e; // POWERPC_FORMAT | PLATFORM_EVENT
    dv.setUint32(12, 0x49424d00); // "IBM\0"
    // Main-A at 16: creation date and time (BCD) from the guest RTC (spaprEventRtcDate)
    dv.setUint16(16, 0x5048);
    dv.setUint16(18, 48);
    const d = spaprEventRtcDate(this);
    const bcd = (v: number) => ((Math.floor(v / 10) % 10) << 4) | (v % 10);
    const year = d.getUTCFullYear();
    dv.setUint32(24, ((bcd(Math.floor(year / 100)) << 24) | (bcd(year % 100) << 16) | (bcd(d.getUTCMonth() + 1) << 8) | bcd(d.getUTCDate())) >>> 0);
    dv.setUint32(28, ((bcd(d.getUTCHours()) << 24) | (bcd(d.getUTCMinutes()) << 16) | (bcd(d.getUTCSeconds()) << 8)) >>> 0);
    log[40] = 0x48; // creator_id 'H'
    log[43] = 3; // section_count
    dv.setUint32(56, this.nextPlid++ >>> 0, true); // plid, host byte order (x86-64)
    // Main-B at 64
    dv.setUint16(64, 0x5548);
    dv.setUint16(66, 24);
    log[72] = 0x80; // subsystem: external environment
    // HP at 88
    dv.setUint16(88, 0x4850);
    dv.setUint16(90, 20);
    log[92] = 1; // section_version
    log[96] = RTAS_LOG_V6_HP_TYPE[type] ?? 0;
    log[97] = action;
    if ('count' in id && 'index' in id) {
      log[98] = 4; // RTAS_LOG_V6_HP_ID_DRC_COUNT_INDEXED
      dv.setUint32(100, id.count);
      dv.setUint32(104, id.index);
    } else if ('count' in id) {
      log[98] = 3; // RTAS_LOG_V6_HP_ID_DRC_COUNT
      dv.setUint32(100, id.count);
    } else {
      log[98] = 2; // RTAS_LOG_V6_HP_ID_DRC_INDEX
      dv.setUint32(100, id.index);
    }
    this.pending_events.push({
      // VERSION_6 | SEVERITY_EVENT | DISPOSITION_NOT_RECOVERED | OPTIONAL_PART_PRESENT | INITIATOR_HOTPLUG | TYPE_HOTPLUG
      summary: (0x06000000 | 0x00200000 | 0x00100000 | 0x00040000 | 0x00006000 | 0xe5) >>> 0,
      extended_length: log.length,
      extended_log: log,
    });
    const irq = testOvBit(this.ov5_cas, OV5.HP_EVT) && this.irqs.hotplug !== undefined ? this.irqs.hotplug : this.irqs.epow;
    this.xics.pulse(irq);
  }

  // ---- VirtualHypervisor -------------------------------------------------------------

  readTB(): number {
    return nsToTB(this.host.clock.ns()) + this.tbOffset;
  }

  /** The machine's VM change-state handlers (qemu_add_vm_change_state_handler). */
  vmStateChange(running: boolean): void {
    spaprCasChangeStateHandler(this, running);
  }

  hypercall(cpu: PowerPCCPU): void {
    this.currentCpu = cpu;
    const opcode = Number(cpu.state.getGpr(3) & 0xffffffffn);
    const r = this.hcalls.dispatch(this, cpu, opcode, (msg) => this.host.log(msg));
    cpu.state.setGpr(3, r);
  }

  // ---- boot and reset ----------------------------------------------------------------

  /** -kernel / -initrd / -append as given (a destination is started with the same). */
  bootImages(): { kernel: Uint8Array | null; initrd: Uint8Array | null; cmdline: string } {
    return { kernel: this.kernelImage, initrd: this.initrdImage, cmdline: this.kernelCmdline };
  }

  setBootImages(b: { kernel: Uint8Array | null; initrd: Uint8Array | null; cmdline: string }): void {
    this.kernelImage = b.kernel;
    this.initrdImage = b.initrd;
    this.kernelCmdline = b.cmdline;
  }

  /** -kernel: keep the image; it is loaded at every machine reset. */
  setKernel(image: Uint8Array): void {
    this.kernelImage = image;
  }

  /**
   * spapr_machine_reset (with x-vof=on): reset devices and the vCPU, rebuild the device tree,
   * reload the kernel and set the entry state the guest observes when VOF enters it.
   */
  reset(): void {
    this.fdtBeforeCas = null;
    // 2.8-5.0: a CAS reboot keeps what CAS negotiated (ov5_cas, compat mode)
    const casKept = casRebootKeeps(this);
    this.ov5_cas.fill(0);
    if (casKept) this.ov5_cas.set(casKept.ov5_cas);
    this.patb_entry = 0n;
    Object.assign(this.fwnmi, { system_reset_addr: -1n, machine_check_addr: -1n, interlock: -1 });
    this.hpt.reset();
    // spapr_setup_hpt: the size follows the memory plugged now
    this.htabShift = this.hptShiftAtReset();
    if (this.hpt.htabShift !== this.htabShift) this.hpt.setShift(this.htabShift);
    // spapr_drc_reset: devices pending removal are released first
    for (const d of this.drcs.list()) if (d.unplug_requested && d.dev) this.drcRelease(d);
    // spapr_cpu_core_reset_handler of every core, in realize order; all vCPUs but the
    // first stay halted (MSR[SF] clear) until RTAS start-cpu
    for (const core of this.cores) {
      core.cpu.reset();
      // the vcpu trace property prints "cpu=%p " (with its trailing space)
      this.host.trace('guest_cpu_reset', `cpu=${cpuTraceId(core.cpuIndex)} `);
      if (core !== this.cores[0]) secondaryVcpuReset(core.cpu);
    }
    this.xics.reset();
    for (const core of this.cores) spaprCpuStateReset(core.spaprCpu);
    // ppc_set_compat_all(max_compat_pvr): no max-cpu-compat, so raw mode until CAS
    this.cpu.state.compatPvr = casKept ? casKept.compatPvr : 0;
    for (const cpu of this.cpus) cpu.state.compatPvr = this.cpu.state.compatPvr;
    this.cas_reboot = false;
    this.vofBootargs = undefined;
    for (const d of this.drcs.list()) drcReset(d); // spapr_drc_reset_all
    this.pending_events.length = 0; // spapr_clear_pending_events
    phbDmaReset(this.tceTables);
    this.vty.reset();
    // the ROM reset reloads -bios (at 0, in place of VOF's entry code), -kernel and -initrd
    if (this.firmwareImage) this.ram.write(0, this.firmwareImage);
    else vofInstallTrampolines(this.ram);
    this.kernel = this.kernelImage ? loadElfKernel(this.kernelImage, this.ram) : null;
    this.initrd = null;
    if (this.kernel && this.initrdImage) {
      const size = this.kernel.segments.reduce((a, g) => a + g.memSize, 0);
      const base = (this.kernel.lowAddr + size + 0x1ffff) & ~0xffff;
      if (this.ram.contains(base, this.initrdImage.length)) {
        this.ram.write(base, this.initrdImage);
        this.initrd = { base, size: this.initrdImage.length };
      }
    }
    this.vofBootargs = this.kernelCmdline || undefined;
    this.rebuildFdt();
    this.fdtInitialSize = this.fdtBlob.length;
    if (this.firmwareImage) this.setFirmwareEntryState(this.firmwareImage.length);
    else if (this.kernel) this.setEntryState(this.kernel.lowAddr);
  }

  /**
   * -bios: spapr_cpu_set_entry_state(SPAPR_ENTRY_POINT, r1, r3, r4) and r5 = 0, with MSR as
   * spapr_reset_vcpu leaves it (0). x-vof=off (spapr_machine_reset): the packed tree is written
   * FDT_MAX_SIZE below the top of the RMA (at most 2 GiB), r1 = 0, r3 = its address, r4 = 0.
   * x-vof=on (spapr_vof_reset): no tree in memory; r1 = the top of the 32 KiB stack VOF
   * claims after the firmware, less a 0x20 frame, r3/r4 = the initrd.
   */
  private setFirmwareEntryState(fwSize: number): void {
    const s = this.cpu.state;
    s.setNip(0x100n);
    s.setMsr(0n);
    if (this.vofEnabled) {
      const stack = Math.ceil(fwSize / 0x8000) * 0x8000;
      s.setGpr(1, BigInt(stack + 0x8000 - 0x20));
      s.setGpr(3, BigInt(this.initrd?.base ?? 0));
      s.setGpr(4, BigInt(this.initrd?.size ?? 0));
    } else {
      const fdtAddr = Math.min(this.rmaSize(), 0x80000000) - 0x200000;
      this.ram.write(fdtAddr, this.fdtBlob);
      s.setGpr(1, 0n);
      s.setGpr(3, BigInt(fdtAddr));
      s.setGpr(4, 0n);
    }
    s.setGpr(5, 0n);
  }

  /** -initrd: loaded after the kernel at every reset, announced in /chosen. */
  setInitrd(image: Uint8Array | null): void {
    this.initrdImage = image;
  }

  /** /chosen: bootargs, initrd bounds and qemu,boot-kernel as spapr_dt_chosen writes them. */
  get bootargs(): string | undefined { return this.kernelCmdline || undefined; }
  get initrdRange(): { start: number; end: number } | undefined {
    return this.initrd ? { start: this.initrd.base, end: this.initrd.base + this.initrd.size } : undefined;
  }
  get bootKernel(): { addr: number; size: number; le: boolean } | undefined {
    if (!this.kernel) return undefined;
    return { addr: this.kernel.lowAddr, size: this.kernel.segments.reduce((a, g) => a + g.memSize, 0), le: !this.kernel.bigEndian };
  }

  /** spapr_build_fdt (+ VOF's finalize); at CAS the open instances survive. */
  rebuildFdt(keepVofInstances = false, vofFinalize = true): void {
    this.fdt = spaprBuildFdt(this);
    if (this.vofEnabled && vofFinalize) vofFinalizeDt(this, `/vdevice/${this.vty.dtName}`, keepVofInstances);
    const rsv: Array<[bigint, bigint]> = [];
    const k = this.bootKernel;
    if (k) rsv.push([BigInt(k.addr), BigInt(k.size)]);
    if (this.initrd) rsv.push([BigInt(this.initrd.base), BigInt(this.initrd.size)]);
    this.memReserve = rsv;
    this.fdtBlob = fdtPack(this.fdt, 0, rsv);
  }

  private setEntryState(pc: number): void {
    const s = this.cpu.state;
    s.setNip(BigInt(pc));
    s.setMsr(0n);
    s.setGpr(1, BigInt(VOF_STACK_TOP));
    s.setGpr(2, BigInt(VOF_TOC));
    s.setGpr(3, BigInt(this.initrd?.base ?? 0)); // initrd address
    s.setGpr(4, BigInt(this.initrd?.size ?? 0)); // initrd size
    s.setGpr(5, BigInt(VOF_ENTRY));
    s.setSpr(8, BigInt(VOF_EXIT_RETURN));
  }

  // ---- hypercalls --------------------------------------------------------------------

  private registerHypercalls(): void {
    const h = this.hcalls;
    h.register(H_SET_SPRG0, h_set_sprg0);
    h.register(H_GET_TERM_CHAR, h_get_term_char);
    h.register(H_PUT_TERM_CHAR, h_put_term_char);
    h.register(H_CEDE, h_cede);
    h.register(H_CONFER, h_confer);
    h.register(H_PROD, h_prod);
    h.register(H_SET_MODE, h_set_mode);
    h.register(KVMPPC_H_RTAS, h_rtas);
    h.register(KVMPPC_H_VOF_CLIENT, h_vof_client);
    h.register(KVMPPC_H_CAS, h_client_architecture_support);
    registerPlatformHcalls(h);
    registerMmuHcalls(h, this);
    registerHptResizeHcalls(h);
    registerIommuHcalls(h);
  }

  private registerRtas(): void {
    registerRtasServices(this.rtas);
  }

  /** spapr_vio_find_by_reg */
  vioFindByReg(reg: bigint): { signal_state: bigint } | null {
    if (reg === BigInt(this.vty.reg)) return this.vty;
    if (reg === BigInt(this.nvram.reg)) return this.nvram;
    return null;
  }

  /** qemu_system_guest_panicked with QEMU's default -action panic=shutdown. */
  guestPanicked(): void {
    this.host.trace('guest_panicked');
    this.host.shutdownRequest('guest-panic');
    this.cpu.requestExit();
  }

  /** spapr_get_rtas_addr: /rtas/linux,rtas-base once the guest instantiated RTAS, else 0. */
  rtasBase(): number {
    const rtas = findNode(this.fdt, '/rtas');
    const v = rtas && getProp(rtas, 'linux,rtas-base');
    return v && v.length === 4 ? new DataView(v.buffer, v.byteOffset).getUint32(0) : 0;
  }

  /** spapr->rma_size: all of RAM up to the 16 GiB limit. */
  rmaSize(): number {
    return Math.min(this.ram.size, 16 * 1024 ** 3);
  }

  /**
   * The RTC's host clock (QEMU's default -rtc clock=host), ns since the epoch; a deterministic
   * machine has no host time: its clock starts at the epoch and follows virtual time, so that
   * runs replay (a guest that reads the RTC takes the same path every time).
   */
  rtcHostNs(): bigint {
    if (this.host.clock.deterministic) return BigInt(Math.floor(this.host.clock.ns()));
    return BigInt(Date.now()) * 1_000_000n;
  }

  /** The VIO device at `reg`, or for reg 0 the vty with the lowest reg (vty_lookup). */
  vtyLookup(reg: number): SpaprVty | null {
    if (reg === this.vty.reg || reg === 0) return this.vty;
    return null;
  }
}

// ---- hcall handlers (hw/ppc/spapr_hcall.c, spapr_vty.c) --------------------------------

function h_set_sprg0(_m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  cpu.state.setSpr(SPR_SPRG0, a.get(0));
  return H_SUCCESS;
}

function h_put_term_char(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const reg = a.num(0);
  const len = a.get(1);
  if (len > 16n) return H_PARAMETER;
  const vty = m.vtyLookup(reg);
  if (!vty) return H_PARAMETER;
  vty.putchars(unpackTermChars(a.get(2), a.get(3), Number(len)));
  return H_SUCCESS;
}

function h_get_term_char(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const vty = m.vtyLookup(a.num(0));
  if (!vty) return H_PARAMETER;
  const got = vty.getchars(16);
  const [hi, lo] = packTermChars(got);
  a.ret(0, got.length);
  a.ret(1, hi);
  a.ret(2, lo);
  return H_SUCCESS;
}

function h_cede(_m: SpaprMachine, cpu: PowerPCCPU): bigint {
  const s = cpu.state;
  s.setMsr(s.getMsr() | (1n << BigInt(MSR_EE)));
  if (!cpu.hasWork()) {
    s.halted = 1;
    cpu.requestExit();
  }
  return H_SUCCESS;
}

function h_confer(_m: SpaprMachine, cpu: PowerPCCPU): bigint {
  cpu.requestExit();
  return H_SUCCESS;
}

function h_prod(_m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  return a.get(0) === 0n ? H_SUCCESS : H_PARAMETER;
}

const LPCR_ILE = 1n << 25n; // 1 << (63 - 38)
const LPCR_AIL = 3n << 23n; // LPCR[AIL], bits 39:40
const H_SET_MODE_RESOURCE_SET_DAWR0 = 2n;
const H_SET_MODE_RESOURCE_ADDR_TRANS_MODE = 3n;
const H_SET_MODE_RESOURCE_LE = 4n;

function h_set_mode(_m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const mflags = a.get(0);
  const resource = a.get(1);
  const s = cpu.state;
  switch (resource) {
    case H_SET_MODE_RESOURCE_LE: {
      if (a.get(2) !== 0n) return H_P3;
      if (a.get(3) !== 0n) return H_P4;
      if (mflags !== 0n && mflags !== 1n) return H_UNSUPPORTED_FLAG;
      const lpcr = s.getSpr(SPR_LPCR);
      s.setSpr(SPR_LPCR, mflags === 1n ? lpcr | LPCR_ILE : lpcr & ~LPCR_ILE);
      return H_SUCCESS;
    }
    case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE: {
      if (a.get(2) !== 0n) return H_P3;
      if (a.get(3) !== 0n) return H_P4;
      if (mflags === 1n) return H_UNSUPPORTED_FLAG;
      if (mflags > 3n) return H_UNSUPPORTED_FLAG;
      const lpcr = s.getSpr(SPR_LPCR);
      s.setSpr(SPR_LPCR, (lpcr & ~LPCR_AIL) | (mflags << 23n));
      return H_SUCCESS;
    }
    case H_SET_MODE_RESOURCE_SET_DAWR0:
      return H_SUCCESS;
    default:
      return H_P2;
  }
}

function h_rtas(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const addr = Number(a.get(0) & 0x0fffffffffffffffn);
  return m.rtas.call(m, m.ram, addr) ? H_SUCCESS : H_PARAMETER;
}

function h_vof_client(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  return vofClientCall(m, a.num(0)) ? H_SUCCESS : H_PARAMETER;
}

// ---- option vectors ----------------------------------------------------------------------

/** OV_BIT(byte, bit) = (byte - 1) * 8 + bit, numbered from the MSB of each byte. */
export const OV5 = {
  DRCONF_MEMORY: 10, FORM1_AFFINITY: 32, FORM2_AFFINITY: 34, HP_EVT: 45, HPT_RESIZE: 47,
  DRMEM_V2: 168, XIVE_BOTH: 176, XIVE_EXPLOIT: 177, MMU_BOTH: 184, MMU_RADIX_300: 185,
  MMU_RADIX_GTSE: 201,
} as const;

/** spapr->ov5 for a POWER8 CPU (spapr_machine_init): what the machine type offers. */
export function platformOv5(c: MachineCompat): number[] {
  const bits: number[] = [];
  if (c.drLmb) bits.push(OV5.DRCONF_MEMORY);
  bits.push(OV5.FORM1_AFFINITY);
  if (c.form2Affinity) bits.push(OV5.FORM2_AFFINITY);
  if (c.modernHotplugEvents) bits.push(OV5.HP_EVT);
  if (c.resizeHpt) bits.push(OV5.HPT_RESIZE);
  bits.push(OV5.DRMEM_V2);
  return bits;
}

export function setOvBits(ov: Uint8Array, bits: readonly number[]): void {
  for (const b of bits) ov[b >> 3] |= 0x80 >> (b & 7);
}

export function testOvBit(ov: Uint8Array, bit: number): boolean {
  return (ov[bit >> 3] & (0x80 >> (bit & 7))) !== 0;
}

/** spapr_hpt_shift_for_ramsize: HPT of 1/128 of RAM, at least 2^18 bytes. */
export function htabShiftForRam(ramSize: number): number {
  let shift = 18;
  while (2 ** (shift + 7) < ramSize) shift++;
  return shift;
}

/** LPCR_PECE0..4 of POWER8 (pcc->lpcr_pm): power-saving exit enables, set when a vCPU starts. */
export const LPCR_PM_POWER8 = 0x1f000n;

/**
 * spapr_reset_vcpu for a vCPU the machine does not enter itself: halted until RTAS start-cpu,
 * MSR[SF] clear, LPCR without the power-saving exit enables, and PIR 0 (what QEMU 7.2 under
 * TCG sends for such a vCPU).
 */
export function secondaryVcpuReset(cpu: PowerPCCPU): void {
  const s = cpu.state;
  s.setMsr(0n);
  s.setSpr(SPR_LPCR, s.getSpr(SPR_LPCR) & ~LPCR_PM_POWER8);
  s.setSpr(SPR_PIR, 0n);
  s.halted = 1;
}

/** guest_cpu_reset prints a CPUState pointer in QEMU; we print a stable per-vCPU id. */
export function cpuTraceId(index: number): string {
  return `0x${(0x5a5a0000 + index * 0x1000).toString(16)}`;
}

