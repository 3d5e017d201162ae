import { useEffect, useState } from 'react';
import type { Lab } from './lab';
import { InstanceColumn } from './InstanceColumn';
import { MigrationBar } from './MigrationBar';
import { useStore } from 'zustand';
import { focusColumn, selectTab, setHelp, setInspector, setTimeline, setNotice, setView, TABS } from '../store/layout';
import { toggleTheme } from '../store/theme';
import { columnOf } from '../store/session';
import { SHORTCUTS, shortcutFor, type ShortcutAction } from './shortcuts';
import { StreamInspector } from './StreamInspector';
import { Timeline } from './Timeline';
import type { ScenarioHost } from './scenarioHost';
import { ScenariosView } from './ScenariosView';
import { GUESTS } from '../core/guests';

/** The bundled guests: picking one restarts the source with it and the other side as a fresh destination. */
function GuestPicker({ lab }: { lab: Lab }) {
  const guest = useStore(lab.session, (s) => s.guest);
  const migrating = useStore(lab.session, (s) => s.active !== null);
  const spec = GUESTS.find((g) => g.id === guest);
  return (
    <label className="guest-pick" title={spec?.description}>
      <span className="label">guest</span>
      <select data-testid="guest-select" value={guest} disabled={migrating}
        onChange={(e) => lab.selectGuest(e.currentTarget.value)}>
        {GUESTS.map((g) => <option key={g.id} value={g.id} title={g.description}>{g.title}</option>)}
      </select>
    </label>
  );
}

/** Light / dark: the switch in the header. */
function ThemeSwitch({ lab }: { lab: Lab }) {
  const theme = useStore(lab.theme, (s) => s.theme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="tool head-icon" data-testid="theme-toggle" data-theme-now={theme}
      aria-label={`switch to the ${next} theme`} title={`switch to the ${next} theme (t)`} onClick={() => toggleTheme(lab.theme)}>
      {theme === 'dark' ? '☀ light' : '☾ dark'}
    </button>
  );
}

/** A shortcut's answer, for a few seconds. */
function Notice({ lab }: { lab: Lab }) {
  const notice = useStore(lab.layout, (s) => s.notice);
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => {
    if (!notice) return;
    setShown(notice.seq);
    const t = setTimeout(() => setShown(null), 4000);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice || shown !== notice.seq) return null;
  return <div className="shortcut-notice" role="status" data-testid="shortcut-notice">{notice.text}</div>;
}

/** The keyboard shortcuts, listed. */
function HelpOverlay({ lab }: { lab: Lab }) {
  const close = () => setHelp(lab.layout, false);
  return (
    <div className="help-backdrop" data-testid="help-overlay" onClick={close}>
      <section className="help" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={(e) => e.stopPropagation()}>
        <header className="help-head">
          <h2 id="help-title">keyboard shortcuts</h2>
          <button type="button" className="close" aria-label="close" onClick={close} autoFocus>×</button>
        </header>
        <p className="muted">Not while typing in a field, the console or the editor. “Focused column”: the one last clicked, or chosen with [ and ].</p>
        <table className="help-keys">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.what}>
                <td className="keys">{s.keys.map((k, i) => (k === '…' ? <span key={i}> … </span> : <kbd key={i}>{k}</kbd>))}</td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** What a shortcut does: the same commands as the buttons. */
function runShortcut(lab: Lab, a: ShortcutAction): void {
  const layout = lab.layout.getState();
  const column = layout.focused;
  const inLab = layout.view === 'lab';
  switch (a.kind) {
    case 'help': setHelp(lab.layout, !layout.help); return;
    case 'close': setHelp(lab.layout, false); return;
    case 'theme': toggleTheme(lab.theme); return;
    case 'view': setView(lab.layout, inLab ? 'scenarios' : 'lab'); return;
  }
  if (!inLab) return;
  switch (a.kind) {
    case 'tab': selectTab(lab.layout, column, TABS[a.index]); return;
    case 'focus': focusColumn(lab.layout, a.column); return;
    case 'inspector': setInspector(lab.layout, !layout.inspector); return;
    case 'migrate': lab.migrate(columnOf(lab.session.getState(), 'source')); return;
    case 'cancel': lab.cancel(); return;
    case 'stop-cont': {
      const rs = lab.store(column).getState().runstate;
      const op = rs === 'running' ? 'stop' : 'cont';
      if (rs === 'inmigrate') { setNotice(lab.layout, `${column} column: inmigrate, cont waits for the migration`); return; }
      void lab.control(column, op).then((e) => setNotice(lab.layout, e && `${op}: ${e}`));
      return;
    }
    case 'step': {
      const rs = lab.store(column).getState().runstate;
      if (rs !== 'paused' && rs !== 'debug' && rs !== 'prelaunch') { setNotice(lab.layout, `step: the VM is ${rs}; stop it first (s)`); return; }
      void lab.control(column, 'step').then((e) => {
        setNotice(lab.layout, e && `step: ${e}`);
        return lab.query(column, { kind: 'cpu' });
      }).catch(() => null);
      return;
    }
  }
}

export function App({ lab, scenarios }: { lab: Lab; scenarios: ScenarioHost }) {
  const inspector = useStore(lab.layout, (s) => s.inspector);
  const timeline = useStore(lab.layout, (s) => s.timeline);
  const view = useStore(lab.layout, (s) => s.view);
  const help = useStore(lab.layout, (s) => s.help);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      const a = shortcutFor(e, lab.layout.getState().help);
      if (!a) return;
      e.preventDefault();
      runShortcut(lab, a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lab]);
  return (
    <div className="app">
      <header className="app-head">
        <h1>pseries-lab</h1>
        <nav className="seg view-switch" aria-label="view">
          <button type="button" className={view === 'lab' ? 'on' : ''} aria-pressed={view === 'lab'} data-testid="view-lab"
            onClick={() => setView(lab.layout, 'lab')}>live lab</button>
          <button type="button" className={view === 'scenarios' ? 'on' : ''} aria-pressed={view === 'scenarios'} data-testid="view-scenarios"
            onClick={() => setView(lab.layout, 'scenarios')}>scenarios</button>
        </nav>
        <p className="subtitle">
          {view === 'lab'
            ? 'QEMU sPAPR (pseries) machine · POWER8 · live migration between two instances'
            : 'guided scenarios · the qemu-devel threads replayed deterministically, step by step'}
        </p>
        {view === 'lab' && <GuestPicker lab={lab} />}
        {view === 'lab' && (
          <button type="button" className={`tool head-tool${inspector ? ' on' : ''}`} data-testid="open-inspector"
            onClick={() => {
              setInspector(lab.layout, !inspector);
              // It opens below the columns: bring it into view.
              if (!inspector) requestAnimationFrame(() => document.querySelector('.inspector')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
            }}>stream inspector</button>
        )}
        {view === 'lab' && (
          <button type="button" className={`tool head-tool${timeline ? ' on' : ''}`} data-testid="open-timeline"
            title="both machines' trace events on one time axis" onClick={() => {
              setTimeline(lab.layout, !timeline);
              if (!timeline) requestAnimationFrame(() => document.querySelector('.timeline')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
            }}>timeline</button>
        )}
        <span className="head-end">
          <ThemeSwitch lab={lab} />
          <button type="button" className="tool head-icon" data-testid="help-button" aria-label="keyboard shortcuts"
            title="keyboard shortcuts (?)" onClick={() => setHelp(lab.layout, !help)}>?</button>
        </span>
      </header>
      {help && <HelpOverlay lab={lab} />}
      <Notice lab={lab} />
      {/* The live lab stays mounted while the scenarios are shown: its machines keep running. */}
      <div className="lab-view" hidden={view !== 'lab'} data-testid="lab-view">
        <MigrationBar lab={lab} />
        <main className="columns">
          <InstanceColumn lab={lab} column="left" />
          <InstanceColumn lab={lab} column="right" />
        </main>
        {timeline && <Timeline lab={lab} />}
        {inspector && <StreamInspector lab={lab} />}
      </div>
      {view === 'scenarios' && <ScenariosView host={scenarios} />}
    </div>
  );
}
