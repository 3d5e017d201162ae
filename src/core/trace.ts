// Trace events in QEMU's names and formats (softmmu/trace-events, migration/trace-events).
// A line renders as QEMU's `-trace` log body, e.g.
//   runstate_set current_run_state 9 (running) new_state 7 (finish-migrate)

export interface TraceEvent {
  /** QEMU trace event name: runstate_set, guest_cpu_reset, migrate_set_state, ... */
  name: string;
  /** The formatted arguments, exactly as QEMU's format string prints them. */
  args: string;
  /** Machine clock in ns when it happened (instruction count in deterministic mode). */
  clockNs: number;
  /** Wall-clock milliseconds (performance.now() or Date.now()). */
  wallMs: number;
  /** The QEMU thread that emitted it: the main loop (absent) or the migration thread. */
  thread?: 'migration';
}

export type TraceListener = (ev: TraceEvent) => void;

export function formatTrace(ev: TraceEvent): string {
  return ev.args ? `${ev.name} ${ev.args}` : ev.name;
}

/**
 * QEMU's `-trace` log line: `<thread id>@<seconds>.<microseconds>:<event> <args>`. Thread ids
 * and the epoch are given by the caller (a deterministic run numbers them itself); the time is
 * the event's virtual clock.
 */
export function formatTraceLog(ev: TraceEvent, tid: number, epochSec: number): string {
  const us = Math.floor(ev.clockNs / 1000);
  const sec = epochSec + Math.floor(us / 1e6);
  return `${tid}@${sec}.${String(us % 1e6).padStart(6, '0')}:${formatTrace(ev)}`;
}

export class Tracer {
  readonly events: TraceEvent[] = [];
  private listeners: TraceListener[] = [];
  /** Keep at most this many events in `events` (the listeners see all). */
  limit = 100_000;

  /** The thread events are emitted from now (see within()). */
  private thread: TraceEvent['thread'];

  constructor(private clock: () => number) {}

  /** Run `f` as the given QEMU thread: the events it emits carry that thread. */
  within<T>(thread: TraceEvent['thread'], f: () => T): T {
    const prev = this.thread;
    this.thread = thread;
    try { return f(); } finally { this.thread = prev; }
  }

  on(l: TraceListener): () => void {
    this.listeners.push(l);
    return () => { this.listeners = this.listeners.filter((x) => x !== l); };
  }

  emit(name: string, args = ''): void {
    const ev: TraceEvent = { name, args, clockNs: this.clock(), wallMs: Date.now() };
    if (this.thread) ev.thread = this.thread;
    this.events.push(ev);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    for (const l of this.listeners) l(ev);
  }
}
