// One emulated pseries instance as the page's worker and the CLI drive it: a main loop with
// its machine, console I/O, and the two migration roles (outgoing precopy, incoming load).

import type {
  CpuRegister, DisasmLine, MigrationInfo, Ov5BitInfo, Snapshot, VmstateSectionInfo, VmstateSubsectionInfo,
} from '../worker/protocol';
import { disassemble } from './asm/disasm';
import {
  SPR_CFAR, SPR_CTR, SPR_DAR, SPR_DECR, SPR_DSISR, SPR_HSRR0, SPR_HSRR1, SPR_LPCR, SPR_LR, SPR_PIR, SPR_PVR,
  SPR_SDR1, SPR_SPRG0, SPR_SPRG1, SPR_SPRG2, SPR_SPRG3, SPR_SRR0, SPR_SRR1, SPR_XER, pair,
} from './cpu/state';
import { OV5, testOvBit, type SpaprMachine } from './spapr/machine';
import { spaprRegisterVmstate } from './spapr/vmstate';
import { SaveVMRegistry, vmstate_save_with_desc } from './vmstate/savevm';
import { vmstate_save_needed, vmstate_subsections_needed, type SubsectionStatus } from './vmstate/vmstate';
import { MainLoop } from './mainloop';
import { applyProfile, getProfile, profileMachineType, profilePrintsLine, type ProfileName, type QemuProfile } from './profiles';
import { IncomingMigration, OutgoingMigration, type MigrationParameters } from './migration/precopy';
import type { StreamReceiver, StreamSender } from './migration/transport';
import type { RunState } from './runstate';
import type { Tracer } from './trace';

export interface InstanceOptions {
  name: string;
  deterministic?: boolean;
  ramSize?: number;
  machineType?: string;
  sliceInsns?: number;
  /**
   * Build the instance "as QEMU X" (profiles.ts): the release's cpu-section layout and model
   * values; machineType must be one the release had (default: its newest), otherwise the
   * constructor throws UnsupportedMachineError with QEMU's lines.
   */
  profile?: ProfileName;
}

export class Instance {
  readonly name: string;
  readonly loop: MainLoop;
  onSerial: (text: string) => void = () => {};
  onRunstate: (s: RunState) => void = () => {};
  onMigration: (info: MigrationInfo) => void = () => {};
  onError: (message: string) => void = () => {};
  onWake: () => void = () => {};
  private outgoing: OutgoingMigration | null = null;
  private incomingMig: IncomingMigration | null = null;
  private decoder = new TextDecoder();
  private mipsWindow = { t: nowMs(), insns: 0, mips: 0 };
  /** The QEMU release this instance plays, when built with a profile. */
  readonly profile: QemuProfile | null;

  constructor(opts: InstanceOptions) {
    this.name = opts.name;
    this.profile = opts.profile ? getProfile(opts.profile) : null;
    this.loop = new MainLoop({
      deterministic: opts.deterministic,
      ramSize: opts.ramSize,
      machineType: this.profile ? profileMachineType(this.profile, opts.machineType) : opts.machineType,
      sliceInsns: opts.sliceInsns,
    });
    if (this.profile) applyProfile(this.loop, this.profile);
    this.loop.machine.vty.onOutput = (b) => this.onSerial(this.decoder.decode(b, { stream: true }));
    this.loop.onRunstate = (s) => this.onRunstate(s);
    this.loop.onLog = (line) => {
      if (this.profile && !profilePrintsLine(this.profile, line)) return;
      this.onError(line);
    };
  }

  get tracer(): Tracer { return this.loop.tracer; }
  get machine() { return this.loop.machine; }
  runstate(): RunState { return this.loop.runstate.current; }

  /** -kernel ELF; machine reset; prelaunch -> running. */
  boot(elf: Uint8Array): void {
    this.machine.setKernel(elf);
    this.loop.systemReset();
    this.loop.vmStart();
    this.onWake();
  }

  input(text: string): void {
    this.machine.vty.receive(new TextEncoder().encode(text));
    this.onWake();
  }

  /** -incoming: prelaunch -> inmigrate; the stream is loaded as it arrives. */
  incoming(rx: StreamReceiver, params: Partial<MigrationParameters> = {}): void {
    this.incomingMig = new IncomingMigration(this.loop, rx, params);
    this.incomingMig.onInfo = (i) => this.onMigration(i);
    this.incomingMig.onWake = () => this.onWake();
    this.incomingMig.start();
  }

  /** migrate: outgoing precopy over `tx`. */
  migrate(tx: StreamSender, params: Partial<MigrationParameters> = {}): void {
    if (this.outgoing?.active) {
      this.onError('There\'s a migration process in progress');
      return;
    }
    this.outgoing = new OutgoingMigration(this.loop, tx, params);
    this.outgoing.onInfo = (i) => this.onMigration(i);
    this.outgoing.onWake = () => this.onWake();
    this.outgoing.start();
    this.onWake();
  }

  /** migrate_set_parameter downtime-limit (ms) / max-bandwidth (bytes/s) for the outgoing migration. */
  setMigrationParameter(name: 'downtime-limit' | 'max-bandwidth', value: number): void {
    this.outgoing?.setParameter(name, value);
  }

  /** migrate_cancel: the outgoing migration, if one is in progress, ends as cancelled. */
  cancel(): void {
    this.outgoing?.cancel();
    this.onWake();
  }

  /**
   * One main-loop turn: pending requests, a migration step, then guest code. Returns the ms
   * until it wants to run again (0 = at once, Infinity = idle until onWake()).
   */
  turn(): number {
    const loop = this.loop;
    if (loop.fatal) return Infinity;
    loop.handleRequests();
    let delay = Infinity;
    const inc = this.incomingMig;
    if (inc?.active) delay = Math.min(delay, inc.step());
    const out = this.outgoing;
    if (out?.active) delay = Math.min(delay, out.step());
    const idleStep = out?.active ? loop.sliceInsns : Infinity;
    delay = Math.min(delay, loop.runVcpu(8, idleStep));
    return delay;
  }

  // ---- the monitor's controls (QEMU's stop / cont / system_reset, plus single-step) -------

  /** qmp_stop: running -> paused (-incoming: just do not start when the stream is in). */
  stop(): void {
    if (this.loop.runstate.isRunning()) this.loop.vmStop('paused');
  }

  /** qmp_cont: -> running; QEMU's error when the machine needs a reset first. */
  cont(): string | null {
    const rs = this.loop.runstate;
    if (this.loop.fatal) return this.loop.fatal;
    if (rs.needsReset()) return 'Resetting the Virtual Machine is required';
    if (rs.current === 'inmigrate') return null;
    this.loop.vmStart();
    this.onWake();
    return null;
  }

  /** Execute one instruction while the VM is not running (as the gdbstub's single-step). */
  step(): string | null {
    if (this.loop.runstate.isRunning()) return 'The VM is running; stop it first';
    if (this.loop.fatal) return this.loop.fatal;
    const cpu = this.machine.cpu;
    if (cpu.run(1) === 0 && cpu.state.halted) return 'CPU #0 is halted (H_CEDE): it waits for an interrupt';
    return null;
  }

  /** qmp_system_reset: a reset request handled at the next main-loop turn. */
  systemReset(): void {
    this.loop.resetRequest('host-qmp-system-reset');
    this.onWake();
  }

  // ---- snapshots for the page's panels (plain data, no machine objects) -----------------

  /** The device tree blob the guest was given (spapr->fdt_blob). */
  fdtSnapshot(): Extract<Snapshot, { kind: 'fdt' }> {
    const m = this.machine;
    return { kind: 'fdt', blob: m.fdtBlob.slice(), initialSize: m.fdtInitialSize, machineType: m.machineType };
  }

  /** Every section a migration started now would send, with sizes and subsections' needed(). */
  vmstateSnapshot(): Extract<Snapshot, { kind: 'vmstate' }> {
    const m = this.machine;
    const reg = spaprRegisterVmstate(m, new SaveVMRegistry()).registry;
    const sections: VmstateSectionInfo[] = reg.handlers.map((se) => {
      const base = { idstr: se.idstr, instanceId: se.instance_id, version: se.version_id, sectionId: se.section_id };
      if (!se.vmsd) {
        const dirty = se.idstr === 'ram' && m.ram.logDirty ? `, ${m.ram.countDirty()} dirty pages now` : '';
        const note = `live: START/PART/END${dirty}`;
        return { ...base, kind: 'live', needed: true, note, subsections: [] };
      }
      const needed = vmstate_save_needed(se.vmsd, se.opaque);
      const subs = vmstate_subsections_needed(se.vmsd, se.opaque);
      const withReasons = (l: SubsectionStatus[]): VmstateSubsectionInfo[] => l.map((s) => ({
        name: s.name, needed: s.needed, reason: subsectionReason(m, s.name, s.needed), subsections: withReasons(s.subsections),
      }));
      let size: number | undefined;
      if (needed) {
        const r = vmstate_save_with_desc(se.vmsd, se.opaque, se.idstr, se.instance_id);
        if (r.ret === 0) size = r.bytes.length;
      }
      return { ...base, kind: 'full', needed, size, subsections: withReasons(subs) };
    });
    return { kind: 'vmstate', machineType: m.machineType, sections };
  }

  /** spapr->ov5 and spapr->ov5_cas by QEMU's bit names. */
  ov5Snapshot(): Extract<Snapshot, { kind: 'ov5' }> {
    const m = this.machine;
    const bits: Ov5BitInfo[] = Object.entries(OV5).map(([k, bit]) => ({
      name: `OV5_${k}`, bit, platform: testOvBit(m.ov5, bit), negotiated: testOvBit(m.ov5_cas, bit),
    }));
    const trim = (v: Uint8Array) => { let n = v.length; while (n > 0 && !v[n - 1]) n--; return [...v.subarray(0, n)]; };
    return { kind: 'ov5', machineType: m.machineType, bits, platformBytes: trim(m.ov5), negotiatedBytes: trim(m.ov5_cas) };
  }

  /** Registers as `info registers` needs them and a disassembly of +-`around` insns at NIP. */
  cpuSnapshot(around = 16): Extract<Snapshot, { kind: 'cpu' }> {
    const cpu = this.machine.cpu;
    const s = cpu.state;
    const h64 = (v: bigint) => v.toString(16).padStart(16, '0');
    const gpr: string[] = [];
    for (let i = 0; i < 32; i++) gpr.push(h64(s.getGpr(i)));
    const spr = (name: string, num: number): CpuRegister => ({ name, num, value: h64(s.getSpr(num)) });
    const sprs: CpuRegister[] = [
      spr('SRR0', SPR_SRR0), spr('SRR1', SPR_SRR1),
      { name: 'DEC', num: SPR_DECR, value: h64(BigInt.asUintN(64, BigInt(cpu.readDec()))) },
      { name: 'TB', num: 268, value: h64(BigInt(Math.max(0, Math.floor(this.machine.readTB())))) },
      spr('LPCR', SPR_LPCR), spr('PVR', SPR_PVR),
      spr('SPRG0', SPR_SPRG0), spr('SPRG1', SPR_SPRG1), spr('SPRG2', SPR_SPRG2), spr('SPRG3', SPR_SPRG3),
      spr('DAR', SPR_DAR), spr('DSISR', SPR_DSISR), spr('CFAR', SPR_CFAR),
      spr('HSRR0', SPR_HSRR0), spr('HSRR1', SPR_HSRR1), spr('PIR', SPR_PIR), spr('SDR1', SPR_SDR1),
      spr('VRSAVE', 256), spr('SPRG4', 276), spr('SPRG5', 277), spr('SPRG6', 278), spr('SPRG7', 279),
    ];
    const nip = s.getNip();
    const le = (s.getMsr() & 1n) !== 0n;
    const ram = this.machine.ram;
    const disasm: DisasmLine[] = [];
    for (let i = -around; i <= around; i++) {
      const pc = nip + BigInt(i * 4);
      if (pc < 0n) continue;
      const ea = Number(pc & 0x0fffffffffffffffn);
      let word: number | null = null;
      if (ea + 4 <= ram.size) word = ram.view.getUint32(ea, le);
      disasm.push({
        addr: h64(pc), word: word === null ? '????????' : word.toString(16).padStart(8, '0'),
        text: word === null ? '(outside RAM)' : disassemble(word, pc), current: i === 0,
      });
    }
    return {
      kind: 'cpu', cpuIndex: cpu.cpuIndex, model: cpu.model.name, halted: s.halted !== 0, insns: s.insnCount,
      gpr, nip: h64(nip), msr: h64(s.getMsr()), lr: h64(s.getSpr(SPR_LR)), ctr: h64(s.getSpr(SPR_CTR)),
      xer: h64(s.getSpr(SPR_XER)), reserve: h64(pair(s.reserveAddr, 0)), cr: s.getCr(), sprs, disasm,
    };
  }

  /** `len` bytes of guest-physical RAM at `addr` (clipped to RAM). */
  memorySnapshot(addr: number, len = 256): Extract<Snapshot, { kind: 'memory' }> {
    const ram = this.machine.ram;
    const start = Math.max(0, Math.min(Math.floor(addr), ram.size));
    const end = Math.min(ram.size, start + Math.max(0, Math.floor(len)));
    return { kind: 'memory', addr: start, bytes: ram.u8.slice(start, end), ramSize: ram.size };
  }

  stats(): { insns: number; mips: number } {
    const insns = this.machine.cpu.state.insnCount;
    const t = nowMs();
    const w = this.mipsWindow;
    if (t - w.t >= 500) {
      w.mips = (insns - w.insns) / ((t - w.t) * 1000);
      w.t = t;
      w.insns = insns;
    }
    return { insns, mips: w.mips };
  }
}

function nowMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Why a subsection's needed() says what it says, for the vmstate panel (where easy). */
function subsectionReason(m: SpaprMachine, name: string, needed: boolean): string | undefined {
  const names = (bits: number[]) => bits.map((b) => {
    const k = Object.entries(OV5).find(([, v]) => v === b)?.[0];
    return k ? `OV5_${k}` : `bit ${b}`;
  }).join(', ');
  switch (name) {
    case 'spapr_option_vector_ov5_cas': {
      const outside: number[] = [];
      for (let n = 0; n < 2048; n++) {
        if (testOvBit(m.ov5, n) && n !== OV5.DRCONF_MEMORY && n !== OV5.FORM1_AFFINITY && n !== OV5.DRMEM_V2) outside.push(n);
      }
      return needed
        ? `platform ov5 has bits outside FORM1/DRCONF/DRMEM_V2: ${names(outside)}`
        : 'platform ov5 has no bits outside FORM1/DRCONF/DRMEM_V2';
    }
    case 'spapr_patb_entry': return `patb_entry = 0x${m.patb_entry.toString(16)}`;
    case 'spapr_dtb': return needed ? `update_dt_enabled (${m.machineType})` : `!update_dt_enabled (${m.machineType})`;
    case 'spapr_fwnmi': return `fwnmi machine_check_addr = ${m.fwnmi.machine_check_addr === -1n ? '-1 (not registered)' : '0x' + m.fwnmi.machine_check_addr.toString(16)}`;
    case 'spapr/cap/hpt_maxpagesize': if (needed && !m.compat.pre_4_1_migration) return 'always sent on pseries >= 4.1';
  }
  if (name.startsWith('spapr/cap/')) return needed ? 'set to a value other than the machine default' : 'machine default';
  if (name === 'cpu/compat') return `compat_pvr = 0x${m.cpu.state.compatPvr.toString(16)}`;
  if (name === 'cpu/tm') return needed ? 'MSR[TS] set' : 'MSR[TS] = 0';
  if (name === 'cpu/sr') return '64-bit MMU: no segment registers';
  return undefined;
}
