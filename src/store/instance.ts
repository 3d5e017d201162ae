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

/** The one place where worker events change the page's state. */
export function applyWorkerMessage(store: InstanceStore, msg: FromWorker): void {
  const s = store.getState();
  switch (msg.type) {
    case 'ready':
      // A fresh machine: what the previous one printed and traced is gone with it.
      store.setState({ ...fresh(msg.name, s.generation + 1), ready: true });
      break;
    case 'serial':
      store.setState(appendConsole(s, msg.data));
      break;
    case 'trace': {
      const trace = s.trace.concat(msg.events);
      store.setState({ trace: trace.length > TRACE_LIMIT ? trace.slice(trace.length - TRACE_LIMIT) : trace });
      break;
    }
    case 'runstate':
      store.setState({ runstate: msg.state });
      break;
    case 'migration':
      store.setState({ migration: msg.info });
      break;
    case 'stats':
      store.setState({ stats: { insns: msg.insns, mips: msg.mips } });
      break;
    case 'error':
      store.setState({ errors: [...s.errors, { wallMs: Date.now(), message: msg.message }].slice(-ERROR_LIMIT) });
      break;
    case 'snapshot': {
      const snap = msg.snapshot;
      if (!snap) break;
      const watch = snap.kind === 'vmstate' && s.vmstateWatch && snap.sections.some((x) => x.payload)
        ? { vmstateWatch: recordVmstate(s.vmstateWatch, snap, Date.now()) } : {};
      store.setState({ snapshots: { ...s.snapshots, [snap.kind]: snap }, ...watch });
      break;
    }
    case 'control':
      break;
  }
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
