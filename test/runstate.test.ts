import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_STATES, RunStateMachine, isValidTransition, type RunState } from '../src/core/runstate';
import { Tracer, formatTrace } from '../src/core/trace';

// test/fixtures/qemu-7.2-runstate-transitions.txt was read off QEMU 7.2.22
// (qapi/run-state.json and softmmu/runstate.c runstate_transitions_def).
const ref = readFileSync(new URL('./fixtures/qemu-7.2-runstate-transitions.txt', import.meta.url), 'utf8');

function parseReference(): { names: string[]; allowed: Set<string> } {
  const names: string[] = [];
  const allowed = new Set<string>();
  for (const line of ref.split('\n')) {
    const e = /^\s+(\d+) (\S+)$/.exec(line);
    if (e) names[Number(e[1])] = e[2];
    const t = /^\s+(\S+)\s+->\s+(.+?)(\s+\(.*\))?$/.exec(line);
    if (t) for (const to of t[2].split(',').map((s) => s.trim())) allowed.add(`${t[1]}>${to}`);
  }
  return { names, allowed };
}

describe('RunState', () => {
  const { names, allowed } = parseReference();

  it('has QEMU 7.2 enum names and numbers', () => {
    expect(names.length).toBe(16);
    expect([...RUN_STATES]).toEqual(names);
  });

  it('allows exactly the reference transitions, pair by pair', () => {
    expect(allowed.size).toBeGreaterThan(50);
    for (const from of RUN_STATES) {
      for (const to of RUN_STATES) {
        if (from === to) continue;
        expect(isValidTransition(from, to), `${from} -> ${to}`).toBe(allowed.has(`${from}>${to}`));
      }
    }
  });

  it('traces every runstate_set in QEMU format and rejects invalid transitions with QEMU message', () => {
    const tracer = new Tracer(() => 0);
    const rs = new RunStateMachine(tracer);
    rs.set('running');
    rs.set('running');
    rs.set('finish-migrate');
    rs.set('postmigrate');
    expect(tracer.events.map(formatTrace)).toEqual([
      'runstate_set current_run_state 6 (prelaunch) new_state 9 (running)',
      'runstate_set current_run_state 9 (running) new_state 9 (running)',
      'runstate_set current_run_state 9 (running) new_state 7 (finish-migrate)',
      'runstate_set current_run_state 7 (finish-migrate) new_state 5 (postmigrate)',
    ]);
    expect(() => rs.set('inmigrate' as RunState)).toThrow("invalid runstate transition: 'postmigrate' -> 'inmigrate'");
    expect(rs.current).toBe('postmigrate');
  });
});
