// vCPU 0: registers as QEMU names them, MSR bits, the SPRs that matter, a disassembly around
// NIP, and stop / cont / step.

import { useState } from 'react';
import { useStore } from 'zustand';
import type { Column } from '../store/session';
import type { Lab } from './lab';
import { useSnapshot } from './useSnapshot';

const MSR_BITS: ReadonlyArray<[string, number]> = [
  ['SF', 63], ['HV', 60], ['EE', 15], ['PR', 14], ['FP', 13], ['ME', 12], ['IR', 5], ['DR', 4], ['RI', 1], ['LE', 0],
];

const KEY_SPRS = ['SRR0', 'SRR1', 'DEC', 'TB', 'LPCR', 'PVR', 'SPRG0', 'SPRG1', 'SPRG2', 'SPRG3', 'DAR', 'DSISR', 'CFAR', 'PIR'];

function crFlags(f: number): string {
  return ['LT', 'GT', 'EQ', 'SO'].filter((_, i) => f & (8 >> i)).join(' ') || '—';
}

function trim(h: string): string {
  return h.replace(/^0+(?=.)/, '');
}

export function VmControls({ lab, column, testPrefix }: { lab: Lab; column: Column; testPrefix: string }) {
  const runstate = useStore(lab.store(column), (s) => s.runstate);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const run = async (op: 'stop' | 'cont' | 'step') => {
    setBusy(true);
    const e = await lab.control(column, op);
    setErr(e);
    await lab.query(column, { kind: 'cpu' }).catch(() => null);
    setBusy(false);
  };
  const running = runstate === 'running';
  return (
    <div className="vm-controls">
      <button type="button" className="tool" disabled={busy || !running} onClick={() => run('stop')} data-testid={`${testPrefix}-stop-${column}`} title="stop: running -> paused">■ stop</button>
      <button type="button" className="tool" disabled={busy || running || runstate === 'inmigrate'} onClick={() => run('cont')} data-testid={`${testPrefix}-cont-${column}`} title="cont: -> running">▶ cont</button>
      <button type="button" className="tool" disabled={busy || (runstate !== 'paused' && runstate !== 'debug' && runstate !== 'prelaunch')} onClick={() => run('step')} data-testid={`${testPrefix}-step-${column}`} title="execute one instruction">⤼ step</button>
      {err && <span className="note inline">{err}</span>}
    </div>
  );
}

export function CpuPanel({ lab, column }: { lab: Lab; column: Column }) {
  const runstate = useStore(lab.store(column), (s) => s.runstate);
  const { snap, error } = useSnapshot(lab, column, { kind: 'cpu' }, runstate === 'running' ? 500 : null);
  const msr = snap ? BigInt(`0x${snap.msr}`) : 0n;
  const [bpOverride, setBpOverride] = useState<string[] | null>(null);
  const bps = bpOverride ?? snap?.breakpoints ?? [];
  const toggleBreakpoint = (addr: string) => {
    const next = bps.includes(addr) ? bps.filter((a) => a !== addr) : [...bps, addr];
    setBpOverride(next);
    lab.setBreakpoints(column, next);
    void lab.query(column, { kind: 'cpu' }).catch(() => null);
  };
  const xer = snap ? Number(BigInt(`0x${snap.xer}`) & 0xffffffffn) : 0;
  return (
    <div className="panel cpu-panel" data-testid={`cpu-${column}`}>
      <div className="panel-bar">
        <VmControls lab={lab} column={column} testPrefix="cpu" />
        {snap && <span className="muted">CPU#{snap.cpuIndex} {snap.model}{snap.halted ? ' · halted (H_CEDE)' : ''} · {snap.insns.toLocaleString('en-US')} insns</span>}
      </div>
      {error && <div className="panel-error">{error}</div>}
      {!snap && !error && <div className="panel-empty">reading the registers…</div>}
      {snap && (
        <div className="cpu-grid panel-scroll">
          <div className="cpu-left">
            <table className="regs">
              <tbody>
                <tr><th>NIP</th><td data-testid={`cpu-nip-${column}`}>{snap.nip}</td><th>LR</th><td>{snap.lr}</td></tr>
                <tr><th>CTR</th><td>{snap.ctr}</td><th>XER</th><td>{snap.xer} <span className="flags">{[['SO', 31], ['OV', 30], ['CA', 29]].filter(([, b]) => (xer >>> (b as number)) & 1).map(([n]) => n).join(' ')}</span></td></tr>
                <tr><th>MSR</th><td colSpan={3}>{snap.msr}{' '}
                  <span className="msr-bits">
                    {MSR_BITS.map(([n, b]) => (
                      <span key={n} className={(msr >> BigInt(b)) & 1n ? 'bit on' : 'bit'} title={`MSR[${n}] (bit ${b})`}>{n}</span>
                    ))}
                  </span>
                </td></tr>
                <tr><th>CR</th><td colSpan={3}>
                  {snap.cr.toString(16).padStart(8, '0')}{' '}
                  <span className="cr-fields">
                    {Array.from({ length: 8 }, (_, i) => {
                      const f = (snap.cr >>> (28 - 4 * i)) & 0xf;
                      return <span key={i} className={f ? 'crf on' : 'crf'} title={crFlags(f)}>cr{i}={f.toString(16)}</span>;
                    })}
                  </span>
                </td></tr>
              </tbody>
            </table>
            <table className="regs gprs">
              <tbody>
                {Array.from({ length: 16 }, (_, r) => (
                  <tr key={r}>
                    <th>r{r}</th><td>{snap.gpr[r]}</td>
                    <th>r{r + 16}</th><td>{snap.gpr[r + 16]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="regs sprs">
              <tbody>
                {KEY_SPRS.map((n) => snap.sprs.find((s) => s.name === n)).filter((s) => s !== undefined).reduce<Array<typeof snap.sprs>>((rows, s, i) => {
                  if (i % 2 === 0) rows.push([s]); else rows[rows.length - 1].push(s);
                  return rows;
                }, []).map((row) => (
                  <tr key={row[0].name}>
                    {row.map((s) => (
                      <td key={s.name} className="spr" data-spr={s.name}>
                        <span className="spr-name" title={s.num !== undefined ? `SPR ${s.num}` : undefined}>{s.name}</span>{' '}
                        <span data-testid={`cpu-spr-${s.name}-${column}`}>{s.name === 'PVR' ? s.value.slice(8) : s.value}</span>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="cpu-right">
            <div className="panel-subtitle">
              disassembly around NIP{(msr & 1n) ? ' (little-endian)' : ''} · click an address to set or clear a breakpoint
              {bps.length > 0 && <span className="bp-list" data-testid={`breakpoints-${column}`}> · breakpoints: {bps.map(trim).join(', ')}</span>}
            </div>
            <table className="disasm" data-testid={`disasm-${column}`}>
              <tbody>
                {snap.disasm.map((l) => (
                  <tr key={l.addr} className={`${l.current ? 'current' : ''}${bps.includes(l.addr) ? ' bp' : ''}`}
                    data-addr={l.addr} onClick={() => toggleBreakpoint(l.addr)} title="set / clear a breakpoint here">
                    <td className="d-mark">{bps.includes(l.addr) ? '●' : ''}{l.current ? '▶' : ''}</td>
                    <td className="d-addr" title={l.addr}>{trim(l.addr)}</td>
                    <td className="d-word">{l.word}</td>
                    <td className="d-text">{l.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
