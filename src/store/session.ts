// Which guest the lab runs, which column plays which part right now, and the migration under
// way (if any).

import { createStore, type StoreApi } from 'zustand/vanilla';
import { GUESTS, guestById } from '../core/guests';
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

/** The guest the page boots unless told otherwise (`?guest=ID`). */
export const DEFAULT_GUEST = 'hello';

export interface SessionState {
  /** The bundled guest (src/core/guests.ts) both machines are configured for. */
  guest: string;
  /** The guest's images are being fetched for the source: it has not booted yet. */
  guestLoading: boolean;
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

export function createSessionStore(guest: string = DEFAULT_GUEST): SessionStore {
  return createStore<SessionState>()(() => ({
    guest: guestById(guest) ? guest : DEFAULT_GUEST,
    guestLoading: false,
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

// ---- the guest ------------------------------------------------------------------------------

/**
 * A guest was chosen: both machines start over for it (the source boots it once its images
 * are in, the other side waits as a fresh destination). The last migration's figures belonged
 * to the previous machines. False when it cannot be changed now (unknown id, migration under way).
 */
export function guestSelected(store: SessionStore, id: string): boolean {
  if (!guestById(id) || store.getState().active) return false;
  store.setState({ guest: id, guestLoading: true, last: null, cancelRequested: false });
  return true;
}

/** The guest's images are being fetched for the source (true), or it has them or they failed (false). */
export function setGuestLoading(store: SessionStore, loading: boolean): void {
  store.setState({ guestLoading: loading });
}

/** The guest named by `?guest=ID` in a location's search string; the default when absent or unknown. */
export function guestFromSearch(search: string): string {
  const id = new URLSearchParams(search).get('guest');
  return id !== null && GUESTS.some((g) => g.id === id) ? id : DEFAULT_GUEST;
}

/** `search` with `guest=ID` set (or removed for the default guest), other parameters kept. */
export function searchWithGuest(search: string, id: string): string {
  const p = new URLSearchParams(search);
  if (id === DEFAULT_GUEST) p.delete('guest');
  else p.set('guest', id);
  const q = p.toString();
  return q ? `?${q}` : '';
}
