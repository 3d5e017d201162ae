import { describe, expect, it } from 'vitest';
import { canCancel, canMigrate } from './lab';
import { cancelRequested, createSessionStore, migrationEnded, migrationStarted, setMigrationParam } from '../store/session';

describe('canMigrate', () => {
  const idle = createSessionStore().getState();
  const running = { ready: true, runstate: 'running' } as const;
  const prelaunch = { ready: true, runstate: 'prelaunch' } as const;
  const postmigrate = { ready: true, runstate: 'postmigrate' } as const;

  it('allows only from a running machine to one that is not running', () => {
    expect(canMigrate(idle, running, prelaunch)).toBe(true);
    expect(canMigrate(idle, running, postmigrate)).toBe(true);
    expect(canMigrate(idle, prelaunch, running)).toBe(false);
    expect(canMigrate(idle, postmigrate, running)).toBe(false);
    expect(canMigrate(idle, running, running)).toBe(false);
    expect(canMigrate(idle, running, { ready: false, runstate: 'prelaunch' })).toBe(false);
  });

  it('allows nothing while a migration is under way', () => {
    const session = createSessionStore();
    migrationStarted(session, 'left');
    expect(canMigrate(session.getState(), running, prelaunch)).toBe(false);
  });
});

describe('canCancel', () => {
  it('applies only while the outgoing migration is in setup or active', () => {
    const session = createSessionStore();
    expect(canCancel(session.getState(), null)).toBe(false);
    migrationStarted(session, 'left');
    expect(canCancel(session.getState(), null)).toBe(true);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'setup' })).toBe(true);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'active' })).toBe(true);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'completed' })).toBe(false);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'cancelling' })).toBe(false);
    cancelRequested(session);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'active' })).toBe(false);
    migrationEnded(session);
    expect(session.getState().cancelRequested).toBe(false);
  });
});

describe('migration parameters', () => {
  it("start at QEMU's defaults and take only positive numbers", () => {
    const session = createSessionStore();
    expect(session.getState().params).toEqual({ downtimeLimitMs: 300, maxBandwidth: 128 * 1024 * 1024 });
    expect(setMigrationParam(session, 'downtime-limit', 50)).toBe(true);
    expect(setMigrationParam(session, 'max-bandwidth', 0)).toBe(false);
    expect(setMigrationParam(session, 'max-bandwidth', Number.NaN)).toBe(false);
    expect(setMigrationParam(session, 'max-bandwidth', 1024)).toBe(true);
    expect(session.getState().params).toEqual({ downtimeLimitMs: 50, maxBandwidth: 1024 });
  });
});
