// Reading a flattened device tree for the tree view: property values typed and printed the
// way dtc does (src/core/spapr/dts.ts), plus a reading where one helps: `reg` split per the
// parent's #address-cells/#size-cells, phandles resolved to node paths, PAPR's counted
// string lists (ibm,drc-names). The DTS text is dts.ts's fdtToDts().

import type { FdtNode } from '../core/spapr/fdt';
import { fdtToDts, formatValue, guessType } from '../core/spapr/dts';

export type PropKind = 'empty' | 'string' | 'strings' | 'cells' | 'bytes';

export interface DecodedProp {
  name: string;
  kind: PropKind;
  /** The value in DTS syntax, without `name = ` and `;` ('' for an empty property). */
  dts: string;
  /** A reading of the value when there is one: reg ranges, phandle targets, sizes. */
  note?: string;
  length: number;
}

export interface TreeNode {
  name: string;
  path: string;
  props: DecodedProp[];
  children: TreeNode[];
}

const PHANDLE_REFS = new Set(['interrupt-parent', 'ibm,interrupt-parent']);

function cellsOf(v: Uint8Array): number[] {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= v.length; i += 4) out.push(dv.getUint32(i));
  return out;
}

/** dtc's guess: printable text, NUL-terminated, no empty string inside. */
function asStrings(v: Uint8Array): string[] | null {
  if (v.length === 0 || v[v.length - 1] !== 0) return null;
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === 0) {
      if (i === start) return null;
      out.push(String.fromCharCode(...v.subarray(start, i)));
      start = i + 1;
    } else if (c < 0x20 || c > 0x7e) {
      return null;
    }
  }
  return out;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function joinCells(c: number[], hi: number): bigint {
  let v = 0n;
  for (let i = 0; i < hi; i++) v = (v << 32n) | BigInt(c[i]);
  return v;
}

function size(n: bigint): string {
  const units: [bigint, string][] = [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [u, name] of units) if (n >= u && n % u === 0n) return `${n / u} ${name}`;
  return `${n} bytes`;
}

function regNote(c: number[], ac: number, sc: number): string | undefined {
  const per = ac + sc;
  if (per === 0 || c.length % per !== 0) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < c.length; i += per) {
    const addr = joinCells(c.slice(i), ac);
    if (sc === 0) parts.push(`address 0x${addr.toString(16)}`);
    else {
      const sz = joinCells(c.slice(i + ac), sc);
      parts.push(`address 0x${addr.toString(16)} size 0x${sz.toString(16)} (${size(sz)})`);
    }
  }
  return parts.join('; ');
}

export interface DecodeContext {
  /** The parent's #address-cells and #size-cells (defaults 2 and 1, as dtc assumes). */
  addressCells: number;
  sizeCells: number;
  phandles: Map<number, string>;
}

/** PAPR's encoded string list: a count cell, then that many NUL-terminated strings. */
function countedStrings(v: Uint8Array): string[] | null {
  if (v.length < 5) return null;
  const n = new DataView(v.buffer, v.byteOffset, 4).getUint32(0);
  if (n === 0 || n > 100_000) return null;
  const rest = asStrings(v.subarray(4));
  return rest && rest.length === n ? rest : null;
}

export function decodeProp(name: string, v: Uint8Array, ctx: DecodeContext): DecodedProp {
  const base = { name, length: v.length };
  if (v.length === 0) return { ...base, kind: 'empty', dts: '' };
  const dts = formatValue(v);
  const guess = guessType(v);
  if (guess === 'string') {
    // A string list reads better as "a", "b" than as dtc's "a\0b".
    const list = asStrings(v);
    if (list && list.length > 1) return { ...base, kind: 'strings', dts: list.map(quote).join(', ') };
    return { ...base, kind: 'string', dts };
  }
  if (guess === 'cells') {
    const c = cellsOf(v);
    let note: string | undefined;
    if (name === 'reg') note = regNote(c, ctx.addressCells, ctx.sizeCells);
    else if (PHANDLE_REFS.has(name) && c.length === 1) {
      const p = ctx.phandles.get(c[0]);
      note = p ? `→ ${p}` : 'phandle not found';
    } else if (name === 'phandle' || name === 'linux,phandle') note = 'this node\'s phandle';
    else if (c.length > 1 && (name.startsWith('ibm,drc-') || name === 'ibm,associativity') && c[0] === c.length - 1) note = `${c[0]} entries`;
    else if (c.length === 1 && c[0] >= 10) note = String(c[0]);
    return { ...base, kind: 'cells', dts, note };
  }
  const counted = countedStrings(v);
  if (counted) {
    const shown = counted.slice(0, 6).map(quote).join(', ');
    return { ...base, kind: 'bytes', dts, note: `${counted.length} strings: ${shown}${counted.length > 6 ? ', …' : ''}` };
  }
  return { ...base, kind: 'bytes', dts };
}

function cellProp(n: FdtNode, name: string): number | undefined {
  const v = n.props.find(([k]) => k === name)?.[1];
  return v && v.length === 4 ? new DataView(v.buffer, v.byteOffset, 4).getUint32(0) : undefined;
}

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** phandle value -> node path, for every node with a phandle or linux,phandle. */
export function phandleMap(root: FdtNode): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (n: FdtNode, path: string) => {
    const ph = cellProp(n, 'phandle') ?? cellProp(n, 'linux,phandle');
    if (ph !== undefined) out.set(ph, path);
    for (const c of n.children) walk(c, childPath(path, c.name));
  };
  walk(root, '/');
  return out;
}

/** The tree with every property decoded, ready for a view. */
export function decodeTree(root: FdtNode): TreeNode {
  const phandles = phandleMap(root);
  const walk = (n: FdtNode, path: string, parent: FdtNode | null): TreeNode => {
    const ctx: DecodeContext = {
      addressCells: parent ? cellProp(parent, '#address-cells') ?? 2 : 2,
      sizeCells: parent ? cellProp(parent, '#size-cells') ?? 1 : 1,
      phandles,
    };
    return {
      name: path === '/' ? '/' : n.name,
      path,
      props: n.props.map(([k, v]) => decodeProp(k, v, ctx)),
      children: n.children.map((c) => walk(c, childPath(path, c.name), n)),
    };
  };
  return walk(root, '/', null);
}

/** The tree as DTS source, as `dtc -I dtb -O dts` prints it. */
export function toDts(root: FdtNode): string {
  return fdtToDts(root);
}

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * A line diff of two DTS texts (longest common subsequence), for the tree before and after CAS.
 * Unchanged runs longer than 2 × `context` lines keep `context` lines each side and become one
 * `same` line saying how many were left out.
 */
export function dtsDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length, m = b.length;
  // lcs[i][j]: LCS length of a[i..] and b[j..], in one flat array
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const full: DiffLine[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { full.push({ kind: 'same', text: a[i] }); i++; j++; }
    else if (j < m && (i === n || lcs[i * (m + 1) + j + 1] > lcs[(i + 1) * (m + 1) + j])) { full.push({ kind: 'added', text: b[j] }); j++; }
    else { full.push({ kind: 'removed', text: a[i] }); i++; }
  }
  const out: DiffLine[] = [];
  for (let k = 0; k < full.length;) {
    if (full[k].kind !== 'same') { out.push(full[k++]); continue; }
    let e = k;
    while (e < full.length && full[e].kind === 'same') e++;
    const run = full.slice(k, e);
    const head = k === 0 ? 0 : context;
    const tail = e === full.length ? 0 : context;
    if (run.length > head + tail + 1) {
      out.push(...run.slice(0, head));
      out.push({ kind: 'same', text: `… ${run.length - head - tail} unchanged lines …` });
      out.push(...run.slice(run.length - tail));
    } else out.push(...run);
    k = e;
  }
  return out;
}
