import type { Lab } from './lab';
import { InstanceColumn } from './InstanceColumn';
import { MigrationBar } from './MigrationBar';
import { useStore } from 'zustand';
import { setInspector, setView } from '../store/layout';
import { StreamInspector } from './StreamInspector';
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

export function App({ lab, scenarios }: { lab: Lab; scenarios: ScenarioHost }) {
  const inspector = useStore(lab.layout, (s) => s.inspector);
  const view = useStore(lab.layout, (s) => s.view);
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
      </header>
      {/* The live lab stays mounted while the scenarios are shown: its machines keep running. */}
      <div className="lab-view" hidden={view !== 'lab'} data-testid="lab-view">
        <MigrationBar lab={lab} />
        <main className="columns">
          <InstanceColumn lab={lab} column="left" />
          <InstanceColumn lab={lab} column="right" />
        </main>
        {inspector && <StreamInspector lab={lab} />}
      </div>
      {view === 'scenarios' && <ScenariosView host={scenarios} />}
    </div>
  );
}
