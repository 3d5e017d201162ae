// Guest-physical RAM as a hex dump, 256 bytes a page, at an address the user types.

import { useState } from 'react';
import type { Column } from '../store/session';
import type { Lab } from './lab';
import { useSnapshot } from './useSnapshot';

const PAGE = 256;

export function parseAddress(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  if (!t) return null;
  const v = t.startsWith('0x') ? Number.parseInt(t.slice(2), 16) : /^[0-9a-f]+$/.test(t) ? Number.parseInt(t, 16) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : null;
}

export function hexDump(addr: number, bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.subarray(o, o + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out.push(`${(addr + o).toString(16).padStart(16, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return out;
}

export function MemoryPanel({ lab, column }: { lab: Lab; column: Column }) {
  const [addr, setAddr] = useState(0);
  const [text, setText] = useState('0x0');
  const [bad, setBad] = useState(false);
  const { snap, error } = useSnapshot(lab, column, { kind: 'memory', addr, len: PAGE }, 1000);
  const ramSize = snap?.ramSize ?? Infinity;
  const go = (a: number) => {
    const clipped = Math.max(0, Math.min(a, ramSize - PAGE));
    const aligned = clipped - (clipped % 16);
    setAddr(aligned);
    setText(`0x${aligned.toString(16)}`);
  };
  return (
    <div className="panel mem-panel" data-testid={`memory-${column}`}>
      <form className="panel-bar" onSubmit={(e) => {
        e.preventDefault();
        const a = parseAddress(text);
        setBad(a === null);
        if (a !== null) go(a);
      }}>
        <label className="muted" htmlFor={`mem-addr-${column}`}>guest-physical address</label>
        <input id={`mem-addr-${column}`} className={`addr${bad ? ' bad' : ''}`} value={text} spellCheck={false}
          onChange={(e) => setText(e.target.value)} data-testid={`mem-addr-${column}`} />
        <button type="submit" className="tool">go</button>
        <button type="button" className="tool" disabled={addr === 0} onClick={() => go(addr - PAGE)}>◀ prev</button>
        <button type="button" className="tool" disabled={addr + PAGE >= ramSize} onClick={() => go(addr + PAGE)}>next ▶</button>
        {snap && <span className="muted">RAM {(snap.ramSize / (1 << 20)).toFixed(0)} MiB</span>}
      </form>
      {error && <div className="panel-error">{error}</div>}
      {bad && <div className="panel-error">not an address: use hex, e.g. 0x10000</div>}
      {snap && snap.addr === addr && (
        <pre className="hexdump panel-scroll" data-testid={`hexdump-${column}`}>{hexDump(snap.addr, snap.bytes).join('\n')}</pre>
      )}
      {snap && snap.bytes.length === 0 && <div className="panel-empty">outside RAM</div>}
    </div>
  );
}
