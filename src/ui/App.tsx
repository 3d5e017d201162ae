import type { Lab } from './lab';
import { InstanceColumn } from './InstanceColumn';
import { MigrationBar } from './MigrationBar';

export function App({ lab }: { lab: Lab }) {
  return (
    <div className="app">
      <header className="app-head">
        <h1>pseries-lab</h1>
        <p className="subtitle">QEMU sPAPR (pseries) machine · POWER8 · live migration between two instances</p>
      </header>
      <MigrationBar lab={lab} />
      <main className="columns">
        <InstanceColumn lab={lab} column="left" />
        <InstanceColumn lab={lab} column="right" />
      </main>
    </div>
  );
}
