// The bundled Linux guest (public/guests/linux, built by guests/linux/build.sh): its console
// against QEMU 7.2's for the same kernel, initramfs and command line
// (test/fixtures/linux/console-qemu-7.2.txt, scripts/regen-linux-console.ts), deterministic
// runs, and live migration of the running shell back and forth.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestCaps, normalizeConsole, PromptDriver } from '../src/core/guests';
import { Instance } from '../src/core/instance';
import { guest, initrd, kernel, LinuxShell } from './linux-shell';

/** The guest's machine; smp 2 = QEMU's -smp 2 (two boot cores). */
function linux(name: string, smp = 1): Instance {
  const cores = Array.from({ length: smp }, (_, i) => i);
  return new Instance({ name, deterministic: true, ramSize: guest.ramSize, caps: guestCaps(guest), maxCpus: smp, coreIds: cores });
}

interface Run { log: string; prompts: number[]; insns: number; runstate: string }

/** Boot to the prompt and type `commands`, one per prompt; stops when the guest powers off or after the last prompt. */
function runTranscript(commands: string[], smp = 1): Run {
  const inst = linux('source', smp);
  let log = '';
  const driver = new PromptDriver(guest.prompt!, [...commands], (l) => inst.input(l), () => inst.machine.cpu.state.insnCount);
  inst.onSerial = (t) => { log += t; driver.output(t); };
  inst.boot(kernel, { initrd, append: guest.append });
  for (let turns = 0; turns < 200_000 && inst.runstate() === 'running' && driver.promptsSeen <= commands.length; turns++) inst.turn();
  return { log, prompts: driver.prompts, insns: inst.machine.cpu.state.insnCount, runstate: inst.runstate() };
}

describe('Linux guest', () => {
  let first: Run;

  it('boots to the shell and prints what QEMU 7.2 prints, line by line (timestamps aside)', () => {
    first = runTranscript(guest.transcript!);
    expect(first.runstate).toBe('shutdown');
    const qemu = normalizeConsole(readFileSync(resolve('test/fixtures/linux/console-qemu-7.2.txt'), 'latin1')).split('\n');
    const ours = normalizeConsole(first.log).split('\n');
    expect(ours).toEqual(qemu);
    expect(ours).toContain('Run /init as init process');
    expect(ours.some((l) => l.startsWith('Linux pseries-lab 6.1.'))).toBe(true);
  }, 120_000);

  it('with -smp 2, brings up the second CPU and prints what QEMU 7.2 prints', () => {
    const run = runTranscript(guest.transcript!, 2);
    expect(run.runstate).toBe('shutdown');
    const qemu = normalizeConsole(readFileSync(resolve('test/fixtures/linux/console-qemu-7.2-smp2.txt'), 'latin1')).split('\n');
    const ours = normalizeConsole(run.log).split('\n');
    expect(ours).toEqual(qemu);
    expect(ours).toContain('smp: Brought up 1 node, 2 CPUs');
    expect(ours.filter((l) => /^processor\t: \d$/.test(l))).toEqual(['processor\t: 0', 'processor\t: 1']);
  }, 120_000);

  it('gives the same console, timestamps included, and the same instruction counts every run', () => {
    const again = runTranscript(guest.transcript!);
    expect(again.log).toBe(first.log);
    expect(again.prompts).toEqual(first.prompts);
    expect(again.insns).toBe(first.insns);
    // the first prompt comes after about 29.4 M instructions (QEMU's TCG plugin counts ~21 M to init)
    expect(first.prompts[0]).toBeGreaterThan(10_000_000);
  }, 120_000);

  it('takes a hot-plugged CPU core (device_add at the prompt) and brings it online; device_del takes it away again', () => {
    const inst = new Instance({ name: 'source', deterministic: true, ramSize: guest.ramSize, caps: guestCaps(guest), maxCpus: 2, coreIds: [0] });
    const sh = new LinuxShell(inst);
    sh.prompt();
    expect(sh.type('cat /proc/cpuinfo')).not.toContain('processor\t: 1');
    expect(inst.machine.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': 1, id: 'core1' })).toBeNull();
    // the hotplug event, check-exception, configure-connector and start-cpu take the guest a moment
    sh.wait(1e9);
    expect(sh.type('cat /proc/cpuinfo')).toContain('processor\t: 1');
    expect(sh.type('cat /proc/interrupts')).toMatch(/^ *\d+: +1 +0 +XICS 4097 Edge +RAS_HOTPLUG$/m);
    // device_del: the guest offlines the CPU, isolates the DRC and makes it unusable; then the core goes
    const traces: string[] = [];
    inst.tracer.on((ev) => { if (ev.name.startsWith('spapr_drc')) traces.push(ev.name); });
    expect(inst.machine.deviceDel('core0')).toBe("Device 'core0' not found");
    expect(inst.machine.deviceDel('core1')).toBeNull();
    expect(inst.machine.cores).toHaveLength(2); // awaiting the guest
    sh.wait(1e9);
    expect(traces).toEqual(['spapr_drc_unplug_request', 'spapr_drc_awaiting_quiesce', 'spapr_drc_set_isolation_state',
      'spapr_drc_set_allocation_state', 'spapr_drc_set_allocation_state_finalizing']);
    expect(inst.machine.cores).toHaveLength(1);
    expect(sh.type('cat /proc/cpuinfo')).not.toContain('processor\t: 1');
    // and the slot can take a core again
    expect(inst.machine.deviceAdd('power8_v2.0-spapr-cpu-core', { 'core-id': 1, id: 'core1' })).toBeNull();
    sh.wait(1e9);
    expect(sh.type('cat /proc/cpuinfo')).toContain('processor\t: 1');
  }, 120_000);

  it('live-migrates the running shell back and forth: the counter goes on, uptime moves, timers fire without a keystroke', () => {
    const sh = new LinuxShell(linux('source'));
    sh.prompt();
    expect(sh.type('count')).toContain('count 1');
    const uptime = (s: string) => { const m = /up (\d+):(\d+)/.exec(s)!; return Number(m[1]) * 60 + Number(m[2]); };
    let lastUp = uptime(sh.type('uptime'));
    let n = 1;
    for (let round = 0; round < 4; round++) {
      const src = sh.inst;
      const dst = linux(round % 2 ? 'source' : 'destination');
      const m = sh.migrateTo(dst);
      expect(m.src?.status).toBe('completed');
      expect(m.dstStatus).toBe('completed');
      expect(src.runstate()).toBe('postmigrate');
      expect(dst.runstate()).toBe('running');
      expect(sh.type('count')).toContain(`count ${++n}`);
      // two seconds of nanosleep: the decrementer migrated armed, nothing waits for input
      const ticks = sh.type('tick 2');
      expect(ticks).toContain(`tick ${++n}`);
      expect(ticks).toContain(`tick ${++n}`);
      const up = uptime(sh.type('uptime'));
      expect(up).toBeGreaterThanOrEqual(lastUp + 1);
      lastUp = up;
    }
  }, 240_000);
});
