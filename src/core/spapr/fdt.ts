// Flattened device tree (DTB, version 17): a small tree type, property encoders, a writer
// producing the blob QEMU hands to a pseries guest, and a parser for blobs (ours, or one
// found in a QEMU stream's spapr_dtb subsection).

export const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;

export interface FdtNode {
  name: string;
  props: Array<[string, Uint8Array]>;
  children: FdtNode[];
}

export function node(name: string, props: Array<[string, Uint8Array]> = [], children: FdtNode[] = []): FdtNode {
  return { name, props, children };
}

// ---- property value encoders ------------------------------------------------------------

/** `<a b c>`: big-endian 32-bit cells. */
export function cells(...v: number[]): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const dv = new DataView(out.buffer);
  v.forEach((x, i) => dv.setUint32(i * 4, x >>> 0));
  return out;
}

/** A 64-bit value as two cells. */
export function u64cells(...v: Array<number | bigint>): Uint8Array {
  const parts: number[] = [];
  for (const x of v) {
    const b = BigInt.asUintN(64, BigInt(x));
    parts.push(Number(b >> 32n), Number(b & 0xffffffffn));
  }
  return cells(...parts);
}

/** A NUL-terminated string; several strings make a string list. */
export function str(...s: string[]): Uint8Array {
  return new TextEncoder().encode(s.map((x) => x + '\0').join(''));
}

export function bytes(...b: number[]): Uint8Array {
  return Uint8Array.from(b);
}

export const empty = new Uint8Array(0);

// ---- lookup -------------------------------------------------------------------------------

export function findNode(root: FdtNode, path: string): FdtNode | undefined {
  if (path === '/' || path === '') return root;
  let cur: FdtNode | undefined = root;
  for (const part of path.replace(/^\//, '').split('/')) {
    cur = cur?.children.find((c) => c.name === part || c.name.split('@')[0] === part);
    if (!cur) return undefined;
  }
  return cur;
}

export function getProp(n: FdtNode, name: string): Uint8Array | undefined {
  return n.props.find(([k]) => k === name)?.[1];
}

export function setProp(n: FdtNode, name: string, value: Uint8Array): void {
  const p = n.props.find(([k]) => k === name);
  if (p) p[1] = value;
  else n.props.push([name, value]);
}

// ---- writer -------------------------------------------------------------------------------

/** Serialise to a DTB: header, empty memory reservation map, structure block, strings. */
/** `memRsv`: the memory reservation map, [address, size] pairs. */
export function fdtPack(root: FdtNode, bootCpuidPhys = 0, memRsv: Array<[bigint, bigint]> = []): Uint8Array {
  const strings: string[] = [];
  const strOff = new Map<string, number>();
  let strSize = 0;
  const nameOff = (s: string): number => {
    let o = strOff.get(s);
    if (o === undefined) {
      o = strSize;
      strOff.set(s, o);
      strings.push(s);
      strSize += new TextEncoder().encode(s).length + 1;
    }
    return o;
  };

  const words: number[] = [];
  const pushBytes = (b: Uint8Array): void => {
    for (let i = 0; i < b.length; i += 4) {
      words.push(((b[i] << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0);
    }
  };
  const walk = (n: FdtNode): void => {
    words.push(FDT_BEGIN_NODE);
    pushBytes(str(n.name));
    for (const [k, v] of n.props) {
      words.push(FDT_PROP, v.length, nameOff(k));
      pushBytes(v);
    }
    for (const c of n.children) walk(c);
    words.push(FDT_END_NODE);
  };
  walk(root);
  words.push(FDT_END);

  const structSize = words.length * 4;
  const offRsv = 40;
  const offStruct = offRsv + 16 * (memRsv.length + 1);
  const offStrings = offStruct + structSize;
  const total = offStrings + strSize;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const hdr = [FDT_MAGIC, total, offStruct, offStrings, offRsv, 17, 16, bootCpuidPhys, strSize, structSize];
  hdr.forEach((v, i) => dv.setUint32(i * 4, v >>> 0));
  memRsv.forEach(([a, sz], i) => {
    dv.setBigUint64(offRsv + 16 * i, BigInt.asUintN(64, a));
    dv.setBigUint64(offRsv + 16 * i + 8, BigInt.asUintN(64, sz));
  });
  words.forEach((w, i) => dv.setUint32(offStruct + i * 4, w));
  let o = offStrings;
  for (const s of strings) {
    const b = str(s);
    out.set(b, o);
    o += b.length;
  }
  return out;
}

// ---- parser -------------------------------------------------------------------------------

export class FdtError extends Error {}

/** The memory reservation map of a blob. */
export function fdtMemReserve(blob: Uint8Array): Array<[bigint, bigint]> {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out: Array<[bigint, bigint]> = [];
  if (blob.length < 40 || dv.getUint32(0) !== FDT_MAGIC) return out;
  for (let o = dv.getUint32(16); o + 16 <= blob.length; o += 16) {
    const a = dv.getBigUint64(o);
    const sz = dv.getBigUint64(o + 8);
    if (a === 0n && sz === 0n) break;
    out.push([a, sz]);
  }
  return out;
}

export function fdtParse(blob: Uint8Array): FdtNode {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < 40 || dv.getUint32(0) !== FDT_MAGIC) throw new FdtError('FDT_ERR_BADMAGIC');
  const total = dv.getUint32(4);
  const offStruct = dv.getUint32(8);
  const offStrings = dv.getUint32(12);
  if (total > blob.length || offStruct >= total || offStrings > total) throw new FdtError('FDT_ERR_TRUNCATED');
  const dec = new TextDecoder();
  const cstr = (o: number): [string, number] => {
    let e = o;
    while (e < total && blob[e] !== 0) e++;
    if (e >= total) throw new FdtError('FDT_ERR_TRUNCATED');
    return [dec.decode(blob.subarray(o, e)), e + 1];
  };
  let p = offStruct;
  const align = (x: number): number => (x + 3) & ~3;
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    if (p + 4 > total) throw new FdtError('FDT_ERR_TRUNCATED');
    const tag = dv.getUint32(p);
    p += 4;
    if (tag === FDT_BEGIN_NODE) {
      const [name, e] = cstr(p);
      p = align(e);
      const n = node(name);
      if (stack.length) stack[stack.length - 1].children.push(n);
      else root = n;
      stack.push(n);
    } else if (tag === FDT_PROP) {
      const len = dv.getUint32(p);
      const nameoff = dv.getUint32(p + 4);
      p += 8;
      if (!stack.length || p + len > total) throw new FdtError('FDT_ERR_BADSTRUCTURE');
      const [pname] = cstr(offStrings + nameoff);
      stack[stack.length - 1].props.push([pname, blob.slice(p, p + len)]);
      p = align(p + len);
    } else if (tag === FDT_END_NODE) {
      if (!stack.length) throw new FdtError('FDT_ERR_BADSTRUCTURE');
      stack.pop();
    } else if (tag === FDT_NOP) {
      continue;
    } else if (tag === FDT_END) {
      break;
    } else {
      throw new FdtError('FDT_ERR_BADSTRUCTURE');
    }
  }
  if (!root || stack.length) throw new FdtError('FDT_ERR_BADSTRUCTURE');
  return root;
}
