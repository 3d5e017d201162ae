// The guided scenarios, run off the page thread. A run is deterministic and takes seconds: the
// worker runs it to the end with frames on (both machines' snapshots at every step) and posts
// the recording back as plain data; the page replays it. A sweep runs the scenario at many
// stop-and-copy points and posts the points.
//
// Requests are handled one at a time, in order; the page uses a second worker for sweeps so
// that a run is never queued behind one.

import type { Scenario } from '../core/scenarios/scenario';
import type { FromScenarioWorker, ScenarioInfo, ScenarioRecording, ToScenarioWorker } from './scenario-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: FromScenarioWorker): void {
  scope.postMessage(msg);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message || String(e) : String(e);
}

let registry: Promise<readonly Scenario[]> | null = null;
let guestBase = '';
/** Guest images by file name, fetched once. */
const guests = new Map<string, Promise<Uint8Array>>();

function scenarios(): Promise<readonly Scenario[]> {
  registry ??= import('../core/scenarios/index').then((m) => m.SCENARIOS);
  return registry;
}

function info(s: Scenario): ScenarioInfo {
  return {
    id: s.id, title: s.title, thread: s.thread, summary: s.summary, guest: s.guest,
    defaultVariant: s.defaultVariant,
    variants: s.variants.map((v) => ({ name: v.name, title: v.title, summary: v.summary })),
    hasSweep: typeof s.sweep === 'function',
  };
}

function guest(name: string): Promise<Uint8Array> {
  let p = guests.get(name);
  if (!p) {
    const url = new URL(name, guestBase).href;
    p = fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`could not load the guest image ${url}: ${res.status} ${res.statusText}`);
      return new Uint8Array(await res.arrayBuffer());
    });
    p.catch(() => guests.delete(name));
    guests.set(name, p);
  }
  return p;
}

async function find(id: string): Promise<Scenario> {
  const s = (await scenarios()).find((x) => x.id === id);
  if (!s) throw new Error(`unknown scenario '${id}'`);
  return s;
}

/** A copy that is sure to be plain data (no class instances, no functions). */
function plain<T>(v: T): T {
  return structuredClone(v);
}

async function handle(msg: ToScenarioWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      guestBase = msg.guestBase;
      try {
        post({ type: 'catalog', scenarios: (await scenarios()).map(info) });
      } catch (e) {
        post({ type: 'unavailable', message: `the scenarios could not be loaded: ${describe(e)}` });
      }
      return;
    }
    case 'run': {
      const { id } = msg;
      try {
        const s = await find(msg.scenario);
        post({ type: 'progress', id, phase: 'guest' });
        const elf = await guest(s.guest);
        post({ type: 'progress', id, phase: 'running' });
        const t0 = performance.now();
        const r = s.run(elf, { variant: msg.variant, frames: true, completeAtNs: msg.completeAtNs });
        const recording: ScenarioRecording = {
          scenario: s.id, variant: r.variant,
          events: plain(r.session.events), frames: plain(r.session.frames),
          outcome: r.outcome, verdict: r.verdict, broken: r.broken,
          ...(msg.completeAtNs !== undefined ? { completeAtNs: msg.completeAtNs } : {}),
          wallMs: performance.now() - t0,
        };
        post({ type: 'recording', id, recording });
      } catch (e) {
        if (e instanceof Error && e.stack) console.error(e.stack);
        post({ type: 'failed', id, message: describe(e) });
      }
      return;
    }
    case 'sweep': {
      const { id } = msg;
      try {
        const s = await find(msg.scenario);
        if (!s.sweep) throw new Error(`scenario ${s.id} has no sweep`);
        post({ type: 'progress', id, phase: 'guest' });
        const elf = await guest(s.guest);
        post({ type: 'progress', id, phase: 'running' });
        const t0 = performance.now();
        const result = plain(s.sweep(elf, Math.max(2, msg.count), msg.variant));
        post({ type: 'sweep', id, scenario: s.id, variant: msg.variant, result, wallMs: performance.now() - t0 });
      } catch (e) {
        if (e instanceof Error && e.stack) console.error(e.stack);
        post({ type: 'failed', id, message: describe(e) });
      }
      return;
    }
  }
}

// One request at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<ToScenarioWorker>) => {
  const msg = ev.data;
  queue = queue.then(() => handle(msg));
};
