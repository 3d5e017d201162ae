import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import { SPAPR_DRC_STATE_LOGICAL_UNISOLATE } from '../src/core/spapr/drc';
import { analyzeStream } from '../src/core/vmstate/analyze';

const elf = new Uint8Array(readFileSync(new URL('../public/guests/hello.elf', import.meta.url)));
const CPU_DRC = 0x10000000;

describe('spapr_drc migration', () => {
  it('carries the live connector state of a device attached but not ready', () => {
    const src = new Instance({ name: 'source', deterministic: true });
    const dst = new Instance({ name: 'destination', deterministic: true });
    let s = '';
    let d = '';
    src.onMigration = (i) => { s = i.status; };
    dst.onMigration = (i) => { d = i.status; };
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 300_000) src.turn();
    const drc = src.machine.drcs.get(CPU_DRC)!;
    expect(drc).toBeDefined();
    Object.assign(drc, { dev: true, state: SPAPR_DRC_STATE_LOGICAL_UNISOLATE, unplug_requested: true });
    const link = new MemoryLink();
    dst.incoming(link.receiver);
    src.migrate(link.sender);
    for (let i = 0; i < 100_000 && !(s === 'completed' && d === 'completed'); i++) {
      src.turn(); link.receiver.pump(); dst.turn(); link.sender.pump();
    }
    expect([s, d]).toEqual(['completed', 'completed']);
    const sent = analyzeStream(link.bytes()).records.filter((r) => r.idstr === 'spapr_drc');
    expect(sent.map((r) => r.instanceId)).toEqual([CPU_DRC]);
    const got = dst.machine.drcs.get(CPU_DRC)!;
    expect(got.state).toBe(SPAPR_DRC_STATE_LOGICAL_UNISOLATE);
    expect(got.unplug_requested).toBe(true);
  });
});
