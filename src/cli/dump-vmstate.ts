// `dump-vmstate FILE.json [--machine pseries-X]`: every section the machine registers, in the
// JSON schema of QEMU's `-dump-vmstate` (so scripts/vmstate-static-checker.py can compare two
// machine types), but keyed by section idstr and including what QEMU's dump leaves out
// (spapr, cpu, cpu_common, icp/server, spapr_iommu, spapr_drc, timer, globalstate; the live
// ram and spapr/htab sections as versions only).

import { writeFileSync } from 'node:fs';
import { VirtualClock } from '../core/clock';
import { SpaprMachine, type MachineHost } from '../core/spapr/machine';
import { spaprRegisterVmstate } from '../core/spapr/vmstate';
import { UnknownMachineError } from '../core/spapr/versions';
import { SaveVMRegistry } from '../core/vmstate/savevm';
import type { VMStateDescription, VMStateField } from '../core/vmstate/vmstate';
import { UsageError, type ParsedArgs } from './args';

type Json = Record<string, unknown>;

function fieldJson(f: VMStateField): Json {
  const e: Json = {
    field: f.name,
    version_id: f.version_id,
    field_exists: f.field_exists !== undefined,
    size: typeof f.size === 'number' ? f.size : 0,
  };
  if (f.vmsd) e.Description = descJson(f.vmsd);
  return e;
}

/** A description and the subsections this build declares (exists(), when the object is known). */
function descJson(d: VMStateDescription, opaque?: unknown): Json {
  const o: Json = { name: d.name, version_id: d.version_id, minimum_version_id: d.minimum_version_id, Fields: d.fields.map(fieldJson) };
  const subs = (d.subsections ?? []).filter((s) => !s.exists || opaque === undefined || s.exists(opaque));
  if (subs.length) o.Subsections = subs.map((s) => descJson(s, opaque));
  return o;
}

/** The -dump-vmstate document for a machine type. */
export function dumpVmstate(machineType: string): Json {
  const host: MachineHost = { clock: new VirtualClock(true, () => 0), resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
  const m = new SpaprMachine(host, { machineType, ramSize: 16 << 20 });
  const reg = new SaveVMRegistry();
  spaprRegisterVmstate(m, reg);
  const out: Json = { vmschkmachine: { Name: m.machineType } };
  for (const se of [...reg.handlers].sort((a, b) => a.section_id - b.section_id)) {
    if (se.idstr in out) continue;
    out[se.idstr] = se.vmsd
      ? { Name: se.idstr, version_id: se.vmsd.version_id, minimum_version_id: se.vmsd.minimum_version_id, Description: descJson(se.vmsd, se.opaque) }
      : { Name: se.idstr, version_id: se.version_id, minimum_version_id: se.version_id };
  }
  return out;
}

export function dumpVmstateCommand(p: ParsedArgs, out: (s: string) => void): number {
  const file = p.positional[0];
  if (!file) throw new UsageError('dump-vmstate needs a FILE.json');
  const machine = typeof p.flags.get('machine') === 'string' ? (p.flags.get('machine') as string) : 'pseries';
  let doc: Json;
  try {
    doc = dumpVmstate(machine);
  } catch (e) {
    if (e instanceof UnknownMachineError) throw new UsageError(e.message);
    throw e;
  }
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  out(`${file}: ${Object.keys(doc).length - 1} sections of ${(doc.vmschkmachine as Json).Name}\n`);
  return 0;
}
