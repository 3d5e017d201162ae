import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  createScenarioStore, dwellMs, frameIndexAt, goToStep, next, nextCursor, outcomeReached, playDelayMs, playTick,
  prev, prevCursor, replay, runRecorded, runStarted, seek, selection, selectVariant, setCatalog, setPlaying,
} from '../store/scenario';
import type { ScenarioEvent, ScenarioFrame, ScenarioRecording, SweepResult } from '../worker/scenario-protocol';
import { SweepPlot, ticks, verdictLanes } from './SweepPlot';
import { drcStateName, mentionedRow } from './ScenarioSide';

const ev = (kind: ScenarioEvent['kind'], text: string, side: ScenarioEvent['side'] = 'src'): ScenarioEvent => ({ side, kind, text, clockNs: 0 });

/** 10 events; frames after events 2, 5 and 9; the outcome is the last event. */
function recording(): ScenarioRecording {
  const events: ScenarioEvent[] = [
    ev('trace', 'a'), ev('step', 'A: one', null), ev('console', 'b'), ev('console', 'c'), ev('step', 'B: two', null),
    ev('trace', 'd', 'dst'), ev('error', 'e', 'dst'), ev('console', 'f'), ev('step', 'C: three', null), ev('outcome', 'it broke', null),
  ];
  const frame = (index: number, eventCount: number): ScenarioFrame => ({
    index, title: `step ${index}`, text: 'x'.repeat(40), eventCount, panel: 'trace', side: 'src',
    src: null as never, dst: null,
  });
  return {
    scenario: 's', variant: 'v', events, frames: [frame(0, 2), frame(1, 5), frame(2, 9)],
    outcome: 'it broke', verdict: 'broken thing', broken: true, wallMs: 1,
  };
}

describe('the scenario player', () => {
  it('shows the last frame at or before the cursor', () => {
    const r = recording();
    expect(frameIndexAt(r.frames, 0)).toBe(-1);
    expect(frameIndexAt(r.frames, 1)).toBe(-1);
    expect(frameIndexAt(r.frames, 2)).toBe(0);
    expect(frameIndexAt(r.frames, 4)).toBe(0);
    expect(frameIndexAt(r.frames, 5)).toBe(1);
    expect(frameIndexAt(r.frames, 10)).toBe(2);
  });

  it('steps between frames, then to the end', () => {
    const r = recording();
    expect(nextCursor(r, 0)).toBe(2);
    expect(nextCursor(r, 2)).toBe(5);
    expect(nextCursor(r, 9)).toBe(10);
    expect(nextCursor(r, 10)).toBe(10);
    expect(prevCursor(r, 10)).toBe(9);
    expect(prevCursor(r, 9)).toBe(5);
    expect(prevCursor(r, 7)).toBe(5);
    expect(prevCursor(r, 2)).toBe(2);
    expect(prevCursor(r, 1)).toBe(0);
  });

  it('reaches the outcome only with the outcome event', () => {
    const r = recording();
    expect(outcomeReached(r, 9)).toBe(false);
    expect(outcomeReached(r, 10)).toBe(true);
  });

  it('holds a step long enough to read it and runs through the events between', () => {
    const r = recording();
    expect(playDelayMs(r, 5)).toBe(dwellMs(r.frames[1].text));
    expect(dwellMs('short')).toBeGreaterThanOrEqual(2000);
    expect(playDelayMs(r, 6)).toBeLessThan(1000);
  });

  it('drives a recording through the store', () => {
    const st = createScenarioStore();
    setCatalog(st, [{
      id: 's', title: 'S', thread: 't', summary: 'x', guest: 'g.elf', defaultVariant: 'v', hasSweep: false,
      variants: [{ name: 'v', title: 'V', summary: '' }, { name: 'w', title: 'W', summary: '' }],
    }]);
    expect(selection(st.getState())?.variant).toBe('v');
    selectVariant(st, 's', 'w');
    expect(selection(st.getState())?.variant).toBe('w');
    runStarted(st, { id: 7, scenario: 's', variant: 'w' });
    runRecorded(st, 6, recording()); // a stale answer is ignored
    expect(st.getState().recording).toBeNull();
    runRecorded(st, 7, recording());
    expect(st.getState().cursor).toBe(2);
    next(st); expect(st.getState().cursor).toBe(5);
    prev(st); expect(st.getState().cursor).toBe(2);
    goToStep(st, 2); expect(st.getState().cursor).toBe(9);
    seek(st, 99); expect(st.getState().cursor).toBe(10);
    setPlaying(st, true); // at the end: starts over
    expect(st.getState()).toMatchObject({ cursor: 0, playing: true });
    for (let i = 0; i < 20; i++) playTick(st);
    expect(st.getState()).toMatchObject({ cursor: 10, playing: false });
    replay(st);
    expect(st.getState()).toMatchObject({ cursor: 2, playing: true });
  });
});

describe('the sweep plot', () => {
  const result: SweepResult = {
    reference: "the guest's CAS call on the source",
    marks: [{ atNs: 0, label: 'CAS' }, { atNs: 100e6, label: 'reset' }],
    points: [-20, 0, 20, 60, 100, 140].map((ms) => ({
      atNs: ms * 1e6,
      verdict: ms < 0 ? 'rebooted on destination' : ms < 100 ? 'reboot lost' : 'rebooted before migration',
      broken: ms >= 0 && ms < 100,
    })),
  };

  it('gives each verdict a lane, broken ones in red', () => {
    const lanes = verdictLanes(result);
    expect(lanes.map((l) => [l.verdict, l.count, l.broken])).toEqual([
      ['rebooted on destination', 1, false], ['reboot lost', 3, true], ['rebooted before migration', 2, false],
    ]);
    expect(lanes[1].colour).toBe('#cf222e');
    expect(lanes[0].colour).not.toBe(lanes[2].colour);
  });

  it('picks round ticks', () => {
    expect(ticks(-21, 145)).toEqual([-20, 0, 20, 40, 60, 80, 100, 120, 140]);
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('draws one marker per point, the marks and a legend', () => {
    const html = renderToStaticMarkup(createElement(SweepPlot, { result, testId: 'p' }));
    expect(html.match(/<circle/g)).toHaveLength(6);
    expect(html.match(/data-broken="true"/g)).toHaveLength(3);
    expect(html).toContain('data-mark="CAS"');
    expect(html).toContain('data-mark="reset"');
    expect(html).toContain('reboot lost (broken) × 3');
  });
});

describe('DRC states', () => {
  it('uses QEMU\'s names', () => {
    expect(drcStateName(1)).toBe('SPAPR_DRC_STATE_LOGICAL_UNUSABLE');
    expect(drcStateName(4)).toBe('SPAPR_DRC_STATE_LOGICAL_CONFIGURED');
    expect(drcStateName(8)).toBe('SPAPR_DRC_STATE_PHYSICAL_CONFIGURED');
  });
});

describe('what a step names in the vmstate', () => {
  const sub = (name: string, needed = false) => ({ name, needed, subsections: [] });
  const sections = [
    { idstr: 'cpu', instanceId: 0, version: 5, sectionId: 7, kind: 'full' as const, needed: true, subsections: [sub('cpu/vsx', true)] },
    { idstr: 'spapr', instanceId: 0, version: 1, sectionId: 20, kind: 'full' as const, needed: true, subsections: [sub('spapr_cas_reboot', true)] },
  ];
  it('finds a subsection by name, else "the X section"', () => {
    expect(mentionedRow('the spapr subsection spapr_cas_reboot is pending now.', sections)).toBe('spapr#0/spapr_cas_reboot');
    expect(mentionedRow('QEMU 2.7 refused the cpu section', sections)).toBe('cpu#0');
    expect(mentionedRow('nothing in the spapr section says a reset is owed', sections)).toBe('spapr#0');
    expect(mentionedRow('nothing here', sections)).toBeNull();
    expect(mentionedRow(undefined, sections)).toBeNull();
  });
});
