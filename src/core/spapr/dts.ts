// Device tree source text in the form `dtc -I dtb -O dts` prints it (dtc 1.6): the same
// guess of each property's type from its bytes (string list, 32-bit cells, or bytes), the
// same escapes and the same layout, so a tree can be compared with QEMU's as text.

import type { FdtNode } from './fdt';

function isPrint(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

/** dtc's isstring(): printable, NUL, or one of \a\b\t\n\v\f\r. */
function isStringByte(c: number): boolean {
  return isPrint(c) || c === 0 || (c >= 7 && c <= 13);
}

type Guess = 'string' | 'cells' | 'bytes';

/** guess_value_type() of dtc's treesource.c (no labels or markers in a blob). */
export function guessType(v: Uint8Array): Guess {
  const len = v.length;
  let nnotstring = 0;
  let nnul = 0;
  for (const c of v) {
    if (!isStringByte(c)) nnotstring++;
    if (c === 0) nnul++;
  }
  if (v[len - 1] === 0 && nnotstring === 0 && nnul <= len - nnul) return 'string';
  if (len % 4 === 0) return 'cells';
  return 'bytes';
}

function escapeString(v: Uint8Array): string {
  let s = '';
  // the final NUL closes the string; inner NULs print as \0
  for (let i = 0; i < v.length - 1; i++) {
    const c = v[i];
    switch (c) {
      case 7: s += '\\a'; break;
      case 8: s += '\\b'; break;
      case 9: s += '\\t'; break;
      case 10: s += '\\n'; break;
      case 11: s += '\\v'; break;
      case 12: s += '\\f'; break;
      case 13: s += '\\r'; break;
      case 0x5c: s += '\\\\'; break;
      case 0x22: s += '\\"'; break;
      case 0: s += '\\0'; break;
      default:
        s += isPrint(c) ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return `"${s}"`;
}

export function formatValue(v: Uint8Array): string {
  switch (guessType(v)) {
    case 'string':
      return escapeString(v);
    case 'cells': {
      const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
      const parts: string[] = [];
      for (let i = 0; i < v.length; i += 4) parts.push(`0x${dv.getUint32(i).toString(16).padStart(2, '0')}`);
      return `<${parts.join(' ')}>`;
    }
    default:
      return `[${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
  }
}

/** The whole tree as dtc prints it, ending with a newline. */
export function fdtToDts(root: FdtNode, memReserve: Array<[bigint, bigint]> = []): string {
  const out: string[] = ['/dts-v1/;', ''];
  for (const [a, s] of memReserve) out.push(`/memreserve/\t0x${a.toString(16).padStart(16, '0')} 0x${s.toString(16).padStart(16, '0')};`);
  const walk = (n: FdtNode, depth: number): void => {
    const ind = '\t'.repeat(depth);
    out.push(`${ind}${depth === 0 ? '/' : n.name} {`);
    for (const [k, v] of n.props) out.push(v.length ? `${ind}\t${k} = ${formatValue(v)};` : `${ind}\t${k};`);
    n.children.forEach((c, i) => {
      if (i > 0 || n.props.length) out.push('');
      walk(c, depth + 1);
    });
    out.push(`${ind}};`);
  };
  walk(root, 0);
  return out.join('\n') + '\n';
}
