import { describe, expect, it } from 'vitest';
import { applyWorkerMessage, applyWorkerMessages, consoleText, createInstanceStore, sameSnapshot, traceLines, TRACE_LIMIT } from './instance';
import { columnOf, createSessionStore, migrationEnded, migrationStarted } from './session';

const ev = (name: string, args: string) => ({ name, args, clockNs: 0, wallMs: 0 });

describe('instance store', () => {
  it('follows the worker: console, trace, runstate, migration, stats, errors', () => {
    const store = createInstanceStore('vm-a');
    applyWorkerMessage(store, { type: 'ready', name: 'vm-a' });
    applyWorkerMessage(store, { type: 'runstate', state: 'running' });
    applyWorkerMessage(store, { type: 'serial', data: 'hello\r\n' });
    applyWorkerMessage(store, { type: 'serial', data: 'count 1' });
    applyWorkerMessage(store, {
      type: 'trace',
      events: [ev('runstate_set', 'current_run_state 6 (prelaunch) new_state 9 (running)'), ev('guest_cpu_reset', '')],
    });
    applyWorkerMessage(store, {
      type: 'migration',
      info: { status: 'active', direction: 'outgoing', pagesSent: 3, zeroPages: 1, dirtyPerIteration: [2], bandwidthPerIteration: [64], bytes: 9000 },
    });
    applyWorkerMessage(store, { type: 'stats', insns: 5_000_000, mips: 12.5 });
    applyWorkerMessage(store, { type: 'error', message: 'boom' });

    const s = store.getState();
    expect(s.ready).toBe(true);
    expect(s.runstate).toBe('running');
    expect(consoleText(s)).toBe('hello\r\ncount 1');
    expect(s.consoleSeq).toBe(2);
    expect(traceLines(s)).toEqual([
      'runstate_set current_run_state 6 (prelaunch) new_state 9 (running)',
      'guest_cpu_reset',
    ]);
    expect(s.migration?.pagesSent).toBe(3);
    expect(s.stats).toEqual({ insns: 5_000_000, mips: 12.5 });
    expect(s.errors.map((e) => e.message)).toEqual(['boom']);
  });

  it('applies a batch of worker events as one change, in their order', () => {
    const store = createInstanceStore('vm-a');
    applyWorkerMessage(store, { type: 'ready', name: 'vm-a' });
    let changes = 0;
    store.subscribe(() => { changes++; });
    const info = (pagesSent: number) => ({
      status: 'active' as const, direction: 'outgoing' as const, pagesSent, zeroPages: 0,
      dirtyPerIteration: [pagesSent], bandwidthPerIteration: [1], bytes: pagesSent * 4096,
    });
    applyWorkerMessages(store, [
      { type: 'serial', data: 'count 1 ' },
      { type: 'trace', events: [ev('migrate_set_state', 'new state setup')] },
      { type: 'migration', info: info(1) },
      { type: 'serial', data: 'count 2 ' },
      { type: 'trace', events: [ev('migrate_set_state', 'new state active'), ev('savevm_state_setup', '')] },
      { type: 'migration', info: info(2) },
      { type: 'stats', insns: 10, mips: 1 },
      { type: 'runstate', state: 'running' },
    ]);
    expect(changes).toBe(1);
    const s = store.getState();
    expect(consoleText(s)).toBe('count 1 count 2 ');
    expect(s.consoleSeq).toBe(1);
    expect(traceLines(s)).toEqual(['migrate_set_state new state setup', 'migrate_set_state new state active', 'savevm_state_setup']);
    expect(s.migration?.pagesSent).toBe(2);
    expect(s.stats.insns).toBe(10);
    expect(s.runstate).toBe('running');

    // a fresh machine in the middle of a batch: what came before it is gone with the old one
    applyWorkerMessages(store, [
      { type: 'serial', data: 'old' },
      { type: 'trace', events: [ev('old', '')] },
      { type: 'ready', name: 'vm-a' },
      { type: 'serial', data: 'new' },
    ]);
    expect(changes).toBe(2);
    expect(consoleText(store.getState())).toBe('new');
    expect(store.getState().trace).toEqual([]);
    expect(store.getState().migration).toBeNull();

    applyWorkerMessages(store, [{ type: 'control', id: 1 }]);
    expect(changes).toBe(2); // nothing to change
  });

  it('starts over when the worker reports a fresh machine', () => {
    const store = createInstanceStore('vm-b');
    applyWorkerMessage(store, { type: 'ready', name: 'vm-b' });
    applyWorkerMessage(store, { type: 'runstate', state: 'postmigrate' });
    applyWorkerMessage(store, { type: 'serial', data: 'old output' });
    applyWorkerMessage(store, { type: 'trace', events: [ev('runstate_set', 'x')] });
    const before = store.getState().generation;
    applyWorkerMessage(store, { type: 'ready', name: 'vm-b' });
    const s = store.getState();
    expect(s.generation).toBe(before + 1);
    expect(s.runstate).toBe('prelaunch');
    expect(consoleText(s)).toBe('');
    expect(s.trace).toEqual([]);
    expect(s.migration).toBeNull();
  });

  it('keeps console and trace bounded without losing the newest output', () => {
    const store = createInstanceStore('vm-a');
    for (let i = 0; i < 10_000; i++) applyWorkerMessage(store, { type: 'serial', data: `${i}\n` });
    const s = store.getState();
    expect(s.console.length).toBeLessThanOrEqual(4096);
    expect(s.consoleSeq).toBe(10_000);
    expect(consoleText(s).endsWith('9998\n9999\n')).toBe(true);
    expect(consoleText(s).startsWith('0\n1\n')).toBe(true);

    const many = Array.from({ length: TRACE_LIMIT + 10 }, (_, i) => ev('e', String(i)));
    applyWorkerMessage(store, { type: 'trace', events: many });
    const t = store.getState().trace;
    expect(t).toHaveLength(TRACE_LIMIT);
    expect(t.at(-1)!.args).toBe(String(TRACE_LIMIT + 9));
  });
});

describe('session store', () => {
  it('gives the roles to the columns of the migration under way', () => {
    const session = createSessionStore();
    expect(columnOf(session.getState(), 'source')).toBe('left');
    migrationStarted(session, 'right');
    expect(columnOf(session.getState(), 'source')).toBe('right');
    expect(columnOf(session.getState(), 'destination')).toBe('left');
    expect(session.getState().active).not.toBeNull();
    migrationEnded(session);
    expect(session.getState().active).toBeNull();
    expect(session.getState().last?.from).toBe('right');
    expect(session.getState().count).toBe(1);
  });
});

describe('unchanged snapshots', () => {
  it('a memory snapshot with the same bytes is new once a DIMM\'s block is mapped', () => {
    const ram = { idstr: 'ppc_spapr.ram', addr: 0, size: 256 << 20 };
    const before = { kind: 'memory' as const, addr: 0, bytes: new Uint8Array(16), blocks: [ram] };
    expect(sameSnapshot(before, { ...before, bytes: new Uint8Array(16) })).toBe(true);
    expect(sameSnapshot(before, { ...before, blocks: [ram, { idstr: 'mem1', addr: 0x40000000, size: 256 << 20 }] })).toBe(false);
  });
});
