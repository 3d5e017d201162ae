// The page-side picture of one machine instance. It changes only through applyWorkerMessage():
// worker -> protocol -> store -> components.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunState } from '../core/runstate';
import { formatTrace, type TraceEvent } from '../core/trace';
import type { FromWorker, MigrationInfo, Snapshot, SnapshotKind } from '../worker/protocol';
import { newWatch, recordVmstate, type VmstateWatch } from './vmstateWatch';

/** The newest snapshot of each kind the page asked for. */
export type Snapshots = { [K in SnapshotKind]?: Extract<Snapshot, { kind: K }> };

/** A piece of guest console output; `seq` increases by one per chunk. */
export interface ConsoleChunk { seq: number; text: string }

export interface MachineError { wallMs: number; message: string }

export interface InstanceState {
  /** Instance name, as the worker reports it. */
  name: string;
  /** True once the worker has a machine. */
  ready: boolean;
  /** Bumped each time the worker reports a fresh machine (init or recreate). */
  generation: number;
  runstate: RunState;
  /** Console output, oldest first, bounded to CONSOLE_LIMIT characters. */
  console: ConsoleChunk[];
  /** `seq` of the newest chunk (0 when there is none). */
  consoleSeq: number;
  /** Trace events of the current machine, oldest first, bounded to TRACE_LIMIT. */
  trace: TraceEvent[];
  /** Latest migration snapshot of the current machine. */
  migration: MigrationInfo | null;
  errors: MachineError[];
  stats: { insns: number; mips: number };
  /** Panel data, as the worker last reported it (requested while a panel is visible). */
  snapshots: Snapshots;
  /** Field values seen in the vmstate snapshots while the vmstate panel is open (null: closed). */
  vmstateWatch: VmstateWatch | null;
}

export type InstanceStore = StoreApi<InstanceState>;

export const CONSOLE_LIMIT = 1 << 20;
export const TRACE_LIMIT = 50_000;
const CHUNK_LIMIT = 4096;
const ERROR_LIMIT = 50;

function fresh(name: string, generation: number): InstanceState {
  return {
    name,
    ready: false,
    generation,
    runstate: 'prelaunch',
    console: [],
    consoleSeq: 0,
    trace: [],
    migration: null,
    errors: [],
    stats: { insns: 0, mips: 0 },
    snapshots: {},
    vmstateWatch: null,
  };
}

export function createInstanceStore(name: string): InstanceStore {
  return createStore<InstanceState>()(() => fresh(name, 0));
}

function appendConsole(s: InstanceState, text: string): Partial<InstanceState> {
  const seq = s.consoleSeq + 1;
  const chunks = [...s.console, { seq, text }];
  let total = 0;
  for (const c of chunks) total += c.text.length;
  while (total > CONSOLE_LIMIT && chunks.length > 1) total -= chunks.shift()!.text.length;
  if (chunks.length > CHUNK_LIMIT) {
    // Fold the older half into one chunk; it keeps the newest seq of what it holds. Consumers
    // compare seq against what they have already taken, which is never older than this.
    const old = chunks.splice(0, chunks.length >> 1);
    chunks.unshift({ seq: old[old.length - 1].seq, text: old.map((c) => c.text).join('') });
  }
  return { console: chunks, consoleSeq: seq };
}

function sameBytes(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether a snapshot says nothing new: the device tree, ov5 and memory panels poll while they
 * are open, and mostly get what they already have.
 */
export function sameSnapshot(prev: Snapshot | undefined, next: Snapshot): boolean {
  if (!prev || prev.kind !== next.kind) return false;
  switch (next.kind) {
    case 'fdt': {
      const p = prev as typeof next;
      return p.initialSize === next.initialSize && p.machineType === next.machineType
        && sameBytes(p.blob, next.blob) && sameBytes(p.beforeCas, next.beforeCas);
    }
    case 'ov5':
      return JSON.stringify(prev) === JSON.stringify(next);
    case 'memory': {
      const p = prev as typeof next;
      return p.addr === next.addr && sameBytes(p.bytes, next.bytes)
        && JSON.stringify([p.blocks, p.watchpoints, p.watchHit]) === JSON.stringify([next.blocks, next.watchpoints, next.watchHit]);
    }
    default:
      return false;
  }
}

/** The one place where worker events change the page's state. */
export function applyWorkerMessage(store: InstanceStore, msg: FromWorker): void {
  applyWorkerMessages(store, [msg]);
}

/**
 * Worker events in the order they came, as one change of the store (its subscribers run
 * once): the trace events and console text of several batches are appended at once, and
 * only the newest migration and stats figures are kept.
 */
export function applyWorkerMessages(store: InstanceStore, msgs: readonly FromWorker[]): void {
  if (!msgs.length) return;
  let s = store.getState();
  let changed = false;
  let events: TraceEvent[] = [];
  let text = '';
  const set = (p: Partial<InstanceState>) => { s = { ...s, ...p }; changed = true; };
  const flushPending = () => {
    if (events.length) {
      const trace = s.trace.concat(events);
      set({ trace: trace.length > TRACE_LIMIT ? trace.slice(trace.length - TRACE_LIMIT) : trace });
      events = [];
    }
    if (text) { set(appendConsole(s, text)); text = ''; }
  };
  for (const msg of msgs) {
    switch (msg.type) {
      case 'ready':
        // A fresh machine: what the previous one printed and traced is gone with it.
        events = [];
        text = '';
        set({ ...fresh(msg.name, s.generation + 1), ready: true });
        break;
      case 'serial':
        text += msg.data;
        break;
      case 'trace':
        for (const ev of msg.events) events.push(ev);
        break;
      case 'runstate':
        set({ runstate: msg.state });
        break;
      case 'migration':
        set({ migration: msg.info });
        break;
      case 'stats':
        set({ stats: { insns: msg.insns, mips: msg.mips } });
        break;
      case 'error':
        set({ errors: [...s.errors, { wallMs: Date.now(), message: msg.message }].slice(-ERROR_LIMIT) });
        break;
      case 'snapshot': {
        const snap = msg.snapshot;
        if (!snap) break;
        // the same as the one shown: kept, so that its panel does not decode and render it again
        if (sameSnapshot(s.snapshots[snap.kind], snap)) break;
        const watch = snap.kind === 'vmstate' && s.vmstateWatch && snap.sections.some((x) => x.payload)
          ? { vmstateWatch: recordVmstate(s.vmstateWatch, snap, Date.now()) } : {};
        set({ snapshots: { ...s.snapshots, [snap.kind]: snap }, ...watch });
        break;
      }
      case 'control':
        break;
    }
  }
  flushPending();
  if (changed) store.setState(s, true);
}

/** The vmstate panel opened (a fresh history from now) or closed (`false`: none kept). */
export function watchVmstate(store: InstanceStore, open: boolean, now = Date.now()): void {
  store.setState({ vmstateWatch: open ? newWatch(now) : null });
}

/** A page-side failure about this instance (worker failed to load, guest image missing...). */
export function recordError(store: InstanceStore, message: string): void {
  const s = store.getState();
  store.setState({ errors: [...s.errors, { wallMs: Date.now(), message }].slice(-ERROR_LIMIT) });
}

export function consoleText(s: InstanceState): string {
  return s.console.map((c) => c.text).join('');
}

export function traceLines(s: InstanceState): string[] {
  return s.trace.map(formatTrace);
}
