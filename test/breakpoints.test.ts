// Breakpoints as the gdbstub's: the vCPU stops before the instruction, the main loop stops the
// VM in `debug` (qemu_system_debug_request), cont resumes past it, step executes it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';

describe('breakpoints', () => {
  it('stop the VM in debug before the instruction, and cont / step go on from there', () => {
    const inst = new Instance({ name: 'm', deterministic: true });
    const runstates: string[] = [];
    inst.onRunstate = (s) => runstates.push(s);
    inst.boot(new Uint8Array(readFileSync('public/guests/hello.elf')));
    while (inst.machine.cpu.state.insnCount < 1_000_000) inst.turn();
    const cpu = inst.machine.cpu;
    const at = cpu.state.getNip(); // somewhere in the guest's fill/verify loops, run again and again
    inst.setBreakpoints([at]);
    const before = cpu.state.insnCount;
    for (let i = 0; i < 1000 && inst.runstate() === 'running'; i++) inst.turn();
    expect(inst.runstate()).toBe('debug');
    expect(runstates.at(-1)).toBe('debug');
    expect(cpu.state.getNip()).toBe(at);
    expect(inst.tracer.events.some((e) => e.name === 'runstate_set' && e.args.endsWith('new_state 0 (debug)'))).toBe(true);
    const stopped = cpu.state.insnCount;
    expect(stopped).toBeGreaterThanOrEqual(before);

    // step executes the instruction under the breakpoint
    expect(inst.step()).toBeNull();
    expect(cpu.state.insnCount).toBe(stopped + 1);
    expect(cpu.state.getNip()).not.toBe(at);

    // cont runs until the loop comes back to it
    expect(inst.cont()).toBeNull();
    for (let i = 0; i < 10_000 && inst.runstate() === 'running'; i++) inst.turn();
    expect(inst.runstate()).toBe('debug');
    expect(cpu.state.getNip()).toBe(at);
    expect(cpu.state.insnCount).toBeGreaterThan(stopped + 1);

    // cleared: the guest runs on
    inst.setBreakpoints([]);
    expect(inst.cont()).toBeNull();
    const again = cpu.state.insnCount;
    for (let i = 0; i < 200; i++) inst.turn();
    expect(inst.runstate()).toBe('running');
    expect(cpu.state.insnCount).toBeGreaterThan(again + 100_000);
  });
});
