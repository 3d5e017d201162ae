// The page-side picture of the guided scenarios: the registry as the scenario worker lists it,
// what is selected, the run being recorded or replayed, the player's position in it, and the
// sweeps. It changes only through the functions below (the scenario host feeds it worker
// messages, the player's buttons move the cursor).
//
// The player's position is `cursor`: how many events of the recording are shown (0 ...
// events.length). The frame shown is the last one taken at or before the cursor: moving step
// by step jumps between frames, the scrubber moves event by event.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ScenarioFrame, ScenarioInfo, ScenarioRecording, SweepResult } from '../worker/scenario-protocol';

export type JobPhase = 'starting' | 'guest' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunJob {
  id: number;
  scenario: string;
  variant: string;
  /** A sweep point's stop-and-copy time (ns after the reference), when one was picked. */
  completeAtNs?: number;
  phase: JobPhase;
  /** Date.now() when it was asked for. */
  startedMs: number;
  error?: string;
}

export interface SweepJob {
  id: number;
  scenario: string;
  variant: string;
  count: number;
  phase: JobPhase;
  startedMs: number;
  result?: SweepResult;
  wallMs?: number;
  error?: string;
}

export interface ScenarioState {
  /** null until the worker has listed them. */
  catalog: ScenarioInfo[] | null;
  /** Why there are no scenarios, when the registry failed to load. */
  unavailable: string | null;
  selected: string | null;
  /** Variant chosen per scenario (absent: its default). */
  variants: Record<string, string>;
  /** The run asked for last (and its progress). */
  job: RunJob | null;
  recording: ScenarioRecording | null;
  cursor: number;
  playing: boolean;
  /** Playback speed factor. */
  speed: number;
  /** The last sweep asked for per scenario. */
  sweeps: Record<string, SweepJob>;
}

export type ScenarioStore = StoreApi<ScenarioState>;

export function createScenarioStore(): ScenarioStore {
  return createStore<ScenarioState>()(() => ({
    catalog: null, unavailable: null, selected: null, variants: {},
    job: null, recording: null, cursor: 0, playing: false, speed: 1, sweeps: {},
  }));
}

// ---- selection ------------------------------------------------------------------------------

export function setCatalog(store: ScenarioStore, catalog: ScenarioInfo[]): void {
  store.setState((s) => ({
    catalog, unavailable: null,
    selected: s.selected && catalog.some((c) => c.id === s.selected) ? s.selected : catalog[0]?.id ?? null,
  }));
}

export function setUnavailable(store: ScenarioStore, message: string): void {
  store.setState({ unavailable: message });
}

export function selectScenario(store: ScenarioStore, id: string): void {
  store.setState({ selected: id });
}

export function selectVariant(store: ScenarioStore, scenario: string, variant: string): void {
  store.setState((s) => ({ variants: { ...s.variants, [scenario]: variant } }));
}

/** The selected scenario's info and variant name. */
export function selection(s: ScenarioState): { info: ScenarioInfo; variant: string } | null {
  const info = s.catalog?.find((c) => c.id === s.selected);
  if (!info) return null;
  return { info, variant: s.variants[info.id] ?? info.defaultVariant };
}

// ---- jobs -------------------------------------------------------------------------------------

export function runStarted(store: ScenarioStore, job: Omit<RunJob, 'phase' | 'startedMs'>, now = Date.now()): void {
  store.setState({ job: { ...job, phase: 'starting', startedMs: now }, playing: false });
}

export function jobPhase(store: ScenarioStore, id: number, phase: JobPhase, error?: string): void {
  store.setState((s) => {
    if (s.job?.id === id) return { job: { ...s.job, phase, error } };
    const sw = Object.values(s.sweeps).find((x) => x.id === id);
    if (sw) return { sweeps: { ...s.sweeps, [sw.scenario]: { ...sw, phase, error } } };
    return {};
  });
}

/** A recording arrived: the player starts at its first step. */
export function runRecorded(store: ScenarioStore, id: number, recording: ScenarioRecording): void {
  store.setState((s) => {
    if (s.job?.id !== id) return {};
    return {
      job: { ...s.job, phase: 'done' }, recording,
      cursor: recording.frames[0]?.eventCount ?? 0, playing: false,
    };
  });
}

export function sweepStarted(store: ScenarioStore, job: Omit<SweepJob, 'phase' | 'startedMs'>, now = Date.now()): void {
  store.setState((s) => ({ sweeps: { ...s.sweeps, [job.scenario]: { ...job, phase: 'starting', startedMs: now } } }));
}

export function sweepDone(store: ScenarioStore, id: number, result: SweepResult, wallMs: number): void {
  store.setState((s) => {
    const sw = Object.values(s.sweeps).find((x) => x.id === id);
    if (!sw) return {};
    return { sweeps: { ...s.sweeps, [sw.scenario]: { ...sw, phase: 'done', result, wallMs } } };
  });
}

export function isBusy(phase: JobPhase | undefined): boolean {
  return phase === 'starting' || phase === 'guest' || phase === 'running';
}

// ---- the player -------------------------------------------------------------------------------

/** The index of the frame shown at `cursor` (the last taken at or before it), or -1. */
export function frameIndexAt(frames: readonly ScenarioFrame[], cursor: number): number {
  let i = -1;
  for (let k = 0; k < frames.length; k++) {
    if (frames[k].eventCount <= cursor) i = k;
    else break;
  }
  return i;
}

/** Events up to and including the outcome: where "the end" of a recording is. */
export function endCursor(rec: ScenarioRecording): number {
  return rec.events.length;
}

/** Whether the cursor has reached the outcome line. */
export function outcomeReached(rec: ScenarioRecording, cursor: number): boolean {
  const i = rec.events.findIndex((e) => e.kind === 'outcome');
  return cursor >= (i >= 0 ? i + 1 : rec.events.length);
}

function clampCursor(rec: ScenarioRecording, c: number): number {
  return Math.max(0, Math.min(endCursor(rec), Math.round(c)));
}

export function seek(store: ScenarioStore, cursor: number, opts: { keepPlaying?: boolean } = {}): void {
  store.setState((s) => (s.recording
    ? { cursor: clampCursor(s.recording, cursor), playing: opts.keepPlaying ? s.playing : false }
    : {}));
}

export function goToStep(store: ScenarioStore, index: number): void {
  const rec = store.getState().recording;
  if (!rec || !rec.frames.length) return;
  const i = Math.max(0, Math.min(rec.frames.length - 1, index));
  seek(store, rec.frames[i].eventCount);
}

/** The cursor Next goes to: the next frame, then the end. */
export function nextCursor(rec: ScenarioRecording, cursor: number): number {
  const next = rec.frames.find((f) => f.eventCount > cursor);
  return next ? next.eventCount : endCursor(rec);
}

/** The cursor Previous goes to: back to the current frame's start, else the frame before. */
export function prevCursor(rec: ScenarioRecording, cursor: number): number {
  const i = frameIndexAt(rec.frames, cursor);
  if (i < 0) return 0;
  if (cursor > rec.frames[i].eventCount) return rec.frames[i].eventCount;
  return i > 0 ? rec.frames[i - 1].eventCount : rec.frames[0].eventCount;
}

export function next(store: ScenarioStore): void {
  const { recording, cursor } = store.getState();
  if (recording) seek(store, nextCursor(recording, cursor));
}

export function prev(store: ScenarioStore): void {
  const { recording, cursor } = store.getState();
  if (recording) seek(store, prevCursor(recording, cursor));
}

export function setPlaying(store: ScenarioStore, playing: boolean): void {
  store.setState((s) => {
    if (!s.recording) return {};
    // Play at the end starts over.
    if (playing && s.cursor >= endCursor(s.recording)) return { playing, cursor: 0 };
    return { playing };
  });
}

/** Replay: back to the first step and play. */
export function replay(store: ScenarioStore): void {
  store.setState((s) => (s.recording ? { cursor: s.recording.frames[0]?.eventCount ?? 0, playing: true } : {}));
}

export function setSpeed(store: ScenarioStore, speed: number): void {
  store.setState({ speed });
}

/** Time to read a step's explanation, ms at speed 1. */
export function dwellMs(text: string): number {
  return Math.min(9000, Math.max(2600, 1200 + text.length * 28));
}

/**
 * How long Play stays at `cursor` before moving one event on, ms at speed 1: a step is held
 * long enough to read it; between two steps the events go by in at most ~2.5 s.
 */
export function playDelayMs(rec: ScenarioRecording, cursor: number): number {
  const at = rec.frames.find((f) => f.eventCount === cursor);
  if (at) return dwellMs(at.text);
  const before = [...rec.frames].reverse().find((f) => f.eventCount < cursor);
  const after = rec.frames.find((f) => f.eventCount > cursor);
  const gap = (after?.eventCount ?? endCursor(rec)) - (before?.eventCount ?? 0);
  return Math.max(40, Math.min(450, 2500 / Math.max(1, gap)));
}

/** One tick of Play: one event on; stops at the end. */
export function playTick(store: ScenarioStore): void {
  store.setState((s) => {
    if (!s.recording || !s.playing) return {};
    const end = endCursor(s.recording);
    const cursor = Math.min(end, s.cursor + 1);
    return { cursor, playing: cursor < end };
  });
}
