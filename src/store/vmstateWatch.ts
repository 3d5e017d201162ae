// The vmstate panel's memory of field values: while the panel is open, every vmstate snapshot
// (with payloads) is compared field by field with the one before, and each change is kept with
// the instruction count and the time it was seen. Pure functions; the instance store holds it.

import type { Snapshot, VmstateFieldInfo } from '../worker/protocol';
import { spanHex } from '../core/vmstate/fields';

type VmstateSnap = Extract<Snapshot, { kind: 'vmstate' }>;

/** Values of at most this many bytes are kept in the history as they were; larger ones as what changed. */
export const HISTORY_VALUE_MAX = 64;
/** Changes kept per field (the oldest go first). */
export const HISTORY_LIMIT = 100;
/** Element indexes listed per change. */
const CHANGED_LIMIT = 32;

export interface FieldChange {
  insns: number;
  wallMs: number;
  /** The new value in hex (elements separated by spaces), null when the field is larger than HISTORY_VALUE_MAX. */
  value: string | null;
  /** For arrays: the elements that changed (at most CHANGED_LIMIT listed), `more` how many besides. */
  changed: number[] | null;
  more: number;
}

export interface SectionSeen {
  payload: Uint8Array;
  fields: Map<string, VmstateFieldInfo>;
  insns: number;
  wallMs: number;
}

export interface VmstateWatch {
  /** When the panel opened (Date.now()). */
  sinceMs: number;
  /** Snapshots compared so far. */
  snapshots: number;
  /** The first snapshot of each section since the panel opened, and the latest. */
  first: Map<string, SectionSeen>;
  last: Map<string, SectionSeen>;
  /** `sectionKey` -> field key -> its changes, oldest first. */
  changes: Map<string, Map<string, FieldChange[]>>;
  /** Changes dropped over HISTORY_LIMIT, by `sectionKey\u0000fieldKey`. */
  dropped: Map<string, number>;
}

export function sectionKey(s: { idstr: string; instanceId: number }): string {
  return `${s.idstr}/${s.instanceId}`;
}

export function newWatch(sinceMs: number): VmstateWatch {
  return { sinceMs, snapshots: 0, first: new Map(), last: new Map(), changes: new Map(), dropped: new Map() };
}

/** `bytes[offset, offset+size)` in hex, elements of size/count bytes separated by spaces. */
export function hexOf(bytes: Uint8Array, f: Pick<VmstateFieldInfo, 'offset' | 'size' | 'count'>): string {
  return spanHex(bytes, f.offset, f.size, f.count);
}

function sameBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  let i = 0;
  // Large fields (TCE tables, arrays of registers) a word at a time when both sit at the same
  // place within a word: the bytes up to a word boundary, then whole words, then the rest.
  const ax = a.byteOffset + ao, bx = b.byteOffset + bo;
  if (n >= 64 && ((ax - bx) & 3) === 0) {
    const head = (4 - (ax & 3)) & 3;
    for (; i < head; i++) if (a[ao + i] !== b[bo + i]) return false;
    const words = (n - head) >>> 2;
    const aw = new Uint32Array(a.buffer, ax + head, words), bw = new Uint32Array(b.buffer, bx + head, words);
    for (let w = 0; w < words; w++) if (aw[w] !== bw[w]) return false;
    i = head + (words << 2);
  }
  for (; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** The change from `before` to `now` of one field, or null when it did not change. */
export function fieldChange(
  before: { payload: Uint8Array; field: VmstateFieldInfo }, now: { payload: Uint8Array; field: VmstateFieldInfo },
  insns: number, wallMs: number,
): FieldChange | null {
  const a = before.field, b = now.field;
  if (a.size === b.size && sameBytes(before.payload, a.offset, now.payload, b.offset, b.size)) return null;
  let changed: number[] | null = null;
  let more = 0;
  if (b.count > 1 && a.size === b.size && a.count === b.count) {
    const el = b.size / b.count;
    changed = [];
    for (let i = 0; i < b.count; i++) {
      if (sameBytes(before.payload, a.offset + i * el, now.payload, b.offset + i * el, el)) continue;
      if (changed.length < CHANGED_LIMIT) changed.push(i);
      else more++;
    }
  }
  return { insns, wallMs, value: b.size <= HISTORY_VALUE_MAX ? hexOf(now.payload, b) : null, changed, more };
}

/** A snapshot arrived at `wallMs`: the watch with its sections compared to the previous ones. */
export function recordVmstate(w: VmstateWatch, snap: VmstateSnap, wallMs: number): VmstateWatch {
  const insns = snap.insns ?? 0;
  const first = new Map(w.first);
  const last = new Map(w.last);
  const changes = new Map(w.changes);
  const dropped = new Map(w.dropped);
  for (const s of snap.sections) {
    if (!s.payload || !s.fields) continue;
    const key = sectionKey(s);
    const seen: SectionSeen = { payload: s.payload, fields: new Map(s.fields.map((f) => [f.key, f])), insns, wallMs };
    const prev = last.get(key);
    last.set(key, seen);
    if (!first.has(key)) first.set(key, seen);
    if (!prev) continue;
    let mine: Map<string, FieldChange[]> | undefined;
    for (const f of s.fields) {
      const pf = prev.fields.get(f.key);
      if (!pf) continue; // a field of a subsection that was not sent before: its first value is now
      const c = fieldChange({ payload: prev.payload, field: pf }, { payload: s.payload, field: f }, insns, wallMs);
      if (!c) continue;
      mine ??= new Map(changes.get(key));
      const list = [...(mine.get(f.key) ?? []), c];
      if (list.length > HISTORY_LIMIT) {
        const k = `${key}\u0000${f.key}`;
        dropped.set(k, (dropped.get(k) ?? 0) + list.length - HISTORY_LIMIT);
        list.splice(0, list.length - HISTORY_LIMIT);
      }
      mine.set(f.key, list);
    }
    if (mine) changes.set(key, mine);
  }
  return { sinceMs: w.sinceMs, snapshots: w.snapshots + 1, first, last, changes, dropped };
}

/** Where a field first appeared since the panel opened: its value then, and when. */
export function firstSeen(w: VmstateWatch, section: string, field: string): { value: string | null; insns: number; wallMs: number } | null {
  const f = w.first.get(section);
  const info = f?.fields.get(field);
  if (f && info) return { value: info.size <= HISTORY_VALUE_MAX ? hexOf(f.payload, info) : null, insns: f.insns, wallMs: f.wallMs };
  // a subsection that appeared later: the first snapshot that had it is not kept; the oldest change says it
  return null;
}
