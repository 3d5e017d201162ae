import type { Lab } from './lab';
import { InstanceColumn } from './InstanceColumn';
import { MigrationBar } from './MigrationBar';
import { useStore } from 'zustand';
import { setInspector } from '../store/layout';
import { StreamInspector } from './StreamInspector';

export function App({ lab }: { lab: Lab }) {
  const inspector = useStore(lab.layout, (s) => s.inspector);
  return (
    <div className="app">
      <header className="app-head">
        <h1>pseries-lab</h1>
        <p className="subtitle">QEMU sPAPR (pseries) machine · POWER8 · live migration between two instances</p>
        <button type="button" className={`tool head-tool${inspector ? ' on' : ''}`} data-testid="open-inspector"
          onClick={() => {
            setInspector(lab.layout, !inspector);
            // It opens below the columns: bring it into view.
            if (!inspector) requestAnimationFrame(() => document.querySelector('.inspector')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
          }}>stream inspector</button>
      </header>
      <MigrationBar lab={lab} />
      <main className="columns">
        <InstanceColumn lab={lab} column="left" />
        <InstanceColumn lab={lab} column="right" />
      </main>
      {inspector && <StreamInspector lab={lab} />}
    </div>
  );
}
