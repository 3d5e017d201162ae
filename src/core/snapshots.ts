// Plain-data snapshots of a machine for the page's panels (device tree, vmstate, CPU, ov5,
// memory): what the worker sends; nothing here is a live machine object.

import type {
  CpuRegister, DisasmLine, Ov5BitInfo, Snapshot, VmstateSectionInfo, VmstateStreamMap, VmstateSubsectionInfo,
} from '../worker/protocol';
import { analyzeStream } from './vmstate/analyze';
import { FieldWalkError, fieldKey, fieldSpans, fullPayloadStart } from './vmstate/fields';
import { disassemble } from './asm/disasm';
import {
  SPR_CFAR, SPR_CTR, SPR_DAR, SPR_DECR, SPR_DSISR, SPR_HSRR0, SPR_HSRR1, SPR_LPCR, SPR_LR, SPR_PIR, SPR_PVR,
  SPR_SDR1, SPR_SPRG0, SPR_SPRG1, SPR_SPRG2, SPR_SPRG3, SPR_SRR0, SPR_SRR1, SPR_XER, pair,
} from './cpu/state';
import { OV5, testOvBit, type SpaprMachine } from './spapr/machine';
import { ov5BitsOutsideCasMask, spaprRegisterVmstate } from './spapr/vmstate';
import { SaveVMRegistry, vmstate_save_with_desc } from './vmstate/savevm';
import { vmstate_save_needed, vmstate_subsections_needed, type SubsectionStatus, type VmdescNode } from './vmstate/vmstate';


/** The device tree blob the guest was given (spapr->fdt_blob). */
export function fdtSnapshot(m: SpaprMachine): Extract<Snapshot, { kind: 'fdt' }> {
  return {
    kind: 'fdt', blob: m.fdtBlob.slice(), initialSize: m.fdtInitialSize, machineType: m.machineType,
    beforeCas: m.fdtBeforeCas ? m.fdtBeforeCas.slice() : undefined,
  };
}

/**
 * Every section a migration started now would send, with sizes and subsections' needed();
 * with `fields`, each sent section's payload and where its fields sit in it.
 */
export function vmstateSnapshot(m: SpaprMachine, opts: { fields?: boolean } = {}): Extract<Snapshot, { kind: 'vmstate' }> {
  const reg = spaprRegisterVmstate(m, new SaveVMRegistry()).registry;
  const sections: VmstateSectionInfo[] = reg.handlers.map((se) => {
    const base = { idstr: se.idstr, instanceId: se.instance_id, version: se.version_id, sectionId: se.section_id };
    if (!se.vmsd) {
      const dirty = se.idstr === 'ram' && m.ram.logDirty ? `, ${m.ram.countDirty()} dirty pages now` : '';
      const note = `live: START/PART/END${dirty}`;
      return { ...base, kind: 'live', needed: true, note, subsections: [] };
    }
    const needed = vmstate_save_needed(se.vmsd, se.opaque);
    const subs = vmstate_subsections_needed(se.vmsd, se.opaque);
    const withReasons = (l: SubsectionStatus[]): VmstateSubsectionInfo[] => l.map((s) => ({
      name: s.name, needed: s.needed, reason: subsectionReason(m, s.name, s.needed), subsections: withReasons(s.subsections),
    }));
    let size: number | undefined;
    let layout: Pick<VmstateSectionInfo, 'payload' | 'fields'> = {};
    if (needed) {
      const r = vmstate_save_with_desc(se.vmsd, se.opaque, se.idstr, se.instance_id);
      if (r.ret === 0) size = r.bytes.length;
      if (r.ret === 0 && opts.fields) layout = payloadFields(r.bytes, r.desc);
    }
    return { ...base, kind: 'full', needed, size, note: sectionNote(m, se.idstr, se.instance_id), subsections: withReasons(subs), ...layout };
  });
  return {
    kind: 'vmstate', machineType: m.machineType, sections,
    ...(opts.fields ? { insns: m.cpu.state.insnCount } : {}),
  };
}

/** A section's payload and its fields (none when the payload does not walk: a bug, not hidden). */
function payloadFields(payload: Uint8Array, desc: VmdescNode): Pick<VmstateSectionInfo, 'payload' | 'fields'> {
  try {
    const { spans } = fieldSpans(payload, desc);
    return { payload, fields: spans.map((f) => ({ key: fieldKey(f), type: f.type, offset: f.offset, size: f.size, count: f.count })) };
  } catch (e) {
    if (e instanceof FieldWalkError) return { payload, fields: [] };
    throw e;
  }
}

/**
 * Where each field of each device section sits in a migration stream: the stream's records
 * walked with its own vmdesc JSON (RAM and the htab are not described there: no fields).
 */
export function streamFieldMap(bytes: Uint8Array, direction: VmstateStreamMap['direction'], seq: number): VmstateStreamMap {
  const out: VmstateStreamMap = { direction, size: bytes.length, seq, sections: {} };
  const a = analyzeStream(bytes);
  const problems: string[] = a.error ? [a.error] : [];
  let devices: VmdescNode[] = [];
  try {
    devices = a.vmdescText ? ((JSON.parse(a.vmdescText) as { devices?: VmdescNode[] }).devices ?? []) : [];
  } catch { problems.push('the vmdesc JSON does not parse'); }
  if (!a.vmdescText) problems.push('no vmdesc in the stream');
  for (const rec of a.records) {
    if (rec.type !== 'FULL') continue;
    const desc = devices.find((d) => d.name === rec.idstr && Number(d.instance_id) === rec.instanceId);
    if (!desc) continue;
    const payload = fullPayloadStart(rec.offset, rec.idstr);
    const fields: Record<string, [number, number]> = {};
    try {
      for (const f of fieldSpans(bytes, desc, payload).spans) fields[fieldKey(f)] = [f.offset, f.size];
    } catch (e) {
      problems.push(`${rec.idstr}: ${(e as Error).message}`);
    }
    out.sections[`${rec.idstr}/${rec.instanceId}`] = { record: rec.offset, payload, fields };
  }
  if (problems.length) out.error = problems.join('; ');
  return out;
}

/** spapr->ov5 and spapr->ov5_cas by QEMU's bit names. */
export function ov5Snapshot(m: SpaprMachine): Extract<Snapshot, { kind: 'ov5' }> {
  const bits: Ov5BitInfo[] = Object.entries(OV5).map(([k, bit]) => ({
    name: `OV5_${k}`, bit, platform: testOvBit(m.ov5, bit), negotiated: testOvBit(m.ov5_cas, bit),
  }));
  const trim = (v: Uint8Array) => { let n = v.length; while (n > 0 && !v[n - 1]) n--; return [...v.subarray(0, n)]; };
  return { kind: 'ov5', machineType: m.machineType, bits, platformBytes: trim(m.ov5), negotiatedBytes: trim(m.ov5_cas) };
}

/** Registers as `info registers` needs them and a disassembly of +-`around` insns at NIP. */
export function cpuSnapshot(machine: SpaprMachine, around = 16): Extract<Snapshot, { kind: 'cpu' }> {
  const cpu = machine.cpu;
  const s = cpu.state;
  const h64 = (v: bigint) => v.toString(16).padStart(16, '0');
  const gpr: string[] = [];
  for (let i = 0; i < 32; i++) gpr.push(h64(s.getGpr(i)));
  const spr = (name: string, num: number): CpuRegister => ({ name, num, value: h64(s.getSpr(num)) });
  const sprs: CpuRegister[] = [
    spr('SRR0', SPR_SRR0), spr('SRR1', SPR_SRR1),
    { name: 'DEC', num: SPR_DECR, value: h64(BigInt.asUintN(64, BigInt(cpu.readDec()))) },
    { name: 'TB', num: 268, value: h64(BigInt(Math.max(0, Math.floor(machine.readTB())))) },
    spr('LPCR', SPR_LPCR), spr('PVR', SPR_PVR),
    spr('SPRG0', SPR_SPRG0), spr('SPRG1', SPR_SPRG1), spr('SPRG2', SPR_SPRG2), spr('SPRG3', SPR_SPRG3),
    spr('DAR', SPR_DAR), spr('DSISR', SPR_DSISR), spr('CFAR', SPR_CFAR),
    spr('HSRR0', SPR_HSRR0), spr('HSRR1', SPR_HSRR1), spr('PIR', SPR_PIR), spr('SDR1', SPR_SDR1),
    spr('VRSAVE', 256), spr('SPRG4', 276), spr('SPRG5', 277), spr('SPRG6', 278), spr('SPRG7', 279),
  ];
  const nip = s.getNip();
  const le = (s.getMsr() & 1n) !== 0n;
  const ram = machine.ram;
  const disasm: DisasmLine[] = [];
  for (let i = -around; i <= around; i++) {
    const pc = nip + BigInt(i * 4);
    if (pc < 0n) continue;
    const ea = Number(pc & 0x0fffffffffffffffn);
    let word: number | null = null;
    if (ea + 4 <= ram.size) word = ram.view.getUint32(ea, le);
    disasm.push({
      addr: h64(pc), word: word === null ? '????????' : word.toString(16).padStart(8, '0'),
      text: word === null ? '(outside RAM)' : disassemble(word, pc), current: i === 0,
    });
  }
  return {
    kind: 'cpu', cpuIndex: cpu.cpuIndex, model: cpu.model.name, halted: s.halted !== 0, insns: s.insnCount,
    cpus: machine.cores.map((k) => ({ cpuIndex: k.cpuIndex, coreId: k.coreId, halted: k.cpu.state.halted !== 0 })),
    gpr, nip: h64(nip), msr: h64(s.getMsr()), lr: h64(s.getSpr(SPR_LR)), ctr: h64(s.getSpr(SPR_CTR)),
    xer: h64(s.getSpr(SPR_XER)), reserve: h64(pair(s.reserveAddr, 0)), cr: s.getCr(), sprs, disasm,
    breakpoints: [...cpu.breakpoints].map(h64),
  };
}

/** `len` bytes of guest-physical RAM at `addr` (clipped to RAM). */
/**
 * `len` bytes of guest-physical memory from `addr`, up to the end of the RAM block holding it
 * (the machine's RAM or a plugged DIMM's); none where no block is (unassigned).
 */
export function memorySnapshot(machine: SpaprMachine, addr: number, len = 256): Extract<Snapshot, { kind: 'memory' }> {
  const ram = machine.ram;
  const blocks = ram.blocks.map((b) => ({ idstr: b.idstr, addr: b.offset, size: b.length })).sort((a, b) => a.addr - b.addr);
  const start = Math.max(0, Math.floor(addr));
  const block = blocks.find((b) => start >= b.addr && start < b.addr + b.size);
  const end = block ? Math.min(block.addr + block.size, start + Math.max(0, Math.floor(len))) : start;
  return { kind: 'memory', addr: start, bytes: ram.u8.slice(start, end), blocks };
}

const DRC_STATE_NAMES = ['', 'LOGICAL_UNUSABLE', 'LOGICAL_AVAILABLE', 'LOGICAL_UNISOLATE', 'LOGICAL_CONFIGURED',
  'PHYSICAL_AVAILABLE', 'PHYSICAL_POWERON', 'PHYSICAL_UNISOLATE', 'PHYSICAL_CONFIGURED'];

/** A remark on a FULL section: a CPU core DRC's state, which core a vCPU section belongs to. */
function sectionNote(m: SpaprMachine, idstr: string, instance: number): string | undefined {
  if (idstr === 'spapr_drc' && (instance >>> 28) === 1) {
    const d = m.drcs.get(instance);
    if (!d) return undefined;
    const core = m.cores.find((k) => k.vcpuId === d.id);
    const state = `${DRC_STATE_NAMES[d.state ?? 0] ?? d.state}`;
    if (!d.dev) return `CPU ${d.id}: empty, ${state}`;
    return `CPU ${d.id}: core-id ${core?.coreId ?? '?'}${core?.hotplugged ? ' (hot-plugged)' : ''}, ${state}${d.state === 4 ? ' (ready)' : ' (not configured by the guest yet)'}`;
  }
  // (not on `cpu`: its row sums up its subsections)
  if (instance !== 0 && ['cpu_common', 'icp/server', 'spapr_cpu'].includes(idstr)) {
    const core = m.cores.find((k) => k.cpuIndex === instance);
    if (core) return `vCPU ${core.cpuIndex} (core-id ${core.coreId}${core.hotplugged ? ', hot-plugged' : ''}${core.cpu.state.halted ? ', halted' : ''})`;
  }
  return undefined;
}

/** Why a subsection's needed() says what it says, for the vmstate panel (where easy). */
function subsectionReason(m: SpaprMachine, name: string, needed: boolean): string | undefined {
  const names = (bits: number[]) => bits.map((b) => {
    const k = Object.entries(OV5).find(([, v]) => v === b)?.[0];
    return k ? `OV5_${k}` : `bit ${b}`;
  }).join(', ');
  switch (name) {
    case 'spapr_option_vector_ov5_cas': {
      const outside = ov5BitsOutsideCasMask(m.ov5);
      return needed
        ? `platform ov5 has bits outside FORM1/DRCONF/DRMEM_V2: ${names(outside)}`
        : 'platform ov5 has no bits outside FORM1/DRCONF/DRMEM_V2';
    }
    case 'spapr_patb_entry': return `patb_entry = 0x${m.patb_entry.toString(16)}`;
    case 'spapr_dtb': return needed ? `update_dt_enabled (${m.machineType})` : `!update_dt_enabled (${m.machineType})`;
    case 'spapr_fwnmi': return `fwnmi machine_check_addr = ${m.fwnmi.machine_check_addr === -1n ? '-1 (not registered)' : '0x' + m.fwnmi.machine_check_addr.toString(16)}`;
    case 'spapr_cas_reboot':
      return needed
        ? `cas_reboot is set: CAS requested a reset the main loop has not performed yet (${m.host.resetPending ?? 'none'} pending)`
        : 'cas_reboot is clear: no CAS reboot owed';
    case 'spapr_pending_events': return `${m.pending_events.length} RTAS event(s) queued for the guest`;
    case 'spapr/cap/hpt_maxpagesize': if (needed && !m.compat.pre_4_1_migration) return 'always sent on pseries >= 4.1';
  }
  if (name.startsWith('spapr/cap/')) return needed ? 'set to a value other than the machine default' : 'machine default';
  if (name === 'cpu/compat') return `compat_pvr = 0x${m.cpu.state.compatPvr.toString(16)}`;
  if (name === 'cpu/tm') return needed ? 'MSR[TS] set' : 'MSR[TS] = 0';
  if (name === 'cpu/sr') return '64-bit MMU: no segment registers';
  return undefined;
}
