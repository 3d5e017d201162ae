// Which column plays which part right now, and the migration under way (if any).

import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_MIGRATION_PARAMS, type InstanceRole, type MigrationParamName, type MigrationParams } from '../worker/protocol';

export type Column = 'left' | 'right';

export const COLUMNS: readonly Column[] = ['left', 'right'];

export function other(c: Column): Column {
  return c === 'left' ? 'right' : 'left';
}

export interface ActiveMigration {
  from: Column;
  to: Column;
  /** Date.now() when it was started from the page. */
  startedMs: number;
}

export interface SessionState {
  roles: Record<Column, InstanceRole>;
  /** The migration in progress, or null. */
  active: ActiveMigration | null;
  /** The last migration started (kept after it ends, for the migration bar). */
  last: ActiveMigration | null;
  /** Number of migrations started. */
  count: number;
  /** migrate_set_parameter values for the next migration (and the one in progress). */
  params: MigrationParams;
  /** migrate_cancel was given for the active migration. */
  cancelRequested: boolean;
}

export type SessionStore = StoreApi<SessionState>;

export function createSessionStore(): SessionStore {
  return createStore<SessionState>()(() => ({
    roles: { left: 'source', right: 'destination' },
    active: null,
    last: null,
    count: 0,
    params: { ...DEFAULT_MIGRATION_PARAMS },
    cancelRequested: false,
  }));
}

export function migrationStarted(store: SessionStore, from: Column): void {
  const m: ActiveMigration = { from, to: other(from), startedMs: Date.now() };
  store.setState((s) => ({
    roles: { [from]: 'source', [other(from)]: 'destination' } as Record<Column, InstanceRole>,
    active: m,
    last: m,
    count: s.count + 1,
    cancelRequested: false,
  }));
}

export function migrationEnded(store: SessionStore): void {
  store.setState({ active: null, cancelRequested: false });
}

export function cancelRequested(store: SessionStore): void {
  if (store.getState().active) store.setState({ cancelRequested: true });
}

/** Sets one parameter (downtime-limit in ms, max-bandwidth in bytes/s); false if invalid. */
export function setMigrationParam(store: SessionStore, name: MigrationParamName, value: number): boolean {
  if (!Number.isFinite(value) || value <= 0) return false;
  const key = name === 'downtime-limit' ? 'downtimeLimitMs' : 'maxBandwidth';
  store.setState((s) => ({ params: { ...s.params, [key]: value } }));
  return true;
}

/** The column that currently has `role`. */
export function columnOf(s: SessionState, role: InstanceRole): Column {
  return s.roles.left === role ? 'left' : 'right';
}
