import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../core/instance';
import { fdtSnapshot } from '../core/snapshots';
import { fdtParse } from '../core/spapr/fdt';
import { dtsDiff, toDts } from './fdtView';

describe('the device tree before and after CAS', () => {
  it('a line diff keeps context and folds long unchanged runs', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const b = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h', 'i'].join('\n');
    expect(dtsDiff(a, b, 1)).toEqual([
      { kind: 'same', text: '… 2 unchanged lines …' },
      { kind: 'same', text: 'c' },
      { kind: 'removed', text: 'd' },
      { kind: 'added', text: 'D' },
      { kind: 'same', text: 'e' },
      { kind: 'same', text: '… 2 unchanged lines …' },
      { kind: 'same', text: 'h' },
      { kind: 'added', text: 'i' },
    ]);
    expect(dtsDiff(a, a).every((l) => l.kind === 'same')).toBe(true);
  });

  it('the snapshot keeps the tree the guest had before CAS; the diff shows what CAS negotiated', () => {
    const inst = new Instance({ name: 'm', deterministic: true });
    inst.boot(new Uint8Array(readFileSync('public/guests/cas-boot.elf')));
    expect(fdtSnapshot(inst.machine).beforeCas).toBeUndefined();
    const lines: string[] = [];
    let text = '';
    inst.onSerial = (t) => { text += t; };
    while (!text.includes('CAS done') && inst.machine.cpu.state.insnCount < 50_000_000) inst.turn();
    lines.push(...text.split('\n'));
    const snap = fdtSnapshot(inst.machine);
    expect(snap.beforeCas).toBeDefined();
    const diff = dtsDiff(toDts(fdtParse(snap.beforeCas!)), toDts(fdtParse(snap.blob)));
    const added = diff.filter((l) => l.kind === 'added').map((l) => l.text).join('\n');
    expect(added).toContain('ibm,architecture-vec-5');
    inst.systemReset();
    inst.turn();
    expect(fdtSnapshot(inst.machine).beforeCas).toBeUndefined();
  });
});
