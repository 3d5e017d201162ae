// A read-only view of the stores for browser automation (the e2e suite reads it through
// page.evaluate). It exposes no commands: tests drive the page the way a user does.

import { consoleText, traceLines } from '../store/instance';
import { columnOf, type Column } from '../store/session';
import type { MigrationInfo } from '../worker/protocol';
import type { RunState } from '../core/runstate';
import type { Lab } from './lab';

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
}

declare global {
  interface Window { __pseriesLab?: PseriesLabHook }
}

export function installTestHook(lab: Lab): void {
  const column = (side: Side): Column =>
    side === 'left' || side === 'right' ? side : columnOf(lab.session.getState(), side);
  const state = (side: Side) => lab.store(column(side)).getState();
  const hook: PseriesLabHook = {
    consoleText: (side) => consoleText(state(side)),
    traceLines: (side) => traceLines(state(side)),
    runstate: (side) => state(side).runstate,
    migration: (side) => state(side).migration,
    errors: (side) => state(side).errors.map((e) => e.message),
    session: () => {
      const s = lab.session.getState();
      return { source: columnOf(s, 'source'), destination: columnOf(s, 'destination'), active: s.active !== null, count: s.count };
    },
  };
  Object.defineProperty(window, '__pseriesLab', { value: Object.freeze(hook), configurable: false, writable: false });
}
