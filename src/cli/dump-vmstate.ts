// `dump-vmstate FILE.json [--machine pseries-X]`: what QEMU's `-dump-vmstate FILE` writes for
// the devices this machine models, in the same layout (JSON.stringify indented by 2, empty
// arrays as QEMU prints them), so scripts/vmstate-static-checker.py can compare it with a QEMU
// dump or with our dump of another machine type.
//
// QEMU's dump has "vmschkmachine" and then one entry per qdev type whose class has dc->vmsd,
// keyed and named by the type name, a subclass repeating its parent's description. Sections a
// device registers itself with vmstate_register() (icp/server, spapr_drc, spapr_iommu,
// spapr_cpu), bus state (PCIBUS), and the machine's own sections (spapr, spapr/htab, cpu,
// cpu_common, ram, timer, globalstate) are not in QEMU's dump. Ours adds them, keyed by their
// section name (one entry per name; the live ones, ram and spapr/htab, with their version and
// no fields), so that vmstate-static-checker.py can compare two machine types or two release
// profiles on everything that migrates. `--qdev` writes QEMU's set only, to compare with a dump
// QEMU wrote (the checker wants every section of its source dump in the destination).
// `analyze --dump desc` shows the same sections as a stream carries them.

import { writeFileSync } from 'node:fs';
import { VirtualClock } from '../core/clock';
import { SpaprMachine, type MachineHost } from '../core/spapr/machine';
import { spaprRegisterVmstate } from '../core/spapr/vmstate';
import { UnknownMachineError } from '../core/spapr/versions';
import { SaveVMRegistry } from '../core/vmstate/savevm';
import type { VMStateDescription, VMStateField } from '../core/vmstate/vmstate';
import { UsageError, type ParsedArgs } from './args';
import { Instance } from '../core/instance';
import { getProfile, type ProfileName } from '../core/profiles';

type Json = Record<string, unknown>;

/**
 * The qdev types with dc->vmsd that carry our sections, by description name, in the order
 * QEMU 7.2's dump lists them. `ics` is the class that sets dc->vmsd = &vmstate_ics; the
 * pseries machine's ICS is its subclass `ics-spapr`, which QEMU lists with the same
 * description (so does PowerNV's `phb3-msi`, which this machine does not have).
 */
export const QDEV_TYPES: readonly { type: string; vmsd: string }[] = [
  { type: 'spapr-rtc', vmsd: 'spapr/rtc' },
  { type: 'spapr-wdt', vmsd: 'spapr_watchdog' },
  { type: 'spapr-vty', vmsd: 'spapr_vty' },
  { type: 'ics', vmsd: 'ics' },
  { type: 'spapr-nvram', vmsd: 'spapr_nvram' },
  { type: 'spapr-pci-host-bridge', vmsd: 'spapr_pci' },
  { type: 'ics-spapr', vmsd: 'ics' },
];

/**
 * QEMU prints a field's `size` member: sizeof the C type, which for struct fields is the
 * element struct and for a timer is QEMUTimer, not what goes on the wire. The sizes of QEMU
 * 7.2 built for x86-64 Linux, by `description.field`, where they differ from our wire size.
 */
const C_SIZES: Readonly<Record<string, number>> = {
  'spapr_vty.sdev': 848, // SpaprVioDevice
  'spapr_watchdog.timer': 48, // QEMUTimer
  'spapr_pci.lsi_table': 4, // struct spapr_pci_lsi
  'spapr_pci.msi_devs': 12, // spapr_pci_msi_mig
  'ics.irqs': 8, // ICSIRQState
};

function fieldJson(d: VMStateDescription, f: VMStateField, opaque: unknown): Json {
  const c = C_SIZES[`${d.name}.${f.name}`];
  const e: Json = {
    field: f.name,
    version_id: f.version_id,
    field_exists: f.field_exists !== undefined,
    size: c ?? (typeof f.size === 'number' && !f.vmsd ? f.size : 0),
  };
  if (f.vmsd) e.Description = descJson(f.vmsd, opaque);
  return e;
}

/** A description with the subsections this build declares (exists(), when the object is known). */
function descJson(d: VMStateDescription, opaque?: unknown): Json {
  const o: Json = { name: d.name, version_id: d.version_id, minimum_version_id: d.minimum_version_id, Fields: d.fields.map((f) => fieldJson(d, f, undefined)) };
  const subs = (d.subsections ?? []).filter((s) => !s.exists || opaque === undefined || s.exists(opaque));
  if (subs.length) o.Subsections = subs.map((s) => descJson(s, opaque));
  return o;
}

/**
 * The -dump-vmstate document for a machine type (built "as QEMU X" with a release profile):
 * the QDEV_TYPES entries it registers, then, unless `qdevOnly`, every other section by name.
 */
export function dumpVmstate(machineType: string, opts: { qdevOnly?: boolean; profile?: ProfileName } = {}): Json {
  let m: SpaprMachine;
  if (opts.profile) {
    m = new Instance({ name: 'dump', deterministic: true, machineType, ramSize: 16 << 20, profile: opts.profile }).machine;
  } else {
    const host: MachineHost = { clock: new VirtualClock(true, () => 0), resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
    m = new SpaprMachine(host, { machineType, ramSize: 16 << 20 });
  }
  const reg = new SaveVMRegistry();
  spaprRegisterVmstate(m, reg);
  const out: Json = { vmschkmachine: { Name: m.machineType } };
  for (const { type, vmsd } of QDEV_TYPES) {
    const se = reg.handlers.find((h) => h.vmsd?.name === vmsd);
    if (!se?.vmsd) continue;
    out[type] = { Name: type, version_id: se.vmsd.version_id, minimum_version_id: se.vmsd.minimum_version_id, Description: descJson(se.vmsd, se.opaque) };
  }
  if (opts.qdevOnly) return out;
  const qdevVmsds = new Set(QDEV_TYPES.map((q) => q.vmsd));
  for (const se of reg.handlers) {
    if (se.vmsd && qdevVmsds.has(se.vmsd.name)) continue;
    // one entry per section name: the per-core, per-DRC and per-window instances share theirs
    const key = se.idstr;
    if (key in out) continue;
    out[key] = se.vmsd
      ? { Name: key, version_id: se.vmsd.version_id, minimum_version_id: se.vmsd.minimum_version_id, Description: descJson(se.vmsd, se.opaque) }
      : { Name: key, version_id: se.version_id, minimum_version_id: se.version_id,
        Description: { name: key, version_id: se.version_id, minimum_version_id: se.version_id, Fields: [] } };
  }
  return out;
}

/** The text QEMU writes for a dump: 2-space JSON, an empty array as "[", a blank line, "]". */
export function dumpVmstateText(doc: Json): string {
  return JSON.stringify(doc, null, 2).replace(/^( *)(".*": )\[\]/gm, '$1$2[\n\n$1]') + '\n';
}

export function dumpVmstateCommand(p: ParsedArgs, out: (s: string) => void): number {
  const file = p.positional[0];
  if (!file) throw new UsageError('dump-vmstate needs a FILE.json');
  const machine = typeof p.flags.get('machine') === 'string' ? (p.flags.get('machine') as string) : 'pseries';
  const profile = p.flags.get('profile');
  if (profile === true) throw new UsageError('--profile needs a release (see: npm run -s cli -- scenario list)');
  if (profile !== undefined) getProfile(profile); // an unknown release is refused with the known ones
  const qdevOnly = p.flags.get('qdev') === true;
  let doc: Json;
  try {
    doc = dumpVmstate(machine, { qdevOnly, ...(profile !== undefined ? { profile: profile as ProfileName } : {}) });
  } catch (e) {
    if (e instanceof UnknownMachineError) throw new UsageError(e.message);
    throw e;
  }
  writeFileSync(file, dumpVmstateText(doc));
  const n = Object.keys(doc).length - 1;
  out(qdevOnly ? `${file}: ${n} device types of ${(doc.vmschkmachine as Json).Name}\n`
    : `${file}: ${n} entries (device types and sections) of ${(doc.vmschkmachine as Json).Name}${profile ? ` as ${profile}` : ''}\n`);
  return 0;
}
