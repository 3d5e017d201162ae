// The runstate trace of one instance: QEMU trace events as `-trace` would print them,
// newest at the bottom. Follows the end unless the reader has scrolled up.

import { memo, useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { InstanceStore } from '../store/instance';
import type { TraceEvent } from '../core/trace';

/** Rows rendered at most; older events stay in the store. */
const RENDER_LIMIT = 1000;

function wallTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function vmClock(ns: number): string {
  return `vm clock ${(ns / 1e9).toFixed(6)} s`;
}

/** Arguments wrap between words only: `(finish-migrate)` stays in one piece. */
function Args({ text }: { text: string }) {
  return <>{text.split(' ').map((w, i) => <span key={i}>{i > 0 && ' '}<span className="w">{w}</span></span>)}</>;
}

/** One event; the same event object is never rendered twice. */
const Row = memo(function Row({ ev }: { ev: TraceEvent }) {
  return (
    <tr className={`ev-${ev.name}`}>
      <td className="t-time" title={vmClock(ev.clockNs)}>{wallTime(ev.wallMs)}</td>
      <td className="t-name">{ev.name}</td>
      <td className="t-args"><Args text={ev.args} /></td>
    </tr>
  );
});

export function TraceList(props: { store: InstanceStore; testId: string }) {
  const trace = useStore(props.store, (s) => s.trace);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [trace]);

  const onScroll = () => {
    const el = box.current!;
    follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
  };

  const hidden = Math.max(0, trace.length - RENDER_LIMIT);
  const rows = hidden ? trace.slice(hidden) : trace;

  return (
    <div className="trace" ref={box} onScroll={onScroll} data-testid={props.testId}>
      <table>
        <thead>
          <tr><th className="t-time">time</th><th className="t-name">event</th><th className="t-args">arguments</th></tr>
        </thead>
        <tbody>
          {hidden > 0 && (
            <tr className="t-more"><td colSpan={3}>{hidden} earlier events not shown</td></tr>
          )}
          {rows.map((ev, i) => <Row key={hidden + i} ev={ev} />)}
          {trace.length === 0 && (
            <tr className="t-empty"><td colSpan={3}>no trace events yet</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
