// The message protocol between the page and the scenario worker (scenario.worker.ts), which
// runs the guided scenarios of src/core/scenarios off the page thread. Like protocol.ts for a
// machine worker: one type each way, plain data only.

import type { ScenarioEvent, ScenarioFrame } from '../core/scenarios/session';
import type { SweepResult } from '../core/scenarios/scenario';

export type { ScenarioEvent, ScenarioFrame, SideSnapshot, DrcView, PanelName, SideName } from '../core/scenarios/session';
export type { SweepPoint, SweepResult } from '../core/scenarios/scenario';

/** What the launcher lists: the registry without the code. */
export interface ScenarioInfo {
  id: string;
  title: string;
  thread: string;
  summary: string;
  guest: string;
  defaultVariant: string;
  variants: Array<{ name: string; title: string; summary: string }>;
  hasSweep: boolean;
}

/** One run of a scenario, as the player replays it. */
export interface ScenarioRecording {
  scenario: string;
  variant: string;
  /** Everything both machines said, in order (steps and the outcome included). */
  events: ScenarioEvent[];
  /** One per guided step: explanation, focus and both machines' snapshots. */
  frames: ScenarioFrame[];
  outcome: string;
  verdict: string;
  broken: boolean;
  /** The stop-and-copy point asked for (ns after the sweep's reference), when not the variant's own. */
  completeAtNs?: number;
  /** How long the run took in the worker, ms (not part of the replay). */
  wallMs: number;
}

/** Page → scenario worker. */
export type ToScenarioWorker =
  /** Where the bundled guests are (an absolute URL ending in `/`); answered by `catalog`. */
  | { type: 'init'; guestBase: string }
  /**
   * Run one variant with frames (at a sweep point's stop-and-copy time when `completeAtNs` is
   * given); answered by `recording` or `failed` with the same id.
   */
  | { type: 'run'; id: number; scenario: string; variant?: string; completeAtNs?: number }
  /** The scenario's sweep of `count` stop-and-copy points; answered by `sweep` or `failed`. */
  | { type: 'sweep'; id: number; scenario: string; count: number; variant?: string };

/** Scenario worker → page. */
export type FromScenarioWorker =
  | { type: 'catalog'; scenarios: ScenarioInfo[] }
  /** The registry could not be loaded: no scenario can run. */
  | { type: 'unavailable'; message: string }
  /** What a request is doing now (fetching the guest, running). */
  | { type: 'progress'; id: number; phase: 'guest' | 'running' }
  | { type: 'recording'; id: number; recording: ScenarioRecording }
  | { type: 'sweep'; id: number; scenario: string; variant?: string; result: SweepResult; wallMs: number }
  | { type: 'failed'; id: number; message: string };
