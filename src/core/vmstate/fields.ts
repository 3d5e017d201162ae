// Where each field of a section sits in its payload: a walk of the payload with the section's
// vmdesc description (the JSON QEMU appends to a stream, or the one vmstate_save_state fills),
// as analyze-migration.py's VMSDSection reads it, keeping offsets and sizes instead of values.
// The vmstate panel uses it for the fields of the state a migration would send now and for
// the same fields in the last stream.

import type { VmdescNode } from './vmstate';

/** QEMU_VM_SUBSECTION: the byte before each subsection in a section's payload. */
const QEMU_VM_SUBSECTION = 0x05;

/** One leaf field of a section's payload. */
export interface FieldSpan {
  /** The field's name within its description; struct members as `outer.inner` (an array of structs is one field). */
  name: string;
  /** The subsections it sits in (vmsd names, outermost first); empty for the section's own fields. */
  subsection: string[];
  /** The vmdesc type (`uint64`, `int32 equal`, `buffer`, `bool`, `capability`, ...). */
  type: string;
  /** Bytes from the start of what was walked (the payload, or the stream with `base`). */
  offset: number;
  /** Bytes in all. */
  size: number;
  /** Elements read in a row (array_len), 1 for a scalar. */
  count: number;
}

/** The key a field goes by in the panel and in its history: `name`, or `subsection…: name`. */
export function fieldKey(f: Pick<FieldSpan, 'name' | 'subsection'>): string {
  return f.subsection.length ? `${f.subsection.join('/')}: ${f.name}` : f.name;
}

export class FieldWalkError extends Error {}

/**
 * The leaf fields of `desc` read from `bytes` at `start` (offsets are positions in `bytes`).
 * Returns the spans and the position after the last one; throws FieldWalkError when the
 * bytes do not fit the description (a subsection marker missing, the payload too short).
 */
export function fieldSpans(bytes: Uint8Array, desc: VmdescNode, start = 0): { spans: FieldSpan[]; end: number } {
  const spans: FieldSpan[] = [];
  const seen = new Map<string, number>();
  let pos = start;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new FieldWalkError(`payload ends at 0x${bytes.length.toString(16)}, ${n} more bytes wanted at 0x${pos.toString(16)}`);
  };
  const unique = (key: string) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? '' : ` (${n})`;
  };
  const walk = (d: VmdescNode, prefix: string, subsection: string[], depth: number): void => {
    if (depth > 32) throw new FieldWalkError('descriptions nested too deep');
    const fields = Array.isArray(d.fields) ? (d.fields as VmdescNode[]) : [];
    for (const f of fields) {
      const name = `${prefix}${String(f.name)}`;
      const type = String(f.type);
      const count = 'array_len' in f ? Number(f.array_len) : 1;
      if (!Number.isSafeInteger(count) || count < 0) throw new FieldWalkError(`${name}: bad array_len`);
      if (type === 'struct' && count === 1) {
        walk(f.struct as VmdescNode, `${name}.`, subsection, depth + 1);
        continue;
      }
      const at = pos;
      if (type === 'struct') {
        // An array of structs (ics's irqs, 4096 of them) is one field of `count` elements.
        const el = fixedSize(f.struct as VmdescNode);
        if (el !== null) {
          need(el * count);
          pos += el * count;
        } else {
          const keep = spans.length;
          for (let i = 0; i < count; i++) walk(f.struct as VmdescNode, `${name}[${i}].`, subsection, depth + 1);
          spans.length = keep;
        }
      } else if (type === 'capability') {
        for (let i = 0; i < count; i++) { need(1); const len = bytes[pos]; need(1 + len); pos += 1 + len; }
      } else {
        const size = Number(f.size) * count;
        if (!Number.isSafeInteger(size) || size < 0) throw new FieldWalkError(`${name}: bad size`);
        need(size);
        pos += size;
      }
      const key = fieldKey({ name, subsection });
      spans.push({ name: name + unique(key), subsection, type, offset: at, size: pos - at, count });
    }
    const subs = Array.isArray(d.subsections) ? (d.subsections as VmdescNode[]) : [];
    for (const sub of subs) {
      const vmsd = String(sub.vmsd_name);
      need(2);
      if (bytes[pos] !== QEMU_VM_SUBSECTION) throw new FieldWalkError(`subsection ${vmsd} not found at 0x${pos.toString(16)}`);
      const len = bytes[pos + 1];
      need(2 + len + 4);
      pos += 2 + len + 4;
      walk(sub, '', [...subsection, vmsd], depth + 1);
    }
  };
  walk(desc, '', [], 0);
  return { spans, end: pos };
}

/** The size of a description whose fields all have fixed sizes and that has no subsections; null otherwise. */
function fixedSize(d: VmdescNode, depth = 0): number | null {
  if (depth > 32 || (Array.isArray(d.subsections) && d.subsections.length)) return null;
  let n = 0;
  for (const f of (Array.isArray(d.fields) ? d.fields : []) as VmdescNode[]) {
    const count = 'array_len' in f ? Number(f.array_len) : 1;
    const type = String(f.type);
    if (type === 'capability' || !Number.isSafeInteger(count) || count < 0) return null;
    const el = type === 'struct' ? fixedSize(f.struct as VmdescNode, depth + 1) : Number(f.size);
    if (el === null || !Number.isSafeInteger(el) || el < 0) return null;
    n += el * count;
  }
  return n;
}

/** Where a FULL (or START) record's payload begins: type, section id, idstr, instance id, version. */
export function fullPayloadStart(recordOffset: number, idstr: string): number {
  return recordOffset + 1 + 4 + 1 + new TextEncoder().encode(idstr).length + 4 + 4;
}

/** `bytes[offset, offset+size)` as hex, elements of `size/count` bytes separated by spaces. */
export function spanHex(bytes: Uint8Array, offset: number, size: number, count = 1): string {
  const el = count > 0 && size % count === 0 ? size / count : size;
  let out = '';
  for (let i = 0; i < size; i++) {
    if (i && el && i % el === 0) out += ' ';
    out += bytes[offset + i].toString(16).padStart(2, '0');
  }
  return out;
}
