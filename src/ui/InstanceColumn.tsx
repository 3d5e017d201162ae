// One machine: heading (role, name, runstate, speed), its console and its runstate trace.

import { useStore } from 'zustand';
import type { Column } from '../store/session';
import type { Lab } from './lab';
import { Console } from './Console';
import { TraceList } from './TraceList';
import { RunstateBadge } from './RunstateBadge';

function formatMips(mips: number): string {
  if (!mips) return '— MIPS';
  return `${mips >= 100 ? mips.toFixed(0) : mips.toFixed(1)} MIPS`;
}

function formatInsns(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G insns`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M insns`;
  return `${n} insns`;
}

export function InstanceColumn({ lab, column }: { lab: Lab; column: Column }) {
  const store = lab.store(column);
  const role = useStore(lab.session, (s) => s.roles[column]);
  const name = useStore(store, (s) => s.name);
  const runstate = useStore(store, (s) => s.runstate);
  const ready = useStore(store, (s) => s.ready);
  const stats = useStore(store, (s) => s.stats);
  const errors = useStore(store, (s) => s.errors);
  const silent = useStore(store, (s) => s.consoleSeq === 0);
  const hint = !silent ? null
    : !ready ? 'starting the machine…'
    : runstate === 'prelaunch' ? 'prelaunch: a fresh machine, waiting to boot or for an incoming migration'
    : runstate === 'inmigrate' ? 'inmigrate: loading the incoming migration stream…'
    : null;

  return (
    <section className={`instance role-${role}`} data-testid={`instance-${column}`} data-role={role}>
      <header className="instance-head">
        <span className="role" data-testid={`role-${column}`}>{role}</span>
        <h2 className="name" data-testid={`name-${column}`}>{name}</h2>
        <RunstateBadge state={runstate} testId={`runstate-${column}`} />
        <span className="mips" data-testid={`mips-${column}`} title={formatInsns(stats.insns)}>{formatMips(stats.mips)}</span>
      </header>
      {errors.length > 0 && (
        <ul className="errors" data-testid={`errors-${column}`}>
          {errors.slice(-3).map((e, i) => <li key={`${e.wallMs}-${i}`}>{e.message}</li>)}
        </ul>
      )}
      <div className="console-wrap">
        <Console store={store} onInput={(d) => lab.input(column, d)} testId={`console-${column}`} />
        {hint && <div className="console-hint" data-testid={`console-hint-${column}`}>{hint}</div>}
      </div>
      <h3 className="panel-title">trace events</h3>
      <TraceList store={store} testId={`trace-${column}`} />
    </section>
  );
}
