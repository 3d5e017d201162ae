// One machine: heading (role, name, runstate, speed), its console, and the panels as tabs
// under it (trace events, device tree, vmstate, CPU, ov5, monitor, memory). Only the visible
// panel is mounted, so only it asks its worker for snapshots.

import { lazy, Suspense } from 'react';
import { useStore } from 'zustand';
import type { Column } from '../store/session';
import type { Lab } from './lab';
import { Console } from './Console';
import { TraceList } from './TraceList';
import { RunstateBadge } from './RunstateBadge';
import { TABS, TAB_LABELS, focusColumn, selectTab, type Tab } from '../store/layout';
import { DeviceTreePanel } from './DeviceTreePanel';
import { VmstatePanel } from './VmstatePanel';
import { CpuPanel } from './CpuPanel';
import { Ov5Panel } from './Ov5Panel';
import { MonitorPanel } from './MonitorPanel';
import { MemoryPanel } from './MemoryPanel';
import { guestById } from '../core/guests';

// Monaco is loaded with the editor tab, not with the page
const GuestEditor = lazy(() => import('./GuestEditor'));

function Panel({ lab, column, tab }: { lab: Lab; column: Column; tab: Tab }) {
  switch (tab) {
    case 'trace': return <TraceList store={lab.store(column)} testId={`trace-${column}`} />;
    case 'dt': return <DeviceTreePanel lab={lab} column={column} />;
    case 'vmstate': return <VmstatePanel lab={lab} column={column} />;
    case 'cpu': return <CpuPanel lab={lab} column={column} />;
    case 'ov5': return <Ov5Panel lab={lab} column={column} />;
    case 'monitor': return <MonitorPanel lab={lab} column={column} />;
    case 'memory': return <MemoryPanel lab={lab} column={column} />;
    case 'editor': return <Suspense fallback={<p className="muted">loading the editor…</p>}><GuestEditor lab={lab} column={column} /></Suspense>;
  }
}

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
  const tab = useStore(lab.layout, (s) => s.tabs[column]);
  const focused = useStore(lab.layout, (s) => s.focused === column);
  const generation = useStore(store, (s) => s.generation);
  const guestLoading = useStore(lab.session, (s) => s.guestLoading);
  const guestTitle = useStore(lab.session, (s) => guestById(s.guest)?.title ?? s.guest);
  const hint = !silent ? null
    : !ready ? 'starting the machine…'
    : role === 'source' && guestLoading ? `loading ${guestTitle}…`
    : role === 'source' && runstate === 'running' ? `booting ${guestTitle}…`
    : runstate === 'prelaunch' ? 'prelaunch: a fresh machine, waiting to boot or for an incoming migration'
    : runstate === 'inmigrate' ? 'inmigrate: loading the incoming migration stream…'
    : null;

  return (
    <section className={`instance role-${role}${focused ? ' focused' : ''}`} data-testid={`instance-${column}`} data-role={role}
      data-focused={focused} onPointerDownCapture={() => focusColumn(lab.layout, column)} onFocusCapture={() => focusColumn(lab.layout, column)}>
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
      <nav className="tabs" role="tablist" data-testid={`tabs-${column}`}>
        {TABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'tab on' : 'tab'}
            data-testid={`tab-${t}-${column}`} title={`${TAB_LABELS[t]} (${TABS.indexOf(t) + 1})`} onClick={() => selectTab(lab.layout, column, t)}>
            {TAB_LABELS[t]}
          </button>
        ))}
      </nav>
      <div className="tab-body" role="tabpanel">
        {/* A fresh machine gets fresh panels (the monitor's scrollback goes with the old one). */}
        <Panel key={`${tab}-${generation}`} lab={lab} column={column} tab={tab} />
      </div>
    </section>
  );
}
