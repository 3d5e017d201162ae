// Scenario "pseries-2.6 from QEMU 2.6 to QEMU 2.7" — the 2016 thread "[Qemu-devel] pseries-2.6
// migration from QEMU-2.6 to QEMU-2.7 broken" (Bharata B Rao), replayed deterministically.
//
// QEMU 1.6 ... 2.7 sent four "sanity checking" fields in the cpu section (env.msr_mask,
// env.insns_flags, env.insns_flags2, env.nb_BATs) as VMSTATE_*_EQUAL: the destination compares
// the stream's value with its own CPU model's and refuses the section on any difference. QEMU
// 2.7 added four instruction flags to POWER7/POWER8 (PPC_64H, PPC_64BX, PPC_CILDST,
// PPC2_PM_ISA206), so a pseries-2.6 guest started on 2.6 cannot be loaded by 2.7. The variants
// replay the releases around it (2.8's fix, backwards migration, pseries-2.8) and the fixes the
// thread discussed, each as a QEMU 2.7 destination with that patch (profiles.ts,
// THREAD_004_PATCHES). The last one is the thread's TCG experiment: with the mismatch ignored
// the stream loads, and the TCG destination dies later in its interrupt code ("Trying to deliver
// HV exception 4 with no HV support"); the interpreter reproduces that abort (see profiles.ts,
// "Interrupt routing under TCG", for the mechanism and how sure it is).

import type { InstanceOptions } from '../instance';
import { cpuSanityValues, getProfile, type ProfileName } from '../profiles';
import { spaprRegisterVmstate } from '../spapr/vmstate';
import { SaveVMRegistry, vmstate_save_with_desc } from '../vmstate/savevm';
import { pickVariant, type Scenario, type ScenarioRun, type ScenarioRunOptions } from './scenario';
import { ScenarioSession, type SideName } from './session';

interface VariantSetup {
  src: ProfileName;
  dst: ProfileName;
  machineType: string;
  /** The scenario stands in for an interrupt-driven guest and types a key on the destination. */
  interruptDriven?: boolean;
}

const P26 = 'pseries-2.6';
const SETUPS: Record<string, VariantSetup> = {
  'qemu-2.6-to-2.7': { src: 'qemu-2.6', dst: 'qemu-2.7', machineType: P26 },
  'qemu-2.6-to-2.8': { src: 'qemu-2.6', dst: 'qemu-2.8', machineType: P26 },
  'qemu-2.8-to-2.6': { src: 'qemu-2.8', dst: 'qemu-2.6', machineType: P26 },
  'pseries-2.8': { src: 'qemu-2.8', dst: 'qemu-2.8', machineType: 'pseries-2.8' },
  'fix-vmstate-unused': { src: 'qemu-2.6', dst: 'qemu-2.7+vmstate-unused', machineType: P26 },
  'fix-post-load-compare': { src: 'qemu-2.6', dst: 'qemu-2.7+post-load-compare', machineType: P26 },
  'fix-per-machine-flags': { src: 'qemu-2.6', dst: 'qemu-2.7+per-machine-flags', machineType: P26 },
  'fix-pvr-check': { src: 'qemu-2.6', dst: 'qemu-2.7+pvr-check', machineType: P26 },
  'skip-check-tcg': { src: 'qemu-2.6', dst: 'qemu-2.7+skip-insns-check', machineType: P26, interruptDriven: true },
};

const COUNT_RE = /^count (\d+) checksum /;
/** The priority a Linux guest's XICS driver gives device interrupts (DEFAULT_PRIORITY). */
const LINUX_IRQ_PRIORITY = 5;

const hex = (v: bigint | number) => `0x${v.toString(16)}`;
const release = (p: ProfileName) => `QEMU ${getProfile(p).release}`;

function lastCount(session: ScenarioSession, side: SideName): number | null {
  const lines = session.console(side);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = COUNT_RE.exec(lines[i]);
    if (m) return Number(m[1]);
  }
  return null;
}

/** Run until the side's guest printed `n` more count lines. */
function countMore(session: ScenarioSession, side: SideName, n: number): boolean {
  const from = session.console(side).length;
  return session.runUntil(() => session.console(side).slice(from).filter((l) => COUNT_RE.test(l)).length >= n);
}

/** The cpu section's fields between env.hflags_compat_nmsr and the subsections, as `side` would send it now. */
function sanityFieldNames(session: ScenarioSession, side: SideName): string[] {
  const m = session.instance(side).machine;
  const se = spaprRegisterVmstate(m, new SaveVMRegistry()).registry.handlers.find((h) => h.idstr === 'cpu');
  if (!se?.vmsd) return [];
  const { desc } = vmstate_save_with_desc(se.vmsd, se.opaque, se.idstr, se.instance_id);
  const names = (desc.fields as Array<{ name: string }>).map((f) => f.name);
  return names.slice(names.indexOf('env.hflags_compat_nmsr') + 1);
}

function describeSourceSection(session: ScenarioSession, setup: VariantSetup): string {
  const p = getProfile(setup.src);
  const fields = sanityFieldNames(session, 'src');
  if (fields.length === 0) {
    return `On ${setup.machineType} the cpu section has no sanity fields at all: after env.msr and env.hflags_compat_nmsr come the subsections. ` +
      'QEMU 2.8 sends the mig_* fields only for machine types that set pre-2.8-migration (pseries-2.7 and older), so nothing here depends on the instruction flags.';
  }
  const v = cpuSanityValues(p, setup.machineType);
  const values = `msr_mask ${hex(v.msr_mask)}, insns_flags ${hex(v.insns_flags)} (${v.insns_flags}), insns_flags2 ${hex(v.insns_flags2)} (${v.insns_flags2}), nb_BATs ${v.nb_BATs}`;
  if (p.cpuSanity === 'equal') {
    return `After the registers, ${release(setup.src)}'s cpu section carries ${fields.join(', ')}: its own POWER8 model's ${values}. ` +
      'They are not state but a sanity check: the destination reads each one and compares it with its own model (VMSTATE_*_EQUAL).';
  }
  return `After the registers, ${release(setup.src)}'s cpu section carries ${fields.join(', ')}: plain fields, because ${setup.machineType} sets pre-2.8-migration. ` +
    `It writes ${values}: the flags masked to the bits QEMU 2.6 knew, so that an older destination's _EQUAL checks accept them.`;
}

/** What the destination did with the sanity fields, once the load succeeded. */
function describeLoad(name: string, setup: VariantSetup): string {
  const src = cpuSanityValues(getProfile(setup.src), setup.machineType);
  const dst = cpuSanityValues(getProfile(setup.dst), setup.machineType);
  switch (name) {
    case 'qemu-2.6-to-2.8':
      return 'QEMU 2.8 declares the same bytes as plain mig_msr_mask, mig_insns_flags, mig_insns_flags2 and mig_nb_BATs on pseries-2.6: it reads them into scratch fields and ignores them (16a2497bd4, 146c11f16f). The different flags no longer matter.';
    case 'qemu-2.8-to-2.6':
      return `QEMU 2.6 compared the four fields with its own model, and they matched: 2.8 wrote insns_flags ${hex(src.insns_flags)}, its own flags masked to 2.6's bits, which is what 2.6's POWER8 has.`;
    case 'pseries-2.8':
      return 'There was nothing to compare: on pseries-2.8 neither side declares the fields.';
    case 'fix-vmstate-unused':
      return `Nikunj's patch turns the two insns fields into VMSTATE_UNUSED(8): the destination skips the 16 bytes whatever they hold. env.msr_mask (${hex(dst.msr_mask)}) and env.nb_BATs are still compared and match. ` +
        'This fixes KVM; in the thread he adds that TCG migration remains broken (see skip-check-tcg: the LPCR from 2.6 is still there).';
    case 'fix-post-load-compare':
      return `The insns fields arrive as plain env.src_insns_flags / env.src_insns_flags2 (${hex(src.insns_flags)} / ${hex(src.insns_flags2)}), and post_load compares them with this model's ${hex(dst.insns_flags)} / ${hex(dst.insns_flags2)}: ` +
        'equality would refuse the stream exactly as before, so the test is whether the source had a flag this CPU lacks. 2.7 only added bits: nothing is missing, post_load returns 0. ' +
        '(Paolo suggested comparing only under KVM; the comparison is made here so it can be seen. The other direction, 2.7 to 2.6, would be refused.)';
    case 'fix-per-machine-flags':
      return `The fix Paolo called the right one: this 2.7's POWER8 keeps 2.6's flags on pseries-2.6 (insns_flags ${hex(dst.insns_flags)}, insns_flags2 ${hex(dst.insns_flags2)}), and only pseries-2.7 gets the new ones. ` +
        'The _EQUAL checks are unchanged and pass. The cost: the CPU model has to know every machine type, which is why it was not done this way.';
    case 'fix-pvr-check':
      return 'David\'s plan: the flags are not compared at all (read and ignored, as 16a2497bd4 later did in 2.8), and post_load checks the migrated PVR instead (as d5fc133eed did in 2.10): ' +
        'env.spr[PVR] arrived as 0x4d0200 (POWER8 v2.0), it matches this CPU model, and no cpu/compat subsection was sent, so no architected compat PVR had to be checked.';
    case 'skip-check-tcg':
      return `Nikunj's experiment: env.insns_flags (${src.insns_flags} in the stream, ${dst.insns_flags} here) and env.insns_flags2 (${src.insns_flags2} vs ${dst.insns_flags2}) are read and the mismatch is ignored. ` +
        '(His patch also printed "Did not match, ignore ..." to stdout.) The stream loads. But the rest of the cpu section came from 2.6 too, env.spr[] with it: LPCR is now 2.6\'s value, without LPES0.';
    default:
      return '';
  }
}

/**
 * What a Linux guest's interrupt setup would leave in the interrupt controller, done for the
 * hello guest, which polls its console and never unmasks a source: the vty's interrupt routed to
 * vCPU 0 at Linux's priority (what ibm,set-xive does), and the presenter's CPPR opened to 0xff
 * (what H_CPPR does). The state travels in the ics and icp/server sections.
 */
function standInForLinuxInterrupts(session: ScenarioSession): number {
  const m = session.src.machine;
  const irq = m.vty.irq;
  m.xics.writeXive(irq - m.xics.offset, 0, LINUX_IRQ_PRIORITY, LINUX_IRQ_PRIORITY);
  m.xics.setCppr(m.icp, 0xff);
  return irq;
}

function run(elf: Uint8Array, opts: ScenarioRunOptions = {}): ScenarioRun {
  const v = pickVariant(insnsFlagsScenario, opts.variant);
  const setup = SETUPS[v.name];
  const side = (name: string, profile: ProfileName): InstanceOptions => ({ name, profile, machineType: setup.machineType });

  const session = new ScenarioSession(side('source', setup.src), { frames: opts.frames, traceEvents: opts.traceEvents });
  const src = session.src;
  src.boot(elf);
  session.untilConsole('src', COUNT_RE);
  countMore(session, 'src', 1);
  session.step('Boot',
    `${release(setup.src)} runs ${setup.machineType} with a POWER8 under TCG. The guest prints its banner, then "count N checksum X" every half second of guest time.`,
    { panel: 'console', side: 'src' });

  if (setup.interruptDriven) {
    const irq = standInForLinuxInterrupts(session);
    session.step('An interrupt-driven guest',
      `The thread's guest was Linux, which takes external interrupts all the time; hello polls its console and never unmasks one. To play Linux's part the scenario routes the vty's interrupt ${hex(irq)} to vCPU 0 at priority ${LINUX_IRQ_PRIORITY} (ibm,set-xive) and opens the CPPR to 0xff (H_CPPR), as Linux's drivers do at boot. ` +
      'That state travels in the ics and icp/server sections. Nothing is typed on the source, so the source never takes one (hello has no handler at 0x500).',
      { panel: 'vmstate', side: 'src' });
  }

  session.step('The cpu section', describeSourceSection(session, setup), { panel: 'vmstate', side: 'src' });

  session.migrate(side('destination', setup.dst));
  session.step('Migration starts',
    `The destination, ${release(setup.dst)} started with -machine ${setup.machineType} -incoming, waits in inmigrate. RAM is copied while the guest runs; the cpu section is device state, sent in the stop-and-copy.`,
    { panel: 'trace', side: 'src' });

  session.untilMigrationDone();
  const loaded = session.migrationStatus('dst') === 'completed';
  let outcome: string;
  let verdict: string;
  let broken: boolean;

  if (!loaded) {
    const d = cpuSanityValues(getProfile(setup.dst), setup.machineType);
    const s = cpuSanityValues(getProfile(setup.src), setup.machineType);
    session.step('The destination refuses the cpu section',
      `env.msr_mask matched, then env.insns_flags did not: ${release(setup.dst)}'s POWER8 has ${d.insns_flags} (${hex(d.insns_flags)}), the stream ${s.insns_flags} (${hex(s.insns_flags)}). ` +
      `The difference ${hex(d.insns_flags ^ s.insns_flags)} is PPC_64BX, PPC_64H and PPC_CILDST, the bits 2.7 added. The _EQUAL field fails with -EINVAL and the whole load with it; QEMU 2.7 prints the values in decimal.`,
      { panel: 'vmstate', side: 'dst' });
    // the source completed its side (no return path): the management layer resumes it
    const before = src.runstate();
    const err = src.cont();
    if (err) throw new Error(`cont on the source: ${err}`);
    session.step('The source is resumed',
      `Without a return path the source saw its side of the migration complete and sits in ${before}. The destination reported the failure, so the management layer resumes the source (cont), as libvirt does.`,
      { panel: 'trace', side: 'src' });
    countMore(session, 'src', 2);
    outcome = `migration failed: ${release(setup.dst)} refused the cpu section (env.insns_flags ${d.insns_flags} != ${s.insns_flags}); the source was resumed and keeps counting (count ${lastCount(session, 'src')})`;
    verdict = 'load failed';
    broken = true;
  } else {
    session.step('The destination loaded the stream', describeLoad(v.name, setup), { panel: 'vmstate', side: 'dst' });
    countMore(session, 'dst', 1);
    if (setup.interruptDriven) {
      const dst = session.instance('dst');
      dst.input('x\r');
      session.step('A key on the destination',
        'A key typed on the destination\'s console raises the vty\'s interrupt, and the interrupt controller presents it to vCPU 0 as an external interrupt. ' +
        'QEMU 2.7 sends an external interrupt to the hypervisor when LPCR[LPES0] is clear, and takes it even with MSR[EE] off. ' +
        'A pseries vCPU has no hypervisor mode (PAPR mode removed MSR_HV from its msr_mask), so powerpc_excp\'s sanity check aborts QEMU.',
        { panel: 'console', side: 'dst' });
      session.runUntil(() => dst.loop.fatal !== null || session.console('dst').some((l) => l === 'x'));
      const lines = dst.loop.fatal ? dst.loop.fatal.split('\n') : [];
      if (lines.length) {
        session.step('QEMU aborts',
          'cpu_abort printed its message and the register dump, and QEMU ended with abort(). The NIP is where hello was when the interrupt came; HF shows real mode (IR and DR clear). ' +
          'The destination is gone; the source sits in postmigrate.',
          { panel: 'cpu', side: 'dst' });
        outcome = `the stream loaded (the mismatch ignored), then the TCG destination aborted at the guest's first external interrupt: ${lines[0].replace(/^qemu: fatal: /, '')} (the migrated LPCR has no LPES0)`;
        verdict = 'destination aborted';
        broken = true;
      } else {
        countMore(session, 'dst', 1);
        outcome = `migrated: the destination took the interrupt and keeps counting (count ${lastCount(session, 'dst')})`;
        verdict = 'migrated';
        broken = false;
      }
    } else {
      countMore(session, 'dst', 1);
      const how: Record<string, string> = {
        'qemu-2.6-to-2.8': 'QEMU 2.8 read the mig_* fields and ignored them',
        'qemu-2.8-to-2.6': 'QEMU 2.8 wrote the flags masked to 2.6\'s bits, and 2.6\'s _EQUAL checks passed',
        'pseries-2.8': 'pseries-2.8 sends no sanity fields at all',
        'fix-vmstate-unused': 'with VMSTATE_UNUSED the 2.7 destination skipped the flags (msr_mask and nb_BATs still compared)',
        'fix-post-load-compare': 'post_load found no flag of the source missing on 2.7 (2.7 only added bits)',
        'fix-per-machine-flags': 'this 2.7 keeps 2.6\'s POWER8 flags on pseries-2.6, so the _EQUAL checks passed',
        'fix-pvr-check': 'the flags were read and ignored, and the migrated PVR 0x4d0200 matched the destination\'s POWER8',
      };
      outcome = `migrated: ${how[v.name]}; the guest keeps counting on the destination (count ${lastCount(session, 'dst')})`;
      verdict = 'migrated';
      broken = false;
    }
  }
  session.step('Outcome', outcome, { panel: verdict === 'destination aborted' ? 'cpu' : 'console', side: loaded ? 'dst' : 'src' });
  session.outcome(outcome);
  return { session, variant: v.name, outcome, verdict, broken };
}

export const insnsFlagsScenario: Scenario = {
  id: 'insns-flags-2.6',
  title: 'pseries-2.6 from QEMU 2.6 to QEMU 2.7',
  thread: '[Qemu-devel] pseries-2.6 migration from QEMU-2.6 to QEMU-2.7 broken (qemu-devel, September 2016)',
  summary: 'QEMU 2.7 added instruction flags to POWER8, and the cpu section compared them with VMSTATE_UINT64_EQUAL: a pseries-2.6 guest started on 2.6 could not be migrated to 2.7.',
  guest: 'hello.elf',
  defaultVariant: 'qemu-2.6-to-2.7',
  variants: [
    { name: 'qemu-2.6-to-2.7', title: 'QEMU 2.6 to QEMU 2.7', summary: 'The bug: the destination refuses env.insns_flags with the thread\'s four lines; the source is resumed and keeps counting.' },
    { name: 'qemu-2.6-to-2.8', title: 'QEMU 2.6 to QEMU 2.8', summary: 'The merged fix: 2.8 reads the old sanity fields as plain mig_* fields and ignores them.' },
    { name: 'qemu-2.8-to-2.6', title: 'QEMU 2.8 back to QEMU 2.6', summary: 'Backwards: 2.8 writes its flags masked to the bits 2.6 had, so 2.6\'s _EQUAL checks pass.' },
    { name: 'pseries-2.8', title: 'pseries-2.8 on QEMU 2.8', summary: 'A newer machine type: the sanity fields are not sent at all.' },
    { name: 'fix-vmstate-unused', title: 'Fix: VMSTATE_UNUSED for the flags (Nikunj)', summary: 'QEMU 2.7 skips the two flag fields: the stream loads.' },
    { name: 'fix-post-load-compare', title: 'Fix: compare in post_load (Ben, Paolo, Dave)', summary: 'QEMU 2.7 reads the flags as plain fields and post_load checks that the source had no flag this CPU lacks: the stream loads.' },
    { name: 'fix-per-machine-flags', title: 'Fix: flags per machine type (Paolo)', summary: 'QEMU 2.7\'s POWER8 keeps 2.6\'s flags on pseries-2.6: the _EQUAL checks pass.' },
    { name: 'fix-pvr-check', title: 'Fix: check the PVR instead (David, Ben)', summary: 'QEMU 2.7 ignores the flags and checks the migrated PVR in post_load, as QEMU 2.10 later did: the stream loads.' },
    { name: 'skip-check-tcg', title: 'Ignore the mismatch, under TCG (Nikunj\'s experiment)', summary: 'The stream loads, then the TCG destination aborts at the first external interrupt: "Trying to deliver HV exception 4 with no HV support".' },
  ],
  run,
};
