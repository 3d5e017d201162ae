// Migrate / Cancel buttons, the migration parameters, and the progress of the current (or
// last) migration in QEMU's terms: MigrationStatus, the `info migrate` figures, and a chart
// of the dirty pages left after each iteration.

import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { InstanceState } from '../store/instance';
import type { Lab } from './lab';
import { canCancel, canMigrate } from './lab';
import type { MigrationInfo, MigrationParamName, MigrationStatus } from '../worker/protocol';

const MIB = 1024 * 1024;

function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

function ms(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(n < 10 ? 2 : 1)} ms`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** A short form of a count for an axis: 1.2k, 65k, 1.1M. */
function short(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

function Field(props: { label: string; value: string; testId: string; title?: string }) {
  return (
    <div className="field" title={props.title}>
      <span className="label">{props.label}</span>
      <span className="value" data-testid={props.testId}>{props.value}</span>
    </div>
  );
}

// ---- the chart ------------------------------------------------------------------------------

const CHART = { w: 340, h: 124, left: 44, right: 10, top: 10, bottom: 30 };
/** More points than this are thinned (the maximum of each bucket is kept). */
const MAX_POINTS = 300;

function thin(values: number[]): { x: number; y: number }[] {
  if (values.length <= MAX_POINTS) return values.map((y, i) => ({ x: i + 1, y }));
  const out: { x: number; y: number }[] = [];
  const per = values.length / MAX_POINTS;
  for (let b = 0; b < MAX_POINTS; b++) {
    const lo = Math.floor(b * per);
    const hi = Math.max(lo + 1, Math.floor((b + 1) * per));
    let best = lo;
    for (let i = lo; i < hi; i++) if (values[i] > values[best]) best = i;
    out.push({ x: best + 1, y: values[best] });
  }
  const last = values.length - 1;
  if (out[out.length - 1].x !== last + 1) out.push({ x: last + 1, y: values[last] });
  return out;
}

/** Dirty pages left after each iteration, as an SVG line chart with labelled axes. */
export function DirtyChart({ values }: { values: number[] }) {
  const { w, h, left, right, top, bottom } = CHART;
  const pw = w - left - right;
  const ph = h - top - bottom;
  const n = values.length;
  const maxY = Math.max(1, ...values);
  const pts = thin(values);
  const sx = (x: number) => left + (n <= 1 ? pw / 2 : ((x - 1) / (n - 1)) * pw);
  const sy = (y: number) => top + ph - (y / maxY) * ph;
  const path = pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  const last = n ? values[n - 1] : 0;
  return (
    <svg className="dirty-chart" data-testid="migration-chart" data-points={n} width={w} height={h}
      viewBox={`0 0 ${w} ${h}`} role="img"
      aria-label={n ? `dirty pages after each of ${n} iterations, last ${count(last)}` : 'no iterations yet'}>
      <title>{n ? `dirty pages after each PART round (${n}); last: ${count(last)}` : 'no iterations yet'}</title>
      <line className="axis" x1={left} y1={top} x2={left} y2={top + ph} />
      <line className="axis" x1={left} y1={top + ph} x2={left + pw} y2={top + ph} />
      <line className="grid" x1={left} y1={top} x2={left + pw} y2={top} />
      <line className="grid" x1={left} y1={top + ph / 2} x2={left + pw} y2={top + ph / 2} />
      {n > 0 && <text className="tick" x={left - 4} y={top + 4} textAnchor="end">{short(maxY)}</text>}
      {maxY >= 2 && <text className="tick" x={left - 4} y={top + ph / 2 + 4} textAnchor="end">{short(maxY / 2)}</text>}
      <text className="tick" x={left - 4} y={top + ph + 4} textAnchor="end">0</text>
      <text className="tick" x={left} y={top + ph + 13} textAnchor="start">1</text>
      {n > 1 && <text className="tick" x={left + pw} y={top + ph + 13} textAnchor="end">{n}</text>}
      <text className="axis-label" x={left + pw / 2} y={h - 3} textAnchor="middle">PART round</text>
      <text className="axis-label" x={11} y={top + ph / 2} textAnchor="middle"
        transform={`rotate(-90 11 ${top + ph / 2})`}>dirty pages</text>
      {n === 0 && <text className="empty" x={left + pw / 2} y={top + ph / 2 + 4} textAnchor="middle">no iterations yet</text>}
      {n > 0 && <path className="line" d={path} />}
      {n > 0 && n <= 40 && pts.map((p) => (
        <circle key={p.x} className="point" cx={sx(p.x)} cy={sy(p.y)} r={2.5} />
      ))}
      {n > 40 && <circle className="point" cx={sx(n)} cy={sy(last)} r={2.5} />}
    </svg>
  );
}

const HEAT_COLS = 32;

/**
 * Where the guest kept writing while it was migrated: RAM in equal stretches (left to right,
 * top to bottom from address 0), each coloured by how many of its pages had to be sent again.
 */
export function HeatMap({ cells, pagesPerCell }: { cells: number[]; pagesPerCell: number }) {
  const rows = Math.ceil(cells.length / HEAT_COLS);
  const size = 9;
  const max = Math.max(0, ...cells);
  const hot = cells.filter((c) => c > 0).length;
  const bytesPerCell = pagesPerCell * 4096;
  const color = (c: number) => {
    if (c === 0) return 'var(--bar)';
    const t = Math.log(c + 1) / Math.log(max + 1); // 0..1
    const light = Math.round(88 - t * 46);
    return `hsl(${Math.round(40 - t * 40)}, 90%, ${light}%)`;
  };
  const range = (i: number) => `0x${(i * bytesPerCell).toString(16)}–0x${((i + 1) * bytesPerCell - 1).toString(16)}`;
  return (
    <figure className="heat-map" data-testid="migration-heatmap" data-hot-cells={hot} data-max={max}>
      <svg width={HEAT_COLS * size} height={rows * size} viewBox={`0 0 ${HEAT_COLS * size} ${rows * size}`} role="img"
        aria-label={`pages sent again, ${hot} of ${cells.length} stretches of RAM`}>
        {cells.map((c, i) => (
          <rect key={i} x={(i % HEAT_COLS) * size} y={Math.floor(i / HEAT_COLS) * size} width={size - 1} height={size - 1}
            style={{ fill: color(c) }} data-count={c}>
            <title>{`${range(i)}: ${c} page${c === 1 ? '' : 's'} sent again`}</title>
          </rect>
        ))}
      </svg>
      <figcaption>
        pages sent again (written after they were sent), {bytes(bytesPerCell)} a square
        {max > 0 ? `; hottest ${max}` : '; none yet'}
      </figcaption>
    </figure>
  );
}

// ---- parameters -----------------------------------------------------------------------------

function ParamInput(props: {
  label: string; unit: string; testId: string; title: string; value: number;
  step: string; onApply: (v: number) => boolean;
}) {
  const [text, setText] = useState(String(props.value));
  const [bad, setBad] = useState(false);
  // Follow the value in force when it changes from elsewhere.
  useEffect(() => { if (Number(text) !== props.value) setText(String(props.value)); }, [props.value]);
  return (
    <label className="param" title={props.title}>
      <span className="label">{props.label}</span>
      <span className="param-input">
        <input type="number" min="0" step={props.step} data-testid={props.testId} value={text}
          className={bad ? 'invalid' : undefined}
          onChange={(e) => {
            setText(e.target.value);
            const v = Number(e.target.value);
            setBad(!(e.target.value !== '' && props.onApply(v)));
          }} />
        <span className="unit">{props.unit}</span>
      </span>
    </label>
  );
}

// ---- the bar ----------------------------------------------------------------------------------

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
  const cancellable = canCancel(session, outgoing);
  let status: MigrationStatus = outgoing?.status ?? (session.active ? 'setup' : 'none');
  if (session.active && session.cancelRequested && status !== 'cancelled') status = 'cancelling';
  const arrow = current ? (current.from === 'left' ? '→' : '←') : '';

  const setParam = (name: MigrationParamName) => (v: number) => lab.setParameter(name, v);
  const o = outgoing;
  const inForce = session.active
    ? 'applies to the migration in progress (migrate_set_parameter) and the next ones'
    : 'applies to the next migration (migrate_set_parameter)';

  return (
    <div className="migration-bar" data-testid="migration-bar">
      <div className="mig-row">
        <div className="buttons">
          <button type="button" data-testid="migrate-right" disabled={!canRight} onClick={() => lab.migrate('left')}
            title={`live-migrate ${left.name} to ${right.name}`}>
            Migrate →
          </button>
          <button type="button" data-testid="migrate-left" disabled={!canLeft} onClick={() => lab.migrate('right')}
            title={`live-migrate ${right.name} to ${left.name}`}>
            Migrate ←
          </button>
          <button type="button" className="cancel" data-testid="migrate-cancel" disabled={!cancellable}
            onClick={() => lab.cancel()} title="migrate_cancel: stop the outgoing migration; the source keeps running">
            Cancel
          </button>
        </div>
        <div className="params" data-testid="migration-params">
          <ParamInput label="downtime-limit" unit="ms" testId="param-downtime-limit" step="1"
            title={`downtime-limit: the longest the guest may be stopped for the final copy (QEMU default 300 ms); ${inForce}`}
            value={session.params.downtimeLimitMs} onApply={setParam('downtime-limit')} />
          <ParamInput label="max-bandwidth" unit="MiB/s" testId="param-max-bandwidth" step="any"
            title={`max-bandwidth: the most the stream may carry per second (QEMU default 128 MiB/s); ${inForce}`}
            value={Math.round((session.params.maxBandwidth / MIB) * 1000) / 1000}
            onApply={(v) => setParam('max-bandwidth')(Math.round(v * MIB))} />
        </div>
        <div className="fields">
          <Field label="migration" testId="migration-direction"
            value={current ? `${left.name} ${arrow} ${right.name}` : '—'} />
          <div className="field">
            <span className="label">status</span>
            <span className={`value status status-${status}`} data-testid="migration-status">{status}</span>
          </div>
          <Field label="destination" testId="migration-incoming" value={incoming ? incoming.status : '—'} />
        </div>
      </div>
      <div className="mig-row mig-detail">
        <DirtyChart values={o?.dirtyPerIteration ?? []} />
        {o?.resentHeat && <HeatMap cells={o.resentHeat} pagesPerCell={o.heatPagesPerCell ?? 1} />}
        <div className="mig-figures" data-testid="migration-figures">
          <Field label="transferred" testId="migration-bytes"
            value={o ? bytes(o.ramTransferred ?? o.bytes) : '—'} title="RAM bytes sent so far (info migrate: transferred ram)" />
          <Field label="remaining" testId="migration-remaining"
            value={o?.ramRemaining !== undefined ? bytes(o.ramRemaining) : '—'} title="dirty RAM still to send (remaining ram)" />
          <Field label="total" testId="migration-total"
            value={o?.ramTotal !== undefined ? bytes(o.ramTotal) : '—'} title="guest RAM size (total ram)" />
          <Field label="throughput" testId="migration-throughput"
            value={o?.mbps !== undefined ? `${o.mbps.toFixed(o.mbps < 10 ? 2 : 1)} Mbps` : '—'} title="measured throughput" />
          <Field label="pages sent" testId="migration-pages" value={o ? count(o.pagesSent) : '—'}
            title={o ? `${count(o.zeroPages)} of them zero pages` : undefined} />
          <Field label="iterations" testId="migration-iterations"
            value={o?.iterations !== undefined ? count(o.iterations) : '—'} title="passes over RAM (dirty sync count)" />
          <Field label="dirty pages rate" testId="migration-dirty-rate"
            value={o?.dirtyPagesRate !== undefined ? `${count(o.dirtyPagesRate)} /s` : '—'} title="pages dirtied per second while iterating" />
          <Field label="expected downtime" testId="migration-expected-downtime"
            value={o && o.status !== 'completed' ? ms(o.expectedDowntimeMs) : '—'} title="what stop-and-copy would take now" />
          <Field label="downtime" testId="migration-downtime" value={ms(o?.downtimeMs)} title="time the guest was stopped" />
          <Field label="setup time" testId="migration-setup" value={ms(o?.setupTimeMs)} />
          <Field label="total time" testId="migration-total-time" value={ms(o?.totalTimeMs)} />
          <Field label="in force" testId="migration-params-in-force"
            value={o?.downtimeLimitMs !== undefined && o.maxBandwidth !== undefined
              ? `${o.downtimeLimitMs} ms · ${+(o.maxBandwidth / MIB).toFixed(3)} MiB/s` : '—'}
            title="downtime-limit and max-bandwidth of this migration" />
        </div>
      </div>
      {(outgoing?.error || incoming?.error) && (
        <div className="migration-error" data-testid="migration-error">
          {outgoing?.error ?? `destination: ${incoming?.error}`}
        </div>
      )}
    </div>
  );
}
