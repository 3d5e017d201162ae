// QEMU release profiles: two instances "as QEMU X" and "as QEMU Y" migrate where QEMU's did,
// and fail where QEMU's failed with its lines (seed thread 004: pseries-2.6 from QEMU 2.6 to
// QEMU 2.7).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counters } from '../src/cli/commands';
import { Instance } from '../src/core/instance';
import { migrateInProcess } from '../src/core/migration/local';
import {
  PROFILES, UnsupportedMachineError, cpuSanityValues, getProfile, profileMachineTypes, type ProfileName,
} from '../src/core/profiles';
import { analyzeStream } from '../src/core/vmstate/analyze';

const ELF = new Uint8Array(readFileSync('public/guests/hello.elf'));

interface Side { inst: Instance; errors: string[]; console: () => string; status: () => string }

function side(name: string, profile: ProfileName, machineType = 'pseries-2.6'): Side {
  const inst = new Instance({ name, deterministic: true, profile, machineType });
  const errors: string[] = [];
  let con = '';
  let status = 'none';
  inst.onError = (m) => errors.push(m);
  inst.onSerial = (t) => { con += t; };
  inst.onMigration = (i) => { status = i.status; };
  return { inst, errors, console: () => con, status: () => status };
}

const lines = (s: Side) => counters(s.console().split(/\r?\n/));

function migrate(from: ProfileName, to: ProfileName, machineType = 'pseries-2.6') {
  const src = side('source', from, machineType);
  src.inst.boot(ELF);
  while (src.inst.machine.cpu.state.insnCount < 1_000_000) src.inst.turn();
  const dst = side('destination', to, machineType);
  const { link } = migrateInProcess(src.inst, dst.inst, 200_000);
  return { src, dst, link };
}

/** The side's guest prints new count lines, none of them CORRUPT. */
function expectCounting(s: Side): void {
  const before = lines(s);
  const start = s.inst.machine.cpu.state.insnCount;
  while (s.inst.machine.cpu.state.insnCount - start < 1_500_000) s.inst.turn();
  const after = lines(s);
  expect(after.length).toBeGreaterThan(before.length);
  expect(s.console()).not.toContain('CORRUPT');
}

describe('the profile table', () => {
  it('offers the machine types each release had, newest first', () => {
    expect(profileMachineTypes(getProfile('qemu-2.6'))).toEqual(['pseries-2.6']);
    expect(profileMachineTypes(getProfile('qemu-2.7'))).toEqual(['pseries-2.7', 'pseries-2.6']);
    expect(profileMachineTypes(getProfile('qemu-4.2+cas-reboot-patch'))[0]).toBe('pseries-4.2');
    expect(profileMachineTypes(getProfile('qemu-7.2'))[0]).toBe('pseries-7.2');
    expect(profileMachineTypes(getProfile('qemu-7.2')).at(-1)).toBe('pseries-2.6');
    expect(PROFILES.map((p) => p.name)).toEqual(
      ['qemu-2.6', 'qemu-2.7', 'qemu-2.8', 'qemu-4.2', 'qemu-4.2+cas-reboot-patch', 'qemu-5.1', 'qemu-7.2']);
  });

  it('carries the 2016 thread\'s POWER8 flag values', () => {
    const p26 = getProfile('qemu-2.6').power8, p27 = getProfile('qemu-2.7').power8;
    expect(p27.insns_flags.toString()).toBe('9223477658187168481');
    expect(p26.insns_flags.toString()).toBe('9223477658187151905');
    expect((p27.insns_flags2).toString()).toBe('331702');
    expect((p26.insns_flags2).toString()).toBe('69558');
    // 2.8+ writes the flags masked to the bits 2.6 had
    expect(cpuSanityValues(getProfile('qemu-7.2'))).toMatchObject({ insns_flags: p26.insns_flags, insns_flags2: p26.insns_flags2 });
  });

  it('carries each release\'s TCG interrupt routing: LPES0 and the HV sanity check from 2.7', () => {
    const p26 = getProfile('qemu-2.6').excp, p27 = getProfile('qemu-2.7').excp, p72 = getProfile('qemu-7.2').excp;
    expect(p26.routing).toBeNull();
    expect(p26.lpcr & 0x8).toBe(0); // LPCR[LPES0]
    expect(p27.lpcr & 0x8).toBe(0x8);
    expect(p27.routing).toMatchObject({ has_hv_mode: true, abortFormat: 'Trying to deliver HV exception %d with no HV support' });
    expect(p27.routing!.msr_mask & (1n << 60n)).toBe(0n); // PAPR mode: no MSR_HV
    expect(p72.routing!.abortFormat).toBe('Trying to deliver HV exception (HSRR) %d with no HV support');
    // applied at the next reset
    const inst = new Instance({ name: 'z', deterministic: true, profile: 'qemu-2.6' });
    inst.boot(ELF);
    expect(inst.machine.cpu.state.getSpr(318) & 0x8n).toBe(0n);
  });

  it('offers QEMU 2.7 with each fix the 2016 thread discussed, outside the release list', () => {
    for (const name of ['qemu-2.7+vmstate-unused', 'qemu-2.7+post-load-compare', 'qemu-2.7+per-machine-flags', 'qemu-2.7+pvr-check', 'qemu-2.7+skip-insns-check'] as const) {
      const p = getProfile(name);
      expect(p.release).toBe('2.7');
      expect(p.cas).toBe(getProfile('qemu-2.7').cas);
      expect(PROFILES).not.toContain(p);
    }
    // the per-machine-type flags: 2.6's values on pseries-2.6, 2.7's elsewhere
    const pm = getProfile('qemu-2.7+per-machine-flags');
    expect(cpuSanityValues(pm, 'pseries-2.6').insns_flags).toBe(getProfile('qemu-2.6').power8.insns_flags);
    expect(cpuSanityValues(pm, 'pseries-2.7').insns_flags).toBe(getProfile('qemu-2.7').power8.insns_flags);
  });

  it('refuses a machine type the release did not have, with QEMU\'s lines', () => {
    let err: unknown;
    try { new Instance({ name: 'x', profile: 'qemu-2.6', machineType: 'pseries-7.2' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UnsupportedMachineError);
    expect((err as UnsupportedMachineError).lines).toEqual([
      'qemu-system-ppc64: -machine pseries-7.2: unsupported machine type',
      'Use -machine help to list supported machines',
    ]);
    expect(new Instance({ name: 'y', profile: 'qemu-2.7' }).machine.machineType).toBe('pseries-2.7');
  });
});

describe('pseries-2.6 across QEMU releases (seed thread 004)', () => {
  it('qemu-2.6 -> qemu-2.6: migrates, the destination keeps counting', () => {
    const { src, dst, link } = migrate('qemu-2.6', 'qemu-2.6');
    expect(src.status()).toBe('completed');
    expect(dst.status()).toBe('completed');
    expect(dst.errors).toEqual([]);
    // the cpu section carries the _EQUAL sanity fields, not the mig_* ones
    const desc = JSON.parse(analyzeStream(link.bytes()).vmdescText!) as { devices: Array<{ name: string; fields: Array<{ name: string }> }> };
    const cpu = desc.devices.find((d) => d.name === 'cpu')!;
    const names = cpu.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['env.msr_mask', 'env.insns_flags', 'env.insns_flags2', 'env.nb_BATs']));
    expect(names).not.toContain('mig_insns_flags');
    expectCounting(dst);
  });

  it('qemu-2.6 -> qemu-2.7: the destination refuses the cpu section with the thread\'s lines; cont resumes the source', () => {
    const { src, dst } = migrate('qemu-2.6', 'qemu-2.7');
    expect(dst.status()).toBe('failed');
    expect(dst.errors).toEqual([
      '9223477658187168481 != 9223477658187151905',
      'Failed to load cpu:env.insns_flags',
      "error while loading state for instance 0x0 of device 'cpu'",
      'load of migration failed: Invalid argument',
    ]);
    // the cpu section is device state, sent after the source completed: without a return
    // path the source stays in postmigrate (as QEMU 2.6 did) and cont resumes its guest
    expect(src.status()).toBe('completed');
    expect(src.inst.runstate()).toBe('postmigrate');
    expect(src.inst.cont()).toBeNull();
    expect(src.inst.runstate()).toBe('running');
    expectCounting(src);
  });

  it('qemu-2.7 -> qemu-2.6: 2.6 refuses too, printing neither the values nor the field', () => {
    const { dst } = migrate('qemu-2.7', 'qemu-2.6');
    expect(dst.status()).toBe('failed');
    expect(dst.errors).toEqual([
      "error while loading state for instance 0x0 of device 'cpu'",
      'load of migration failed: Invalid argument',
    ]);
  });

  it('qemu-2.6 -> qemu-2.8: the mig_* fields are read and ignored', () => {
    const { dst } = migrate('qemu-2.6', 'qemu-2.8');
    expect(dst.status()).toBe('completed');
    expect(dst.errors).toEqual([]);
  });

  it('qemu-2.6 -> qemu-7.2: the mig_* fields are read and ignored', () => {
    const { src, dst } = migrate('qemu-2.6', 'qemu-7.2');
    expect(src.status()).toBe('completed');
    expect(dst.status()).toBe('completed');
    expect(dst.errors).toEqual([]);
    expectCounting(dst);
  });

  it('qemu-7.2 -> qemu-2.6: the masked flags pass 2.6\'s _EQUAL checks', () => {
    const { src, dst } = migrate('qemu-7.2', 'qemu-2.6');
    expect(src.status()).toBe('completed');
    expect(dst.status()).toBe('completed');
    expect(dst.errors).toEqual([]);
    expectCounting(dst);
  });
});
