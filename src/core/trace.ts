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
}

export type TraceListener = (ev: TraceEvent) => void;

export function formatTrace(ev: TraceEvent): string {
  return ev.args ? `${ev.name} ${ev.args}` : ev.name;
}

export class Tracer {
  readonly events: TraceEvent[] = [];
  private listeners: TraceListener[] = [];
  /** Keep at most this many events in `events` (the listeners see all). */
  limit = 100_000;

  constructor(private clock: () => number) {}

  on(l: TraceListener): () => void {
    this.listeners.push(l);
    return () => { this.listeners = this.listeners.filter((x) => x !== l); };
  }

  emit(name: string, args = ''): void {
    const ev: TraceEvent = { name, args, clockNs: this.clock(), wallMs: Date.now() };
    this.events.push(ev);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    for (const l of this.listeners) l(ev);
  }
}
