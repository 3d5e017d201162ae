import { describe, expect, it } from 'vitest';
import type { Snapshot, VmstateFieldInfo, VmstateSectionInfo } from '../worker/protocol';
import { applyWorkerMessage, createInstanceStore, watchVmstate } from './instance';
import { fieldChange, firstSeen, hexOf, HISTORY_LIMIT, HISTORY_VALUE_MAX, newWatch, recordVmstate } from './vmstateWatch';

type VmstateSnap = Extract<Snapshot, { kind: 'vmstate' }>;

const FIELDS: VmstateFieldInfo[] = [
  { key: 'env.nip', type: 'uint64', offset: 0, size: 8, count: 1 },
  { key: 'env.gpr', type: 'uint64', offset: 8, size: 32, count: 4 },
  { key: 'cpu/big: buf', type: 'buffer', offset: 40, size: 100, count: 1 },
];

function snap(insns: number, fill: (p: Uint8Array) => void, fields = FIELDS): VmstateSnap {
  const payload = new Uint8Array(140);
  fill(payload);
  const sec: VmstateSectionInfo = {
    idstr: 'cpu', instanceId: 0, version: 5, sectionId: 7, kind: 'full', needed: true, size: 140, subsections: [], payload, fields,
  };
  return { kind: 'vmstate', machineType: 'pseries-7.2', sections: [sec], insns };
}

describe('the vmstate panel\'s field history', () => {
  it('finds a change in any byte of a large field, aligned or not', () => {
    const field = (offset: number): VmstateFieldInfo => ({ key: 'table', type: 'buffer', offset, size: 4099, count: 1 });
    for (const offset of [0, 4, 1, 3]) {
      for (const at of [0, 1, 2047, 4095, 4096, 4098]) {
        const a = new Uint8Array(offset + 4099 + 8);
        const b = new Uint8Array(a);
        expect(fieldChange({ payload: a, field: field(offset) }, { payload: b, field: field(offset) }, 1, 1)).toBeNull();
        b[offset + at] = 0x5a;
        expect(fieldChange({ payload: a, field: field(offset) }, { payload: b, field: field(offset) }, 1, 1), `${offset}/${at}`).not.toBeNull();
        // views into a larger buffer at an odd place
        const big = new Uint8Array(a.length + 3);
        big.set(b, 3);
        expect(fieldChange({ payload: a, field: field(offset) }, { payload: big.subarray(3), field: field(offset) }, 1, 1)).not.toBeNull();
      }
    }
  });

  it('keeps each change with the instruction count and time, arrays by element', () => {
    let w = newWatch(1000);
    w = recordVmstate(w, snap(10, (p) => { p[7] = 0x10; }), 1100);
    w = recordVmstate(w, snap(20, (p) => { p[7] = 0x10; }), 1200); // nothing changed
    w = recordVmstate(w, snap(30, (p) => { p[7] = 0x14; p[8 + 15] = 1; p[8 + 31] = 2; p[50] = 9; }), 1300);
    expect(w.snapshots).toBe(3);
    const cpu = w.changes.get('cpu/0')!;
    expect(cpu.get('env.nip')).toEqual([{ insns: 30, wallMs: 1300, value: '0000000000000014', changed: null, more: 0 }]);
    expect(cpu.get('env.gpr')).toEqual([{ insns: 30, wallMs: 1300, value: '0000000000000000 0000000000000001 0000000000000000 0000000000000002', changed: [1, 3], more: 0 }]);
    // larger than HISTORY_VALUE_MAX: only that it changed
    expect(HISTORY_VALUE_MAX).toBeLessThan(100);
    expect(cpu.get('cpu/big: buf')).toEqual([{ insns: 30, wallMs: 1300, value: null, changed: null, more: 0 }]);
    expect(firstSeen(w, 'cpu/0', 'env.nip')).toEqual({ value: '0000000000000010', insns: 10, wallMs: 1100 });
    expect(firstSeen(w, 'cpu/0', 'nope')).toBeNull();
  });

  it('compares fields by name when a subsection comes or goes, and keeps at most HISTORY_LIMIT changes', () => {
    let w = newWatch(0);
    w = recordVmstate(w, snap(0, () => {}, FIELDS.slice(0, 2)), 0);
    // the subsection appears: no change for it yet; the others are compared
    w = recordVmstate(w, snap(1, (p) => { p[0] = 1; }), 1);
    expect(w.changes.get('cpu/0')!.has('cpu/big: buf')).toBe(false);
    for (let i = 2; i < HISTORY_LIMIT + 12; i++) w = recordVmstate(w, snap(i, (p) => { p[0] = i & 0xff; }), i);
    const nip = w.changes.get('cpu/0')!.get('env.nip')!;
    expect(nip).toHaveLength(HISTORY_LIMIT);
    expect(nip.at(-1)!.insns).toBe(HISTORY_LIMIT + 11);
    expect(w.dropped.get('cpu/0\u0000env.nip')).toBe(11);
  });

  it('formats elements and reports the changed ones of same-sized arrays only', () => {
    const a = new Uint8Array([1, 2, 3, 4]);
    const b = new Uint8Array([1, 2, 3, 5]);
    const f = { key: 'x', type: 'uint16', offset: 0, size: 4, count: 2 };
    expect(hexOf(a, f)).toBe('0102 0304');
    expect(fieldChange({ payload: a, field: f }, { payload: b, field: f }, 1, 2)).toMatchObject({ changed: [1], value: '0102 0305' });
    expect(fieldChange({ payload: a, field: f }, { payload: a, field: f }, 1, 2)).toBeNull();
  });

  it('is kept by the instance store while the panel is open', () => {
    const store = createInstanceStore('vm-a');
    applyWorkerMessage(store, { type: 'snapshot', id: 1, snapshot: snap(1, () => {}) });
    expect(store.getState().vmstateWatch).toBeNull();
    watchVmstate(store, true, 500);
    applyWorkerMessage(store, { type: 'snapshot', id: 2, snapshot: snap(2, () => {}) });
    applyWorkerMessage(store, { type: 'snapshot', id: 3, snapshot: snap(3, (p) => { p[0] = 1; }) });
    const w = store.getState().vmstateWatch!;
    expect(w.sinceMs).toBe(500);
    expect(w.snapshots).toBe(2);
    expect(w.changes.get('cpu/0')!.get('env.nip')![0].insns).toBe(3);
    // a fresh machine: its history starts over (the panel opens again for it)
    applyWorkerMessage(store, { type: 'ready', name: 'vm-a' });
    expect(store.getState().vmstateWatch).toBeNull();
    watchVmstate(store, false);
    expect(store.getState().vmstateWatch).toBeNull();
  });
});
