// A guided scenario's run: a source and (once there is a migration) a destination instance
// in one process, deterministic, joined by a MemoryLink. The session turns both main loops,
// records everything they say as one ordered list of events (QEMU trace lines, guest console
// lines, QEMU's error messages) and, at each guided step, a frame: the explanation and a
// snapshot of both machines, which the page plays back and the CLI prints.

import { Instance, type InstanceOptions } from '../instance';
import { LineSplitter } from '../lines';
import type { MigrationParameters } from '../migration/precopy';
import { MemoryLink } from '../migration/transport';
import { transientDrcs } from '../spapr/cas';
import { drcIndex, drcName } from '../spapr/drc';
import { findNode, type FdtNode } from '../spapr/fdt';
import { vmstateSnapshot } from '../snapshots';
import { formatTraceLog, type TraceEvent } from '../trace';
import type { MigrationStatus } from '../../worker/protocol';

export type SideName = 'src' | 'dst';
/** The page's panels a step can point at. */
export type PanelName = 'console' | 'trace' | 'vmstate' | 'dt' | 'ov5' | 'drc' | 'cpu';

export interface ScenarioEvent {
  side: SideName | null;
  kind: 'trace' | 'console' | 'error' | 'step' | 'outcome';
  /** As the CLI prints it, without the side prefix. */
  text: string;
  /** The side's virtual clock (ns) when it happened. */
  clockNs: number;
}

/** A connector with a device attached, as the DRC view shows it. */
export interface DrcView {
  index: string;
  name: string;
  state: number;
  /** spapr_drc_needed(): attached and not ready (sent in the spapr_drc section). */
  transient: boolean;
}

export interface SideSnapshot {
  name: string;
  profile: string | null;
  machineType: string;
  runstate: string;
  insns: number;
  clockNs: number;
  migration: MigrationStatus | 'none';
  casReboot: boolean;
  resetPending: string | null;
  /** /cpus children of the machine's current device tree. */
  dtCpus: string[];
  drcs: DrcView[];
  /** The vmstate sections and subsections a save would send now, with reasons. */
  vmstate: ReturnType<typeof vmstateSnapshot>;
  /** The last console lines. */
  console: string[];
}

export interface ScenarioFrame {
  index: number;
  title: string;
  text: string;
  panel?: PanelName;
  side?: SideName;
  /** How many events had happened (events.slice(0, eventCount) is the log at this frame). */
  eventCount: number;
  src: SideSnapshot;
  dst: SideSnapshot | null;
}

export interface SessionOptions {
  /** QEMU trace events shown (`-trace` patterns, `*` at the end matches a prefix). */
  traceEvents?: string[];
  /** Take machine snapshots at each step (the page needs them, the CLI does not). */
  frames?: boolean;
}

/** The events the 2020 thread's log enabled: `-trace runstate_set -trace guest_cpu_reset`. */
export const DEFAULT_TRACE_EVENTS = ['runstate_set', 'guest_cpu_reset'];

/**
 * Thread ids and the first second of the trace clock: a deterministic run numbers them as
 * the 2020 thread's log does (main loop 23340, migration thread 23348), so its lines read alike.
 */
const TIDS: Record<SideName, { main: number; migration: number }> = {
  src: { main: 23340, migration: 23348 },
  dst: { main: 23512, migration: 23520 },
};
export const TRACE_EPOCH_SEC = 1579260982;

const CONSOLE_TAIL = 12;

export class ScenarioSession {
  readonly events: ScenarioEvent[] = [];
  readonly frames: ScenarioFrame[] = [];
  readonly src: Instance;
  dst: Instance | null = null;
  private link: MemoryLink | null = null;
  private consoles: Record<SideName, { splitter: LineSplitter; lines: string[] }> = {
    src: { splitter: new LineSplitter(), lines: [] }, dst: { splitter: new LineSplitter(), lines: [] },
  };
  private migStatus: Record<SideName, MigrationStatus | 'none'> = { src: 'none', dst: 'none' };
  private readonly trace: string[];
  private readonly keepFrames: boolean;
  /** Every trace event name a side emitted, with the clock of its first occurrence. */
  private readonly seenEvents: Record<SideName, Map<string, number>> = { src: new Map(), dst: new Map() };

  constructor(src: InstanceOptions, opts: SessionOptions = {}) {
    this.trace = opts.traceEvents ?? DEFAULT_TRACE_EVENTS;
    this.keepFrames = opts.frames ?? false;
    this.src = this.attach('src', new Instance({ ...src, deterministic: true }));
  }

  private attach(side: SideName, inst: Instance): Instance {
    const clock = () => inst.loop.clock.ns();
    inst.tracer.on((ev) => {
      const seen = this.seenEvents[side];
      if (!seen.has(ev.name)) seen.set(ev.name, ev.clockNs);
      if (!this.traced(ev.name)) return;
      this.events.push({ side, kind: 'trace', text: traceLine(side, ev), clockNs: ev.clockNs });
    });
    inst.onSerial = (t) => {
      const c = this.consoles[side];
      for (const line of c.splitter.push(t)) {
        c.lines.push(line);
        this.events.push({ side, kind: 'console', text: line, clockNs: clock() });
      }
    };
    inst.onError = (m) => this.events.push({ side, kind: 'error', text: `qemu-system-ppc64: ${m}`, clockNs: clock() });
    inst.onAbort = (m) => { for (const text of m.split('\n')) this.events.push({ side, kind: 'error', text, clockNs: clock() }); };
    inst.onMigration = (i) => { this.migStatus[side] = i.status; };
    return inst;
  }

  private traced(name: string): boolean {
    return this.trace.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
  }

  instance(side: SideName): Instance {
    const i = side === 'src' ? this.src : this.dst;
    if (!i) throw new Error(`the scenario has no ${side} instance yet`);
    return i;
  }

  /** The side's clock when it first emitted trace event `name` (shown or not), if it did. */
  seen(side: SideName, name: string): number | undefined {
    return this.seenEvents[side].get(name);
  }

  /** Console lines the side's guest printed so far. */
  console(side: SideName): string[] {
    return this.consoles[side].lines;
  }

  migrationStatus(side: SideName): MigrationStatus | 'none' {
    return this.migStatus[side];
  }

  /**
   * Start the destination (`-incoming`, configured like the source as a management layer
   * would, with `opts` on top) and the migration with `params`.
   */
  migrate(dst: InstanceOptions, params: Partial<MigrationParameters> = {}): Instance {
    const d = this.attach('dst', new Instance({ ...dst, deterministic: true }));
    // the same -kernel/-initrd/-append: a reset on the destination boots the same guest
    d.machine.setBootImages(this.src.machine.bootImages());
    this.dst = d;
    this.link = new MemoryLink();
    d.incoming(this.link.receiver);
    this.src.migrate(this.link.sender, params);
    return d;
  }

  /** Bytes of the migration stream sent so far. */
  streamBytes(): Uint8Array {
    return this.link ? this.link.bytes() : new Uint8Array(0);
  }

  /**
   * Turn the instances until `done()`; stops early when nothing has anything left to do or
   * after `maxTurns`. Returns whether `done()` became true.
   */
  runUntil(done: () => boolean, maxTurns = 2_000_000): boolean {
    const pump = () => { if (this.link) { this.link.receiver.pump(); this.link.sender.pump(); } };
    for (let t = 0; t < maxTurns; t++) {
      if (done()) return true;
      let idle = true;
      for (const inst of [this.src, this.dst]) {
        if (!inst) continue;
        if (inst.turn() !== Infinity) idle = false;
        pump();
      }
      if (idle) return done();
    }
    return done();
  }

  /** Run until the side's guest printed a line matching `re` (counting from line `from`). */
  untilConsole(side: SideName, re: RegExp, from = 0, maxTurns?: number): boolean {
    return this.runUntil(() => this.consoles[side].lines.slice(from).some((l) => re.test(l)), maxTurns);
  }

  /** Run until both ends of the migration finished (completed, failed or cancelled). */
  untilMigrationDone(maxTurns?: number): boolean {
    const over = (s: string) => s === 'completed' || s === 'failed' || s === 'cancelled';
    return this.runUntil(() => over(this.migStatus.src) && over(this.migStatus.dst), maxTurns);
  }

  /** A guided step: its explanation joins the log; with frames on, both machines are kept. */
  step(title: string, text: string, focus: { panel?: PanelName; side?: SideName } = {}): void {
    this.events.push({ side: null, kind: 'step', text: `${title}: ${text}`, clockNs: this.src.loop.clock.ns() });
    if (!this.keepFrames) return;
    this.frames.push({
      index: this.frames.length, title, text, panel: focus.panel, side: focus.side,
      eventCount: this.events.length,
      src: this.snapshot('src'), dst: this.dst ? this.snapshot('dst') : null,
    });
  }

  outcome(text: string): void {
    this.events.push({ side: null, kind: 'outcome', text, clockNs: this.src.loop.clock.ns() });
  }

  snapshot(side: SideName): SideSnapshot {
    const inst = this.instance(side);
    const m = inst.machine;
    const transient = new Set(transientDrcs(m));
    return {
      name: inst.name,
      profile: inst.profile?.name ?? null,
      machineType: m.machineType,
      runstate: inst.runstate(),
      insns: m.cpu.state.insnCount,
      clockNs: inst.loop.clock.ns(),
      migration: this.migStatus[side],
      casReboot: m.cas_reboot,
      resetPending: inst.loop.resetPending,
      dtCpus: dtCpuNames(m.fdt),
      drcs: m.drcs.list().filter((d) => d.dev).map((d) => ({
        index: `0x${drcIndex(d).toString(16)}`, name: drcName(d), state: d.state ?? 0, transient: transient.has(d),
      })),
      vmstate: vmstateSnapshot(m),
      console: this.consoles[side].lines.slice(-CONSOLE_TAIL),
    };
  }

  /** The log as the CLI prints it: `src: ` / `dst: ` before a side's lines. */
  lines(kinds: ScenarioEvent['kind'][] = ['trace', 'console', 'error', 'outcome']): string[] {
    return this.events.filter((e) => kinds.includes(e.kind)).map(formatEvent);
  }
}

export function formatEvent(e: ScenarioEvent): string {
  if (e.kind === 'outcome') return `outcome: ${e.text}`;
  if (e.kind === 'step') return `-- ${e.text}`;
  return `${e.side}: ${e.text}`;
}

function traceLine(side: SideName, ev: TraceEvent): string {
  const t = TIDS[side];
  return formatTraceLog(ev, ev.thread === 'migration' ? t.migration : t.main, TRACE_EPOCH_SEC);
}

/** The cpu nodes under /cpus of a device tree. */
export function dtCpuNames(fdt: FdtNode): string[] {
  const cpus = findNode(fdt, '/cpus');
  return cpus ? cpus.children.map((c) => c.name) : [];
}
