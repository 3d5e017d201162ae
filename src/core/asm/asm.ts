// A small assembler driven by the ISA table: one instruction per line, `label:` definitions,
// `#` comments, `.long` data words, `.asciz "text"` (big-endian, whole words), `.balign N`, numeric and label operands (with `+`, `-`, `*`, and the
// @l/@h/@ha/@higher/@highest suffixes), registers r0..r31 / f0..f31 / v0..v31 / vs0..vs63, CR fields cr0..cr7, CR bits as
// numbers or `4*crN+eq` / `lt`/`gt`/`eq`/`so`, displacements `d(rA)`, and the extended
// mnemonics the disassembler prints. Branch operands are absolute addresses (or labels).

import { ISA, F, FIELDS, EXT_MNEMONICS, operandParts, isAssemblable, fieldRange, setField, encodeOnlyBits, rcBit,
  type IsaRow, type ExtMnemonic, type FieldKind, type FieldDef } from '../cpu/isa';

interface BaseCand { kind: 'base'; row: IsaRow; oe: number; rc: number; lk: number; aa: number }
interface ExtCand { kind: 'ext'; ext: ExtMnemonic; row: IsaRow }
type Cand = BaseCand | ExtCand;

const ROW_BY_MN = new Map<string, IsaRow>();
for (const r of ISA) if (isAssemblable(r) && !ROW_BY_MN.has(r.mn)) ROW_BY_MN.set(r.mn, r);

const CANDS = new Map<string, Cand[]>();
function addCand(name: string, c: Cand): void {
  const l = CANDS.get(name);
  if (l) l.push(c); else CANDS.set(name, [c]);
}
for (const e of EXT_MNEMONICS) {
  const row = ROW_BY_MN.get(e.base);
  if (!row) throw new Error(`extended mnemonic ${e.mn}: no base row ${e.base}`);
  addCand(e.mn, { kind: 'ext', ext: e, row });
}
for (const r of ISA) {
  if (!isAssemblable(r)) continue;
  const oes = r.flags & F.OE ? [0, 1] : [0];
  const rcs = r.flags & F.RC ? [0, 1] : [0];
  const lks = r.flags & F.LK ? [0, 1] : [0];
  const aas = r.flags & F.AA ? [0, 1] : [0];
  for (const oe of oes) for (const rc of rcs) for (const lk of lks) for (const aa of aas) {
    const name = r.mn + (oe ? 'o' : '') + (lk ? 'l' : '') + (aa ? 'a' : '') + (rc ? '.' : '');
    addCand(name, { kind: 'base', row: r, oe, rc, lk, aa });
    // conditional branches also take objdump's hint suffix (the BO operand carries the bits)
    if (r.ops.includes('BO')) for (const h of ['-', '+']) addCand(name + h, { kind: 'base', row: r, oe, rc, lk, aa });
  }
}

const CR_BITS: Record<string, bigint> = { lt: 0n, gt: 1n, eq: 2n, so: 3n, un: 3n };

/** Whether the assembler takes `name` as a mnemonic (base, suffixed or extended). */
export function isMnemonic(name: string): boolean {
  return CANDS.has(name);
}

class AsmError extends Error {}

/** Expression evaluator: terms joined by + and -, factors joined by *, with symbols. */
function evalExpr(text: string, symbols: Map<string, bigint>, dot: bigint): bigint {
  let s = text.trim();
  let suffix = '';
  const m = /@(l|h|ha|higher|highest)$/i.exec(s);
  if (m) { suffix = m[1].toLowerCase(); s = s.slice(0, m.index).trim(); }
  const toks = s.match(/0x[0-9a-f]+|\d+|[A-Za-z_.$][\w.$]*|[-+*()]/gi);
  if (!toks || toks.join('') !== s.replace(/\s+/g, '')) throw new AsmError(`bad expression '${text}'`);
  let pos = 0;
  const peek = () => toks[pos];
  const factor = (): bigint => {
    const t = toks[pos++];
    if (t === undefined) throw new AsmError(`bad expression '${text}'`);
    if (t === '-') return -factor();
    if (t === '+') return factor();
    if (t === '(') { const v = expr(); if (toks[pos++] !== ')') throw new AsmError(`missing ) in '${text}'`); return v; }
    if (/^\d|^0x/i.test(t)) return BigInt(t);
    if (t === '.') return dot;
    const cr = /^cr([0-7])$/i.exec(t);
    if (cr) return BigInt(cr[1]);
    const lc = t.toLowerCase();
    if (lc in CR_BITS) return CR_BITS[lc];
    const v = symbols.get(t);
    if (v === undefined) throw new AsmError(`undefined symbol '${t}'`);
    return v;
  };
  const term = (): bigint => {
    let v = factor();
    while (peek() === '*') { pos++; v *= factor(); }
    return v;
  };
  const expr = (): bigint => {
    let v = term();
    while (peek() === '+' || peek() === '-') { const op = toks[pos++]; const r = term(); v = op === '+' ? v + r : v - r; }
    return v;
  };
  let v = expr();
  if (pos !== toks.length) throw new AsmError(`bad expression '${text}'`);
  const sx16 = (x: bigint) => BigInt.asIntN(16, x);
  switch (suffix) {
    case 'l': v = sx16(v); break;
    case 'h': v = sx16(v >> 16n); break;
    case 'ha': v = sx16((v + 0x8000n) >> 16n); break;
    case 'higher': v = sx16(v >> 32n); break;
    case 'highest': v = sx16(v >> 48n); break;
    default: break;
  }
  return v;
}

interface Ctx { symbols: Map<string, bigint>; pc: bigint; aa: boolean }

function parseOperand(kind: FieldKind | 'crfopt', text: string, ctx: Ctx): bigint {
  const t = text.trim();
  switch (kind) {
    case 'gpr': case 'gpr0': {
      const m = /^%?r(\d+)$/i.exec(t);
      if (m) return BigInt(m[1]);
      if (/^\d+$/.test(t)) return BigInt(t);
      throw new AsmError(`expected a register, got '${t}'`);
    }
    case 'fpr': case 'vr': case 'vsr': {
      const prefix = kind === 'fpr' ? 'f' : kind === 'vr' ? 'v' : 'vs';
      const m = new RegExp(`^%?${prefix}(\\d+)$`, 'i').exec(t);
      if (m) return BigInt(m[1]);
      if (/^\d+$/.test(t)) return BigInt(t);
      throw new AsmError(`expected a ${kind === 'fpr' ? 'FP' : kind === 'vr' ? 'vector' : 'VSX'} register, got '${t}'`);
    }
    case 'target': {
      const v = evalExpr(t, ctx.symbols, ctx.pc);
      // an absolute target may be written as the 32-bit address objdump prints
      if (ctx.aa) return v >= 0x80000000n && v <= 0xffffffffn ? v - 0x100000000n : BigInt.asIntN(64, v);
      return BigInt.asIntN(64, v - ctx.pc);
    }
    default:
      return evalExpr(t, ctx.symbols, ctx.pc);
  }
}

function checkRange(fd: FieldDef, v: bigint, what: string): number {
  const r = fieldRange(fd);
  let lo = BigInt(r.min), hi = BigInt(r.max);
  // 16-bit immediates accept either signedness (as a bit pattern), like @l values.
  if (fd.segs.length === 1 && fd.segs[0].width === 16 && !fd.scale) { lo = -0x8000n; hi = 0xffffn; }
  if (fd.kind === 'target' || fd.kind === 'disp') {
    if (v % BigInt(r.align) !== 0n) throw new AsmError(`${what}: ${v} is not a multiple of ${r.align}`);
  }
  if (v < lo || v > hi) throw new AsmError(`${what}: ${v} out of range [${lo}, ${hi}]`);
  return Number(BigInt.asIntN(32, v));
}

function splitOperands(s: string): string[] {
  const t = s.trim();
  return t ? t.split(',').map((x) => x.trim()) : [];
}

function encodeBase(c: BaseCand, ops: string[], ctx: Ctx): number {
  const row = c.row;
  let w = row.match | encodeOnlyBits(row);
  if (c.oe) w |= 0x400;
  if (c.rc) w |= rcBit(row);
  if (c.lk) w |= 1;
  if (c.aa) w |= 2;
  const wanted = row.ops.map(operandParts);
  const required = wanted.filter((o) => !o.optional).length;
  if (ops.length < required || ops.length > wanted.length) {
    throw new AsmError(`${row.mn}: expected ${required === wanted.length ? required : `${required}-${wanted.length}`} operands`);
  }
  ctx.aa = c.aa === 1;
  wanted.forEach((o, i) => {
    if (i >= ops.length) return;
    const fd = FIELDS[o.field];
    if (o.base) {
      const m = /^(.*)\(([^()]+)\)$/.exec(ops[i]);
      if (!m) throw new AsmError(`${row.mn}: expected d(rA), got '${ops[i]}'`);
      const d = m[1].trim() === '' ? 0n : evalExpr(m[1], ctx.symbols, ctx.pc);
      w = setField(w, fd, checkRange(fd, d, row.mn));
      const bfd = FIELDS[o.base];
      w = setField(w, bfd, checkRange(bfd, parseOperand(bfd.kind, m[2], ctx), row.mn));
    } else {
      w = setField(w, fd, checkRange(fd, parseOperand(fd.kind, ops[i], ctx), row.mn));
    }
  });
  return w | 0;
}

function encodeExt(c: ExtCand, ops: string[], ctx: Ctx): number {
  const e = c.ext, row = c.row;
  const fv: Record<string, number> = {};
  const optCount = e.ops.filter((o) => o.optional).length;
  const required = e.ops.length - optCount;
  if (ops.length < required || ops.length > e.ops.length) throw new AsmError(`${e.mn}: expected ${required} operands`);
  let skip = e.ops.length - ops.length; // leading optional operands omitted
  ctx.aa = (e.fixMask & 2) !== 0 && (e.fixVal & 2) !== 0 && (row.flags & F.AA) !== 0;
  let k = 0;
  for (const op of e.ops) {
    if (op.optional && skip > 0) { skip--; op.set(fv, 0); continue; }
    const v = parseOperand(op.kind, ops[k++], ctx);
    op.set(fv, Number(BigInt.asIntN(32, v)));
  }
  let w = row.match | encodeOnlyBits(row) | e.fixVal;
  for (const [name, v] of Object.entries(fv)) {
    const fd = FIELDS[name];
    w = setField(w, fd, checkRange(fd, BigInt(v), e.mn));
  }
  return w | 0;
}

/** Assemble `src` for loading at `origin`; returns the instruction words. Throws on errors. */
export function assemble(src: string, origin: bigint): Uint32Array {
  interface Line { no: number; mn: string; ops: string; addr: bigint }
  const lines: Line[] = [];
  const symbols = new Map<string, bigint>();
  let addr = origin;
  src.split('\n').forEach((raw, i) => {
    let s = raw.replace(/#.*$/, '').trim();
    for (;;) {
      const m = /^([A-Za-z_.$][\w.$]*):\s*(.*)$/.exec(s);
      if (!m) break;
      if (symbols.has(m[1])) throw new Error(`line ${i + 1}: duplicate label '${m[1]}'`);
      symbols.set(m[1], addr);
      s = m[2];
    }
    if (!s) return;
    const m = /^(\S+)\s*(.*)$/.exec(s)!;
    if (m[1] === '.asciz') {
      // a NUL-terminated string in big-endian byte order, zero-padded to whole words
      const t = /^"((?:[^"\\]|\\.)*)"$/.exec(m[2].trim());
      if (!t) throw new Error(`line ${i + 1}: .asciz needs a "quoted string"`);
      const bytes = [...t[1].replace(/\\(r|n|t|0|\\|")/g, (_x, c: string) =>
        ({ r: '\r', n: '\n', t: '\t', 0: '\0', '\\': '\\', '"': '"' } as Record<string, string>)[c])].map((ch) => ch.charCodeAt(0) & 0xff);
      bytes.push(0);
      while (bytes.length % 4) bytes.push(0);
      for (let k = 0; k < bytes.length; k += 4) {
        const v = ((bytes[k] << 24) | (bytes[k + 1] << 16) | (bytes[k + 2] << 8) | bytes[k + 3]) >>> 0;
        lines.push({ no: i + 1, mn: '.long', ops: String(v), addr });
        addr += 4n;
      }
      return;
    }
    if (m[1] === '.balign') {
      // pad with zero words to a multiple of N bytes (N a power of two, at least 4)
      const n = BigInt(m[2].trim());
      if (n < 4n || (n & (n - 1n)) !== 0n) throw new Error(`line ${i + 1}: .balign needs a power of two >= 4`);
      while (addr % n !== 0n) { lines.push({ no: i + 1, mn: '.long', ops: '0', addr }); addr += 4n; }
      return;
    }
    lines.push({ no: i + 1, mn: m[1], ops: m[2], addr });
    addr += 4n;
  });
  const out = new Uint32Array(lines.length);
  lines.forEach((l, i) => {
    const ctx: Ctx = { symbols, pc: l.addr, aa: false };
    try {
      if (l.mn === '.long' || l.mn === '.word') {
        out[i] = Number(BigInt.asUintN(32, evalExpr(l.ops, symbols, l.addr)));
        return;
      }
      const cands = CANDS.get(l.mn);
      if (!cands) throw new AsmError(`unknown mnemonic '${l.mn}'`);
      const ops = splitOperands(l.ops);
      let lastErr: unknown = null;
      for (const c of cands) {
        try {
          out[i] = (c.kind === 'ext' ? encodeExt(c, ops, ctx) : encodeBase(c, ops, ctx)) >>> 0;
          return;
        } catch (e) {
          if (!(e instanceof AsmError)) throw e;
          lastErr = e;
        }
      }
      throw lastErr;
    } catch (e) {
      throw new Error(`line ${l.no}: ${(e as Error).message}`);
    }
  });
  return out;
}

/** Assemble and return bytes in the given byte order (loading helper for tests and the UI). */
export function assembleBytes(src: string, origin: bigint, littleEndian = false): Uint8Array {
  const words = assemble(src, origin);
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w, littleEndian));
  return b;
}
