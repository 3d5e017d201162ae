// The page's keyboard shortcuts: one table (what the help overlay lists) and the decision of
// which action a key press is. Keys typed into a field, the console (xterm.js) or Monaco are
// theirs: no shortcut fires there.

import { TABS, TAB_LABELS } from '../store/layout';

export type ShortcutAction =
  | { kind: 'help' }
  | { kind: 'close' }
  | { kind: 'tab'; index: number }
  | { kind: 'focus'; column: 'left' | 'right' }
  | { kind: 'migrate' }
  | { kind: 'cancel' }
  | { kind: 'stop-cont' }
  | { kind: 'step' }
  | { kind: 'theme' }
  | { kind: 'inspector' }
  | { kind: 'view' };

/** The overlay's list: keys as shown, and what they do. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['1', '…', String(TABS.length)], what: `tab of the focused column (${TABS.map((t) => TAB_LABELS[t]).join(', ')})` },
  { keys: ['['], what: 'focus the left column' },
  { keys: [']'], what: 'focus the right column' },
  { keys: ['s'], what: 'stop / cont the focused column\'s VM (running ↔ paused)' },
  { keys: ['n'], what: 'step one instruction (VM paused or in debug)' },
  { keys: ['m'], what: 'migrate the source to the destination (Migrate → or ←)' },
  { keys: ['x'], what: 'migrate_cancel the migration under way' },
  { keys: ['i'], what: 'open / close the stream inspector' },
  { keys: ['v'], what: 'switch between the live lab and the scenarios' },
  { keys: ['t'], what: 'switch between the light and dark themes' },
  { keys: ['?'], what: 'show / hide this list' },
  { keys: ['Esc'], what: 'close this list' },
];

/** What of a key event the decision needs (a KeyboardEvent has all of it). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The element the key was typed into. */
  target: EventTarget | null;
}

/** Whether keys typed at `el` belong to it: form fields, editable content, the console, Monaco. */
export function ownsKeys(el: EventTarget | null): boolean {
  const e = el as (Element & { isContentEditable?: boolean }) | null;
  if (!e || typeof e.closest !== 'function') return false;
  const tag = e.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (e.isContentEditable) return true;
  return e.closest('.xterm, .monaco-editor, [contenteditable="true"]') !== null;
}

/** The action a key press asks for, or null (not a shortcut, or typed where keys are text). */
export function shortcutFor(ev: KeyLike, helpOpen: boolean): ShortcutAction | null {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return null;
  if (helpOpen && ev.key === 'Escape') return { kind: 'close' };
  if (ownsKeys(ev.target)) return null;
  const k = ev.key;
  if (k === '?') return { kind: 'help' };
  if (/^[1-9]$/.test(k)) {
    const index = Number(k) - 1;
    return index < TABS.length ? { kind: 'tab', index } : null;
  }
  switch (k) {
    case '[': return { kind: 'focus', column: 'left' };
    case ']': return { kind: 'focus', column: 'right' };
    case 's': return { kind: 'stop-cont' };
    case 'n': return { kind: 'step' };
    case 'm': return { kind: 'migrate' };
    case 'x': return { kind: 'cancel' };
    case 'i': return { kind: 'inspector' };
    case 'v': return { kind: 'view' };
    case 't': return { kind: 'theme' };
  }
  return null;
}
