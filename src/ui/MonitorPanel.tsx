// An HMP-like monitor for one instance: `(qemu)` prompt, QEMU's commands and output formats.

import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Column } from '../store/session';
import { infoCpus, infoMemoryDevices, infoMigrate, infoMigrateParameters, infoRegisters, infoStatus, parseHmp, type CpuSnapshot } from './hmp';
import type { Snapshot } from '../worker/protocol';
import type { Lab } from './lab';

interface Line { id: number; text: string; input?: boolean }

let lineId = 0;

/** A command's reply: QEMU's error message as HMP prints it, or nothing. */
function errorLines(err: string | null): string[] {
  return err ? [`Error: ${err}`] : [];
}

export function MonitorPanel({ lab, column }: { lab: Lab; column: Column }) {
  const name = lab.store(column).getState().name;
  // commands wait for the machine: a panel opened before it is created is made afresh then
  const ready = useStore(lab.store(column), (s) => s.ready);
  const [lines, setLines] = useState<Line[]>(() => [
    { id: ++lineId, text: `QEMU 7.2 monitor for ${name} - type 'help' for more information` },
  ]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const history = useRef<string[]>([]);
  const hpos = useRef(0);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const print = (out: string[], cmd?: string) => setLines((l) => [
    ...l,
    ...(cmd !== undefined ? [{ id: ++lineId, text: `(qemu) ${cmd}`, input: true }] : []),
    ...out.map((t) => ({ id: ++lineId, text: t })),
  ].slice(-2000));

  const exec = async (cmd: string): Promise<string[]> => {
    const action = parseHmp(cmd);
    if (!action) return [];
    const store = lab.store(column);
    switch (action.kind) {
      case 'print': return action.lines;
      case 'control': return errorLines(await lab.control(column, action.op));
      case 'migrate': {
        // the page's one destination: the other column, started afresh with -incoming
        if (!lab.canMigrate(column)) {
          return [lab.session.getState().active ? "Error: There's a migration process in progress" : 'Error: this machine cannot be migrated now (it must be running or paused, with no migration under way)'];
        }
        lab.migrate(column);
        return [`(migrating to the other column's machine; ${action.uri} names it here)`];
      }
      case 'migrate_cancel':
        lab.cancel();
        return [];
      case 'migrate_set_parameter':
        return lab.setParameter(action.name, action.value) ? [] : [`Error: Parameter '${action.name}' has an invalid value`];
      case 'device_add': return errorLines(await lab.deviceAdd(column, action.driver, action.props));
      case 'device_del': return errorLines(await lab.deviceDel(column, action.device));
      case 'object_add': return errorLines(await lab.objectAdd(column, action.qomType, action.props));
      case 'object_del': return errorLines(await lab.objectDel(column, action.id));
      case 'info':
        switch (action.what) {
          case 'status': return infoStatus(store.getState().runstate);
          case 'migrate': {
            const s = lab.session.getState();
            const m = store.getState().migration;
            const mine = s.last && (s.last.from === column || s.last.to === column) ? s.last : null;
            const totalMs = m && m.direction === 'outgoing' && (m.status === 'active' || m.status === 'setup') && mine
              ? Date.now() - mine.startedMs : undefined;
            return infoMigrate(m, { totalMs });
          }
          case 'migrate_parameters': return infoMigrateParameters(lab.session.getState().params);
          case 'memory-devices': {
            const snap = await lab.query(column, { kind: 'memory-devices' }) as Extract<Snapshot, { kind: 'memory-devices' }> | null;
            return snap ? infoMemoryDevices(snap.dimms) : [];
          }
          case 'registers': case 'cpus': {
            const snap = await lab.query(column, { kind: 'cpu' }) as CpuSnapshot | null;
            if (!snap) return ['No CPU available'];
            return action.what === 'registers' ? infoRegisters(snap) : infoCpus(snap, column === 'left' ? 1 : 2);
          }
        }
    }
    return [];
  };

  const submit = async () => {
    const cmd = text;
    setText('');
    if (cmd.trim()) history.current.push(cmd);
    hpos.current = history.current.length;
    setBusy(true);
    let out: string[];
    try { out = await exec(cmd); } catch (e) { out = [`Error: ${(e as Error).message}`]; }
    print(out, cmd);
    setBusy(false);
    input.current?.focus();
  };

  return (
    <div className="panel monitor-panel" data-testid={`monitor-${column}`} onClick={() => input.current?.focus()}>
      <div className="monitor-out" ref={box} data-testid={`monitor-out-${column}`}>
        {lines.map((l) => <div key={l.id} className={l.input ? 'm-in' : 'm-out'}>{l.text || '\u00a0'}</div>)}
      </div>
      <form className="monitor-in" onSubmit={(e) => { e.preventDefault(); if (!busy) void submit(); }}>
        <span className="prompt">(qemu)</span>
        <input ref={input} value={text} spellCheck={false} autoComplete="off" disabled={busy || !ready}
          placeholder={ready ? undefined : 'starting the machine…'}
          data-testid={`monitor-input-${column}`} aria-label="monitor command"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            const h = history.current;
            if (e.key === 'ArrowUp' && hpos.current > 0) { hpos.current--; setText(h[hpos.current]); e.preventDefault(); }
            if (e.key === 'ArrowDown') { hpos.current = Math.min(h.length, hpos.current + 1); setText(h[hpos.current] ?? ''); e.preventDefault(); }
          }} />
      </form>
    </div>
  );
}
