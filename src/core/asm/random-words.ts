// Random encodings of ISA-table rows (random operand fields and suffix bits), shared by the
// table's round-trip test and the objdump comparison.

import { FIELDS, F, operandParts, fieldWidth, setField, encodeOnlyBits, rcBit, type IsaRow } from '../cpu/isa';

/** Deterministic pseudo-random numbers (xorshift32). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
}

/** A canonical encoding of `row` with random operand fields and suffix bits. */
export function randomWord(row: IsaRow, next: () => number): number {
  let w = row.match | encodeOnlyBits(row);
  for (const op of row.ops) {
    const { field, base } = operandParts(op);
    for (const name of base ? [field, base] : [field]) {
      const fd = FIELDS[name];
      const width = fieldWidth(fd);
      const raw = next() & (2 ** width - 1);
      w = setField(w, fd, fd.scale ? raw << fd.scale : raw);
    }
  }
  if (row.flags & F.RC && next() & 1) w |= rcBit(row);
  if (row.flags & F.LK) w |= next() & 1;
  if (row.flags & F.AA) w |= next() & 2;
  if (row.flags & F.OE) w |= next() & 0x400;
  // keep the extra fixed bits (mtocrf/mfocrf selector) as the row requires
  w = (w & ~row.fixMask) | (row.fixVal & row.fixMask);
  return w | 0;
}

