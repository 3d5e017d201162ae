// Migrate buttons and the progress of the current (or last) migration, in QEMU's terms:
// MigrationStatus, RAM pages transferred, dirty pages left after each iteration, downtime.

import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { InstanceState } from '../store/instance';
import type { Lab } from './lab';
import { canMigrate } from './lab';
import type { MigrationInfo } from '../worker/protocol';

function dirtyList(n: number[]): string {
  if (n.length === 0) return '—';
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const shown = n.length > 8 ? ['…', ...n.slice(-8).map(fmt)] : n.map(fmt);
  return shown.join(' → ');
}

function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

function Field(props: { label: string; value: string; testId: string; title?: string }) {
  return (
    <div className="field" title={props.title}>
      <span className="label">{props.label}</span>
      <span className="value" data-testid={props.testId}>{props.value}</span>
    </div>
  );
}

export function MigrationBar({ lab }: { lab: Lab }) {
  const session = useStore(lab.session);
  // Only what the bar shows: console output and trace events do not re-render it.
  const pick = (s: InstanceState) => ({ name: s.name, ready: s.ready, runstate: s.runstate, migration: s.migration });
  const left = useStore(lab.store('left'), useShallow(pick));
  const right = useStore(lab.store('right'), useShallow(pick));
  const states = { left, right };

  const canRight = canMigrate(session, left, right);
  const canLeft = canMigrate(session, right, left);

  const current = session.active ?? session.last;
  const out: MigrationInfo | null = current ? states[current.from].migration : null;
  const inc: MigrationInfo | null = current ? states[current.to].migration : null;
  const outgoing = out?.direction === 'outgoing' ? out : null;
  const incoming = inc?.direction === 'incoming' ? inc : null;
  const status = outgoing?.status ?? (session.active ? 'setup' : 'none');
  const arrow = current ? (current.from === 'left' ? '→' : '←') : '';
  const count = (n: number) => Math.round(n).toLocaleString('en-US');

  return (
    <div className="migration-bar" data-testid="migration-bar">
      <div className="buttons">
        <button type="button" data-testid="migrate-right" disabled={!canRight} onClick={() => lab.migrate('left')}
          title={`live-migrate ${left.name} to ${right.name}`}>
          Migrate →
        </button>
        <button type="button" data-testid="migrate-left" disabled={!canLeft} onClick={() => lab.migrate('right')}
          title={`live-migrate ${right.name} to ${left.name}`}>
          Migrate ←
        </button>
      </div>
      <div className="fields">
        <Field label="migration" testId="migration-direction"
          value={current ? `${left.name} ${arrow} ${right.name}` : '—'} />
        <div className="field">
          <span className="label">status</span>
          <span className={`value status status-${status}`} data-testid="migration-status">{status}</span>
        </div>
        <Field label="pages sent" testId="migration-pages"
          value={outgoing ? count(outgoing.pagesSent) : '—'}
          title={outgoing ? `${count(outgoing.zeroPages)} of them zero pages` : undefined} />
        <Field label="transferred" testId="migration-bytes" value={outgoing ? bytes(outgoing.bytes) : '—'} />
        <Field label="dirty pages per iteration" testId="migration-dirty"
          value={outgoing ? dirtyList(outgoing.dirtyPerIteration) : '—'} />
        <Field label="downtime" testId="migration-downtime"
          value={outgoing?.downtimeMs !== undefined ? `${outgoing.downtimeMs.toFixed(1)} ms` : '—'} />
        <Field label="destination" testId="migration-incoming" value={incoming ? incoming.status : '—'} />
      </div>
      {(outgoing?.error || incoming?.error) && (
        <div className="migration-error" data-testid="migration-error">{outgoing?.error ?? incoming?.error}</div>
      )}
    </div>
  );
}
