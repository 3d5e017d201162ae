// One emulated pseries instance as the page's worker and the CLI drive it: a main loop with
// its machine, console I/O, and the two migration roles (outgoing precopy, incoming load).

import type { MigrationInfo } from '../worker/protocol';
import { MainLoop } from './mainloop';
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

  constructor(opts: InstanceOptions) {
    this.name = opts.name;
    this.loop = new MainLoop({
      deterministic: opts.deterministic,
      ramSize: opts.ramSize,
      machineType: opts.machineType,
      sliceInsns: opts.sliceInsns,
    });
    this.loop.machine.vty.onOutput = (b) => this.onSerial(this.decoder.decode(b, { stream: true }));
    this.loop.onRunstate = (s) => this.onRunstate(s);
    this.loop.onLog = (line) => this.onError(line);
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
