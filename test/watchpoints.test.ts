// Write watchpoints as the gdbstub's: after an instruction that changed the watched bytes the
// vCPU stops and the main loop stops the VM in `debug`; cont goes on from the next one.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { disassemble } from '../src/core/asm/disasm';

describe('watchpoints', () => {
  it('stop the VM in debug after a store into the watched range', () => {
    const inst = new Instance({ name: 'm', deterministic: true });
    inst.boot(new Uint8Array(readFileSync('public/guests/hello.elf')));
    while (inst.machine.cpu.state.insnCount < 1_000_000) inst.turn();
    const cpu = inst.machine.cpu;
    const ram = inst.machine.ram.u8;
    // the guest's line buffer at 0xf00000: written for every line it prints
    const addr = 0xf00000, len = 0x20;
    const hits: Array<{ old: string; now: string; nip: bigint }> = [];
    const fire = cpu.onWatchpoint;
    cpu.onWatchpoint = (wp, now, nip) => { hits.push({ old: Buffer.from(wp.old).toString('hex'), now: Buffer.from(now).toString('hex'), nip }); fire(wp, now, nip); };
    cpu.watchpoints.push({ addr, len, old: ram.slice(addr, addr + len) });
    for (let i = 0; i < 2000 && inst.runstate() === 'running'; i++) inst.turn();
    expect(inst.runstate()).toBe('debug');
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit.old).not.toBe(hit.now);
    expect(Buffer.from(ram.subarray(addr, addr + len)).toString('hex')).toBe(hit.now);
    const word = inst.machine.ram.view.getUint32(Number(hit.nip), false);
    expect(disassemble(word, hit.nip)).toMatch(/^st/);
    expect(cpu.state.getNip()).not.toBe(hit.nip); // stopped after it
    expect(inst.tracer.events.some((e) => e.name === 'runstate_set' && e.args.endsWith('new_state 0 (debug)'))).toBe(true);

    // cont: the next change stops it again; without watchpoints it runs on
    expect(inst.cont()).toBeNull();
    for (let i = 0; i < 2000 && inst.runstate() === 'running'; i++) inst.turn();
    expect(hits).toHaveLength(2);
    cpu.watchpoints.length = 0;
    expect(inst.cont()).toBeNull();
    for (let i = 0; i < 50; i++) inst.turn();
    expect(inst.runstate()).toBe('running');
    expect(hits).toHaveLength(2);
  });
});
