// A scenario's sweep as an SVG strip plot: x = where the stop-and-copy happened, relative to
// the scenario's reference point (ms); one lane per verdict, one marker per run (broken ones
// in red); the named moments (CAS, the reset) as vertical marks with the stretch between
// them shaded: the window in which a migration goes wrong.

import type { SweepPoint, SweepResult } from '../worker/scenario-protocol';

const W = 620;
const PAD = { right: 18, top: 40, bottom: 36 };
const LANE = 30;

/** Colours of the verdicts that are not broken, in order of first appearance. */
const OK_COLOURS = ['#1a7f37', '#2463eb', '#8250df', '#bf8700', '#0a7e8c', '#57606a'];
export const BROKEN_COLOUR = '#cf222e';

export interface VerdictLane { verdict: string; broken: boolean; colour: string; count: number }

/** The verdicts of a sweep in the order they first appear along x, each with its colour. */
export function verdictLanes(r: SweepResult): VerdictLane[] {
  const lanes: VerdictLane[] = [];
  let ok = 0;
  for (const p of [...r.points].sort((a, b) => a.atNs - b.atNs)) {
    const l = lanes.find((x) => x.verdict === p.verdict);
    if (l) { l.count++; continue; }
    lanes.push({ verdict: p.verdict, broken: p.broken, count: 1, colour: p.broken ? BROKEN_COLOUR : OK_COLOURS[ok++ % OK_COLOURS.length] });
  }
  return lanes;
}

/** Round tick positions (in ms) covering [lo, hi], about `want` of them. */
export function ticks(lo: number, hi: number, want = 6): number[] {
  const span = Math.max(1e-9, hi - lo);
  const mag = 10 ** Math.floor(Math.log10(span / want));
  const step = [1, 2, 5, 10].map((k) => k * mag)
    .reduce((best, s) => (Math.abs(span / s - want) < Math.abs(span / best - want) ? s : best));
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)) || 0);
  return out;
}

const ms = (ns: number) => ns / 1e6;
const fmt = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1));

export function SweepPlot({ result, testId, onPick }: {
  result: SweepResult; testId?: string;
  /** Called with a point the user clicks (to replay that run). */
  onPick?: (p: SweepPoint) => void;
}) {
  const lanes = verdictLanes(result);
  // Room for the longest lane label (12px sans: about 7 px a character).
  const left = Math.min(240, Math.max(90, 16 + 7 * Math.max(...lanes.map((l) => l.verdict.length))));
  const xs = [...result.points.map((p) => ms(p.atNs)), ...result.marks.map((m) => ms(m.atNs))];
  const span = Math.max(1, Math.max(...xs) - Math.min(...xs));
  const lo = Math.min(...xs) - span * 0.04;
  const hi = Math.max(...xs) + span * 0.04;
  const h = PAD.top + PAD.bottom + LANE * Math.max(1, lanes.length);
  const pw = W - left - PAD.right;
  const sx = (v: number) => left + ((v - lo) / (hi - lo)) * pw;
  const laneY = (i: number) => PAD.top + LANE * i + LANE / 2;
  const bottom = h - PAD.bottom;
  const marks = [...result.marks].sort((a, b) => a.atNs - b.atNs);
  const win = marks.length >= 2 ? [ms(marks[0].atNs), ms(marks[marks.length - 1].atNs)] : null;
  const broken = result.points.filter((p) => p.broken).length;

  return (
    <figure className="sweep" data-testid={testId}>
      <svg className="sweep-plot" width={W} height={h} viewBox={`0 0 ${W} ${h}`} role="img"
        aria-label={`${result.points.length} runs, ${broken} broken`}>
        <title>{`stop-and-copy relative to ${result.reference}: ${result.points.length} runs, ${broken} broken`}</title>
        {win && (
          <g className="window">
            <rect x={sx(win[0])} y={PAD.top - 6} width={Math.max(1, sx(win[1]) - sx(win[0]))} height={bottom - PAD.top + 6} />
          </g>
        )}
        {lanes.map((l, i) => (
          <g key={l.verdict} className="lane">
            <line className="lane-line" x1={left} x2={W - PAD.right} y1={laneY(i)} y2={laneY(i)} />
            <text className={`lane-label${l.broken ? ' broken' : ''}`} x={left - 8} y={laneY(i) + 4} textAnchor="end">{l.verdict}</text>
          </g>
        ))}
        <line className="axis" x1={left} x2={W - PAD.right} y1={bottom} y2={bottom} />
        {ticks(lo, hi, 8).map((t) => (
          <g key={t}>
            <line className="axis" x1={sx(t)} x2={sx(t)} y1={bottom} y2={bottom + 4} />
            <text className="tick" x={sx(t)} y={bottom + 15} textAnchor="middle">{fmt(t)}</text>
          </g>
        ))}
        <text className="axis-label" x={left + pw / 2} y={h - 4} textAnchor="middle">stop-and-copy, ms after {result.reference}</text>
        {marks.map((m, i) => {
          const x = sx(ms(m.atNs));
          // Labels above the plot, anchored away from the nearer edge; alternate rows when two are close.
          const anchor = x > left + pw * 0.6 ? 'end' : 'start';
          const row = i % 2;
          return (
            <g key={`${m.label}-${i}`} className={`mark mark-${i % 3}`} data-mark={m.label}>
              <line x1={x} x2={x} y1={PAD.top - 6 - row * 14} y2={bottom} />
              <text x={anchor === 'start' ? x + 3 : x - 3} y={PAD.top - 10 - row * 14} textAnchor={anchor}>
                {m.label} at {fmt(ms(m.atNs))} ms
              </text>
            </g>
          );
        })}
        {result.points.map((p, i) => {
          const lane = lanes.findIndex((l) => l.verdict === p.verdict);
          return (
            <circle key={i} className={`pt${p.broken ? ' broken' : ''}${onPick ? ' pickable' : ''}`} cx={sx(ms(p.atNs))} cy={laneY(lane)} r={5.5}
              fill={lanes[lane].colour} data-verdict={p.verdict} data-broken={p.broken} data-at-ms={ms(p.atNs).toFixed(1)}
              onClick={onPick ? () => onPick(p) : undefined}>
              <title>{`${fmt(ms(p.atNs))} ms: ${p.verdict}${p.broken ? ' (broken)' : ''}${onPick ? ' · click to replay this run' : ''}`}</title>
            </circle>
          );
        })}
      </svg>
      <figcaption className="sweep-legend" data-testid={testId ? `${testId}-legend` : undefined}>
        {lanes.map((l) => (
          <span key={l.verdict} className={`legend-item${l.broken ? ' broken' : ''}`}>
            <span className="dot" style={{ background: l.colour }} />
            {l.verdict}{l.broken ? ' (broken)' : ''} × {l.count}
          </span>
        ))}
        {win && <span className="legend-item"><span className="swatch window" />the window between {marks[0].label} and {marks[marks.length - 1].label}</span>}
      </figcaption>
    </figure>
  );
}
