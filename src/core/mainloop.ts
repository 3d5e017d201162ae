// One machine's main loop, shaped like QEMU's: the vCPU runs in slices; between slices the
// loop handles requests the way main_loop_should_exit() does (softmmu/runstate.c). A
// hypercall or RTAS call that wants a reset only *requests* it, so anything else the loop
// does between two slices (a migration step) can happen before the reset is performed.

import { VirtualClock, tbToNs } from './clock';
import { InvalidRunstateTransition, RUN_STATES, RunStateMachine, type RunState } from './runstate';
import { SpaprMachine, type MachineHost, type ShutdownCause, type SpaprOptions } from './spapr/machine';
import { Tracer } from './trace';

export const SHUTDOWN_CAUSES: ShutdownCause[] = [
  'none', 'host-error', 'host-qmp-quit', 'host-qmp-system-reset', 'host-signal', 'host-ui',
  'guest-shutdown', 'guest-reset', 'guest-panic', 'subsystem-reset', 'snapshot-load',
];

export interface MainLoopOptions extends SpaprOptions {
  /** Clock = instruction count; fixed-size slices (replays the same way every time). */
  deterministic?: boolean;
  /** Instructions per vCPU slice. */
  sliceInsns?: number;
  /**
   * Deterministic mode: virtual ns between a request (reset, shutdown, stop) and the main loop
   * acting on it. The requesting vCPU is stopped meanwhile (cpu_stop_current) while other work
   * of the loop, a migration, goes on: in the 2020 CAS-reboot thread the main loop got to the
   * reset about 0.45 s after the request. Default 0: at the next turn.
   */
  requestLatencyNs?: number;
}

export class MainLoop implements MachineHost {
  readonly tracer: Tracer;
  readonly runstate: RunStateMachine;
  readonly clock: VirtualClock;
  readonly machine: SpaprMachine;
  readonly deterministic: boolean;
  readonly sliceInsns: number;
  readonly requestLatencyNs: number;
  /** When the pending request(s) will be handled (deterministic mode with a latency). */
  private requestDueNs = 0;
  /** Set when the machine can no longer run (QEMU would have aborted or exited). */
  fatal: string | null = null;
  onLog: (line: string) => void = () => {};
  onRunstate: (s: RunState) => void = () => {};
  /** What cpu_abort() prints on stderr ("qemu: fatal: ..." and the register dump). */
  onAbort: (message: string) => void = () => {};
  /** migration_is_active(): the instance that owns this loop says. */
  migrationActive: () => boolean = () => false;

  private debugRequested = false;
  private resetRequested: ShutdownCause | null = null;
  private shutdownRequested: ShutdownCause | null = null;
  private stopRequested: string | null = null;
  private suspendRequested = false;

  constructor(opts: MainLoopOptions = {}) {
    this.deterministic = opts.deterministic ?? false;
    this.sliceInsns = opts.sliceInsns ?? 10_000;
    this.requestLatencyNs = this.deterministic ? opts.requestLatencyNs ?? 0 : 0;
    // The clock reads the vCPU's instruction counter, which exists once the machine does.
    let insns = () => 0;
    this.clock = new VirtualClock(this.deterministic, () => insns());
    this.tracer = new Tracer(() => this.clock.ns());
    this.runstate = new RunStateMachine(this.tracer);
    this.machine = new SpaprMachine(this, opts);
    insns = () => this.machine.cpu.state.insnCount;
    this.machine.cpu.onBreakpoint = () => this.debugRequest();
  }

  /** qemu_system_debug_request(): a breakpoint was hit; the loop stops the VM in `debug`. */
  debugRequest(): void {
    this.noteRequest();
    this.debugRequested = true;
    this.machine.cpu.requestExit();
  }

  // ---- MachineHost -----------------------------------------------------------------

  resetRequest(cause: ShutdownCause): void {
    this.tracer.emit('qemu_system_reset_request', `reason=${SHUTDOWN_CAUSES.indexOf(cause)}`);
    this.noteRequest();
    this.resetRequested = cause;
    this.machine.cpu.requestExit();
  }

  shutdownRequest(cause: ShutdownCause): void {
    this.tracer.emit('qemu_system_shutdown_request', `reason=${SHUTDOWN_CAUSES.indexOf(cause)}`);
    this.noteRequest();
    this.shutdownRequested = cause;
    this.machine.cpu.requestExit();
  }

  stopRequest(reason: string): void {
    this.noteRequest();
    this.stopRequested = reason;
    this.machine.cpu.requestExit();
  }

  /** qemu_system_suspend_request(): ignored when already suspended. */
  suspendRequest(): void {
    if (this.runstate.current === 'suspended') return;
    this.noteRequest();
    this.suspendRequested = true;
    this.machine.cpu.requestExit();
  }

  /**
   * qmp_system_wakeup() -> qemu_system_wakeup_request(QEMU_WAKEUP_REASON_OTHER): a suspended
   * machine runs again (pseries needs no ->wakeup: suspending changed no machine state).
   * QEMU's error text when it is not suspended.
   */
  systemWakeup(): string | null {
    this.tracer.emit('system_wakeup_request', 'reason=3');
    if (this.runstate.current !== 'suspended') return 'Unable to wake up: guest is not in suspended state';
    this.setRunstate('running');
    return null;
  }

  private noteRequest(): void {
    if (!this.hasPendingRequest) this.requestDueNs = this.clock.ns() + this.requestLatencyNs;
  }

  trace(name: string, args = ''): void {
    this.tracer.emit(name, args);
  }

  log(message: string): void {
    this.onLog(message);
  }

  // ---- runstates ---------------------------------------------------------------------

  /** runstate_set; an invalid transition stops this machine (QEMU aborts the process). */
  setRunstate(s: RunState): void {
    try {
      this.runstate.set(s);
    } catch (e) {
      if (e instanceof InvalidRunstateTransition) {
        this.die(e.message);
        return;
      }
      throw e;
    }
    this.onRunstate(this.runstate.current);
  }

  /** vm_state_notify: the trace event, then the machine's VM change-state handlers. */
  private vmStateNotify(running: boolean, state: RunState): void {
    this.tracer.emit('vm_state_notify', `running ${running ? 1 : 0} reason ${RUN_STATES.indexOf(state)} (${state})`);
    this.machine.vmStateChange(running);
  }

  /** vm_start(): -> running, the virtual clock starts. */
  vmStart(): void {
    if (this.runstate.isRunning() || this.fatal) return;
    this.setRunstate('running');
    this.vmStateNotify(true, 'running');
    this.clock.start();
  }

  /** vm_stop(state) / vm_stop_force_state(state). */
  vmStop(state: RunState): void {
    const wasRunning = this.runstate.isRunning();
    this.setRunstate(state);
    if (wasRunning) {
      this.vmStateNotify(false, state);
      this.clock.stop();
    }
  }

  /** cpu_abort(): the machine stops; its lines (message, register dump) go to onAbort as they are. */
  abort(message: string): void {
    this.die(message, false);
    this.onAbort(message);
  }

  die(message: string, report = true): void {
    this.fatal = message;
    if (report) this.onLog(message);
    this.clock.stop();
  }

  // ---- the loop ----------------------------------------------------------------------

  /** qemu_system_reset(): the machine's reset handler. */
  systemReset(): void {
    this.machine.reset();
  }

  /** main_loop_should_exit(): handle pending requests in QEMU's order. */
  handleRequests(): void {
    if (!this.requestsDue) return;
    if (this.debugRequested) {
      this.debugRequested = false;
      this.vmStop('debug');
    }
    // qemu_system_suspend(): the vCPUs pause, the VM's state does not change (no vm_stop)
    if (this.suspendRequested) {
      this.suspendRequested = false;
      this.setRunstate('suspended');
    }
    if (this.shutdownRequested !== null) {
      this.shutdownRequested = null;
      this.vmStop('shutdown');
    }
    if (this.resetRequested !== null) {
      this.resetRequested = null;
      this.systemReset();
      const s = this.runstate.current;
      if (s !== 'running' && s !== 'inmigrate' && s !== 'finish-migrate') this.setRunstate('prelaunch');
    }
    if (this.stopRequested !== null) {
      this.onLog(this.stopRequested);
      this.stopRequested = null;
      this.vmStop('paused');
    }
  }

  get hasPendingRequest(): boolean {
    return this.debugRequested || this.suspendRequested || this.resetRequested !== null || this.shutdownRequested !== null
      || this.stopRequested !== null;
  }

  /** Whether the main loop has got to the pending requests (see requestLatencyNs). */
  get requestsDue(): boolean {
    return this.hasPendingRequest && this.clock.ns() >= this.requestDueNs;
  }

  /** A reset is requested and not yet performed (what the vmstate panel explains). */
  get resetPending(): ShutdownCause | null {
    return this.resetRequested;
  }

  /**
   * Run the vCPU for one slice (deterministic) or until `maxMs` of wall time passed
   * (real time). Returns the ms until the vCPU wants to run again: 0 when it has more
   * to do, the time to its next timer when it is halted, Infinity when it has nothing.
   * `idleStepNs` (deterministic mode) bounds how far a halted vCPU's clock may jump in
   * one call, so that other work on the loop (a migration) gets turns in virtual time.
   */
  runVcpu(maxMs = 8, idleStepNs = Infinity): number {
    if (this.fatal) return Infinity;
    if (this.hasPendingRequest) {
      // the vCPU stopped at the request; the main loop gets to it after requestLatencyNs
      if (this.requestsDue) return 0;
      this.clock.warpTo(Math.min(this.requestDueNs, this.clock.ns() + idleStepNs));
      return 0;
    }
    if (!this.runstate.isRunning()) return Infinity;
    const cpu = this.machine.cpu;
    const start = nowMs();
    for (;;) {
      // vCPUs started with RTAS start-cpu: a slice each, round-robin (vCPU 0's clock rules)
      if (this.machine.cpus.length > 1) this.machine.runSecondaryVcpus(this.sliceInsns);
      cpu.updateTimers();
      if (cpu.state.halted && !cpu.hasWork()) {
        const next = cpu.nextTimerTB();
        if (this.deterministic) {
          if (next === Infinity) return Infinity;
          const targetNs = Math.ceil(tbToNs(next - this.machine.tbOffset));
          this.clock.warpTo(Math.min(targetNs, this.clock.ns() + idleStepNs));
          cpu.updateTimers();
          if (!cpu.hasWork()) return 0;
        } else {
          // Real time: a started secondary vCPU with work keeps the loop going (vCPU 0 idle
          // must not starve it); otherwise sleep until the earliest timer of any vCPU.
          let soonest = next;
          let busy = false;
          for (const other of this.machine.cpus) {
            if (other === cpu) continue;
            if (!other.state.halted || other.hasWork()) { busy = true; break; }
            soonest = Math.min(soonest, other.nextTimerTB());
          }
          if (busy) {
            if (nowMs() - start >= maxMs) return 0;
            continue;
          }
          if (soonest === Infinity) return Infinity;
          return Math.max(0, this.clock.msUntil(tbToNs(soonest - this.machine.tbOffset)));
        }
      }
      cpu.run(this.sliceInsns);
      if (this.hasPendingRequest) return 0;
      if (!this.runstate.isRunning()) return Infinity;
      if (this.deterministic || nowMs() - start >= maxMs) return 0;
    }
  }
}

function nowMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
