// The page's colour theme: light or dark. The choice is remembered in localStorage; without
// one the page follows the system's prefers-color-scheme. The document root carries it as
// data-theme, which selects app.css's set of colour variables (and Monaco's theme).

import { createStore, type StoreApi } from 'zustand/vanilla';

export type Theme = 'light' | 'dark';

export const THEME_KEY = 'pseries-lab.theme';

export interface ThemeState {
  theme: Theme;
  /** True when the user picked it (kept in localStorage), false when it follows the system. */
  chosen: boolean;
}

export type ThemeStore = StoreApi<ThemeState>;

/** The places a theme is read from and written to (a window in the page, stubs in tests). */
export interface ThemeEnv {
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  prefersDark?: () => boolean;
  root?: { dataset: Record<string, string | undefined> } | null;
}

function isTheme(v: unknown): v is Theme {
  return v === 'light' || v === 'dark';
}

function stored(env: ThemeEnv): Theme | null {
  try {
    const v = env.storage?.getItem(THEME_KEY);
    return isTheme(v) ? v : null;
  } catch {
    return null; // storage may be unavailable (privacy settings)
  }
}

/** The theme to start with: the one remembered, else the system's preference, else light. */
export function initialTheme(env: ThemeEnv): ThemeState {
  const s = stored(env);
  if (s) return { theme: s, chosen: true };
  return { theme: env.prefersDark?.() ? 'dark' : 'light', chosen: false };
}

/** The page's own environment (nothing outside a browser). */
export function browserThemeEnv(): ThemeEnv {
  if (typeof window === 'undefined') return {};
  let storage: Storage | null = null;
  try { storage = window.localStorage; } catch { storage = null; }
  return {
    storage,
    prefersDark: () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
    root: document.documentElement,
  };
}

/** A store that keeps the document root's data-theme and localStorage in step with it. */
export function createThemeStore(env: ThemeEnv = {}): ThemeStore {
  const store = createStore<ThemeState>()(() => initialTheme(env));
  const apply = (s: ThemeState) => { if (env.root) env.root.dataset.theme = s.theme; };
  apply(store.getState());
  store.subscribe((s, prev) => {
    apply(s);
    if (s.chosen && (s.theme !== prev.theme || !prev.chosen)) {
      try { env.storage?.setItem(THEME_KEY, s.theme); } catch { /* not remembered */ }
    }
  });
  return store;
}

/** The user picked a theme: it is remembered. */
export function setTheme(store: ThemeStore, theme: Theme): void {
  store.setState({ theme, chosen: true });
}

export function toggleTheme(store: ThemeStore): void {
  setTheme(store, store.getState().theme === 'dark' ? 'light' : 'dark');
}

/** The system's preference changed: followed unless the user has picked a theme. */
export function systemThemeChanged(store: ThemeStore, dark: boolean): void {
  if (!store.getState().chosen) store.setState({ theme: dark ? 'dark' : 'light' });
}
