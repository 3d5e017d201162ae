import { describe, expect, it } from 'vitest';
import { TABS } from '../store/layout';
import { ownsKeys, shortcutFor, SHORTCUTS, type KeyLike } from './shortcuts';

/** A stand-in for an element: its tag, and which of the given selectors `closest` finds. */
function el(tagName: string, inside: string[] = [], editable = false): EventTarget {
  return { tagName, isContentEditable: editable, closest: (sel: string) => (sel.split(',').some((s) => inside.includes(s.trim())) ? {} : null) } as unknown as EventTarget;
}

const key = (k: string, target: EventTarget | null = el('BODY'), mods: Partial<KeyLike> = {}): KeyLike =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target, ...mods });

describe('keyboard shortcuts', () => {
  it('map keys to actions on the page', () => {
    expect(shortcutFor(key('?'), false)).toEqual({ kind: 'help' });
    expect(shortcutFor(key('1'), false)).toEqual({ kind: 'tab', index: 0 });
    expect(shortcutFor(key(String(TABS.length)), false)).toEqual({ kind: 'tab', index: TABS.length - 1 });
    expect(shortcutFor(key('9'), false)).toBeNull();
    expect(shortcutFor(key('0'), false)).toBeNull();
    expect(shortcutFor(key('['), false)).toEqual({ kind: 'focus', column: 'left' });
    expect(shortcutFor(key(']'), false)).toEqual({ kind: 'focus', column: 'right' });
    expect(shortcutFor(key('s'), false)).toEqual({ kind: 'stop-cont' });
    expect(shortcutFor(key('n'), false)).toEqual({ kind: 'step' });
    expect(shortcutFor(key('m'), false)).toEqual({ kind: 'migrate' });
    expect(shortcutFor(key('x'), false)).toEqual({ kind: 'cancel' });
    expect(shortcutFor(key('t'), false)).toEqual({ kind: 'theme' });
    expect(shortcutFor(key('i'), false)).toEqual({ kind: 'inspector' });
    expect(shortcutFor(key('v'), false)).toEqual({ kind: 'view' });
    expect(shortcutFor(key('q'), false)).toBeNull();
    // Escape only closes the overlay
    expect(shortcutFor(key('Escape'), false)).toBeNull();
    expect(shortcutFor(key('Escape'), true)).toEqual({ kind: 'close' });
  });

  it('leave keys with Ctrl, Alt or Meta to the browser', () => {
    expect(shortcutFor(key('s', undefined, { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(key('1', undefined, { altKey: true }), false)).toBeNull();
    expect(shortcutFor(key('m', undefined, { metaKey: true }), false)).toBeNull();
  });

  it('do not fire while typing in a field, editable content, the console or Monaco', () => {
    for (const t of [el('INPUT'), el('TEXTAREA'), el('SELECT'), el('DIV', [], true), el('TEXTAREA', ['.xterm']), el('DIV', ['.monaco-editor'])]) {
      expect(ownsKeys(t)).toBe(true);
      expect(shortcutFor(key('s', t), false)).toBeNull();
      expect(shortcutFor(key('?', t), true)).toBeNull();
    }
    expect(ownsKeys(el('BUTTON'))).toBe(false);
    expect(ownsKeys(null)).toBe(false);
    expect(shortcutFor(key('2', el('BUTTON')), false)).toEqual({ kind: 'tab', index: 1 });
    // Escape closes the overlay wherever the focus is
    expect(shortcutFor(key('Escape', el('INPUT')), true)).toEqual({ kind: 'close' });
  });

  it('are all listed in the help overlay', () => {
    const listed = SHORTCUTS.flatMap((s) => s.keys);
    for (const k of ['?', '[', ']', 's', 'n', 'm', 'x', 'i', 'v', 't', 'Esc', '1', String(TABS.length)]) expect(listed).toContain(k);
  });
});
