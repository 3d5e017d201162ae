// Which panel each instance column shows, whether the stream inspector is open and which view
// the page shows (the live lab or the guided scenarios), kept in the URL hash
// (`#left=cpu&right=dt&inspector`, `#scenarios`) so a layout can be bookmarked and shared.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Column } from './session';

export const TABS = ['trace', 'dt', 'vmstate', 'cpu', 'ov5', 'monitor', 'memory', 'editor'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABELS: Record<Tab, string> = {
  trace: 'trace events',
  dt: 'device tree',
  vmstate: 'vmstate',
  cpu: 'CPU',
  ov5: 'ov5',
  monitor: 'monitor',
  memory: 'memory',
  editor: 'editor',
};

/** The live lab (two machines) or the guided scenarios. */
export type View = 'lab' | 'scenarios';

export interface LayoutState {
  tabs: Record<Column, Tab>;
  inspector: boolean;
  /** The shared timeline of both machines' trace events is open. */
  timeline: boolean;
  view: View;
  /** The column the keyboard shortcuts act on: the one last clicked or focused (not in the URL). */
  focused: Column;
  /** The keyboard shortcuts overlay is shown (not in the URL). */
  help: boolean;
  /** What a keyboard shortcut answered, when it could not do what it asks (e.g. QEMU's error for step). */
  notice: { text: string; seq: number } | null;
}

export type LayoutStore = StoreApi<LayoutState>;

const DEFAULT: LayoutState = { tabs: { left: 'trace', right: 'trace' }, inspector: false, timeline: false, view: 'lab', focused: 'left', help: false, notice: null };

/** What the URL hash holds. */
export type HashState = Pick<LayoutState, 'tabs' | 'inspector' | 'timeline' | 'view'>;

function isTab(v: string | null): v is Tab {
  return v !== null && (TABS as readonly string[]).includes(v);
}

export function parseHash(hash: string): HashState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const left = p.get('left');
  const right = p.get('right');
  return {
    tabs: { left: isTab(left) ? left : DEFAULT.tabs.left, right: isTab(right) ? right : DEFAULT.tabs.right },
    inspector: p.has('inspector'),
    timeline: p.has('timeline'),
    view: p.has('scenarios') ? 'scenarios' : 'lab',
  };
}

export function formatHash(s: HashState): string {
  const parts: string[] = [];
  if (s.tabs.left !== DEFAULT.tabs.left) parts.push(`left=${s.tabs.left}`);
  if (s.tabs.right !== DEFAULT.tabs.right) parts.push(`right=${s.tabs.right}`);
  if (s.inspector) parts.push('inspector');
  if (s.timeline) parts.push('timeline');
  if (s.view === 'scenarios') parts.push('scenarios');
  return parts.length ? `#${parts.join('&')}` : '';
}

export function createLayoutStore(initial: HashState = DEFAULT): LayoutStore {
  return createStore<LayoutState>()(() => ({
    tabs: { ...initial.tabs }, inspector: initial.inspector, timeline: initial.timeline ?? false, view: initial.view, focused: DEFAULT.focused, help: false, notice: null,
  }));
}

export function selectTab(store: LayoutStore, column: Column, tab: Tab): void {
  store.setState((s) => ({ tabs: { ...s.tabs, [column]: tab } }));
}

export function setInspector(store: LayoutStore, open: boolean): void {
  store.setState({ inspector: open });
}

export function setTimeline(store: LayoutStore, open: boolean): void {
  store.setState({ timeline: open });
}

export function setView(store: LayoutStore, view: View): void {
  store.setState({ view });
}

/** The column the keyboard shortcuts act on. */
export function focusColumn(store: LayoutStore, column: Column): void {
  if (store.getState().focused !== column) store.setState({ focused: column });
}

/** A shortcut's answer to show for a moment (null: none). */
export function setNotice(store: LayoutStore, text: string | null): void {
  store.setState((s) => ({ notice: text === null ? null : { text, seq: (s.notice?.seq ?? 0) + 1 } }));
}

/** Show or hide the keyboard shortcuts overlay. */
export function setHelp(store: LayoutStore, open: boolean): void {
  store.setState({ help: open });
}

/**
 * Keep the store and `location.hash` in step: the hash follows the store (replaceState, no
 * history entry per click) and a hash typed or pasted by the user updates the store.
 */
export function bindLayoutToHash(store: LayoutStore, win: Window = window): () => void {
  store.setState(parseHash(win.location.hash));
  const unsub = store.subscribe((s) => {
    const h = formatHash(s);
    if (h !== win.location.hash && !(h === '' && win.location.hash === '')) {
      win.history.replaceState(null, '', h || `${win.location.pathname}${win.location.search}`);
    }
  });
  const onHash = () => store.setState(parseHash(win.location.hash));
  win.addEventListener('hashchange', onHash);
  return () => { unsub(); win.removeEventListener('hashchange', onHash); };
}
