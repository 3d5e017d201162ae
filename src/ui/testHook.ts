// A read-only view of the stores for browser automation (the e2e suite reads it through
// page.evaluate). It exposes no commands: tests drive the page the way a user does.

import { consoleText, traceLines } from '../store/instance';
import { columnOf, type Column } from '../store/session';
import type { MigrationInfo } from '../worker/protocol';
import type { RunState } from '../core/runstate';
import type { Lab } from './lab';
import type { ScenarioHost } from './scenarioHost';
import { frameIndexAt, outcomeReached } from '../store/scenario';
import { CODE_TEXTS } from './codeText';

/** A fixed column, or whichever column currently has that role. */
export type Side = Column | 'source' | 'destination';

export interface PseriesLabHook {
  consoleText(side: Side): string;
  traceLines(side: Side): string[];
  runstate(side: Side): RunState;
  migration(side: Side): MigrationInfo | null;
  errors(side: Side): string[];
  /** Which column has which role now, and whether a migration is under way. */
  session(): { source: Column; destination: Column; active: boolean; count: number };
  /** The scenarios view: what is selected, the run, and where the player is. */
  scenario(): ScenarioHookState;
  /** The whole text of a read-only code view (Monaco shows only the visible lines), by test id. */
  codeText(testId: string): string | null;
}

export interface ScenarioHookState {
  view: 'lab' | 'scenarios';
  scenarios: string[];
  selected: string | null;
  variant: string | null;
  /** The last run asked for: starting, guest, running, done, failed (null: none). */
  phase: string | null;
  error: string | null;
  /** The recording being replayed. */
  recording: null | {
    scenario: string; variant: string; steps: string[]; events: number;
    verdict: string; broken: boolean; outcome: string;
  };
  /** The player: current step (-1 before the first), cursor in the events, playing. */
  step: number;
  cursor: number;
  playing: boolean;
  /** Whether the outcome line is shown. */
  atOutcome: boolean;
  /** The selected scenario's last sweep. */
  sweep: null | { phase: string; points: number; broken: number; error: string | null };
}

declare global {
  interface Window { __pseriesLab?: PseriesLabHook }
}

export function installTestHook(lab: Lab, scenarios?: ScenarioHost): void {
  const column = (side: Side): Column =>
    side === 'left' || side === 'right' ? side : columnOf(lab.session.getState(), side);
  const state = (side: Side) => lab.store(column(side)).getState();
  const hook: PseriesLabHook = {
    consoleText: (side) => consoleText(state(side)),
    codeText: (id) => CODE_TEXTS.get(id) ?? null,
    traceLines: (side) => traceLines(state(side)),
    runstate: (side) => state(side).runstate,
    migration: (side) => state(side).migration,
    errors: (side) => state(side).errors.map((e) => e.message),
    session: () => {
      const s = lab.session.getState();
      return { source: columnOf(s, 'source'), destination: columnOf(s, 'destination'), active: s.active !== null, count: s.count };
    },
    scenario: () => {
      const view = lab.layout.getState().view;
      const s = scenarios?.store.getState();
      if (!s) {
        return { view, scenarios: [], selected: null, variant: null, phase: null, error: null, recording: null, step: -1, cursor: 0, playing: false, atOutcome: false, sweep: null };
      }
      const info = s.catalog?.find((c) => c.id === s.selected) ?? null;
      const rec = s.recording;
      const sw = s.selected ? s.sweeps[s.selected] : undefined;
      return {
        view,
        scenarios: s.catalog?.map((c) => c.id) ?? [],
        selected: s.selected,
        variant: info ? s.variants[info.id] ?? info.defaultVariant : null,
        phase: s.job?.phase ?? null,
        error: s.job?.error ?? null,
        recording: rec && {
          scenario: rec.scenario, variant: rec.variant, steps: rec.frames.map((f) => f.title), events: rec.events.length,
          verdict: rec.verdict, broken: rec.broken, outcome: rec.outcome,
        },
        step: rec ? frameIndexAt(rec.frames, s.cursor) : -1,
        cursor: s.cursor,
        playing: s.playing,
        atOutcome: rec ? outcomeReached(rec, s.cursor) : false,
        sweep: sw ? {
          phase: sw.phase, points: sw.result?.points.length ?? 0,
          broken: sw.result?.points.filter((p) => p.broken).length ?? 0, error: sw.error ?? null,
        } : null,
      };
    },
  };
  Object.defineProperty(window, '__pseriesLab', { value: Object.freeze(hook), configurable: false, writable: false });
}
