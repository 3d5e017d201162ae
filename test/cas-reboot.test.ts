// What CAS does about reboots in each release profile, the spapr_cas_reboot subsection of the
// unmerged 2020 patch, and the main-loop window in which a migration can overtake a
// requested reset (qemu-facts §1.3, §4.5).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import type { ProfileName } from '../src/core/profiles';
import { ScenarioSession } from '../src/core/scenarios/session';
import { SPAPR_DRC_STATE_PHYSICAL_CONFIGURED, SPAPR_DRC_STATE_PHYSICAL_POWERON } from '../src/core/spapr/drc';
import type { SpaprMachine } from '../src/core/spapr/machine';
import { vmstate_spapr } from '../src/core/spapr/vmstate';
import { vmstate_subsections_needed } from '../src/core/vmstate/vmstate';

const HELLO = new Uint8Array(readFileSync('public/guests/hello.elf'));
const VEC = 0x200000;
const BUF = 0x300000;

/** A CAS vector table: POWER8 raw PVR, vectors 1..5 with vector 5 = `ov5`. */
function casVector(m: SpaprMachine, ov5: number[]): void {
  const b: number[] = [];
  const w = (v: number) => b.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  w(0xffffffff); w(m.cpu.model.pvr); w(0); w(0xffffffff);
  b.push(4, 0, 0, 0, 0, 0, 0, 0, 0, ov5.length - 1, ...ov5);
  m.ram.write(VEC, Uint8Array.from(b));
}

/** KVMPPC_H_CAS as SLOF calls it; returns r3. */
function hCas(m: SpaprMachine, size = 0x10000): bigint {
  const s = m.cpu.state;
  m.ram.write(BUF, new Uint8Array(16));
  s.setGpr(3, 0xf002n); s.setGpr(4, BigInt(VEC)); s.setGpr(5, BigInt(BUF)); s.setGpr(6, BigInt(size));
  m.hypercall(m.cpu);
  return s.getGpr(3);
}

function machine(profile: ProfileName, machineType: string) {
  const inst = new Instance({ name: 'm', deterministic: true, profile, machineType });
  const traces: string[] = [];
  inst.tracer.on((e) => traces.push(`${e.name} ${e.args}`));
  inst.boot(HELLO);
  return { inst, m: inst.machine, traces };
}

/** A PCI connector with a device attached and not configured: "hot-plugged before CAS". */
function hotplugBeforeCas(m: SpaprMachine) {
  const d = m.drcs.get(0x40000000)!;
  d.dev = true;
  d.state = SPAPR_DRC_STATE_PHYSICAL_POWERON;
  return d;
}

describe('CAS and reboots, per release', () => {
  it('QEMU 4.2: a device hot-plugged before CAS sets cas_reboot, requests a subsystem reset, gives no tree', () => {
    const { m, traces } = machine('qemu-4.2', 'pseries-4.2');
    hotplugBeforeCas(m);
    casVector(m, [0, 0x20]);
    expect(hCas(m)).toBe(0n); // H_SUCCESS all the same
    expect(m.cas_reboot).toBe(true);
    expect(traces).toContain('qemu_system_reset_request reason=9'); // SHUTDOWN_CAUSE_SUBSYSTEM_RESET
    expect(traces.some((t) => t.startsWith('spapr_cas_continue'))).toBe(false);
    expect(m.ram.ld32(BUF, false)).toBe(0); // no update header
  });

  it('QEMU 4.2: the reset keeps what CAS negotiated and clears the flag; the next CAS does not reboot', () => {
    const { inst, m } = machine('qemu-4.2', 'pseries-4.2');
    const d = hotplugBeforeCas(m);
    casVector(m, [0, 0x20]);
    hCas(m);
    const ov5 = m.ov5_cas.slice();
    const compat = m.cpu.state.compatPvr;
    inst.turn(); // the main loop performs the reset
    expect(m.cas_reboot).toBe(false);
    expect(Array.from(m.ov5_cas)).toEqual(Array.from(ov5));
    expect(m.cpu.state.compatPvr).toBe(compat);
    expect(d.state).toBe(SPAPR_DRC_STATE_PHYSICAL_CONFIGURED); // now cold-plugged
    expect(hCas(m)).toBe(0n);
    expect(m.cas_reboot).toBe(false);
    expect(m.ram.ld32(BUF, false)).toBe(0x01000000); // version_id 1, host byte order
  });

  it('QEMU 7.2: no reboot; the pending hot-plug becomes cold-plugged and the tree is given', () => {
    const { m, traces } = machine('qemu-7.2', 'pseries-7.2');
    const d = hotplugBeforeCas(m);
    casVector(m, [0, 0x20]);
    expect(hCas(m)).toBe(0n);
    expect(m.cas_reboot).toBe(false);
    expect(d.state).toBe(SPAPR_DRC_STATE_PHYSICAL_CONFIGURED);
    expect(traces.some((t) => t.startsWith('qemu_system_reset_request'))).toBe(false);
    expect(traces.some((t) => t.startsWith('spapr_cas_continue'))).toBe(true);
  });

  it('QEMU 2.6: no flag; a response that does not fit asks for the reset directly', () => {
    const { m, traces } = machine('qemu-2.6', 'pseries-2.6');
    hotplugBeforeCas(m); // no hot-plug rule before 2.11
    casVector(m, [0, 0x20]);
    expect(hCas(m)).toBe(0n);
    expect(traces.some((t) => t.startsWith('qemu_system_reset_request'))).toBe(false);
    expect(hCas(m, 64)).toBe(0n);
    expect(m.cas_reboot).toBe(false);
    expect(traces).toContain('qemu_system_reset_request reason=7'); // guest-reset
  });

  it('QEMU 2.8-4.2: removing a capability negotiated before asks for a reboot', () => {
    const { m } = machine('qemu-2.8', 'pseries-2.8');
    casVector(m, [0, 0x20, 0, 0, 0, 0x04]);
    hCas(m);
    expect(m.cas_reboot).toBe(false);
    casVector(m, [0, 0x20]);
    hCas(m);
    expect(m.cas_reboot).toBe(true);
  });

  it('H_CAS answers H_BUSY while a migration is active when the lab option is on', () => {
    const { inst, m } = machine('qemu-4.2', 'pseries-4.2');
    m.casBusyWhileMigrating = true;
    casVector(m, [0, 0x20]);
    const link = new MemoryLink();
    inst.migrate(link.sender);
    expect(hCas(m)).toBe(1n);
    expect(m.ov5_cas.every((b) => b === 0)).toBe(true); // nothing negotiated
    inst.cancel();
    expect(hCas(m)).toBe(0n);
  });
});

describe('spapr_cas_reboot (the unmerged 2020 patch)', () => {
  const names = (m: SpaprMachine) => vmstate_subsections_needed(vmstate_spapr, m).filter((s) => s.needed).map((s) => s.name);
  const declared = (m: SpaprMachine) => vmstate_subsections_needed(vmstate_spapr, m).map((s) => s.name);

  it('exists only in the patched profile and is needed exactly while cas_reboot is set', () => {
    const plain = machine('qemu-4.2', 'pseries-4.2').m;
    const patched = machine('qemu-4.2+cas-reboot-patch', 'pseries-4.2').m;
    expect(declared(plain)).not.toContain('spapr_cas_reboot');
    expect(declared(patched)).toContain('spapr_cas_reboot');
    expect(names(patched)).not.toContain('spapr_cas_reboot');
    patched.cas_reboot = true;
    plain.cas_reboot = true;
    expect(names(patched)).toContain('spapr_cas_reboot');
    expect(names(plain)).not.toContain('spapr_cas_reboot');
  });

  function migratePendingReboot(dstProfile: ProfileName) {
    const session = new ScenarioSession({ name: 'source', profile: 'qemu-4.2+cas-reboot-patch', machineType: 'pseries-4.2', requestLatencyNs: 50_000_000 },
      { traceEvents: ['runstate_set', 'guest_cpu_reset', 'qemu_system_reset_request'] });
    const src = session.src;
    src.boot(HELLO);
    session.runUntil(() => src.machine.cpu.state.insnCount >= 500_000);
    // CAS of a 4.2 guest with a hot-plugged device, as the guest's own hypercall would do it
    hotplugBeforeCas(src.machine);
    casVector(src.machine, [0, 0x20]);
    hCas(src.machine);
    expect(src.loop.resetPending).toBe('subsystem-reset');
    session.migrate({ name: 'destination', profile: dstProfile, machineType: 'pseries-4.2', requestLatencyNs: 50_000_000 },
      { completeAtNs: src.loop.clock.ns() + 10_000_000 });
    session.untilMigrationDone();
    return session;
  }

  it('carries the owed reset: the destination requests it when it starts running', () => {
    const session = migratePendingReboot('qemu-4.2+cas-reboot-patch');
    const dst = session.dst!;
    expect(session.migrationStatus('dst')).toBe('completed');
    expect(dst.machine.cas_reboot).toBe(true);
    expect(dst.loop.resetPending).toBe('subsystem-reset');
    session.runUntil(() => dst.loop.resetPending === null && session.src.loop.resetPending === null);
    expect(dst.machine.cas_reboot).toBe(false);
    const dstLines = session.lines(['trace']).filter((l) => l.startsWith('dst: ')).map((l) => l.replace(/^dst: \d+@\d+\.\d+:/, ''));
    expect(dstLines).toEqual([
      expect.stringMatching(/^guest_cpu_reset /),
      'runstate_set current_run_state 6 (prelaunch) new_state 1 (inmigrate)',
      'runstate_set current_run_state 1 (inmigrate) new_state 9 (running)',
      'qemu_system_reset_request reason=9',
      expect.stringMatching(/^guest_cpu_reset /),
    ]);
    expect(dst.runstate()).toBe('running');
    expect(session.src.runstate()).toBe('prelaunch'); // the source still performs its own reset
  });

  it('an unpatched destination refuses it with QEMU\'s lines; the source, resumed, reboots the guest', () => {
    const session = migratePendingReboot('qemu-4.2');
    expect(session.migrationStatus('dst')).toBe('failed');
    expect(session.lines(['error']).filter((l) => l.startsWith('dst: '))).toEqual([
      "dst: qemu-system-ppc64: error while loading state for instance 0x0 of device 'spapr'",
      'dst: qemu-system-ppc64: load of migration failed: No such file or directory',
    ]);
    // without a return path the source saw its side complete; the reset it owed happens in
    // postmigrate, and the management layer resumes it (cont) as the destination failed
    const src = session.src;
    session.runUntil(() => src.loop.resetPending === null);
    expect(src.runstate()).toBe('prelaunch');
    expect(src.cont()).toBe(null);
    expect(src.runstate()).toBe('running');
    expect(src.machine.cas_reboot).toBe(false);
  });
});

describe('the main-loop window (deterministic request latency)', () => {
  it('a migration completing while a reset request waits: the source resets in postmigrate -> prelaunch', () => {
    const session = new ScenarioSession({ name: 'source', requestLatencyNs: 5_000_000 });
    const src = session.src;
    src.boot(HELLO);
    session.runUntil(() => src.machine.cpu.state.insnCount >= 1_000_000);
    session.migrate({ name: 'destination' }, { completeAtNs: src.loop.clock.ns() + 2_000_000 });
    session.runUntil(() => session.migrationStatus('src') === 'active');
    const at = src.machine.cpu.state.insnCount;
    src.systemReset();
    session.untilMigrationDone();
    expect(src.machine.cpu.state.insnCount).toBe(at); // the vCPU stopped at the request
    session.runUntil(() => src.loop.resetPending === null);
    const srcLines = session.lines(['trace']).filter((l) => l.startsWith('src: ')).slice(-4);
    expect(srcLines.map((l) => l.replace(/^src: /, '').replace(/@\d+\.\d+:/, '@:'))).toEqual([
      '23348@:runstate_set current_run_state 9 (running) new_state 7 (finish-migrate)',
      '23348@:runstate_set current_run_state 7 (finish-migrate) new_state 5 (postmigrate)',
      expect.stringMatching(/^23340@:guest_cpu_reset cpu=0x[0-9a-f]+ $/),
      '23340@:runstate_set current_run_state 5 (postmigrate) new_state 6 (prelaunch)',
    ]);
    expect(src.runstate()).toBe('prelaunch');
    expect(session.dst!.runstate()).toBe('running');
  });

  it('the same run twice gives the same lines, timestamps included', () => {
    const once = () => {
      const session = new ScenarioSession({ name: 'source', requestLatencyNs: 5_000_000 });
      session.src.boot(HELLO);
      session.runUntil(() => session.src.machine.cpu.state.insnCount >= 1_000_000);
      session.migrate({ name: 'destination' }, { completeAtNs: session.src.loop.clock.ns() + 2_000_000 });
      session.src.systemReset();
      session.untilMigrationDone();
      session.runUntil(() => session.src.loop.resetPending === null);
      return session.lines();
    };
    expect(once()).toEqual(once());
  });
});
