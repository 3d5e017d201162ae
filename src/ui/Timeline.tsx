// The shared timeline: both instances' QEMU trace events on one time axis (the page's wall
// clock), newest at the bottom, `-trace` patterns to choose events, and the export as QEMU's
// log backend writes it. Rows are virtualised (fixed height, only those in view are in the DOM),
// so 100 000 events scroll as smoothly as 100.

import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Lab } from './lab';
import { exportQemuLog, mergeTracesFrom, traceFilter, visibleWindow, type MergedTraces } from './timeline';

const ROW = 20;
const VIEWPORT = 360;

export function Timeline({ lab }: { lab: Lab }) {
  const left = useStore(lab.store('left'), (s) => s.trace);
  const right = useStore(lab.store('right'), (s) => s.trace);
  const leftName = useStore(lab.store('left'), (s) => s.name);
  const rightName = useStore(lab.store('right'), (s) => s.name);
  const [pattern, setPattern] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  // new events are merged in at the end; the whole merge is redone only when a trace lost its start
  const merged = useRef<MergedTraces | null>(null);
  const all = useMemo(() => {
    merged.current = mergeTracesFrom(merged.current, { name: leftName, trace: left }, { name: rightName, trace: right });
    return merged.current.rows;
  }, [left, right, leftName, rightName]);
  const keep = useMemo(() => (pattern.trim() ? traceFilter(pattern) : null), [pattern]);
  const rows = useMemo(() => (keep ? all.filter((r) => keep(r.ev.name)) : all), [all, keep]);
  const t0 = rows.length ? rows[0].ev.wallMs : 0;

  // follow the end unless the reader scrolled up
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) { el.scrollTop = el.scrollHeight; setScrollTop(el.scrollTop); }
  }, [rows.length]);

  const { first, last } = visibleWindow(rows.length, ROW, scrollTop, VIEWPORT);
  const exportLog = () => {
    const text = exportQemuLog(rows, { [leftName]: 1001, [rightName]: 1002 });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    a.download = 'trace.log';
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <section className="panel timeline" data-testid="timeline" aria-label="shared timeline">
      <div className="panel-bar">
        <strong>timeline</strong>
        <span className="muted">both machines' trace events on one time axis</span>
        <input className="timeline-filter" placeholder="-trace patterns: migrat* spapr_drc_* -runstate_set" value={pattern}
          onChange={(e) => setPattern(e.currentTarget.value)} data-testid="timeline-filter" spellCheck={false} />
        <span className="muted" data-testid="timeline-count">{rows.length.toLocaleString('en-US')} events</span>
        <button type="button" className="tool" onClick={exportLog} disabled={rows.length === 0} data-testid="timeline-export"
          title="as QEMU's log trace backend prints them: PID@SEC.USEC:name args">export QEMU log</button>
      </div>
      <div className="timeline-rows" ref={box} style={{ height: VIEWPORT }} data-testid="timeline-rows"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
          setScrollTop(el.scrollTop);
        }}>
        <div style={{ height: rows.length * ROW, position: 'relative' }}>
          {rows.slice(first, last).map((r, k) => (
            <div key={first + k} className={`timeline-row side-${r.side}`} style={{ top: (first + k) * ROW, height: ROW }}>
              <span className="tl-time">+{((r.ev.wallMs - t0) / 1000).toFixed(3)} s</span>
              <span className="tl-inst">{r.instance}</span>
              <span className="tl-name">{r.ev.name}</span>
              <span className="tl-args">{r.ev.args}</span>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
