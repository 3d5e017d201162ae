import { describe, expect, it } from 'vitest';
import { canMigrate } from './lab';
import { createSessionStore, migrationStarted } from '../store/session';

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
