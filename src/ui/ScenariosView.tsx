// The guided scenarios: pick a scenario and a variant, run it (in a worker, seconds), then
// replay the recording step by step: the explanation of the current step on top, the steps
// on the left, source and destination side by side with the panels the step points at
// outlined; a scrubber moves along the recorded events. A sweep plots where the
// stop-and-copy can fall and what becomes of the guest.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import {
  frameIndexAt, goToStep, isBusy, next, outcomeReached, playDelayMs, playTick, prev, replay, seek,
  selectScenario, selection, selectVariant, setPlaying, setSpeed, type JobPhase,
} from '../store/scenario';
import type { ScenarioEvent, ScenarioFrame, ScenarioRecording } from '../worker/scenario-protocol';
import { SWEEP_POINTS, type ScenarioHost } from './scenarioHost';
import { formatClock, PANEL_LABEL, ScenarioSide, SIDE_LABEL } from './ScenarioSide';
import { SweepPlot } from './SweepPlot';
import { RunstateBadge } from './RunstateBadge';
import type { RunState } from '../core/runstate';

/** Re-renders every `ms` while `on`: elapsed-time labels. */
function useTicker(on: boolean, ms = 200): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [on, ms]);
  return now;
}

function phaseText(phase: JobPhase): string {
  switch (phase) {
    case 'starting': return 'starting…';
    case 'guest': return 'loading the guest…';
    case 'running': return 'running…';
    default: return '';
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** scenario · variant[ · stop-and-copy at T] */
function recLabel(r: { scenario: string; variant: string; completeAtNs?: number }): string {
  const ms = r.completeAtNs !== undefined ? +(r.completeAtNs / 1e6).toFixed(1) : 0;
  const at = r.completeAtNs !== undefined ? ` · stop-and-copy at ${ms > 0 ? '+' : ''}${ms} ms` : '';
  return `${r.scenario} · ${r.variant}${at}`;
}

// ---- launcher ---------------------------------------------------------------------------------

function Launcher({ host }: { host: ScenarioHost }) {
  const st = useStore(host.store);
  const sel = selection(st);
  const busy = isBusy(st.job?.phase);
  const now = useTicker(busy);
  if (st.unavailable) return <div className="scn-card scn-launcher"><div className="panel-error" data-testid="scenarios-unavailable">{st.unavailable}</div></div>;
  if (!st.catalog || !sel) return <div className="scn-card scn-launcher"><div className="panel-empty">loading the scenarios…</div></div>;
  const job = st.job;
  return (
    <div className="scn-card scn-launcher" data-testid="scenario-launcher">
      <div className="scn-pick" role="tablist">
        {st.catalog.map((c) => (
          <button key={c.id} type="button" role="tab" aria-selected={c.id === sel.info.id}
            className={`scn-pick-item${c.id === sel.info.id ? ' on' : ''}`} data-testid={`scenario-pick-${c.id}`}
            onClick={() => selectScenario(host.store, c.id)}>
            <span className="scn-pick-title">{c.title}</span>
            <span className="scn-pick-id">{c.id}</span>
          </button>
        ))}
      </div>
      <p className="scn-thread">reproduces <span data-testid="scenario-thread">{sel.info.thread}</span></p>
      <p className="scn-summary" data-testid="scenario-summary">{sel.info.summary}</p>
      <fieldset className="scn-variants" data-testid="scenario-variants">
        <legend>variant</legend>
        {sel.info.variants.map((v) => (
          <label key={v.name} className={`scn-variant${v.name === sel.variant ? ' on' : ''}`} data-testid={`variant-${v.name}`}>
            <input type="radio" name={`variant-${sel.info.id}`} checked={v.name === sel.variant}
              onChange={() => selectVariant(host.store, sel.info.id, v.name)} />
            <span className="scn-variant-body">
              <span className="scn-variant-title">{v.title}</span>
              <code className="scn-variant-name">{v.name}{v.name === sel.info.defaultVariant ? ' · default' : ''}</code>
              <span className="scn-variant-summary">{v.summary}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="scn-run">
        <button type="button" className="scn-btn primary" data-testid="scenario-run" disabled={busy} onClick={() => host.run()}>
          {busy ? 'Running…' : 'Run'}
        </button>
        {busy && <button type="button" className="scn-btn" data-testid="scenario-cancel" onClick={() => host.cancel('run')}>Cancel</button>}
        <span className="scn-status" data-testid="scenario-status" data-phase={job?.phase ?? 'idle'}>
          {job && busy && <><span className="spinner" /> {recLabel(job)}: {phaseText(job.phase)} {secs(now - job.startedMs)}</>}
          {job?.phase === 'failed' && <span className="bad">the run failed: {job.error}</span>}
          {job?.phase === 'done' && st.recording && (
            <span className="muted">recorded {recLabel(st.recording)} in {secs(st.recording.wallMs)}: {st.recording.frames.length} steps, {st.recording.events.length} events</span>
          )}
          {job?.phase === 'cancelled' && <span className="muted">cancelled</span>}
          {!job && <span className="muted">runs in a worker, deterministically; then replay it step by step</span>}
        </span>
      </div>
    </div>
  );
}

// ---- sweep ---------------------------------------------------------------------------------------

function SweepCard({ host }: { host: ScenarioHost }) {
  const st = useStore(host.store);
  const sel = selection(st);
  const sw = sel ? st.sweeps[sel.info.id] : undefined;
  const busy = isBusy(sw?.phase);
  const now = useTicker(busy, 500);
  if (!sel) return null;
  if (!sel.info.hasSweep) {
    return (
      <div className="scn-card scn-sweep" data-testid="sweep-card">
        <h3>Sweep</h3>
        <p className="muted">This scenario has no sweep: its outcome does not depend on when the stop-and-copy happens.</p>
      </div>
    );
  }
  return (
    <div className="scn-card scn-sweep" data-testid="sweep-card">
      <div className="scn-sweep-head">
        <h3>Sweep: when does the stop-and-copy break it?</h3>
        <span className="scn-buttons">
        <button type="button" className="scn-btn" data-testid="sweep-run" disabled={busy} onClick={() => host.sweep()}
          title={`run ${sel.variant} with the stop-and-copy at ${SWEEP_POINTS} points across its window`}>
          {busy ? 'Sweeping…' : `Run sweep (${SWEEP_POINTS} runs)`}
        </button>
        {busy && <button type="button" className="scn-btn" data-testid="sweep-cancel" onClick={() => host.cancel('sweep')}>Cancel</button>}
        </span>
      </div>
      <div className="scn-status" data-testid="sweep-status" data-phase={sw?.phase ?? 'idle'}>
        {sw && busy && <><span className="spinner" /> {sw.variant}: {sw.count} runs, {phaseText(sw.phase)} {secs(now - sw.startedMs)}</>}
        {sw?.phase === 'failed' && <span className="bad">the sweep failed: {sw.error}</span>}
        {sw?.phase === 'cancelled' && <span className="muted">cancelled</span>}
        {sw?.phase === 'done' && sw.result && (
          <span className="muted">{sw.variant}: {sw.result.points.length} runs in {secs(sw.wallMs ?? 0)}, {sw.result.points.filter((p) => p.broken).length} broken</span>
        )}
        {!sw && <span className="muted">runs {sel.variant} {SWEEP_POINTS} times, moving the stop-and-copy across the window, and plots each outcome</span>}
      </div>
      {sw?.result && (
        <>
          <SweepPlot result={sw.result} testId="sweep-plot"
            onPick={isBusy(st.job?.phase) ? undefined : (p) => host.run({ variant: sw.variant, completeAtNs: p.atNs })} />
          <p className="muted scn-hint">Click a point to replay that run step by step.</p>
        </>
      )}
    </div>
  );
}

// ---- the player ----------------------------------------------------------------------------------

function Controls({ host, rec }: { host: ScenarioHost; rec: ScenarioRecording }) {
  const cursor = useStore(host.store, (s) => s.cursor);
  const playing = useStore(host.store, (s) => s.playing);
  const speed = useStore(host.store, (s) => s.speed);
  const end = rec.events.length;
  const atEnd = cursor >= end;
  const clock = cursor > 0 ? rec.events[cursor - 1].clockNs : 0;
  return (
    <div className="scn-controls">
      <button type="button" className="scn-btn" data-testid="player-replay" onClick={() => replay(host.store)} title="back to the first step and play">⟲ Replay</button>
      <button type="button" className="scn-btn" data-testid="player-prev" onClick={() => prev(host.store)} disabled={cursor <= (rec.frames[0]?.eventCount ?? 0)} title="previous step (←)">◀ Previous</button>
      <button type="button" className="scn-btn primary play" data-testid="player-play" onClick={() => setPlaying(host.store, !playing)} title="play through the steps (space)">
        {playing ? '❚❚ Pause' : atEnd ? '▶ Play again' : '▶ Play'}
      </button>
      <button type="button" className="scn-btn" data-testid="player-next" onClick={() => next(host.store)} disabled={atEnd} title="next step (→)">Next ▶</button>
      <label className="scn-speed muted" title="playback speed">
        speed
        <select value={speed} onChange={(e) => setSpeed(host.store, Number(e.target.value))} data-testid="player-speed">
          {[0.5, 1, 2, 4, 8].map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
      </label>
      <div className="scn-scrub">
        <div className="scn-scrub-marks" aria-hidden="true">
          {rec.frames.map((f) => (
            <span key={f.index} className={`scn-scrub-mark${f.eventCount <= cursor ? ' past' : ''}`}
              style={{ left: `${(f.eventCount / Math.max(1, end)) * 100}%` }} title={f.title} />
          ))}
        </div>
        <input type="range" min={0} max={end} step={1} value={cursor} data-testid="player-scrubber"
          aria-label="position in the recorded events"
          onChange={(e) => seek(host.store, Number(e.target.value))} />
      </div>
      <span className="scn-pos mono" data-testid="player-position">event {cursor} / {end} · {formatClock(clock)}</span>
    </div>
  );
}

function focusLabel(f: ScenarioFrame): string {
  const where = [f.side ? SIDE_LABEL[f.side] : null, f.panel ? PANEL_LABEL[f.panel] : null].filter(Boolean);
  return where.length ? `look at: ${where.join(' · ')}` : '';
}

function Stage({ host, rec, frameIdx }: { host: ScenarioHost; rec: ScenarioRecording; frameIdx: number }) {
  const cursor = useStore(host.store, (s) => s.cursor);
  const f = frameIdx >= 0 ? rec.frames[frameIdx] : null;
  const done = outcomeReached(rec, cursor);
  return (
    <div className="scn-stage" data-testid="scenario-stage">
      <div className="scn-stage-head">
        <span className="scn-stepno" data-testid="step-number">{f ? `step ${frameIdx + 1} / ${rec.frames.length}` : 'before step 1'}</span>
        <h3 className="scn-step-title" data-testid="step-title">{f ? f.title : 'The scenario is starting'}</h3>
        {f && focusLabel(f) && (
          <button type="button" className="scn-focus" data-testid="step-focus" title="bring that panel into view"
            onClick={() => document.querySelector('[data-highlighted="true"]')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })}>
            {focusLabel(f)}
          </button>
        )}
        <span className="scn-rec muted">{recLabel(rec)}</span>
      </div>
      {/* At the end the outcome line takes the place of a step that only repeats it. */}
      {!(done && f?.text === rec.outcome) && (
        <p className="scn-explain" data-testid="step-text">
          {f ? f.text : 'Events before the first guided step: the source starts and boots its guest.'}
        </p>
      )}
      {done && (
        <div className={`scn-outcome ${rec.broken ? 'broken' : 'ok'}`} data-testid="scenario-outcome" data-broken={rec.broken} data-verdict={rec.verdict}>
          <span className="scn-verdict">{rec.broken ? 'broken' : 'ok'} · {rec.verdict}</span>
          <span className="scn-outcome-text">outcome: {rec.outcome}</span>
        </div>
      )}
      {f && <StatusStrip frame={f} />}
      <Controls host={host} rec={rec} />
    </div>
  );
}

/** Both machines at a glance, always on screen: runstate, cas_reboot, a pending reset. */
function StatusStrip({ frame }: { frame: ScenarioFrame }) {
  const side = (name: 'src' | 'dst') => {
    const snap = frame[name];
    return (
      <span className="scn-strip-side" data-testid={`strip-${name}`}>
        <span className="role">{SIDE_LABEL[name]}</span>
        {snap ? (
          <>
            <RunstateBadge state={snap.runstate as RunState} />
            <span className="muted">{snap.profile ?? ''} {snap.machineType}</span>
            {snap.migration !== 'none' && <span className={`status status-${snap.migration}`}>{snap.migration}</span>}
            {snap.casReboot && <span className="scn-chip flag warn">cas_reboot set</span>}
            {snap.resetPending && <span className="scn-chip flag bad">reset requested: {snap.resetPending}</span>}
          </>
        ) : <span className="muted">not started</span>}
      </span>
    );
  };
  return <div className="scn-strip">{side('src')}{side('dst')}</div>;
}

function StepList({ host, rec, frameIdx }: { host: ScenarioHost; rec: ScenarioRecording; frameIdx: number }) {
  const done = useStore(host.store, (s) => (s.recording ? outcomeReached(s.recording, s.cursor) : false));
  return (
    <nav className="scn-steps" data-testid="step-list">
      <div className="panel-subtitle">steps</div>
      <ol>
        {rec.frames.map((f, i) => (
          <li key={f.index}>
            <button type="button" data-testid={`step-${i}`} aria-current={i === frameIdx ? 'step' : undefined}
              className={i === frameIdx ? 'on' : i < frameIdx ? 'past' : ''} onClick={() => goToStep(host.store, i)}>
              <span className="scn-step-no">{i + 1}</span>
              <span className="scn-step-name">{f.title}</span>
              {f.side && f.panel && <span className="scn-step-focus">{SIDE_LABEL[f.side]} · {PANEL_LABEL[f.panel]}</span>}
            </button>
          </li>
        ))}
        <li>
          <button type="button" data-testid="step-end" className={done ? (rec.broken ? 'on broken' : 'on ok') : ''}
            onClick={() => seek(host.store, rec.events.length)}>
            <span className="scn-step-no">■</span>
            <span className="scn-step-name">outcome</span>
          </button>
        </li>
      </ol>
    </nav>
  );
}

/** Plays: one event per tick, holding at each step long enough to read it. */
function usePlayback(host: ScenarioHost): void {
  const playing = useStore(host.store, (s) => s.playing);
  const cursor = useStore(host.store, (s) => s.cursor);
  const speed = useStore(host.store, (s) => s.speed);
  const rec = useStore(host.store, (s) => s.recording);
  useEffect(() => {
    if (!playing || !rec) return;
    const t = setTimeout(() => playTick(host.store), playDelayMs(rec, cursor) / speed);
    return () => clearTimeout(t);
  }, [host, playing, cursor, speed, rec]);
}

/** ← / → step, space plays or pauses (not while typing or on a control that uses the keys). */
function useKeys(host: ScenarioHost, on: boolean): void {
  useEffect(() => {
    if (!on) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.altKey || e.ctrlKey || e.metaKey || (t && t.closest('input, select, textarea, button'))) return;
      if (e.key === 'ArrowRight') next(host.store);
      else if (e.key === 'ArrowLeft') prev(host.store);
      else if (e.key === ' ') setPlaying(host.store, !host.store.getState().playing);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [host, on]);
}

function Player({ host }: { host: ScenarioHost }) {
  const rec = useStore(host.store, (s) => s.recording);
  const cursor = useStore(host.store, (s) => s.cursor);
  const job = useStore(host.store, (s) => s.job);
  const now = useTicker(isBusy(job?.phase));
  usePlayback(host);
  useKeys(host, rec !== null);

  const frameIdx = rec ? frameIndexAt(rec.frames, cursor) : -1;
  const frame = rec && frameIdx >= 0 ? rec.frames[frameIdx] : null;
  const prevFrame = rec && frameIdx > 0 ? rec.frames[frameIdx - 1] : null;

  // Per side: its events and the steps, up to the cursor.
  const view = useMemo(() => {
    if (!rec) return null;
    const shown = rec.events.slice(0, cursor);
    const stepNos = new Map<ScenarioEvent, number>();
    let n = 0;
    for (const e of rec.events) if (e.kind === 'step') stepNos.set(e, n++);
    const of = (side: 'src' | 'dst') => shown.filter((e) => e.side === side || e.kind === 'step');
    return { src: of('src'), dst: of('dst'), stepNos, newest: shown[shown.length - 1] ?? null };
  }, [rec, cursor]);

  // The sticky stage's height, for what must stay clear of it (the step list, scrolled-to panels).
  const player = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = player.current;
    const stage = el?.querySelector<HTMLElement>('.scn-stage');
    if (!el || !stage) return;
    const set = () => el.style.setProperty('--stage-h', `${Math.ceil(stage.getBoundingClientRect().height)}px`);
    set();
    const ro = new ResizeObserver(set);
    ro.observe(stage);
    return () => ro.disconnect();
  }, [rec !== null]);

  // A new step: bring the panel it points at into view.
  const body = useRef<HTMLDivElement>(null);
  const shownFrame = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!rec || !frame) return;
    const key = `${rec.scenario}/${rec.variant}/${rec.wallMs}/${frame.index}`;
    if (shownFrame.current === key) return;
    shownFrame.current = key;
    const el = body.current?.querySelector<HTMLElement>('[data-highlighted="true"]');
    el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [rec, frame]);

  if (!rec) {
    if (job && isBusy(job.phase)) {
      return (
        <div className="scn-card scn-waiting" data-testid="player-waiting">
          <span className="spinner" /> Running {recLabel(job)} ({secs(now - job.startedMs)}). Both machines run in a worker to the end of the
          scenario; the replay opens here when the recording is done.
        </div>
      );
    }
    return <div className="scn-card scn-waiting muted">Pick a scenario and a variant, then Run: the replay of its recording appears here.</div>;
  }
  const highlight = (side: 'src' | 'dst') => (frame && frame.side === side ? frame.panel ?? null : null);
  return (
    <div className="scn-player" ref={player} data-testid="scenario-player" data-step={frameIdx} data-cursor={cursor}>
      <Stage host={host} rec={rec} frameIdx={frameIdx} />
      <div className="scn-body" ref={body}>
        <StepList host={host} rec={rec} frameIdx={frameIdx} />
        <ScenarioSide side="src" snap={frame?.src ?? null} prev={prevFrame?.src ?? null} events={view!.src}
          stepNos={view!.stepNos} newest={view!.newest} highlight={highlight('src')} focusText={frame ? `${frame.title}. ${frame.text}` : undefined} />
        <ScenarioSide side="dst" snap={frame?.dst ?? null} prev={prevFrame?.dst ?? null} events={view!.dst}
          stepNos={view!.stepNos} newest={view!.newest} highlight={highlight('dst')} focusText={frame ? `${frame.title}. ${frame.text}` : undefined} />
      </div>
    </div>
  );
}

export function ScenariosView({ host }: { host: ScenarioHost }) {
  useEffect(() => host.open(), [host]);
  // When a recording arrives, bring the player up.
  const rec = useStore(host.store, (s) => s.recording);
  useEffect(() => {
    if (rec) requestAnimationFrame(() => document.querySelector('.scn-player')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }, [rec]);
  return (
    <div className="scn" data-testid="scenarios-view">
      <div className="scn-top">
        <Launcher host={host} />
        <SweepCard host={host} />
      </div>
      <Player host={host} />
    </div>
  );
}
