// One emulated pseries instance as the page's worker and the CLI drive it: a main loop with
// its machine, console I/O, and the two migration roles (outgoing precopy, incoming load).

import type { MigrationInfo } from '../worker/protocol';
import type { DeviceAddProps, SpaprOptions } from './spapr/machine';
import { cpuSnapshot, fdtSnapshot, memorySnapshot, ov5Snapshot, vmstateSnapshot } from './snapshots';
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
  /** Deterministic mode: virtual ns before the main loop acts on a request (MainLoopOptions). */
  requestLatencyNs?: number;
  /** -smp 1,maxcpus=N (SpaprOptions.maxCpus) */
  maxCpus?: number;
  /** The cores present at creation: 0 and the cold-plugged ones (SpaprOptions.coreIds). */
  coreIds?: number[];
  /** -m ...,maxmem=M,slots=N (SpaprOptions.maxRamSize / ramSlots) */
  maxRamSize?: number;
  ramSlots?: number;
  /** -object memory-backend-ram + -device pc-dimm (SpaprOptions.dimms) */
  dimms?: SpaprOptions['dimms'];
  /**
   * Build the instance "as QEMU X" (profiles.ts): the release's cpu-section layout and model
   * values; machineType must be one the release had (default: its newest), otherwise the
   * constructor throws UnsupportedMachineError with QEMU's lines.
   */
  profile?: ProfileName;
  /** -M pseries,cap-*=...: SPAPR_CAPS-indexed levels the user set (SpaprMachine.caps.user) */
  caps?: Array<number | undefined>;
  /** -M pseries,x-vof=on|off (SpaprOptions.vof; default on) */
  vof?: boolean;
}

export class Instance {
  readonly name: string;
  readonly loop: MainLoop;
  onSerial: (text: string) => void = () => {};
  onRunstate: (s: RunState) => void = () => {};
  onMigration: (info: MigrationInfo) => void = () => {};
  onError: (message: string) => void = () => {};
  /** cpu_abort()'s output, line breaks included (not prefixed like error_report lines). */
  onAbort: (message: string) => void = () => {};
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
      requestLatencyNs: opts.requestLatencyNs,
      maxCpus: opts.maxCpus,
      coreIds: opts.coreIds,
      maxRamSize: opts.maxRamSize,
      ramSlots: opts.ramSlots,
      dimms: opts.dimms,
      vof: opts.vof,
    });
    if (this.profile) applyProfile(this.loop, this.profile);
    opts.caps?.forEach((v, i) => { if (v !== undefined) this.loop.machine.caps.user[i] = v; });
    this.loop.migrationActive = () => this.outgoing?.active ?? false;
    this.loop.machine.vty.onOutput = (b) => this.onSerial(this.decoder.decode(b, { stream: true }));
    this.loop.onRunstate = (s) => this.onRunstate(s);
    this.loop.onAbort = (m) => this.onAbort(m);
    this.loop.onLog = (line) => {
      if (this.profile && !profilePrintsLine(this.profile, line)) return;
      this.onError(line);
    };
  }

  get tracer(): Tracer { return this.loop.tracer; }
  get machine() { return this.loop.machine; }
  runstate(): RunState { return this.loop.runstate.current; }

  /** -kernel ELF [-initrd FILE -append TEXT]; machine reset; prelaunch -> running (with
   * `paused`, as QEMU's -S: the machine stays in prelaunch until cont, and can be stepped). */
  boot(elf: Uint8Array, extra: { initrd?: Uint8Array; append?: string; paused?: boolean } = {}): void {
    this.machine.setKernel(elf);
    if (extra.initrd) this.machine.setInitrd(extra.initrd);
    if (extra.append !== undefined) this.machine.kernelCmdline = extra.append;
    this.loop.systemReset();
    if (!extra.paused) this.loop.vmStart();
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
    const out = new OutgoingMigration(this.loop, tx, params);
    this.outgoing = out;
    out.onInfo = (i) => this.onMigration(i);
    out.onWake = () => this.onWake();
    this.tracer.within('migration', () => out.start());
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
   * device_add from the monitor (qdev_device_add): refused while this instance's outgoing
   * migration is not idle, as migration_is_idle() makes QEMU refuse it.
   */
  deviceAdd(driver: string, props: DeviceAddProps): string | null {
    if (this.outgoing?.active) return 'device_add not allowed while migrating';
    return this.machine.deviceAdd(driver, props);
  }

  /** device_del from the monitor (qmp_device_del): likewise refused while migrating. */
  deviceDel(id: string): string | null {
    if (this.outgoing?.active) return 'device_del not allowed while migrating';
    return this.machine.deviceDel(id);
  }

  /** Whether a migration (outgoing or incoming) is under way on this instance. */
  get migrating(): boolean {
    return (this.outgoing?.active ?? false) || (this.incomingMig?.active ?? false);
  }

  /**
   * One main-loop turn: pending requests, a migration step, then guest code for up to `maxMs`
   * of wall time (real-time mode; a deterministic turn runs one slice). Returns the ms until
   * it wants to run again (0 = at once, Infinity = idle until onWake()).
   */
  turn(maxMs = 8): number {
    const loop = this.loop;
    if (loop.fatal) return Infinity;
    loop.handleRequests();
    let delay = Infinity;
    const inc = this.incomingMig;
    if (inc?.active) delay = Math.min(delay, inc.step());
    const out = this.outgoing;
    if (out?.active) delay = Math.min(delay, this.tracer.within('migration', () => out.step()));
    const idleStep = out?.active ? loop.sliceInsns : Infinity;
    delay = Math.min(delay, loop.runVcpu(maxMs, idleStep));
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

  /** The gdbstub's breakpoints on vCPU 0 (instruction addresses): hitting one stops the VM in `debug`. */
  setBreakpoints(addrs: bigint[]): void {
    const bps = this.machine.cpu.breakpoints;
    bps.clear();
    for (const a of addrs) bps.add(BigInt.asUintN(64, a));
    this.machine.cpu.breakpointsChanged();
    this.onWake();
  }

  /** qmp_system_reset: a reset request handled at the next main-loop turn. */
  /** HMP system_wakeup: a machine suspended by ibm,suspend-me runs again. */
  systemWakeup(): string | null {
    const err = this.loop.systemWakeup();
    if (!err) this.onWake();
    return err;
  }

  systemReset(): void {
    this.loop.resetRequest('host-qmp-system-reset');
    this.onWake();
  }

  // ---- snapshots for the page's panels (plain data, no machine objects) -----------------

  fdtSnapshot() { return fdtSnapshot(this.machine); }
  vmstateSnapshot() { return vmstateSnapshot(this.machine); }
  ov5Snapshot() { return ov5Snapshot(this.machine); }
  cpuSnapshot(around = 16) { return cpuSnapshot(this.machine, around); }
  memorySnapshot(addr: number, len = 256) { return memorySnapshot(this.machine, addr, len); }

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
