// Instruction decoder built from the ISA table: primary opcode, then (for opcodes with extended
// opcodes) a lookup on the extended-opcode bits, then the first row whose mask/match fits.
// Decoding is done once per instruction slot (results are cached per page by the interpreter),
// so the candidate lists favour simplicity over speed.

import { ISA, F, FIELDS, getField, operandParts, rcBit, type IsaRow } from './isa';

/** Where the secondary lookup index sits in the word: [shift, width]; width 0 = no secondary index. */
type Layout = readonly [number, number];
const NONE: Layout = [0, 0];

interface Primary {
  layout: Layout;
  /** Candidate row indices per secondary index. */
  lut: number[][];
  /** Row used when nothing more specific matches (the facility wildcard rows), or -1. */
  fallback: number;
}

/** The secondary index of a form: the widest extended-opcode field its primary opcode uses. */
function layoutOf(row: IsaRow): Layout {
  switch (row.form) {
    case 'X': case 'XL': case 'XFX': case 'XO': case 'XS': case 'A': case 'XX1': return [1, 10];
    case 'MD': case 'MDS': return [1, 4];
    case 'DS': return [0, 2];
    case 'VA': case 'VX': case 'VC': return [0, 11];
    case 'XX2': case 'XX3': case 'XX3C': case 'XX4': return [2, 9];
    default: return NONE;
  }
}

/** Decode-time mask: the row's mask without encode-only bits (Rc of the RC1 rows is not checked,
 * like QEMU, which executes stwcx. with Rc=0 as stwcx.). */
function decodeMask(r: IsaRow): number {
  return r.flags & F.RC1 ? r.mask & ~1 : r.mask;
}

const PRIMARY: Primary[] = [];

function build(): void {
  for (let p = 0; p < 64; p++) PRIMARY.push({ layout: NONE, lut: [[]], fallback: -1 });
  ISA.forEach((r, i) => {
    const pr = PRIMARY[r.opcd];
    if (r.form === 'ANY') { pr.fallback = i; return; }
    const l = layoutOf(r);
    if (pr.layout[1] === 0 && l[1] !== 0) {
      pr.layout = l;
      pr.lut = Array.from({ length: 1 << l[1] }, () => []);
    } else if (l[1] !== 0 && (l[0] !== pr.layout[0] || l[1] !== pr.layout[1])) {
      throw new Error(`isa: opcode ${r.opcd} mixes extended-opcode layouts (${r.mn})`);
    }
  });
  ISA.forEach((r, i) => {
    if (r.form === 'ANY') return;
    const pr = PRIMARY[r.opcd];
    const [shift, width] = pr.layout;
    const sm = ((1 << width) - 1) << shift, m = decodeMask(r) & sm, v = r.match & sm;
    for (let k = 0; k < pr.lut.length; k++) {
      if (((k << shift) & m) === v) pr.lut[k].push(i);
    }
  });
}
build();

/** Index into ISA of the row describing `w`, or -1 for an illegal instruction. */
export function decodeRow(w: number): number {
  const pr = PRIMARY[w >>> 26];
  const cands = pr.lut[(w >>> pr.layout[0]) & ((1 << pr.layout[1]) - 1)];
  for (let i = 0; i < cands.length; i++) {
    const r = ISA[cands[i]];
    if ((w & decodeMask(r)) === (r.match & decodeMask(r))) return cands[i];
  }
  return pr.fallback;
}

/** Field values of `w` for the operands of `row` (keys are FIELDS keys), plus Rc/OE/AA/LK. */
export function decodeFields(w: number, row: IsaRow): Record<string, number> {
  const fv: Record<string, number> = {};
  for (const op of row.ops) {
    const { field, base } = operandParts(op);
    fv[field] = getField(w, FIELDS[field]);
    if (base) fv[base] = getField(w, FIELDS[base]);
  }
  if (row.flags & F.RC) fv.Rc = w & rcBit(row) ? 1 : 0;
  if (row.flags & F.LK) fv.LK = w & 1;
  if (row.flags & F.AA) fv.AA = (w >>> 1) & 1;
  if (row.flags & F.OE) fv.OE = (w >>> 10) & 1;
  return fv;
}
