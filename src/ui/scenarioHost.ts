// The page's side of the guided scenarios: the scenario workers and the store they feed. Runs
// go to one worker, sweeps to another (a sweep runs the scenario many times and would hold
// up a run). Both are started on first use: a page that never opens the scenarios never
// loads them.

import type { FromScenarioWorker, ToScenarioWorker } from '../worker/scenario-protocol';
import {
  createScenarioStore, isBusy, jobPhase, runRecorded, runStarted, selection, setCatalog, setUnavailable,
  sweepDone, sweepStarted, type ScenarioStore,
} from '../store/scenario';

/** Where the bundled guests are, absolute: a worker resolves relative URLs against its own script. */
export function guestBase(): string {
  return new URL(`${import.meta.env.BASE_URL}guests/`, document.baseURI).href;
}

/** Stop-and-copy points of a sweep. */
export const SWEEP_POINTS = 17;

export class ScenarioHost {
  readonly store: ScenarioStore = createScenarioStore();
  private workers: { run?: Worker; sweep?: Worker } = {};
  private nextId = 1;

  private worker(kind: 'run' | 'sweep'): Worker {
    let w = this.workers[kind];
    if (w) return w;
    w = new Worker(new URL('../worker/scenario.worker.ts', import.meta.url), { type: 'module', name: `scenario ${kind}` });
    w.onmessage = (ev: MessageEvent<FromScenarioWorker>) => this.receive(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      const message = `scenario worker: ${ev.message || 'failed to load'}`;
      if (!this.store.getState().catalog) setUnavailable(this.store, message);
      this.failAll(kind, message);
    };
    this.workers[kind] = w;
    const init: ToScenarioWorker = { type: 'init', guestBase: guestBase() };
    w.postMessage(init);
    return w;
  }

  /** Starts the run worker, which lists the scenarios. */
  open(): void {
    this.worker('run');
  }

  /**
   * Run the selected scenario's selected variant, or (from a sweep's plot) a given variant
   * with the stop-and-copy at a given time.
   */
  run(at?: { variant: string; completeAtNs: number }): void {
    const sel = selection(this.store.getState());
    if (!sel) return;
    const id = this.nextId++;
    const variant = at?.variant ?? sel.variant;
    const completeAtNs = at?.completeAtNs;
    runStarted(this.store, { id, scenario: sel.info.id, variant, ...(completeAtNs !== undefined ? { completeAtNs } : {}) });
    const msg: ToScenarioWorker = { type: 'run', id, scenario: sel.info.id, variant, completeAtNs };
    this.worker('run').postMessage(msg);
  }

  /** Sweep the selected scenario's selected variant over `count` stop-and-copy points. */
  sweep(count = SWEEP_POINTS): void {
    const sel = selection(this.store.getState());
    if (!sel || !sel.info.hasSweep) return;
    const id = this.nextId++;
    sweepStarted(this.store, { id, scenario: sel.info.id, variant: sel.variant, count });
    const msg: ToScenarioWorker = { type: 'sweep', id, scenario: sel.info.id, count, variant: sel.variant };
    this.worker('sweep').postMessage(msg);
  }

  /**
   * Stop what a worker is doing: the run (or sweep) under way ends as cancelled. The worker is
   * thrown away (a scenario runs to its end in one go); the next request starts a fresh one.
   */
  cancel(kind: 'run' | 'sweep'): void {
    const w = this.workers[kind];
    if (!w) return;
    w.terminate();
    delete this.workers[kind];
    const s = this.store.getState();
    if (kind === 'run' && s.job && isBusy(s.job.phase)) jobPhase(this.store, s.job.id, 'cancelled');
    if (kind === 'sweep') {
      for (const sw of Object.values(s.sweeps)) if (isBusy(sw.phase)) jobPhase(this.store, sw.id, 'cancelled');
    }
  }

  private receive(msg: FromScenarioWorker): void {
    switch (msg.type) {
      case 'catalog': if (!this.store.getState().catalog) setCatalog(this.store, msg.scenarios); break;
      case 'unavailable': setUnavailable(this.store, msg.message); break;
      case 'progress': jobPhase(this.store, msg.id, msg.phase); break;
      case 'recording': runRecorded(this.store, msg.id, msg.recording); break;
      case 'sweep': sweepDone(this.store, msg.id, msg.result, msg.wallMs); break;
      case 'failed': jobPhase(this.store, msg.id, 'failed', msg.message); break;
    }
  }

  /** A worker died: whatever it was doing has failed. */
  private failAll(kind: 'run' | 'sweep', message: string): void {
    const s = this.store.getState();
    if (kind === 'run' && s.job && isBusy(s.job.phase)) jobPhase(this.store, s.job.id, 'failed', message);
    if (kind === 'sweep') {
      for (const sw of Object.values(s.sweeps)) if (isBusy(sw.phase)) jobPhase(this.store, sw.id, 'failed', message);
    }
  }
}
