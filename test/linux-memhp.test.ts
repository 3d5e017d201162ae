// Memory (LMB) hot-plug into the bundled Linux guest: on `-m 256M,slots=2,maxmem=768M` a
// 256 MiB DIMM plugged at the shell's prompt (object_add memory-backend-ram + device_add
// pc-dimm) is taken by the kernel's pseries DLPAR code (the RAS hotplug interrupt,
// check-exception, configure-connector, an HPT resize) and onlined: MemTotal grows by 256 MiB.
// device_del gives it back: the kernel offlines and removes the LMB and releases its DRC.
// The console is compared with QEMU 7.2's for the same steps
// (test/fixtures/linux/console-qemu-7.2-memhp.txt, scripts/regen-linux-console.ts).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestCaps, normalizeConsole } from '../src/core/guests';
import { Instance } from '../src/core/instance';
import { guest, LinuxShell } from './linux-shell';

const MiB = 1024 * 1024;

/**
 * The console without what depends on the host's speed: printk timestamps, carriage returns,
 * the durations the kernel reports for its HPT resize, and meminfo's KernelStack (how many
 * workqueue workers are alive at that moment: QEMU's own runs print 320 or 336 kB before the
 * unplug).
 */
const normalize = (text: string): string[] =>
  normalizeConsole(text)
    .replace(/complete \(\d+ ms \/ \d+ ms\)/g, 'complete (N ms / N ms)')
    .replace(/^KernelStack: +\d+ kB$/gm, 'KernelStack: N kB')
    .split('\n');

const memTotalKiB = (text: string): number => Number(/^MemTotal: +(\d+) kB$/m.exec(normalizeConsole(text))![1]);

/** The guest's machine with -m 256M,slots=2,maxmem=768M (and -object/-device pc-dimm for `dimms`). */
const linux = (name: string, dimms?: Array<{ memdev: string; size: number; id: string; addr: number }>) => new Instance({
  name, deterministic: true, ramSize: guest.ramSize, maxRamSize: 768 * MiB, ramSlots: 2,
  caps: guestCaps(guest), maxCpus: 1, coreIds: [0], dimms,
});

describe('Linux guest: memory hot-plug', () => {
  it('onlines a hot-plugged 256 MiB DIMM and gives it back on device_del, printing what QEMU 7.2 prints', () => {
    const inst = linux('source');
    const sh = new LinuxShell(inst);
    sh.prompt();

    expect(inst.machine.objectAdd('memory-backend-ram', { id: 'mem1', size: 256 * MiB })).toBeNull();
    expect(inst.machine.deviceAdd('pc-dimm', { id: 'dimm1', memdev: 'mem1' })).toBeNull();
    sh.wait(2e9);
    const plugged = memTotalKiB(sh.type('cat /proc/meminfo'));

    expect(inst.machine.deviceDel('dimm1')).toBeNull();
    expect(sh.until(() => inst.machine.dimms.length === 0)).toBe(true);
    const unplugged = memTotalKiB(sh.type('cat /proc/meminfo'));
    expect(plugged - unplugged).toBe(256 * 1024);

    inst.input('poweroff\r');
    expect(sh.until(() => inst.runstate() !== 'running')).toBe(true);
    expect(inst.runstate()).toBe('shutdown');

    const qemu = normalize(readFileSync(resolve('test/fixtures/linux/console-qemu-7.2-memhp.txt'), 'latin1'));
    expect(normalize(sh.log)).toEqual(qemu);
  }, 240_000);

  it('live-migrates the guest with its onlined DIMM to a machine started with it, and the memory can go from there', () => {
    const src = linux('source');
    const sh = new LinuxShell(src);
    sh.prompt();
    const before = memTotalKiB(sh.type('cat /proc/meminfo'));
    expect(src.machine.objectAdd('memory-backend-ram', { id: 'mem1', size: 256 * MiB })).toBeNull();
    expect(src.machine.deviceAdd('pc-dimm', { id: 'dimm1', memdev: 'mem1' })).toBeNull();
    sh.wait(2e9);
    expect(memTotalKiB(sh.type('cat /proc/meminfo'))).toBe(before + 256 * 1024);
    expect(sh.type('count')).toContain('count 1');

    const dst = linux('destination', [{ memdev: 'mem1', size: 256 * MiB, id: 'dimm1', addr: 0x40000000 }]);
    const m = sh.migrateTo(dst);
    expect([m.src?.status, m.dstStatus]).toEqual(['completed', 'completed']);
    expect(sh.type('count')).toContain('count 2');
    expect(memTotalKiB(sh.type('cat /proc/meminfo'))).toBe(before + 256 * 1024);
    // the destination's DIMM is the guest's: device_del there, and the kernel gives it back
    expect(dst.machine.deviceDel('dimm1')).toBeNull();
    expect(sh.until(() => dst.machine.dimms.length === 0)).toBe(true);
    expect(memTotalKiB(sh.type('cat /proc/meminfo'))).toBe(before);
    expect(sh.type('count')).toContain('count 3');
  }, 240_000);
});
