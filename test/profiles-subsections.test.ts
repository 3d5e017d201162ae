// Release profiles declare the vmstate subsections their QEMU release had (spapr/releases.ts):
// a newer source's stream loads in an older destination as long as it carries nothing the
// older release did not know, and fails with QEMU's -ENOENT lines when it does.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counters } from '../src/cli/commands';
import { Instance } from '../src/core/instance';
import { migrateInProcess } from '../src/core/migration/local';
import { PROFILES, type ProfileName } from '../src/core/profiles';
import { VMSTATE_RELEASES, existsInRelease, releaseKey } from '../src/core/spapr/releases';
import { SPAPR_CAPS, vmstate_spapr } from '../src/core/spapr/vmstate';
import { analyzeStream } from '../src/core/vmstate/analyze';

const ELF = new Uint8Array(readFileSync('public/guests/hello.elf'));
const MACHINE = 'pseries-4.2';
const CAP_FWNMI = SPAPR_CAPS.indexOf('fwnmi');

interface Side { inst: Instance; errors: string[]; console: () => string; status: () => string }

function side(name: string, profile: ProfileName): Side {
  const inst = new Instance({ name, deterministic: true, profile, machineType: MACHINE });
  const errors: string[] = [];
  let con = '';
  let status = 'none';
  inst.onError = (m) => errors.push(m);
  inst.onSerial = (t) => { con += t; };
  inst.onMigration = (i) => { status = i.status; };
  return { inst, errors, console: () => con, status: () => status };
}


/**
 * Boot `from`, let `prepare` change it (as the command line or the guest would), migrate it
 * to a fresh `to` destination (`prepareDst`: its command line).
 */
function migrate(from: ProfileName, to: ProfileName, prepare: (s: Side) => void = () => {}, prepareDst: (s: Side) => void = () => {}) {
  const src = side('source', from);
  prepare(src);
  src.inst.boot(ELF);
  while (src.inst.machine.cpu.state.insnCount < 1_000_000) src.inst.turn();
  const dst = side('destination', to);
  prepareDst(dst);
  const { link } = migrateInProcess(src.inst, dst.inst, 200_000);
  return { src, dst, link };
}

function expectCounting(s: Side): void {
  const before = counters(s.console().split(/\r?\n/)).length;
  const start = s.inst.machine.cpu.state.insnCount;
  while (s.inst.machine.cpu.state.insnCount - start < 1_500_000) s.inst.turn();
  expect(counters(s.console().split(/\r?\n/)).length).toBeGreaterThan(before);
  expect(s.console()).not.toContain('CORRUPT');
}

/** The spapr section's subsections an instance declares (7.2's order). */
function declared(profile?: ProfileName): string[] {
  const inst = new Instance({ name: 'x', deterministic: true, profile, machineType: profile ? undefined : MACHINE });
  const m = inst.machine;
  return (vmstate_spapr.subsections ?? []).filter((s) => !s.exists || s.exists(m)).map((s) => s.name);
}

/** The spapr subsections a stream carries. */
function sentSubsections(bytes: Uint8Array): string[] {
  const desc = JSON.parse(analyzeStream(bytes).vmdescText!) as { devices: Array<{ name: string; subsections?: Array<{ vmsd_name: string }> }> };
  return (desc.devices.find((d) => d.name === 'spapr')!.subsections ?? []).map((s) => s.vmsd_name);
}

const CAPS_212 = ['spapr/cap/htm', 'spapr/cap/vsx', 'spapr/cap/dfp', 'spapr/cap/cfpc', 'spapr/cap/sbbc', 'spapr/cap/ibs', 'spapr/cap/hpt_maxpagesize'];
const IN_42 = [
  'spapr_option_vector_ov5_cas', 'spapr_patb_entry', 'spapr_pending_events', ...CAPS_212, 'spapr_irq_map',
  'spapr/cap/nested_kvm_hv', 'spapr_dtb', 'spapr/cap/large_decr', 'spapr/cap/ccf_assist',
];
const IN_51 = [...IN_42, 'spapr/cap/fwnmi', 'spapr_fwnmi'];
const IN_72 = [...IN_51, 'spapr/cap/rpt_invalidate'];

describe('the subsections each release declares', () => {
  it('spapr: per release profile', () => {
    expect(declared('qemu-2.6')).toEqual([]);
    expect(declared('qemu-2.7')).toEqual([]);
    expect(declared('qemu-2.7+pvr-check')).toEqual([]);
    expect(declared('qemu-2.8')).toEqual(['spapr_option_vector_ov5_cas']);
    expect(declared('qemu-4.2')).toEqual(IN_42);
    // the unmerged patch adds its subsection where it put it, after ccf_assist
    expect(declared('qemu-4.2+cas-reboot-patch')).toEqual([...IN_42, 'spapr_cas_reboot']);
    expect(declared('qemu-5.1')).toEqual(IN_51);
    expect(declared('qemu-7.2')).toEqual(IN_72);
    expect(declared()).toEqual(IN_72); // no profile: QEMU 7.2
  });

  it('the table covers every spapr subsection, in release order as 7.2 lists them', () => {
    const names = (vmstate_spapr.subsections ?? []).map((s) => s.name);
    const rows = VMSTATE_RELEASES.filter((r) => r.section === 'spapr');
    expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
    // QEMU appends: the release never goes down along the list (the patch-only row aside)
    const keys = names.map((n) => rows.find((r) => r.name === n)!).filter((r) => r.introduced).map((r) => releaseKey(r.introduced!));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(rows.filter((r) => r.applied).length).toBe(names.length - 1);
  });

  it('cpu and the other sections: data only, with the boundaries the profiles rely on', () => {
    const cpu = VMSTATE_RELEASES.filter((r) => r.section === 'cpu').map((r) => r.name);
    const inRel = (rel: string) => cpu.filter((n) => existsInRelease('cpu', n, rel));
    expect(inRel('2.6')).toEqual(cpu.filter((n) => n !== 'cpu/compat'));
    expect(inRel('2.8')).not.toContain('cpu/compat');
    expect(inRel('4.2')).toEqual(cpu);
    expect(VMSTATE_RELEASES.filter((r) => r.section !== 'spapr').every((r) => !r.applied)).toBe(true);
    expect(existsInRelease('spapr_drc', 'spapr_drc', '2.8')).toBe(false);
    expect(existsInRelease('spapr_drc', 'spapr_drc/unplug_requested', '2.6')).toBe(true); // not established: not gated
    expect(PROFILES.every((p) => existsInRelease('spapr', 'spapr/cap/htm', p.release) === releaseKey(p.release) >= releaseKey('2.12'))).toBe(true);
  });
});

describe('pseries-4.2 between QEMU 7.2, 5.1 and 4.2', () => {
  it('qemu-7.2 -> qemu-4.2: nothing newer is needed, the guest keeps counting', () => {
    const { dst, link } = migrate('qemu-7.2', 'qemu-4.2');
    expect(dst.errors).toEqual([]);
    expect(dst.status()).toBe('completed');
    // 4.2 knows everything 7.2 sent
    const sent = sentSubsections(link.bytes());
    expect(sent).toEqual(expect.arrayContaining(['spapr_option_vector_ov5_cas', 'spapr/cap/hpt_maxpagesize']));
    expect(sent.every((n) => IN_42.includes(n))).toBe(true);
    expectCounting(dst);
  });

  it('qemu-7.2 with cap-fwnmi=on and FWNMI registered -> qemu-4.2: refused with QEMU\'s lines; -> qemu-5.1: loads', () => {
    const fwnmi = (s: Side) => { s.inst.machine.caps.user[CAP_FWNMI] = 1; };
    const register = (s: Side) => {
      fwnmi(s);
      // what the guest's ibm,nmi-register would leave behind
      const orig = s.inst.boot.bind(s.inst);
      s.inst.boot = (elf) => {
        orig(elf);
        s.inst.machine.fwnmi.system_reset_addr = 0x100n;
        s.inst.machine.fwnmi.machine_check_addr = 0x200n;
      };
    };
    const to42 = migrate('qemu-7.2', 'qemu-4.2', register);
    expect(sentSubsections(to42.link.bytes())).toEqual(expect.arrayContaining(['spapr/cap/fwnmi', 'spapr_fwnmi']));
    expect(to42.dst.status()).toBe('failed');
    expect(to42.dst.errors).toEqual([
      "error while loading state for instance 0x0 of device 'spapr'",
      'load of migration failed: No such file or directory',
    ]);
    expect(to42.dst.inst.runstate()).toBe('inmigrate');

    const to51 = migrate('qemu-7.2', 'qemu-5.1', register, fwnmi);
    expect(to51.dst.errors).toEqual([]);
    expect(to51.dst.status()).toBe('completed');
    expect(to51.dst.inst.machine.fwnmi.machine_check_addr).toBe(0x200n);
  });

  it('qemu-4.2 -> qemu-7.2: migrates, the guest keeps counting', () => {
    const { dst, link } = migrate('qemu-4.2', 'qemu-7.2');
    expect(dst.errors).toEqual([]);
    expect(dst.status()).toBe('completed');
    expect(sentSubsections(link.bytes()).every((n) => IN_42.includes(n))).toBe(true);
    expectCounting(dst);
  });

  it('a qemu-4.2 source never sends what 4.2 did not have, even when its state would need it', () => {
    const src = side('source', 'qemu-4.2');
    src.inst.machine.caps.user[CAP_FWNMI] = 1;
    src.inst.boot(ELF);
    src.inst.machine.fwnmi.machine_check_addr = 0x200n;
    const needed = (vmstate_spapr.subsections ?? []).filter((s) => (!s.exists || s.exists(src.inst.machine)) && (!s.needed || s.needed(src.inst.machine)));
    expect(needed.map((s) => s.name)).not.toContain('spapr_fwnmi');
    expect(needed.map((s) => s.name)).not.toContain('spapr/cap/fwnmi');
  });
});
