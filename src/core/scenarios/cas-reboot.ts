// Scenario "CAS reboot lost in migration" — the 2020 thread "[PATCH] spapr: Migrate CAS
// reboot flag" (Greg Kurz), replayed deterministically.
//
// A firmware stage (guests/cas-boot) boots, lists the cores of its device tree, calls
// ibm,client-architecture-support through KVMPPC_H_CAS as SLOF does, then runs on with the
// view CAS left it. A CPU core is hot-plugged before CAS, so QEMU 4.2's CAS sets cas_reboot
// and *requests* a reset. The main loop gets to that request a while later (requestLatencyNs:
// in the thread's log the reset came about 0.45 s after the request); the migration thread
// goes on meanwhile. If the stop-and-copy falls in that window, the stream carries the
// negotiated option vectors and the connector still waiting for its guest, but not the owed
// reset: the destination runs the guest un-rebooted, with one core where the machine has two,
// and the source performs the reset afterwards, in postmigrate -> prelaunch.

import type { InstanceOptions } from '../instance';
import type { ProfileName } from '../profiles';
import { pickVariant, type Scenario, type ScenarioRun, type ScenarioRunOptions, type SweepResult } from './scenario';
import { dtCpuNames, ScenarioSession, type SideName } from './session';

/** The hot-plugged device: QEMU's POWER8 core type, core 1 of -smp 1,maxcpus=2. */
export const HOTPLUG_DRIVER = 'power8_v2.0-spapr-cpu-core';
export const HOTPLUG_CORE_ID = 1;
/** How long the main loop takes to get to a request (virtual ns). */
export const MAIN_LOOP_LATENCY_NS = 100_000_000;
/** Scenario RAM: small, the stream stays small. */
const RAM = 256 * 1024 * 1024;

interface Side { profile: ProfileName; machineType: string; busy?: boolean }
interface VariantSetup {
  src: Side;
  dst: Side;
  /** Stop-and-copy relative to the CAS call (ns); 'window' = in the middle of the window. */
  at: number | 'window';
}

const P42: Side = { profile: 'qemu-4.2', machineType: 'pseries-4.2' };
const P42PATCH: Side = { profile: 'qemu-4.2+cas-reboot-patch', machineType: 'pseries-4.2' };
const P42BUSY: Side = { ...P42, busy: true };

const SETUPS: Record<string, VariantSetup> = {
  'qemu-4.2': { src: P42, dst: P42, at: 'window' },
  'qemu-4.2-before-cas': { src: P42, dst: P42, at: -5_000_000 },
  'qemu-4.2-after-reset': { src: P42, dst: P42, at: MAIN_LOOP_LATENCY_NS + 30_000_000 },
  'qemu-4.2+cas-reboot-patch': { src: P42PATCH, dst: P42PATCH, at: 'window' },
  'patched-to-unpatched': { src: P42PATCH, dst: P42, at: 'window' },
  // between the firmware's 50 ms retries, so the stop-and-copy and a retry never coincide
  'h-cas-busy': { src: P42BUSY, dst: P42BUSY, at: 75_000_000 },
  'qemu-5.1': { src: { profile: 'qemu-5.1', machineType: 'pseries-5.1' }, dst: { profile: 'qemu-5.1', machineType: 'pseries-5.1' }, at: 'window' },
  'qemu-7.2': { src: { profile: 'qemu-7.2', machineType: 'pseries-7.2' }, dst: { profile: 'qemu-7.2', machineType: 'pseries-7.2' }, at: 'window' },
};

function instanceOptions(name: string, s: Side, coreIds: number[]): InstanceOptions {
  return {
    name, profile: s.profile, machineType: s.machineType, ramSize: RAM,
    requestLatencyNs: MAIN_LOOP_LATENCY_NS, maxCpus: 2, coreIds,
  };
}

const UP_RE = /^cas-boot: up with (\d+) cpu core/;
const BOOT_RE = /^cas-boot: boot (\d+)$/;

/** The CAS call of the first boot, located once per setup with a run that does not migrate. */
interface Probe { casNs: number; resetNs: number | null }
const probes = new Map<string, Probe>();

function setupKey(s: VariantSetup, elf: Uint8Array): string {
  return `${s.src.profile}${s.src.busy ? '+busy' : ''}/${elf.length}`;
}

function startSource(elf: Uint8Array, setup: VariantSetup, opts: ScenarioRunOptions): ScenarioSession {
  const session = new ScenarioSession(instanceOptions('source', setup.src, [0]), { frames: opts.frames, traceEvents: opts.traceEvents });
  const src = session.src;
  src.machine.casBusyWhileMigrating = !!setup.src.busy;
  src.boot(elf);
  session.untilConsole('src', /^cas-boot: device tree: /);
  return session;
}

function hotplug(session: ScenarioSession): void {
  const err = session.src.machine.deviceAdd(HOTPLUG_DRIVER, { 'core-id': HOTPLUG_CORE_ID });
  if (err) throw new Error(`device_add ${HOTPLUG_DRIVER},core-id=${HOTPLUG_CORE_ID}: ${err}`);
}

/** Where CAS happens on the source and when the main loop performs its reset, if any. */
function probe(elf: Uint8Array, setup: VariantSetup): Probe {
  const key = setupKey(setup, elf);
  const known = probes.get(key);
  if (known) return known;
  const s = startSource(elf, setup, {});
  hotplug(s);
  let casNs = -1;
  let resetNs: number | null = null;
  const off = s.src.tracer.on((ev) => {
    if (ev.name === 'spapr_cas_pvr' && casNs < 0) casNs = ev.clockNs;
    if (ev.name === 'guest_cpu_reset' && casNs >= 0 && resetNs === null) resetNs = ev.clockNs;
  });
  s.untilConsole('src', UP_RE);
  off();
  if (casNs < 0) throw new Error('cas-reboot probe: the guest never called CAS');
  const p = { casNs, resetNs };
  probes.set(key, p);
  return p;
}

function run(elf: Uint8Array, opts: ScenarioRunOptions = {}): ScenarioRun {
  const v = pickVariant(casRebootScenario, opts.variant);
  const setup = SETUPS[v.name];
  const pr = probe(elf, setup);
  const rel = opts.completeAtNs ?? (setup.at === 'window' ? MAIN_LOOP_LATENCY_NS / 2 : setup.at);
  const completeAtNs = pr.casNs + rel;

  const session = startSource(elf, setup, opts);
  const src = session.src;
  session.step('Boot', `The firmware stage runs as ${setup.src.profile} on ${setup.src.machineType}: boot 1, and its device tree lists one CPU core.`, { panel: 'console', side: 'src' });

  hotplug(session);
  const drc = session.snapshot('src').drcs.find((d) => d.transient);
  session.step('Hot-plug before CAS',
    `device_add ${HOTPLUG_DRIVER},core-id=${HOTPLUG_CORE_ID}: the core exists now, but its connector ${drc?.index ?? ''} stays unusable until the guest configures it, and the guest has not negotiated hotplug events yet. ` +
    (setup.src.profile.startsWith('qemu-4.2') ? 'QEMU 4.2 will answer this with a CAS reboot.' : 'This release will make the core cold-plugged at CAS.'),
    { panel: 'drc', side: 'src' });

  // the destination is started as a management layer would: with the core on its command line
  session.migrate(instanceOptions('destination', setup.dst, [0, HOTPLUG_CORE_ID]), { completeAtNs });
  session.dst!.machine.casBusyWhileMigrating = !!setup.dst.busy;
  session.step('Migration starts', `Pre-copy sends RAM while the guest runs; the stop-and-copy is set for ${fmtMs(rel)} after the guest's CAS call.`, { panel: 'trace', side: 'src' });

  // CAS on the source (unless the migration completes first)
  const casSeen = () => session.seen('src', 'spapr_cas_pvr') !== undefined || session.seen('src', 'spapr_cas_busy') !== undefined;
  session.runUntil(() => casSeen() || session.migrationStatus('src') === 'completed');
  if (casSeen()) {
    const m = src.machine;
    if (m.cas_reboot) {
      session.step('CAS requested a reboot',
        'CAS just set cas_reboot and requested a reset; the vCPU stopped, and the main loop will get to the request in a moment. ' +
        (m.casRebootMigrated ? 'Watch the vmstate panel: the spapr subsection spapr_cas_reboot is pending now.' : 'Watch the vmstate panel: nothing in the spapr section says a reset is owed.'),
        { panel: 'vmstate', side: 'src' });
    } else if (session.seen('src', 'spapr_cas_busy') !== undefined) {
      session.step('H_CAS is busy', 'A migration is active, so H_CAS answered H_BUSY; the firmware sleeps and calls again.', { panel: 'console', side: 'src' });
    } else {
      session.step('CAS', 'CAS made the hot-plugged core cold-plugged and gave the guest a device tree that lists it: no reboot needed.', { panel: 'dt', side: 'src' });
    }
  }

  session.untilMigrationDone();
  const migOk = session.migrationStatus('src') === 'completed' && session.migrationStatus('dst') === 'completed';
  session.step(migOk ? 'Stop-and-copy done' : 'Migration failed',
    migOk
      ? (src.loop.resetPending ? 'The migration completed while the reset request was still pending: the source is in postmigrate, and the stream did not carry the owed reset unless a subsection said so.' : 'The migration completed; the destination runs the guest from here.')
      : 'The destination could not load the stream; the source carries on.',
    { panel: migOk ? 'trace' : 'console', side: migOk ? 'dst' : 'src' });

  // the guest runs on where it now is: until its first tick after the migration, and until the
  // source's pending reset (if any) has been performed
  const runner: SideName = migOk ? 'dst' : 'src';
  const from = session.console(runner).length;
  session.runUntil(() => src.loop.resetPending === null);
  if (!migOk && !src.loop.runstate.isRunning()) {
    // precopy has no return path: the source saw its side complete. The management layer
    // resumes it once the destination reported the failure, as libvirt does.
    src.cont();
    session.step('The source is resumed', `The destination failed, so the management layer resumes the source (cont): ${src.runstate()}.`, { panel: 'console', side: 'src' });
  }
  session.untilConsole(runner, /^cas-boot: tick /, from);
  if (migOk && src.runstate() === 'prelaunch') {
    session.step('The source reset too late', 'The main loop finally performed the CAS reset on the source, after the migration: postmigrate -> prelaunch, a freshly reset machine nobody will run.', { panel: 'trace', side: 'src' });
  }

  const { outcome, verdict, broken } = judge(session, runner, migOk);
  session.step('Outcome', outcome, { panel: broken ? 'dt' : 'console', side: runner });
  session.outcome(outcome);
  return { session, variant: v.name, outcome, verdict, broken };
}

/** The guest's own account: the last `up with` and `boot` lines of where it ran last. */
function guestView(session: ScenarioSession, side: SideName): { cores: number; boot: number } {
  const last = (re: RegExp): RegExpExecArray | null => {
    for (const s of side === 'dst' ? ['dst', 'src'] as const : ['src'] as const) {
      const lines = session.console(s);
      for (let i = lines.length - 1; i >= 0; i--) { const m = re.exec(lines[i]); if (m) return m; }
    }
    return null;
  };
  const up = last(UP_RE);
  const boot = last(BOOT_RE);
  return { cores: up ? Number(up[1]) : 0, boot: boot ? Number(boot[1]) : 0 };
}

function judge(session: ScenarioSession, side: SideName, migOk: boolean): { outcome: string; verdict: string; broken: boolean } {
  const inst = session.instance(side);
  const view = guestView(session, side);
  // the cores the machine has (present vCPUs), whatever tree the guest was given
  const machineCores = inst.machine.cpus.length;
  const where = side === 'dst' ? 'the destination' : 'the source';
  const srcReset = migOk && session.src.runstate() === 'prelaunch';
  if (view.cores !== machineCores) {
    const drc = session.snapshot(side).drcs.find((d) => d.transient);
    return {
      verdict: 'reboot lost', broken: true,
      outcome: `CAS reboot lost: ${where} runs the guest un-rebooted (boot ${view.boot}); it uses ${view.cores} cpu core(s) while the machine has ${machineCores}, and its device tree lists ${dtCpuNames(inst.machine.fdt).length}` +
        (drc ? ` (DRC ${drc.index} still in state ${drc.state})` : '') + (srcReset ? '; the source reset afterwards, postmigrate -> prelaunch' : ''),
    };
  }
  if (!migOk) {
    return {
      verdict: 'migration failed', broken: false,
      outcome: `migration failed; the source resumed and ${view.boot > 1 ? 'performed the CAS reboot itself' : 'went on'}: boot ${view.boot} sees ${view.cores} cpu core(s)`,
    };
  }
  // who performed the reboot: the destination requested one, or the source did before it stopped
  const dstRebooted = session.seen('dst', 'qemu_system_reset_request') !== undefined;
  const verdict = view.boot === 1 ? 'no reboot needed' : dstRebooted ? 'rebooted on destination' : 'rebooted before migration';
  const how = view.boot === 1 ? 'CAS made the core cold-plugged, no reboot'
    : dstRebooted ? 'the destination performed the CAS reboot' : 'the source rebooted before the stop-and-copy';
  return { verdict, broken: false, outcome: `guest consistent on the destination: ${how}; boot ${view.boot} sees ${view.cores} cpu core(s), as the machine has` };
}

function fmtMs(ns: number): string {
  return `${(ns / 1e6).toFixed(1)} ms`;
}

function sweep(elf: Uint8Array, count: number, variant = 'qemu-4.2'): SweepResult {
  const setup = SETUPS[variant];
  const pr = probe(elf, setup);
  const reset = pr.resetNs !== null ? pr.resetNs - pr.casNs : null;
  const lo = -20_000_000;
  const hi = (reset ?? MAIN_LOOP_LATENCY_NS) + 40_000_000;
  const points = [];
  for (let i = 0; i < count; i++) {
    const atNs = Math.round(lo + ((hi - lo) * i) / Math.max(1, count - 1));
    const r = run(elf, { variant, completeAtNs: atNs });
    points.push({ atNs, verdict: r.verdict, broken: r.broken });
  }
  const marks = [{ atNs: 0, label: 'CAS (reset requested)' }];
  if (reset !== null) marks.push({ atNs: reset, label: 'main loop performs the reset' });
  return { reference: 'the guest\'s CAS call on the source', marks, points };
}

export const casRebootScenario: Scenario = {
  id: 'cas-reboot-race',
  title: 'CAS reboot lost in migration',
  thread: '[PATCH] spapr: Migrate CAS reboot flag (qemu-devel, January 2020)',
  summary: 'A core hot-plugged before CAS makes QEMU 4.2 request a reboot at CAS; a migration completing before the main loop performs it leaves the destination with an un-rebooted guest.',
  guest: 'cas-boot.elf',
  defaultVariant: 'qemu-4.2',
  variants: [
    { name: 'qemu-4.2', title: 'QEMU 4.2, stop-and-copy inside the window', summary: 'The race: the reset request is pending when the migration completes. The destination runs the guest un-rebooted; the source resets in postmigrate -> prelaunch.' },
    { name: 'qemu-4.2-before-cas', title: 'QEMU 4.2, stop-and-copy before CAS', summary: 'The guest calls CAS on the destination, which requests and performs the reboot itself.' },
    { name: 'qemu-4.2-after-reset', title: 'QEMU 4.2, stop-and-copy after the reset', summary: 'The source rebooted the guest before migrating it: nothing is lost.' },
    { name: 'qemu-4.2+cas-reboot-patch', title: 'With the spapr_cas_reboot patch', summary: 'The pending flag travels in a new spapr subsection; the destination resets when it starts running.' },
    { name: 'patched-to-unpatched', title: 'Patched source, unpatched destination', summary: 'The destination does not know the subsection: the load fails with "No such file or directory" and the source resumes.' },
    { name: 'h-cas-busy', title: 'H_CAS answers H_BUSY while migrating', summary: 'The alternative from the thread: CAS waits until the migration is over; the firmware retries (every 50 ms) and the retry runs on the destination.' },
    { name: 'qemu-5.1', title: 'QEMU 5.1: no CAS reboot at all', summary: 'The fix that was merged instead: pending hotplugs become cold-plugged at CAS and CAS never reboots.' },
    { name: 'qemu-7.2', title: 'QEMU 7.2', summary: 'The same as 5.1: the problem does not exist.' },
  ],
  run,
  sweep,
};
