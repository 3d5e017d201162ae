// The sPAPR ("pseries") machine: RAM at 0, one POWER8 vCPU, the VIO devices QEMU creates for
// `-M pseries -nodefaults -device spapr-vty` (spapr-nvram at 0x71000000, spapr-vty at
// 0x71000001), hypercalls in a table keyed by number, RTAS, and the guest entered from
// `-kernel` the way QEMU's x-vof=on firmware enters it.

import { POWER8, PowerPCCPU, type CpuModel, type VirtualHypervisor } from '../cpu/cpu';
import { MSR_EE, SPR_LPCR, SPR_SPRG0 } from '../cpu/state';
import { GuestRam } from '../mem/ram';
import { nsToTB, type VirtualClock } from '../clock';
import { fdtPack, type FdtNode } from './fdt';
import { spaprBuildFdt } from './dt';
import { loadElfKernel, type LoadedKernel } from './elf';
import {
  H_CEDE, H_CONFER, H_GET_TERM_CHAR, H_P2, H_P3, H_P4, H_PARAMETER, H_PROD,
  H_PUT_TERM_CHAR, H_SET_MODE, H_SET_SPRG0, H_SUCCESS, H_UNSUPPORTED_FLAG, HcallTable,
  KVMPPC_H_RTAS, KVMPPC_H_VOF_CLIENT, type HcallArgs,
} from './hcall';
import { RTAS_OUT_SUCCESS, RtasTable } from './rtas';
import { SpaprVty, packTermChars, unpackTermChars } from './vty';
import { icsReset, type IcsState } from './vmstate';
import { machineVersion, type MachineCompat } from './versions';
import { vofClientCall, VOF_ENTRY, VOF_EXIT_RETURN, vofInstallTrampolines } from './vof';

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
  trace(name: string, args?: string): void;
  /** QEMU's error_report / LOG_UNIMP / LOG_GUEST_ERROR lines. */
  log(message: string): void;
}

export interface SpaprOptions {
  machineType?: string;
  ramSize?: number;
  cpuModel?: CpuModel;
}

export const SPAPR_VIO_REG_BASE = 0x71000000;
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
  readonly cpu: PowerPCCPU;
  readonly nvram: SpaprNvram;
  readonly vty: SpaprVty;
  /** log2 of the hashed page table size for this RAM size (21 for 256 MiB). */
  readonly htabShift: number;
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
  readonly icp = { xirr: 0, pending_priority: 0xff, mfrr: 0xff };
  kernel: LoadedKernel | null = null;
  private kernelImage: Uint8Array | null = null;

  readonly hcalls = new HcallTable<SpaprMachine>();
  readonly rtas = new RtasTable<SpaprMachine>();

  constructor(readonly host: MachineHost, opts: SpaprOptions = {}) {
    this.compat = machineVersion(opts.machineType ?? 'pseries');
    this.machineType = this.compat.name;
    this.ram = new GuestRam(opts.ramSize ?? DEFAULT_RAM_SIZE);
    this.cpu = new PowerPCCPU(this.ram, this, opts.cpuModel ?? POWER8, 0);
    this.nvram = new SpaprNvram(SPAPR_VIO_REG_BASE, SPAPR_IRQ_VIO);
    this.vty = new SpaprVty(SPAPR_VIO_REG_BASE + 1, SPAPR_IRQ_VIO + 1);
    this.htabShift = htabShiftForRam(this.ram.size);
    this.caps.defaults = [...this.compat.capsDefaults];
    this.caps.mig = [...this.compat.capsDefaults];
    setOvBits(this.ov5, platformOv5(this.compat));
    this.ics = icsReset(this.compat.legacyIrqs ? XICS_IRQS_LEGACY : XICS_IRQS_SPAPR);
    this.registerHypercalls();
    this.registerRtas();
  }

  // ---- VirtualHypervisor -------------------------------------------------------------

  readTB(): number {
    return nsToTB(this.host.clock.ns()) + this.tbOffset;
  }

  hypercall(cpu: PowerPCCPU): void {
    const opcode = Number(cpu.state.getGpr(3) & 0xffffffffn);
    const r = this.hcalls.dispatch(this, cpu, opcode, (msg) => this.host.log(msg));
    cpu.state.setGpr(3, r);
  }

  // ---- boot and reset ----------------------------------------------------------------

  /** -kernel: keep the image; it is loaded at every machine reset. */
  setKernel(image: Uint8Array): void {
    this.kernelImage = image;
  }

  /**
   * spapr_machine_reset (with x-vof=on): reset devices and the vCPU, rebuild the device tree,
   * reload the kernel and set the entry state the guest observes when VOF enters it.
   */
  reset(): void {
    this.ov5_cas.fill(0);
    this.patb_entry = 0n;
    Object.assign(this.fwnmi, { system_reset_addr: -1n, machine_check_addr: -1n, interlock: -1 });
    this.cpu.reset();
    this.host.trace('guest_cpu_reset', `cpu=${cpuTraceId(0)}`);
    this.vty.reset();
    vofInstallTrampolines(this.ram);
    this.rebuildFdt();
    this.fdtInitialSize = this.fdtBlob.length;
    if (this.kernelImage) {
      this.kernel = loadElfKernel(this.kernelImage, this.ram);
      this.setEntryState(this.kernel.lowAddr);
    }
  }

  rebuildFdt(): void {
    this.fdt = spaprBuildFdt(this);
    this.fdtBlob = fdtPack(this.fdt);
  }

  private setEntryState(pc: number): void {
    const s = this.cpu.state;
    s.setNip(BigInt(pc));
    s.setMsr(0n);
    s.setGpr(1, BigInt(VOF_STACK_TOP));
    s.setGpr(2, BigInt(VOF_TOC));
    s.setGpr(3, 0n); // initrd address
    s.setGpr(4, 0n); // initrd size
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
  }

  private registerRtas(): void {
    const r = this.rtas;
    r.register('display-character', (m, c) => {
      m.vty.putchars(Uint8Array.of(c.arg(0) & 0xff));
      c.ret(0, RTAS_OUT_SUCCESS);
    });
    r.register('power-off', (m, c) => {
      m.host.shutdownRequest('guest-shutdown');
      c.ret(0, RTAS_OUT_SUCCESS);
    });
    r.register('system-reboot', (m, c) => {
      m.host.resetRequest('guest-reset');
      c.ret(0, RTAS_OUT_SUCCESS);
    });
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

/** guest_cpu_reset prints a CPUState pointer in QEMU; we print a stable per-vCPU id. */
export function cpuTraceId(index: number): string {
  return `0x${(0x5a5a0000 + index * 0x1000).toString(16)}`;
}

