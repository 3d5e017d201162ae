// The main loop's vCPU turn in real time with two vCPUs: an idle vCPU 0 must not put the loop
// to sleep while a secondary vCPU has work, and the loop sleeps until the earliest timer of
// any vCPU (the page's workers wait that long between turns).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from './instance';

function twoVcpus(): Instance {
  const inst = new Instance({ name: 'source', deterministic: false, maxCpus: 2, coreIds: [0, 1] });
  inst.boot(new Uint8Array(readFileSync('public/guests/hello.elf')));
  const m = inst.machine;
  // vCPU 0 idle with no timer armed; vCPU 1 started on `b .` at 0x3000 (big-endian)
  m.cpu.state.halted = 1;
  m.cpu.writeDec(0, 0x7fffffff);
  m.ram.view.setUint32(0x3000, 0x48000000, false);
  const st = m.cores[1].cpu.state;
  st.setNip(0x3000n);
  st.halted = 0;
  return inst;
}

describe('the real-time vCPU turn with an idle vCPU 0', () => {
  it('keeps running a secondary vCPU that has work instead of sleeping', () => {
    const inst = twoVcpus();
    const cpu1 = inst.machine.cores[1].cpu;
    const before = cpu1.state.insnCount;
    expect(inst.loop.runVcpu(5)).toBe(0);
    expect(cpu1.state.insnCount).toBeGreaterThan(before);
    expect(inst.machine.cpu.state.halted).toBe(1);
  });

  it('sleeps until the earliest timer of any vCPU once all are idle', () => {
    const inst = twoVcpus();
    const m = inst.machine;
    const cpu1 = m.cores[1].cpu;
    cpu1.state.halted = 1;
    // vCPU 0 far away, vCPU 1 in about 20 ms (512 MHz timebase)
    m.cpu.writeDec(0, 0x7fffffff);
    cpu1.writeDec(0, 512_000 * 20);
    const ms = inst.loop.runVcpu(5);
    expect(ms).toBeGreaterThan(10);
    expect(ms).toBeLessThanOrEqual(20);
  });
});
