// Guest-physical RAM as a hex dump, 256 bytes a page, at an address the user types, and
// vCPU 0's write watchpoints on it.

import { useState } from 'react';
import type { Column } from '../store/session';
import type { Lab } from './lab';
import type { WatchHit, WatchRange } from '../worker/protocol';
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

/** Write watchpoints: a range of guest-physical RAM; a change to it stops the VM in debug. */
function Watchpoints({ lab, column, ranges, hit, near }: {
  lab: Lab; column: Column; ranges: WatchRange[]; hit: WatchHit | null | undefined; near: number;
}) {
  const [addrText, setAddrText] = useState('');
  const [lenText, setLenText] = useState('8');
  const [bad, setBad] = useState<string | null>(null);
  const [override, setOverride] = useState<WatchRange[] | null>(null);
  const list = override ?? ranges;
  const apply = (next: WatchRange[]) => {
    setOverride(next);
    lab.setWatchpoints(column, next);
    void lab.query(column, { kind: 'memory', addr: near, len: PAGE }).then(() => setOverride(null), () => setOverride(null));
  };
  return (
    <>
      <form className="panel-bar mem-watch" onSubmit={(e) => {
        e.preventDefault();
        const a = parseAddress(addrText || `0x${near.toString(16)}`);
        const n = Number.parseInt(lenText, 10);
        if (a === null) { setBad('not an address: use hex, e.g. 0x10000'); return; }
        if (!Number.isInteger(n) || n < 1 || n > 4096) { setBad('length: 1 to 4096 bytes'); return; }
        setBad(null);
        apply([...list.filter((w) => w.addr !== a), { addr: a, len: n }]);
      }}>
        <label className="muted" htmlFor={`mem-watch-addr-${column}`}>watch writes to</label>
        <input id={`mem-watch-addr-${column}`} className="addr" value={addrText} placeholder={`0x${near.toString(16)}`} spellCheck={false}
          onChange={(e) => setAddrText(e.target.value)} data-testid={`mem-watch-addr-${column}`} />
        <label className="muted" htmlFor={`mem-watch-len-${column}`}>bytes</label>
        <input id={`mem-watch-len-${column}`} className="len" value={lenText} spellCheck={false}
          onChange={(e) => setLenText(e.target.value)} data-testid={`mem-watch-len-${column}`} />
        <button type="submit" className="tool" data-testid={`mem-watch-set-${column}`} title="the VM stops in debug after an instruction changes these bytes (as a gdbstub watchpoint)">set watchpoint</button>
        {list.length > 0 && (
          <span className="mem-watch-list" data-testid={`mem-watch-list-${column}`}>
            {list.map((w) => (
              <span key={w.addr} className="mem-watch-item" data-addr={w.addr}>
                0x{w.addr.toString(16)}+{w.len}
                <button type="button" aria-label="remove the watchpoint" onClick={() => apply(list.filter((x) => x.addr !== w.addr))}>×</button>
              </span>
            ))}
          </span>
        )}
      </form>
      {bad && <div className="panel-error">{bad}</div>}
      {hit && (
        <div className="panel-warning mem-watch-hit" data-testid={`mem-watch-hit-${column}`}>
          watchpoint 0x{hit.addr.toString(16)} ({hit.len} bytes) hit after the instruction at {hit.nip.replace(/^0+(?=.)/, '')},
          {' '}{hit.insns.toLocaleString('en-US')} insns: {hit.old} → {hit.now}
        </div>
      )}
    </>
  );
}

export function MemoryPanel({ lab, column }: { lab: Lab; column: Column }) {
  const [addr, setAddr] = useState(0);
  const [text, setText] = useState('0x0');
  const [bad, setBad] = useState(false);
  const { snap, error } = useSnapshot(lab, column, { kind: 'memory', addr, len: PAGE }, 1000);
  const blocks = snap?.blocks ?? [];
  // the top of guest-physical memory: the end of the highest block (RAM or a DIMM)
  const top = blocks.length ? Math.max(...blocks.map((b) => b.addr + b.size)) : Infinity;
  const go = (a: number) => {
    const clipped = Math.max(0, Math.min(a, top - PAGE));
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
        <button type="button" className="tool" disabled={addr + PAGE >= top} onClick={() => go(addr + PAGE)}>next ▶</button>
        {snap && (
          <span className="muted" data-testid={`mem-blocks-${column}`}>
            {blocks.map((b, i) => (
              <span key={b.idstr} title={`RAM block ${b.idstr}: 0x${b.addr.toString(16)}–0x${(b.addr + b.size - 1).toString(16)}`}>
                {i ? ' · ' : ''}{b.addr === 0 ? 'RAM' : <button type="button" className="link" onClick={() => go(b.addr)}>{b.idstr}</button>}
                {' '}{(b.size / (1 << 20)).toFixed(0)} MiB{b.addr ? ` @0x${b.addr.toString(16)}` : ''}
              </span>
            ))}
          </span>
        )}
      </form>
      <Watchpoints lab={lab} column={column} ranges={snap?.watchpoints ?? []} hit={snap?.watchHit} near={addr} />
      {error && <div className="panel-error">{error}</div>}
      {bad && <div className="panel-error">not an address: use hex, e.g. 0x10000</div>}
      {snap && snap.addr === addr && (
        <pre className="hexdump panel-scroll" data-testid={`hexdump-${column}`}>{hexDump(snap.addr, snap.bytes).join('\n')}</pre>
      )}
      {snap && snap.addr === addr && snap.bytes.length === 0 && (
        <div className="panel-empty">unassigned: no RAM or DIMM at 0x{addr.toString(16)} (loads read 0, stores are lost)</div>
      )}
    </div>
  );
}
