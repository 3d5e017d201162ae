// Instruction decoder built from the ISA table: primary opcode, then (for opcodes with extended
// opcodes) a lookup on the extended-opcode bits, then the first row whose mask/match fits.
// Decoding is done once per instruction slot (results are cached per page by the interpreter),
// so the candidate lists favour simplicity over speed.

import { ISA, F, FIELDS, getField, operandParts, type IsaRow } from './isa';

/** How the secondary lookup index is formed for a primary opcode. */
const enum Sub { None, X10, MD4, DS2 }

interface Primary {
  sub: Sub;
  /** Candidate row indices per secondary index. */
  lut: number[][];
  /** Row used when nothing more specific matches (the facility wildcard rows), or -1. */
  fallback: number;
}

function subOf(row: IsaRow): Sub {
  switch (row.form) {
    case 'X': case 'XL': case 'XFX': case 'XO': case 'XS': case 'A': return Sub.X10;
    case 'MD': case 'MDS': return Sub.MD4;
    case 'DS': return Sub.DS2;
    default: return Sub.None;
  }
}

function subIndex(sub: Sub, w: number): number {
  switch (sub) {
    case Sub.X10: return (w >>> 1) & 0x3ff;
    case Sub.MD4: return (w >>> 1) & 0xf;
    case Sub.DS2: return w & 3;
    default: return 0;
  }
}

function subSize(sub: Sub): number {
  return sub === Sub.X10 ? 1024 : sub === Sub.MD4 ? 16 : sub === Sub.DS2 ? 4 : 1;
}

function subWord(sub: Sub, v: number): number {
  return sub === Sub.X10 || sub === Sub.MD4 ? v << 1 : v;
}

function subMask(sub: Sub): number {
  return sub === Sub.X10 ? 0x7fe : sub === Sub.MD4 ? 0x1e : sub === Sub.DS2 ? 3 : 0;
}

/** Decode-time mask: the row's mask without encode-only bits (Rc of the RC1 rows is not checked,
 * like QEMU, which executes stwcx. with Rc=0 as stwcx.). */
function decodeMask(r: IsaRow): number {
  return r.flags & F.RC1 ? r.mask & ~1 : r.mask;
}

const PRIMARY: Primary[] = [];

function build(): void {
  for (let p = 0; p < 64; p++) PRIMARY.push({ sub: Sub.None, lut: [[]], fallback: -1 });
  ISA.forEach((r, i) => {
    const pr = PRIMARY[r.opcd];
    if (r.form === 'ANY') { pr.fallback = i; return; }
    const s = subOf(r);
    if (pr.sub === Sub.None && s !== Sub.None) {
      pr.sub = s;
      pr.lut = Array.from({ length: subSize(s) }, () => []);
    } else if (s !== pr.sub && s !== Sub.None) {
      throw new Error(`isa: opcode ${r.opcd} mixes extended-opcode layouts (${r.mn})`);
    }
  });
  ISA.forEach((r, i) => {
    if (r.form === 'ANY') return;
    const pr = PRIMARY[r.opcd];
    const sm = subMask(pr.sub), m = decodeMask(r) & sm, v = r.match & sm;
    for (let k = 0; k < pr.lut.length; k++) {
      if ((subWord(pr.sub, k) & m) === v) pr.lut[k].push(i);
    }
  });
}
build();

/** Index into ISA of the row describing `w`, or -1 for an illegal instruction. */
export function decodeRow(w: number): number {
  const pr = PRIMARY[w >>> 26];
  const cands = pr.lut[subIndex(pr.sub, w)];
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
  if (row.flags & F.RC) fv.Rc = w & 1;
  if (row.flags & F.LK) fv.LK = w & 1;
  if (row.flags & F.AA) fv.AA = (w >>> 1) & 1;
  if (row.flags & F.OE) fv.OE = (w >>> 10) & 1;
  return fv;
}
