import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GUEST, createSessionStore, guestFromSearch, guestSelected, migrationEnded, migrationStarted,
  searchWithGuest, setGuestLoading,
} from './session';
import { GUESTS } from '../core/guests';

describe('the guest of the session', () => {
  it('is hello unless a known guest is asked for', () => {
    expect(DEFAULT_GUEST).toBe('hello');
    expect(GUESTS.some((g) => g.id === DEFAULT_GUEST)).toBe(true);
    expect(createSessionStore().getState().guest).toBe('hello');
    expect(createSessionStore('linux').getState().guest).toBe('linux');
    expect(createSessionStore('no-such-guest').getState().guest).toBe('hello');
    expect(createSessionStore().getState().guestLoading).toBe(false);
  });

  it('changes to a known guest, not while a migration is under way', () => {
    const s = createSessionStore();
    expect(guestSelected(s, 'nope')).toBe(false);
    expect(s.getState().guest).toBe('hello');

    migrationStarted(s, 'left');
    expect(guestSelected(s, 'linux')).toBe(false);
    expect(s.getState().guest).toBe('hello');
    migrationEnded(s);
    expect(s.getState().last).not.toBeNull();

    expect(guestSelected(s, 'linux')).toBe(true);
    const after = s.getState();
    expect(after.guest).toBe('linux');
    // the source has to load and boot it; the last migration was of the previous machines
    expect(after.guestLoading).toBe(true);
    expect(after.last).toBeNull();
    // roles and the migration count stay
    expect(after.roles).toEqual({ left: 'source', right: 'destination' });
    expect(after.count).toBe(1);
    setGuestLoading(s, false);
    expect(s.getState().guestLoading).toBe(false);
  });
});

describe('?guest= in the URL', () => {
  it('names a known guest; anything else is the default', () => {
    expect(guestFromSearch('')).toBe('hello');
    expect(guestFromSearch('?guest=linux')).toBe('linux');
    expect(guestFromSearch('?x=1&guest=linux')).toBe('linux');
    expect(guestFromSearch('?guest=hello')).toBe('hello');
    expect(guestFromSearch('?guest=LINUX')).toBe('hello');
    expect(guestFromSearch('?guest=')).toBe('hello');
  });

  it('is set for a guest other than the default, other parameters kept', () => {
    expect(searchWithGuest('', 'linux')).toBe('?guest=linux');
    expect(searchWithGuest('?guest=linux', 'hello')).toBe('');
    expect(searchWithGuest('?a=1', 'linux')).toBe('?a=1&guest=linux');
    expect(searchWithGuest('?a=1&guest=linux', 'hello')).toBe('?a=1');
    expect(searchWithGuest('?guest=hello', 'hello')).toBe('');
    for (const g of GUESTS) expect(guestFromSearch(searchWithGuest('?a=1', g.id))).toBe(g.id);
  });
});
