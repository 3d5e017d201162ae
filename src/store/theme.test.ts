import { describe, expect, it } from 'vitest';
import { createThemeStore, initialTheme, setTheme, systemThemeChanged, THEME_KEY, toggleTheme, type ThemeEnv } from './theme';

function env(stored: string | null, dark: boolean) {
  const items = new Map<string, string>(stored === null ? [] : [[THEME_KEY, stored]]);
  const root = { dataset: {} as Record<string, string | undefined> };
  const e: ThemeEnv = {
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => { items.set(k, v); } },
    prefersDark: () => dark,
    root,
  };
  return { e, items, root };
}

describe('the theme', () => {
  it('starts from what was remembered, else the system preference', () => {
    expect(initialTheme(env(null, false).e)).toEqual({ theme: 'light', chosen: false });
    expect(initialTheme(env(null, true).e)).toEqual({ theme: 'dark', chosen: false });
    expect(initialTheme(env('light', true).e)).toEqual({ theme: 'light', chosen: true });
    expect(initialTheme(env('dark', false).e)).toEqual({ theme: 'dark', chosen: true });
    expect(initialTheme(env('purple', true).e)).toEqual({ theme: 'dark', chosen: false });
    expect(initialTheme({})).toEqual({ theme: 'light', chosen: false });
    const throwing: ThemeEnv = { storage: { getItem: () => { throw new Error('denied'); }, setItem: () => {} }, prefersDark: () => true };
    expect(initialTheme(throwing).theme).toBe('dark');
  });

  it('sets data-theme on the root and remembers a choice, not the system\'s', () => {
    const { e, items, root } = env(null, true);
    const store = createThemeStore(e);
    expect(root.dataset.theme).toBe('dark');
    systemThemeChanged(store, false);
    expect(root.dataset.theme).toBe('light');
    expect(items.has(THEME_KEY)).toBe(false);
    toggleTheme(store);
    expect(root.dataset.theme).toBe('dark');
    expect(items.get(THEME_KEY)).toBe('dark');
    // once chosen, the system's changes are not followed
    systemThemeChanged(store, false);
    expect(store.getState().theme).toBe('dark');
    setTheme(store, 'light');
    expect(items.get(THEME_KEY)).toBe('light');
    expect(root.dataset.theme).toBe('light');
  });
});
