// Migrate / Cancel buttons, the migration parameters, and the progress of the current (or
// last) migration in QEMU's terms: MigrationStatus, the `info migrate` figures, and a uPlot
// chart of the dirty pages left and the bandwidth of each iteration, with the downtime.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { InstanceState } from '../store/instance';
import type { Lab } from './lab';
import { canCancel, canMigrate } from './lab';
import type { MigrationInfo, MigrationParamName, MigrationStatus } from '../worker/protocol';
import { UPlotChart, useChartTheme, type ChartTheme } from './UPlotChart';

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

const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const count = (n: number) => COUNT_FORMAT.format(Math.round(n));

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

const CHART = { width: 420, height: 160 };
const NO_VALUES: number[] = [];

/** What the chart's draw hook and legend need besides the series. */
interface ChartNotes { completed: boolean; downtimeMs?: number }

function mibs(v: number): string {
  return `${v.toFixed(v < 10 ? 2 : 1)} MiB/s`;
}

/** A #rrggbb colour with some transparency (anything else as it is). */
function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  return m ? `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})` : colour;
}

/** Integer ticks only (iterations and pages have no halves): 1, 2, 5, 10, 20, 50, ... */
const INTEGER_INCRS = Array.from({ length: 27 }, (_v, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

/** An axis value in MiB/s: short, but small rates keep their first significant digits. */
function rateTick(v: number): string {
  if (v === 0) return '0';
  if (v >= 1000) return short(v);
  return String(Number(v.toPrecision(v >= 10 ? 3 : 2)));
}

function chartOptions(t: ChartTheme, notes: { current: ChartNotes }): uPlot.Options {
  // one font for values and labels: the canvas does not parse a new one for every axis drawn
  const font = `11px ${t.sans}`;
  const labelFont = font;
  const axis = (o: uPlot.Axis): uPlot.Axis => ({
    stroke: t.muted, font, labelFont, labelSize: 18, labelGap: 2,
    grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.axis, width: 1, size: 4 }, ...o,
  });
  const r = uPlot.pxRatio;
  return {
    ...CHART,
    scales: {
      // no iteration yet: 1 to 2, the axis of a first iteration
      x: { time: false, range: (_u, min, max) => (min == null ? [1, 2] : max > min ? [min, max] : [min - 0.5, min + 0.5]) },
      pages: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      mibs: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      axis({ label: 'iteration (PART round)', incrs: INTEGER_INCRS, size: 26 }),
      axis({ scale: 'pages', label: 'dirty pages', size: 40, incrs: INTEGER_INCRS, values: (_u, vs) => vs.map(short) }),
      axis({ scale: 'mibs', label: 'MiB/s', side: 1, size: 40, grid: { show: false }, values: (_u, vs) => vs.map(rateTick) }),
    ],
    series: [
      {
        label: 'iteration',
        value: (u, v, _si, idx) => (v == null ? '—'
          : notes.current.completed && idx === u.data[0].length - 1 ? `${v} (stop-and-copy)` : String(v)),
      },
      {
        label: 'dirty pages', scale: 'pages', stroke: t.accent, width: 1.6,
        fill: withAlpha(t.accent, t.dark ? 0.14 : 0.08),
        points: { size: 5, fill: t.accent },
        value: (_u, v) => (v == null ? '—' : count(v)),
      },
      {
        label: 'bandwidth', scale: 'mibs', stroke: t.orange, width: 1.4, dash: [5, 3],
        points: { size: 5, fill: t.orange },
        value: (_u, v) => (v == null ? '—' : mibs(v)),
      },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false, setScale: false } },
    hooks: {
      // The legend shows the last iteration unless the pointer is over another.
      setLegend: [pinLegend],
      // The stop-and-copy: a marked final point and the downtime it took.
      draw: [(u) => {
        const { completed, downtimeMs } = notes.current;
        const n = u.data[0].length;
        if (!completed || downtimeMs === undefined || n === 0) return;
        const ctx = u.ctx;
        const x = u.valToPos(u.data[0][n - 1], 'x', true);
        const y = u.valToPos(u.data[1][n - 1] ?? 0, 'pages', true);
        const { top, height } = u.bbox;
        ctx.save();
        ctx.strokeStyle = t.red;
        ctx.fillStyle = t.red;
        ctx.lineWidth = r;
        ctx.setLineDash([3 * r, 3 * r]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
        const d = 5 * r;
        ctx.beginPath();
        ctx.moveTo(x, y - d); ctx.lineTo(x + d, y); ctx.lineTo(x, y + d); ctx.lineTo(x - d, y); ctx.closePath();
        ctx.fill();
        ctx.font = `600 ${11 * r}px ${t.sans}`;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'top';
        const label = `stop-and-copy: downtime ${ms(downtimeMs)}`;
        const w = ctx.measureText(label).width;
        // on a backdrop: legible over the lines it crosses
        ctx.fillStyle = withAlpha(t.surface, 0.85);
        ctx.fillRect(x - 7 * r - w, top + 1 * r, w + 6 * r, 15 * r);
        ctx.fillStyle = t.red;
        ctx.fillText(label, x - 4 * r, top + 3 * r);
        ctx.restore();
      }],
    },
  };
}

/** Unless the pointer is over the plot, the legend shows the last iteration. */
function pinLegend(u: uPlot): void {
  const n = u.data[0].length;
  const hovering = u.cursor.left !== undefined && u.cursor.left >= 0;
  if (n > 0 && !hovering && u.legend.idx !== n - 1) u.setLegend({ idx: n - 1 }, false);
}

/** How the chart reads to a screen reader: the last iteration's figures and the downtime. */
export function chartDescription(dirty: number[], bandwidth: number[], downtimeMs?: number): string {
  const n = dirty.length;
  if (!n) return 'no iterations yet';
  const bw = bandwidth[n - 1];
  return `dirty pages and bandwidth after each of ${n} iterations; last: ${count(dirty[n - 1])} dirty pages`
    + `${bw !== undefined ? ` at ${mibs(bw)}` : ''}${downtimeMs !== undefined ? `; downtime ${ms(downtimeMs)}` : ''}`;
}

/**
 * Per iteration (PART round, the last one the stop-and-copy): the dirty pages left (left
 * axis) and the stream's bandwidth (right axis), as a uPlot chart; the downtime marked on
 * the final point.
 */
export function MigrationChart({ info }: { info: MigrationInfo | null }) {
  const dirty = info?.dirtyPerIteration ?? NO_VALUES;
  const bandwidth = info?.bandwidthPerIteration ?? NO_VALUES;
  const completed = info?.status === 'completed';
  const downtimeMs = completed ? info?.downtimeMs : undefined;
  const n = dirty.length;
  const notes = useRef<ChartNotes>({ completed, downtimeMs });
  notes.current = { completed, downtimeMs };
  const options = useCallback((t: ChartTheme) => chartOptions(t, notes), []);
  const data = useMemo<uPlot.AlignedData>(() => [
    Array.from(dirty, (_v, i) => i + 1),
    dirty,
    Array.from(dirty, (_v, i) => bandwidth[i] ?? null),
  ], [dirty, bandwidth]);
  return (
    <figure className="mig-chart" data-testid="migration-chart" data-points={n} data-series={data.length - 1}
      aria-label={chartDescription(dirty, bandwidth, downtimeMs)}>
      <UPlotChart options={options} data={data} onData={pinLegend}>
        {n === 0 && <div className="chart-empty" style={{ width: CHART.width }}>no iterations yet</div>}
      </UPlotChart>
    </figure>
  );
}

const HEAT_COLS = 32;
const NO_CELLS: number[] = [];
const HEAT_SIZE = 9;
const HEAT_EMPTY_ROWS = 8;

function heatColour(c: number, max: number, zero: string): string {
  if (c === 0) return zero;
  const t = Math.log(c + 1) / Math.log(max + 1); // 0..1
  const light = Math.round(88 - t * 46);
  return `hsl(${Math.round(40 - t * 40)}, 90%, ${light}%)`;
}

/**
 * Where the guest kept writing while it was migrated: RAM in equal stretches (left to right,
 * top to bottom from address 0), each coloured by how many of its pages had to be sent again.
 * Drawn on a canvas (one square per stretch; the pointer's square is named in the tooltip).
 */
export function HeatMap({ cells, pagesPerCell }: { cells: number[]; pagesPerCell: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useChartTheme();
  // no migration yet: the usual size, empty (the bar keeps its layout when one starts)
  const rows = cells.length ? Math.ceil(cells.length / HEAT_COLS) : HEAT_EMPTY_ROWS;
  let max = 0;
  let hot = 0;
  for (const c of cells) { if (c > max) max = c; if (c > 0) hot++; }
  const bytesPerCell = pagesPerCell * 4096;
  const width = HEAT_COLS * HEAT_SIZE;
  const height = rows * HEAT_SIZE;

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !theme) return;
    const r = window.devicePixelRatio || 1;
    if (el.width !== Math.round(width * r) || el.height !== Math.round(height * r)) {
      el.width = Math.round(width * r);
      el.height = Math.round(height * r);
    }
    ctx.setTransform(r, 0, 0, r, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const n = cells.length || HEAT_COLS * HEAT_EMPTY_ROWS;
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = heatColour(cells[i] ?? 0, max, theme.bar);
      ctx.fillRect((i % HEAT_COLS) * HEAT_SIZE, Math.floor(i / HEAT_COLS) * HEAT_SIZE, HEAT_SIZE - 1, HEAT_SIZE - 1);
    }
  }, [cells, max, theme, width, height]);

  const describe = (i: number) => {
    const c = cells[i];
    return `0x${(i * bytesPerCell).toString(16)}–0x${((i + 1) * bytesPerCell - 1).toString(16)}: ${c} page${c === 1 ? '' : 's'} sent again`;
  };
  return (
    <figure className="heat-map" data-testid="migration-heatmap" data-cells={cells.length} data-hot-cells={hot} data-max={max}>
      <canvas ref={canvas} style={{ width, height }} role="img"
        aria-label={`pages sent again, ${hot} of ${cells.length} stretches of RAM`}
        onMouseMove={(e) => {
          const i = Math.floor(e.nativeEvent.offsetY / HEAT_SIZE) * HEAT_COLS + Math.floor(e.nativeEvent.offsetX / HEAT_SIZE);
          e.currentTarget.title = i >= 0 && i < cells.length ? describe(i) : '';
        }} />
      <figcaption>
        {cells.length
          ? <>pages sent again (written after they were sent), {bytes(bytesPerCell)} a square{max > 0 ? `; hottest ${max}` : '; none yet'}</>
          : 'pages sent again (written after they were sent): no migration yet'}
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
        <MigrationChart info={o} />
        <HeatMap cells={o?.resentHeat ?? NO_CELLS} pagesPerCell={o?.heatPagesPerCell ?? 1} />
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
