import { describe, expect, it } from 'vitest';
import { exportQemuLog, mergeTraces, traceFilter, visibleWindow } from './timeline';
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
