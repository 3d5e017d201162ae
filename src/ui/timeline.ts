// The shared timeline's logic: both instances' trace events on one time axis, QEMU `-trace`
// patterns to choose events, and the export in the text QEMU's `log` trace backend writes.

import type { TraceEvent } from '../core/trace';

export interface TimelineRow {
  /** Which instance emitted it (its name, e.g. vm-a) and its column. */
  instance: string;
  side: 'left' | 'right';
  ev: TraceEvent;
}

/** Both traces merged by wall time (ties keep each trace's order, left first). */
export function mergeTraces(left: { name: string; trace: readonly TraceEvent[] }, right: { name: string; trace: readonly TraceEvent[] }): TimelineRow[] {
  const out: TimelineRow[] = [];
  let i = 0, j = 0;
  const a = left.trace, b = right.trace;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].wallMs <= b[j].wallMs)) out.push({ instance: left.name, side: 'left', ev: a[i++] });
    else out.push({ instance: right.name, side: 'right', ev: b[j++] });
  }
  return out;
}

/** Both traces and their merge, for the next mergeTracesFrom. */
export interface MergedTraces {
  left: readonly TraceEvent[];
  right: readonly TraceEvent[];
  leftName: string;
  rightName: string;
  rows: TimelineRow[];
}

/** Whether `now` is `before` with events appended (none dropped from its start). */
function grew(before: readonly TraceEvent[], now: readonly TraceEvent[]): boolean {
  if (now === before) return true;
  if (now.length < before.length) return false;
  return before.length === 0 || (now[0] === before[0] && now[before.length - 1] === before[before.length - 1]);
}

/**
 * mergeTraces, redoing only the end: when both traces only grew since `prev`, the rows older
 * than the oldest new event are kept as they are and the rest is merged again. The result is
 * the same as mergeTraces of the whole traces.
 */
export function mergeTracesFrom(
  prev: MergedTraces | null, left: { name: string; trace: readonly TraceEvent[] }, right: { name: string; trace: readonly TraceEvent[] },
): MergedTraces {
  const next = { left: left.trace, right: right.trace, leftName: left.name, rightName: right.name };
  if (!prev || prev.leftName !== left.name || prev.rightName !== right.name || !grew(prev.left, left.trace) || !grew(prev.right, right.trace)) {
    return { ...next, rows: mergeTraces(left, right) };
  }
  const newLeft = left.trace.slice(prev.left.length);
  const newRight = right.trace.slice(prev.right.length);
  if (!newLeft.length && !newRight.length) return { ...next, rows: prev.rows };
  const t = Math.min(newLeft.length ? newLeft[0].wallMs : Infinity, newRight.length ? newRight[0].wallMs : Infinity);
  // rows strictly older than every new event stay where they are
  let keep = prev.rows.length;
  while (keep > 0 && prev.rows[keep - 1].ev.wallMs >= t) keep--;
  const restLeft: TraceEvent[] = [];
  const restRight: TraceEvent[] = [];
  for (let i = keep; i < prev.rows.length; i++) (prev.rows[i].side === 'left' ? restLeft : restRight).push(prev.rows[i].ev);
  const tail = mergeTraces({ name: left.name, trace: restLeft.concat(newLeft) }, { name: right.name, trace: restRight.concat(newRight) });
  const rows = prev.rows.slice(0, keep);
  for (const r of tail) rows.push(r);
  return { ...next, rows };
}

/**
 * A filter from `-trace`-style patterns, separated by commas or spaces: `migrate*`,
 * `spapr_drc_*`, `runstate_set`; a leading `-` excludes (as in QEMU's events files). No pattern,
 * or only exclusions, keeps everything else. Patterns match whole event names; `*` is any run.
 */
export function traceFilter(text: string): (name: string) => boolean {
  const pats = text.split(/[\s,]+/).map((p) => p.trim()).filter(Boolean).map((p) => p.replace(/^enable=/, ''));
  const toRe = (p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const inc = pats.filter((p) => !p.startsWith('-')).map(toRe);
  const exc = pats.filter((p) => p.startsWith('-')).map((p) => toRe(p.slice(1)));
  // a trace has few distinct event names: each is matched once
  const seen = new Map<string, boolean>();
  return (name) => {
    let k = seen.get(name);
    if (k === undefined) {
      k = (inc.length === 0 || inc.some((r) => r.test(name))) && !exc.some((r) => r.test(name));
      seen.set(name, k);
    }
    return k;
  };
}

/**
 * The rows as QEMU's `log` trace backend prints them (`-trace ...,file=` or stderr):
 * `PID@SECONDS.MICROSECONDS:name args`, one line each. Each instance gets its own PID (as two
 * QEMU processes would have), its wall time in seconds since the page opened.
 */
export function exportQemuLog(rows: readonly TimelineRow[], pids: Record<string, number>): string {
  return rows.map(({ instance, ev }) => {
    const us = Math.max(0, Math.round(ev.wallMs * 1000));
    const sec = Math.floor(us / 1e6), usec = us % 1e6;
    return `${pids[instance] ?? 0}@${sec}.${String(usec).padStart(6, '0')}:${ev.name} ${ev.args}`.trimEnd();
  }).join('\n') + (rows.length ? '\n' : '');
}

/** The slice of `count` rows of `height` px to render for a scroll position (with overscan). */
export function visibleWindow(count: number, height: number, scrollTop: number, viewport: number, overscan = 10): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / height) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / height) + overscan);
  return { first, last };
}
