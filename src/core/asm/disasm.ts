// Disassembler driven by the ISA table (src/core/cpu/isa.ts), printing objdump-like syntax:
// `addi r3,r1,16`, `ld r9,8(r1)`, `bl 0x400100`, with the common extended mnemonics (li, mr, nop,
// blr, bdnz, beq, cmpdi, sldi, mtctr, mflr, ...). Branch targets are printed as absolute addresses.

import { ISA, F, FIELDS, EXT_MNEMONICS, operandParts, rcBit, type IsaRow, type ExtMnemonic, type FieldKind } from '../cpu/isa';
import { decodeRow, decodeFields } from '../cpu/decode';

const EXT_BY_BASE = new Map<string, ExtMnemonic[]>();
for (const e of EXT_MNEMONICS) {
  const l = EXT_BY_BASE.get(e.base);
  if (l) l.push(e); else EXT_BY_BASE.set(e.base, [e]);
}

const CR_BIT_NAMES = ['lt', 'gt', 'eq', 'so'];

function hex(v: bigint): string {
  return '0x' + v.toString(16);
}

/** CR bit as objdump prints it: `eq` for CR0, `4*cr7+eq` otherwise. */
export function crBitName(b: number): string {
  const n = CR_BIT_NAMES[b & 3];
  return b >> 2 ? `4*cr${b >> 2}+${n}` : n;
}

function fmt(kind: FieldKind | 'crfopt', v: number, pc: bigint, aa: boolean): string {
  switch (kind) {
    case 'gpr': return `r${v}`;
    case 'gpr0': return v === 0 ? '0' : `r${v}`;
    case 'fpr': return `f${v}`;
    case 'vr': return `v${v}`;
    case 'vsr': return `vs${v}`;
    case 'crf': case 'crfopt': return `cr${v}`;
    case 'crb': return crBitName(v);
    // absolute targets print as 32-bit addresses (objdump), relative ones as 64-bit
    case 'target': return hex(aa ? BigInt(v >>> 0) : BigInt.asUintN(64, pc + BigInt(v)));
    default: return String(v);
  }
}

function suffixes(row: IsaRow, w: number): string {
  let s = '';
  if (row.flags & F.OE && w & 0x400) s += 'o';
  if (row.flags & F.LK && w & 1) s += 'l';
  if (row.flags & F.AA && w & 2) s += 'a';
  if (row.flags & F.RC && w & rcBit(row)) s += '.';
  return s + branchHint(row, w);
}

/** The '-'/'+' objdump appends to a base conditional branch whose BO is 24..27 (CTR-only forms
 * with the at hint bits). */
export function branchHint(row: IsaRow, w: number): string {
  if (!row.ops.includes('BO')) return '';
  const bo = (w >>> 21) & 31;
  return bo >= 24 && bo <= 27 ? (bo & 1 ? '+' : '-') : '';
}

function tryExt(row: IsaRow, w: number, fv: Record<string, number>, pc: bigint): string | null {
  const exts = EXT_BY_BASE.get(row.mn);
  if (!exts) return null;
  const aa = (row.flags & F.AA) !== 0 && (w & 2) !== 0;
  for (const e of exts) {
    if ((w & e.fixMask) !== e.fixVal) continue;
    if (e.when && !e.when(fv)) continue;
    // Suffix bits of the base row not pinned by the extended mnemonic must be clear.
    let free = 0;
    if (row.flags & F.RC) free |= rcBit(row);
    if (row.flags & F.LK) free |= 1;
    if (row.flags & F.AA) free |= 2;
    if (row.flags & F.OE) free |= 0x400;
    if (w & free & ~e.fixMask) continue;
    const parts: string[] = [];
    for (const op of e.ops) {
      const v = op.get(fv);
      if (op.optional && v === 0) continue;
      parts.push(fmt(op.kind, v, pc, aa));
    }
    return parts.length ? `${e.mn} ${parts.join(',')}` : e.mn;
  }
  return null;
}

/** Disassemble one instruction word located at `pc`. */
export function disassemble(word: number, pc: bigint): string {
  const w = word | 0;
  const ri = decodeRow(w);
  if (ri < 0 || ISA[ri].form === 'ANY') return `.long 0x${(w >>> 0).toString(16).padStart(8, '0')}`;
  const row = ISA[ri];
  const fv = decodeFields(w, row);
  const ext = tryExt(row, w, fv, pc);
  if (ext) return ext;
  const aa = (row.flags & F.AA) !== 0 && (w & 2) !== 0;
  const parts: string[] = [];
  for (const op of row.ops) {
    const { field, base, optional } = operandParts(op);
    const v = fv[field];
    if (optional && v === 0) continue;
    if (base) parts.push(`${v}(${fmt(FIELDS[base].kind, fv[base], pc, aa)})`);
    else parts.push(fmt(FIELDS[field].kind, v, pc, aa));
  }
  const mn = row.mn + suffixes(row, w);
  return parts.length ? `${mn} ${parts.join(',')}` : mn;
}
