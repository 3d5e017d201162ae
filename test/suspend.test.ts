import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { rtasToken } from '../src/core/spapr/rtas';
import { parseHmp } from '../src/ui/hmp';

// RTAS ibm,suspend-me as QEMU 7.2 has it (rtas_ibm_suspend_me, qemu_system_suspend): the
// machine goes to `suspended` (vCPUs paused, no vm_stop), HMP system_wakeup brings it back.

const BUF = 0x100000;

function rtas(inst: Instance, nargs: number, nret: number): number {
  const m = inst.machine, s = m.cpu.state;
  m.ram.st32(BUF, rtasToken('ibm,suspend-me'), false);
  m.ram.st32(BUF + 4, nargs, false);
  m.ram.st32(BUF + 8, nret, false);
  m.ram.st32(BUF + 12 + 4 * nargs, 0x7777, false);
  s.setGpr(3, 0xf000n);
  s.setGpr(4, BigInt(BUF));
  m.hypercall(m.cpu);
  return m.ram.ld32(BUF + 12 + 4 * nargs, false);
}

function running(opts: ConstructorParameters<typeof Instance>[0] = { name: 'suspend' }): Instance {
  const inst = new Instance({ deterministic: true, ...opts });
  inst.boot(new Uint8Array(readFileSync(new URL('../public/guests/hello.elf', import.meta.url))));
  inst.turn();
  return inst;
}

describe('ibm,suspend-me', () => {
  it('suspends the machine until system_wakeup; the vCPU does not run meanwhile', () => {
    const inst = running();
    expect(rtas(inst, 0, 1)).toBe(0);
    inst.loop.handleRequests();
    expect(inst.runstate()).toBe('suspended');
    const n = inst.machine.cpu.state.insnCount;
    inst.turn();
    expect(inst.machine.cpu.state.insnCount).toBe(n);
    expect(inst.systemWakeup()).toBeNull();
    expect(inst.runstate()).toBe('running');
    expect(inst.tracer.events.map((e) => `${e.name} ${e.args}`)).toEqual(expect.arrayContaining([
      'runstate_set current_run_state 9 (running) new_state 12 (suspended)',
      'system_wakeup_request reason=3',
      'runstate_set current_run_state 12 (suspended) new_state 9 (running)',
    ]));
    inst.turn();
    expect(inst.machine.cpu.state.insnCount).toBeGreaterThan(n);
  });

  it('gives QEMU\'s errors: bad argument counts -3, other vCPUs not joined -9005, waking a running guest', () => {
    const inst = running();
    expect(rtas(inst, 1, 1)).toBe(-3);
    expect(rtas(inst, 0, 2)).toBe(-3);
    expect(inst.systemWakeup()).toBe('Unable to wake up: guest is not in suspended state');
    const smp = running({ name: 'smp', maxCpus: 2, coreIds: [0, 1] });
    smp.machine.cpus[1].state.halted = 0;
    expect(rtas(smp, 0, 1)).toBe(-9005); // H_MULTI_THREADS_ACTIVE
    expect(parseHmp('system_wakeup')).toEqual({ kind: 'control', op: 'system_wakeup' });
  });
});
