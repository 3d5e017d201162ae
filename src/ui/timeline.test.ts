import { describe, expect, it } from 'vitest';
import { exportQemuLog, mergeTraces, mergeTracesFrom, traceFilter, visibleWindow, type MergedTraces } from './timeline';
import type { TraceEvent } from '../core/trace';

const ev = (name: string, wallMs: number, args = ''): TraceEvent => ({ name, args, wallMs, clockNs: 0 });

describe('shared timeline', () => {
  it('merges both traces on wall time, left first on ties', () => {
    const rows = mergeTraces(
      { name: 'vm-a', trace: [ev('runstate_set', 1), ev('migrate_set_state', 5), ev('x', 7)] },
      { name: 'vm-b', trace: [ev('runstate_set', 2), ev('y', 5)] });
    expect(rows.map((r) => `${r.instance}:${r.ev.name}`)).toEqual(
      ['vm-a:runstate_set', 'vm-b:runstate_set', 'vm-a:migrate_set_state', 'vm-b:y', 'vm-a:x']);
  });

  it('merges new events in at the end as the whole merge would', () => {
    // two machines whose batches arrive out of step, with ties, and a trace that loses its start
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    let a: TraceEvent[] = [], b: TraceEvent[] = [];
    let ta = 0, tb = 0;
    let prev: MergedTraces | null = null;
    for (let step = 0; step < 200; step++) {
      const side = rnd(2);
      const n = rnd(4);
      const add: TraceEvent[] = [];
      for (let i = 0; i < n; i++) {
        if (side) tb += rnd(3); else ta += rnd(3);
        add.push(ev(`e${step}.${i}`, side ? tb : ta));
      }
      if (side) b = b.concat(add); else a = a.concat(add);
      if (step % 50 === 49) a = a.slice(3); // bounded: the oldest go
      prev = mergeTracesFrom(prev, { name: 'vm-a', trace: a }, { name: 'vm-b', trace: b });
      expect(prev.rows).toEqual(mergeTraces({ name: 'vm-a', trace: a }, { name: 'vm-b', trace: b }));
    }
    expect(prev!.rows.length).toBe(a.length + b.length);
  });

  it('filters with -trace patterns: globs, exclusions, enable=', () => {
    const names = ['runstate_set', 'migrate_set_state', 'migration_completion_file_err', 'spapr_drc_set_allocation_state', 'guest_cpu_reset'];
    const keep = (t: string) => names.filter(traceFilter(t));
    expect(keep('')).toEqual(names);
    expect(keep('migrat*')).toEqual(['migrate_set_state', 'migration_completion_file_err']);
    expect(keep('enable=spapr_drc_*, runstate_set')).toEqual(['runstate_set', 'spapr_drc_set_allocation_state']);
    expect(keep('-migrat*')).toEqual(['runstate_set', 'spapr_drc_set_allocation_state', 'guest_cpu_reset']);
    expect(keep('*_set* -migrate*')).toEqual(['runstate_set', 'spapr_drc_set_allocation_state']);
  });

  it('exports what QEMU\'s log backend prints: PID@SEC.USEC:name args', () => {
    const rows = mergeTraces({ name: 'vm-a', trace: [ev('runstate_set', 1234.5678, 'current_run_state 9 (running) new_state 7 (prelaunch)')] },
      { name: 'vm-b', trace: [ev('guest_cpu_reset', 2000)] });
    expect(exportQemuLog(rows, { 'vm-a': 101, 'vm-b': 102 })).toBe(
      '101@1.234568:runstate_set current_run_state 9 (running) new_state 7 (prelaunch)\n102@2.000000:guest_cpu_reset\n');
  });

  it('renders only the rows in view (100 000 rows: a few dozen in the DOM)', () => {
    expect(visibleWindow(100_000, 20, 0, 400)).toEqual({ first: 0, last: 30 });
    expect(visibleWindow(100_000, 20, 1_000_000, 400)).toEqual({ first: 49_990, last: 50_030 });
    expect(visibleWindow(100_000, 20, 2_000_000, 400)).toEqual({ first: 99_990, last: 100_000 });
  });
});
