// Offline analysis of a whole migration stream, ours or QEMU's: the section list, RAM and
// HPT summaries, and the device state as QEMU's scripts/analyze-migration.py prints it.
// Every section of QEMU's pseries streams (cpu, cpu_common, timer, globalstate, ics,
// icp/server, spapr_cpu, spapr/rtc, nvram, spapr_iommu, spapr_pci, PCIBUS, spapr, vty, and the
// never-sent spapr_drc / spapr_watchdog) is decoded through our own vmstate descriptions and
// re-encoded byte for byte, then cross-checked against the stream's vmdesc; a section our
// declaration does not match is walked with the stream's trailing vmdesc JSON instead. Instance ids are read unsigned (QEMU 7.2's script reads them signed and so cannot
// find spapr_iommu 0x80000000).
//
// API
//   analyzeStream(bytes, {state?, decoders?}) → StreamAnalysis
//   formatSummary(a)  the default listing: machine, one line per section record, EOF, vmdesc, RAM
//   writeState(a, emit) `-d state` JSON (needs analyzeStream(..., {state: true})) as ASCII chunks,
//                     the final newline included: what the CLI prints
//   formatState(a)    the same text, one string per line
//   formatDesc(a)     `-d desc`: the vmdesc JSON pretty-printed
//   SectionDecoder, defaultDecoders, pseriesCompat(machine)

import { CpuState, SPR_PVR } from '../cpu/state';
import { VirtualClock } from '../clock';
import { SpaprMachine, type MachineHost } from '../spapr/machine';
import { setAnalysisMachineFactory, spaprSectionDecoders } from '../spapr/vmstate';
import { HtabMigration } from '../migration/htab';
import { vmstate_cpu_common, vmstate_ppc_cpu, type PowerPCCPUVm } from './cpu';
import { GlobalState, vmstate_globalstate } from './globalstate';
import { QEMUFileReader, latin1 } from './qemufile';
import {
  QEMU_VM_COMMAND, QEMU_VM_CONFIGURATION, QEMU_VM_EOF, QEMU_VM_FILE_MAGIC, QEMU_VM_FILE_VERSION,
  QEMU_VM_SECTION_END, QEMU_VM_SECTION_FOOTER, QEMU_VM_SECTION_FULL, QEMU_VM_SECTION_PART,
  QEMU_VM_SECTION_START, QEMU_VM_SUBSECTION, QEMU_VM_VMDESCRIPTION, SECTION_TYPE_NAMES,
  configurationState, vmstate_configuration, vmstate_save_with_desc,
} from './savevm';
import { vmstate_timers, type TimersState } from './timer';
import { ErrorLog, loadContext, qjson, vmstate_load_state, type VMStateDescription, type VmdescNode } from './vmstate';

// ---------------------------------------------------------------------------------------
// our declarations as decoders

export interface SectionDecoder<O = any> {
  idstr: string;
  vmsd: VMStateDescription<O>;
  /** A fresh opaque to load into; `machine` is the configuration's machine type name. */
  create(instance_id: number, machine: string | undefined): O;
  /** A one-line summary and warnings about the loaded state. */
  describe?(o: O, key: string): { summary?: string; warnings?: string[] };
}

/** The CPU compat properties old pseries machine types set (pre-2.8/2.10/3.0-migration). */
export function pseriesCompat(machine: string | undefined): { pre_2_8_migration: boolean; pre_2_10_migration: boolean; pre_3_0_migration: boolean } {
  const m = /^pseries-(\d+)\.(\d+)/.exec(machine ?? '');
  const v = m ? Number(m[1]) * 100 + Number(m[2]) : Infinity;
  return { pre_2_8_migration: v <= 207, pre_2_10_migration: v <= 209, pre_3_0_migration: v <= 212 };
}

const hex64 = (v: bigint) => '0x' + v.toString(16);
const POWER8_FAMILIES = [0x004b, 0x004c, 0x004d];

function cpuOpaque(instance_id: number, machine: string | undefined): PowerPCCPUVm {
  return { state: new CpuState(), pvr: 0x004d0200, preSave() {}, postLoad() {}, cpu_index: instance_id, ...pseriesCompat(machine) };
}

export const defaultDecoders: SectionDecoder[] = [
  {
    idstr: 'cpu',
    vmsd: vmstate_ppc_cpu,
    create: cpuOpaque,
    describe(o: PowerPCCPUVm, key) {
      const s = o.state;
      const pvr = s.spr[2 * SPR_PVR + 1] >>> 0;
      const warnings: string[] = [];
      if (!POWER8_FAMILIES.includes(pvr >>> 16)) {
        warnings.push(`${key}: env.spr[287] (PVR) = 0x${pvr.toString(16).padStart(8, '0')} is not a POWER8 (0x004b..., 0x004c..., 0x004d...)`);
      }
      const compat = s.compatPvr ? ` compat_pvr=0x${(s.compatPvr >>> 0).toString(16).padStart(8, '0')}` : '';
      return { summary: `nip=${hex64(s.getNip())} msr=${hex64(s.getMsr())} pvr=0x${pvr.toString(16).padStart(8, '0')}${compat}`, warnings };
    },
  },
  {
    idstr: 'cpu_common',
    vmsd: vmstate_cpu_common,
    create: cpuOpaque,
    describe: (o: PowerPCCPUVm) => ({ summary: `halted=${o.state.halted} interrupt_request=0x${(o.state.interruptRequest >>> 0).toString(16)}` }),
  },
  {
    idstr: 'timer',
    vmsd: vmstate_timers,
    create: (): TimersState => ({ cpu_ticks_offset: 0n, cpu_clock_offset: 0n }),
    describe: (t: TimersState) => ({ summary: `cpu_ticks_offset=${t.cpu_ticks_offset} cpu_clock_offset=${t.cpu_clock_offset}` }),
  },
  {
    idstr: 'globalstate',
    vmsd: vmstate_globalstate,
    create: () => new GlobalState(),
    describe: (g: GlobalState) => ({ summary: `runstate=${g.name}` }),
  },
  // the machine's devices, decoded into a small machine of the stream's type
  ...spaprSectionDecoders(),
];

setAnalysisMachineFactory((machineType) => {
  const clock = new VirtualClock(true, () => 0);
  const host: MachineHost = { clock, resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {} };
  return new SpaprMachine(host, { machineType, ramSize: 16 << 20 });
});

// ---------------------------------------------------------------------------------------
// results

export type SectionType = 'START' | 'PART' | 'END' | 'FULL';

export interface SectionRecord {
  type: SectionType;
  sectionId: number;
  idstr: string;
  instanceId: number;
  version: number;
  /** Offset of the record's type byte. */
  offset: number;
  /** The whole record, header and footer included. */
  size: number;
  payloadSize: number;
  /** How the payload was read. */
  decodedBy: 'declaration' | 'vmdesc' | 'ram' | 'htab';
  summary?: string;
  ram?: { pages: number; zeroPages: number; blocks: [string, number][] };
  htab?: { shift?: number; chunks: number; valid: number; invalid: number };
}

export interface StreamAnalysis {
  fileSize: number;
  machine?: string;
  records: SectionRecord[];
  eofOffset?: number;
  vmdescOffset?: number;
  vmdescText?: string;
  warnings: string[];
  /** A fatal problem: the walk stopped there. */
  error?: string;
  ram: { blocks: [string, number][]; pages: number; zeroPages: number };
  /**
   * analyze-migration.py's `-d state` dictionary (with {state: true}): section key -> nested
   * Maps, lists, strings and booleans. Built from the compact walk when first read (the
   * JSON writers do not need it).
   */
  state?: Map<string, unknown>;
  /** The RAM blocks' contents (with {extract: true}). */
  ramBlocks?: RamBlocks;
}

// ---------------------------------------------------------------------------------------
// walking a vmdesc description (analyze-migration.py's VMSDSection)

class WalkError extends Error {}

const HEX2 = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

const HEX_ASCII = new TextEncoder().encode('0123456789abcdef');
const asciiDecoder = new TextDecoder();

/** "xx xx ...": built as ASCII bytes and decoded once (buffers can be megabytes). */
function hexBytes(b: Uint8Array): string {
  if (b.length === 0) return '';
  const out = new Uint8Array(b.length * 3 - 1);
  for (let i = 0, o = 0; i < b.length; i++, o += 3) {
    const x = b[i];
    out[o] = HEX_ASCII[x >> 4];
    out[o + 1] = HEX_ASCII[x & 15];
    if (o + 2 < out.length) out[o + 2] = 0x20;
  }
  return asciiDecoder.decode(out);
}

const SIGNED = new Set(['int8', 'int16', 'int32', 'int32 equal', 'int32 le', 'int64', 'int64 equal', 'uint8 equal', 'uint16 equal']);
const UNSIGNED = new Set(['uint8', 'uint16', 'uint32', 'uint32 equal', 'uint64']);

/** An integer field as the script prints it: 0x<all digits>, and the signed value when negative. */
function intField(b: Uint8Array, signed: boolean): string {
  let digits = '';
  for (let i = 0; i < b.length; i++) digits += HEX2[b[i]];
  if (!signed || b.length === 0 || !(b[0] & 0x80)) return `0x${digits}`;
  return `0x${digits} (${BigInt.asIntN(b.length * 8, BigInt(`0x${digits}`))})`;
}

function readField(r: QEMUFileReader, f: VmdescNode): unknown {
  const type = String(f.type);
  const size = Number(f.size);
  if (type === 'struct') return walkStructMaps(r, f.struct as VmdescNode);
  if (type === 'capability') return r.countedString();
  if (r.remaining < size) throw new WalkError(`Unexpected end of stream at 0x${r.buf.length.toString(16)}`);
  const b = r.bytes(size);
  if (type === 'bool') return b[0] !== 0;
  if (type === 'nullptr') return 'nullptr';
  if (SIGNED.has(type)) return intField(b, true);
  if (UNSIGNED.has(type)) return intField(b, false);
  return hexBytes(b);
}

/** The general walk into Maps: any description, however odd (the compiled walk's fallback). */
function walkStructMaps(r: QEMUFileReader, desc: VmdescNode): Map<string, unknown> {
  if (!desc || !Array.isArray(desc.fields)) throw new WalkError(`No fields in struct. VMSD: ${qjson(desc)}`);
  const data = new Map<string, unknown>();
  for (const f of desc.fields as VmdescNode[]) {
    const name = String(f.name);
    // "array_len" entries are read once per element, as the script unfolds them
    const n = 'array_len' in f ? Number(f.array_len) : 1;
    for (let i = 0; i < n; i++) {
      const v = readField(r, f);
      // a repeated name (array elements, or duplicate fields) becomes a list
      if (!data.has(name)) data.set(name, v);
      else {
        const cur = data.get(name);
        if (Array.isArray(cur)) cur.push(v);
        else data.set(name, [cur, v]);
      }
    }
  }
  for (const sub of (desc.subsections as VmdescNode[] | undefined) ?? []) {
    if (r.remaining < 1 || r.u8() !== QEMU_VM_SUBSECTION) {
      throw new WalkError(`Subsection ${String(sub.vmsd_name)} not found at offset ${r.pos.toString(16)}`);
    }
    const name = r.countedString();
    r.be32();
    data.set(name, walkStructMaps(r, sub));
  }
  return data;
}

// The compiled walk. A description is turned once into a plan: its fields in stream order,
// each with a kind and the index of the key it lands under (names that repeat share a key
// and become a list), the keys' JSON heads pre-encoded. A walked struct is then one array
// of values, one per key: scalars stay in the stream (their offset), nothing is formatted
// until the JSON is written.

const K_STRUCT = 0, K_CAPABILITY = 1, K_BOOL = 2, K_NULLPTR = 3, K_SIGNED = 4, K_UNSIGNED = 5, K_BYTES = 6;

interface PlanField {
  kind: number;
  size: number;
  /** Elements read in a row (array_len, or 1). */
  n: number;
  key: number;
  /** The element description (struct fields). */
  plan?: Plan;
}

interface PlanKey {
  name: string;
  /** `"name": ` as ASCII bytes (Python's json.dumps escaping). */
  head: Uint8Array;
  /** The fields (indexes) read under this key, in order; their element counts sum to `total`. */
  parts: number[];
  total: number;
}

interface Plan {
  fields: PlanField[];
  keys: PlanKey[];
  subs: { plan: Plan; vmsdName: string }[];
}

/**
 * A struct walked with a plan. vals[k] holds key k's value: for a key read by one field, that
 * field's part; for a key several fields share, an array of their parts. A part is the
 * stream offset of its first element (scalars, elements `size` apart), the strings read
 * (capability), or the struct (n = 1) / structs (n > 1) read. `subs`: the subsections, in
 * stream order, under the names the stream gives them.
 */
class WalkedStruct {
  constructor(readonly plan: Plan, readonly bytes: Uint8Array, readonly vals: unknown[], readonly subs: [string, WalkedStruct][] | null) {}
}

/** The plan of a description; undefined when some part of it is unusual (the Map walk then reads it). */
function compilePlan(desc: VmdescNode, depth = 0): Plan | undefined {
  if (!desc || !Array.isArray(desc.fields) || depth > 64) return undefined;
  const fields: PlanField[] = [];
  const keys: PlanKey[] = [];
  const byName = new Map<string, number>();
  for (const f of desc.fields as VmdescNode[]) {
    if (!f || typeof f !== 'object') return undefined;
    const name = String(f.name);
    const type = String(f.type);
    const n = 'array_len' in f ? Number(f.array_len) : 1;
    if (!Number.isSafeInteger(n) || n < 0) return undefined;
    let kind: number;
    let size = 0;
    let plan: Plan | undefined;
    if (type === 'struct') {
      kind = K_STRUCT;
      plan = compilePlan(f.struct as VmdescNode, depth + 1);
      if (!plan) return undefined;
    } else if (type === 'capability') {
      kind = K_CAPABILITY;
    } else {
      size = Number(f.size);
      if (!Number.isSafeInteger(size) || size < 0 || size * n > 2 ** 40) return undefined;
      kind = type === 'bool' ? K_BOOL : type === 'nullptr' ? K_NULLPTR : SIGNED.has(type) ? K_SIGNED : UNSIGNED.has(type) ? K_UNSIGNED : K_BYTES;
    }
    if (n === 0) continue; // read zero times: no key
    let key = byName.get(name);
    if (key === undefined) {
      key = keys.length;
      byName.set(name, key);
      keys.push({ name, head: asciiBytes(`${pystr(name)}: `), parts: [], total: 0 });
    }
    keys[key].parts.push(fields.length);
    keys[key].total += n;
    fields.push({ kind, size, n, key, plan });
  }
  const subs: Plan['subs'] = [];
  const list = desc.subsections;
  if (list !== undefined) {
    if (!Array.isArray(list)) return undefined;
    for (const sub of list as VmdescNode[]) {
      const plan = compilePlan(sub, depth + 1);
      if (!plan) return undefined;
      subs.push({ plan, vmsdName: String(sub.vmsd_name) });
    }
  }
  return { fields, keys, subs };
}

function walkPlan(r: QEMUFileReader, plan: Plan): WalkedStruct {
  const vals: unknown[] = new Array(plan.keys.length);
  const { fields, keys } = plan;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let part: unknown;
    if (f.kind === K_STRUCT) {
      if (f.n === 1) part = walkPlan(r, f.plan!);
      else {
        const list = new Array<WalkedStruct>(f.n);
        for (let k = 0; k < f.n; k++) list[k] = walkPlan(r, f.plan!);
        part = list;
      }
    } else if (f.kind === K_CAPABILITY) {
      const list = new Array<string>(f.n);
      for (let k = 0; k < f.n; k++) list[k] = r.countedString();
      part = list;
    } else {
      if (r.remaining < f.size * f.n) throw new WalkError(`Unexpected end of stream at 0x${r.buf.length.toString(16)}`);
      part = r.pos;
      r.pos += f.size * f.n;
    }
    const key = keys[f.key];
    if (key.parts.length === 1) vals[f.key] = part;
    else ((vals[f.key] ??= []) as unknown[]).push(part);
  }
  let subs: [string, WalkedStruct][] | null = null;
  for (const sub of plan.subs) {
    if (r.remaining < 1 || r.u8() !== QEMU_VM_SUBSECTION) {
      throw new WalkError(`Subsection ${sub.vmsdName} not found at offset ${r.pos.toString(16)}`);
    }
    const name = r.countedString();
    r.be32();
    (subs ??= []).push([name, walkPlan(r, sub.plan)]);
  }
  return new WalkedStruct(plan, r.buf, vals, subs);
}

/** A section's state as analyze-migration.py builds it: compiled when the description allows. */
function walkStruct(r: QEMUFileReader, desc: VmdescNode): WalkedStruct | Map<string, unknown> {
  const plan = compilePlan(desc);
  return plan ? walkPlan(r, plan) : walkStructMaps(r, desc);
}

/** The walked sections behind an analysis's `state` (what the JSON writers read). */
const WALKED = new WeakMap<StreamAnalysis, Map<string, unknown>>();

/** `a.state` as a getter over the walked sections: their Maps are built when first read. */
function defineState(a: StreamAnalysis, walked: Map<string, unknown>): void {
  WALKED.set(a, walked);
  let maps: Map<string, unknown> | undefined;
  Object.defineProperty(a, 'state', {
    enumerable: true,
    configurable: true,
    get: () => (maps ??= new Map([...walked].map(([k, v]) => [k, v instanceof WalkedStruct ? structMap(v) : v]))),
    set: (v: Map<string, unknown> | undefined) => {
      WALKED.delete(a);
      Object.defineProperty(a, 'state', { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** A walked struct as the Map walk would have read it. */
function structMap(s: WalkedStruct): Map<string, unknown> {
  const data = new Map<string, unknown>();
  const { keys, fields } = s.plan;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const values: unknown[] = [];
    for (let q = 0; q < key.parts.length; q++) {
      const f = fields[key.parts[q]];
      const part = key.parts.length === 1 ? s.vals[k] : (s.vals[k] as unknown[])[q];
      for (let e = 0; e < f.n; e++) values.push(elementValue(s.bytes, f, part, e));
    }
    data.set(key.name, key.total === 1 ? values[0] : values);
  }
  for (const [name, sub] of s.subs ?? []) data.set(name, structMap(sub));
  return data;
}

function elementValue(b: Uint8Array, f: PlanField, part: unknown, e: number): unknown {
  switch (f.kind) {
    case K_STRUCT: return structMap(f.n === 1 ? (part as WalkedStruct) : (part as WalkedStruct[])[e]);
    case K_CAPABILITY: return (part as string[])[e];
    case K_NULLPTR: return 'nullptr';
  }
  const off = (part as number) + e * f.size;
  const v = b.subarray(off, off + f.size);
  if (f.kind === K_BOOL) return v[0] !== 0;
  if (f.kind === K_SIGNED || f.kind === K_UNSIGNED) return intField(v, f.kind === K_SIGNED);
  return hexBytes(v);
}

// ---------------------------------------------------------------------------------------
// RAM records (no guest memory: counts only)

const RAM_FLAG_ZERO = 0x02, RAM_FLAG_MEM_SIZE = 0x04, RAM_FLAG_PAGE = 0x08, RAM_FLAG_EOS = 0x10;
const RAM_FLAG_CONTINUE = 0x20, RAM_FLAG_MULTIFD_FLUSH = 0x200;

/** RAM block contents rebuilt from the stream (analyze-migration.py -x). */
export type RamBlocks = Map<string, Uint8Array>;

/** Blocks larger than this are not rebuilt in memory (a corrupt length must not exhaust it). */
const EXTRACT_MAX_BLOCK = 2 ** 32;

/** The block a RAM_SAVE_FLAG_CONTINUE page belongs to: the last one named, across sections. */
interface RamWalk { block: string }

function walkRam(r: QEMUFileReader, version: number, rec: NonNullable<SectionRecord['ram']>, walk: RamWalk, sink?: RamBlocks): void {
  if (version !== 4) throw new WalkError(`Unknown RAM version ${version}`);
  for (;;) {
    if (r.remaining < 8) throw new WalkError('Unexpected end of stream in the ram section');
    const [hi, lo] = r.be64Words();
    let flags = lo & 0xfff;
    if (flags & RAM_FLAG_MEM_SIZE) {
      let total = (BigInt(hi) << 32n) | BigInt((lo & ~0xfff) >>> 0);
      while (total > 0n) {
        const name = r.countedString();
        const len = r.be64();
        if (r.error) throw new WalkError('Unexpected end of stream in the ram block list');
        rec.blocks.push([name, Number(len)]);
        if (sink) {
          if (len > BigInt(EXTRACT_MAX_BLOCK)) throw new WalkError(`RAM block '${name}' of 0x${len.toString(16)} bytes is too large to extract`);
          sink.set(name, new Uint8Array(Number(len)));
        }
        total -= len;
      }
      flags &= ~RAM_FLAG_MEM_SIZE;
    }
    const addr = (hi * 2 ** 32) + ((lo & ~0xfff) >>> 0);
    if (flags & RAM_FLAG_ZERO) {
      if (flags & RAM_FLAG_CONTINUE) flags &= ~RAM_FLAG_CONTINUE;
      else walk.block = r.countedString();
      const fill = r.u8();
      if (sink && fill) sink.get(walk.block)?.fill(fill, addr, addr + 4096);
      rec.zeroPages++;
      flags &= ~RAM_FLAG_ZERO;
    } else if (flags & RAM_FLAG_PAGE) {
      if (flags & RAM_FLAG_CONTINUE) flags &= ~RAM_FLAG_CONTINUE;
      else walk.block = r.countedString();
      if (sink) {
        const dst = sink.get(walk.block);
        const page = r.bytes(4096);
        if (dst && addr + 4096 <= dst.length) dst.set(page, addr);
      } else {
        r.skip(4096);
      }
      rec.pages++;
      flags &= ~RAM_FLAG_PAGE;
    } else if (flags & 0x40) {
      throw new WalkError('XBZRLE RAM compression is not supported yet');
    } else if (flags & 0x80) {
      throw new WalkError("RAM hooks don't make sense with files");
    }
    if (flags & RAM_FLAG_MULTIFD_FLUSH) continue;
    if (flags & RAM_FLAG_EOS) return;
    if (flags !== 0) throw new WalkError(`Unknown RAM flags: ${flags.toString(16)}`);
  }
}

// ---------------------------------------------------------------------------------------

/** Where the vmdesc starts: 0x06, be32 len, JSON that ends the file. */
function findVmdesc(b: Uint8Array): number | undefined {
  const n = b.length;
  for (let p = n - 6; p >= 0; p--) {
    if (b[p] !== QEMU_VM_VMDESCRIPTION || b[p + 5] !== 0x7b) continue;
    const len = ((b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]) >>> 0;
    if (p + 5 + len === n) return p;
  }
  return undefined;
}

function describeInstance(id: number): string {
  return id >= 0x80000000 ? `0x${id.toString(16)}` : String(id);
}

export interface AnalyzeOptions {
  /** Build the `-d state` dictionary. */
  state?: boolean;
  decoders?: SectionDecoder[];
  /** Rebuild the RAM blocks' contents (analyze-migration.py -x) into `ramBlocks`. */
  extract?: boolean;
}

export function analyzeStream(bytes: Uint8Array, opts: AnalyzeOptions = {}): StreamAnalysis {
  const a: StreamAnalysis = { fileSize: bytes.length, records: [], warnings: [], ram: { blocks: [], pages: 0, zeroPages: 0 } };
  const ramWalk: RamWalk = { block: '' };
  const state = opts.state ? new Map<string, unknown>() : undefined;
  if (state) defineState(a, state);
  const decoders = opts.decoders ?? defaultDecoders;

  let vmdesc: { devices?: VmdescNode[] } | undefined;
  const vd = findVmdesc(bytes);
  if (vd !== undefined) {
    a.vmdescOffset = vd;
    a.vmdescText = new TextDecoder().decode(bytes.subarray(vd + 5));
    try {
      vmdesc = JSON.parse(a.vmdescText);
    } catch (e) {
      a.warnings.push(`the vmdesc JSON does not parse: ${(e as Error).message}`);
    }
  }
  const descFor = (idstr: string, inst: number): VmdescNode | undefined =>
    vmdesc?.devices?.find((d) => d.name === idstr && Number(d.instance_id) === inst);

  const r = new QEMUFileReader(bytes);
  r.eof = true;
  const started = new Map<number, { idstr: string; instanceId: number; version: number; htab?: HtabMigration }>();
  let last: SectionRecord | undefined;

  try {
    if (r.be32() !== QEMU_VM_FILE_MAGIC) throw new WalkError('Not a migration stream (bad magic)');
    const version = r.be32();
    if (version !== QEMU_VM_FILE_VERSION) throw new WalkError(`Invalid version number ${version}`);
    for (;;) {
      if (r.remaining < 1) throw new WalkError(`Unexpected end of stream at 0x${r.pos.toString(16)} (no EOF)`);
      const offset = r.pos;
      const type = r.u8();
      if (type === QEMU_VM_EOF) {
        a.eofOffset = offset;
        break;
      }
      if (type === QEMU_VM_CONFIGURATION) {
        const cfg = configurationState('', false);
        const ctx = loadContext();
        const ret = vmstate_load_state(r, vmstate_configuration, cfg, 0, ctx);
        if (ret < 0 || r.error) throw new WalkError(`bad configuration section: ${ctx.errors.lines.join('; ')}`);
        a.machine = latin1(cfg.name.subarray(0, cfg.len));
        continue;
      }
      if (type === QEMU_VM_SECTION_FOOTER) {
        const id = r.be32();
        if (!last || id !== last.sectionId) {
          throw new WalkError(`Mismatched section footer: ${id.toString(16)} vs ${last ? last.sectionId.toString(16) : 'none'}`);
        }
        last.size = r.pos - last.offset;
        continue;
      }
      if (type === QEMU_VM_COMMAND) {
        r.be16();
        const len = r.be16();
        r.skip(len);
        continue;
      }
      const tname = SECTION_TYPE_NAMES[type] as SectionType | undefined;
      if (!tname) throw new WalkError(`Unknown section type: ${type} at 0x${offset.toString(16)}`);
      const sectionId = r.be32();
      let info = started.get(sectionId);
      if (type === QEMU_VM_SECTION_START || type === QEMU_VM_SECTION_FULL) {
        const idstr = r.countedString();
        const instanceId = r.be32();
        const ver = r.be32();
        info = { idstr, instanceId, version: ver };
        started.set(sectionId, info);
      } else if (!info) {
        throw new WalkError(`Unknown section id ${sectionId} at 0x${offset.toString(16)}`);
      }
      if (r.error) throw new WalkError(`Unexpected end of stream at 0x${offset.toString(16)}`);
      const rec: SectionRecord = {
        type: tname, sectionId, idstr: info.idstr, instanceId: info.instanceId, version: info.version,
        offset, size: 0, payloadSize: 0, decodedBy: 'vmdesc',
      };
      const payloadStart = r.pos;
      const key = `${info.idstr} (${sectionId})`;
      if (info.idstr === 'ram' && info.instanceId === 0) {
        rec.decodedBy = 'ram';
        rec.ram = { pages: 0, zeroPages: 0, blocks: [] };
        if (opts.extract && !a.ramBlocks) a.ramBlocks = new Map();
        walkRam(r, info.version, rec.ram, ramWalk, a.ramBlocks);
        a.ram.pages += rec.ram.pages;
        a.ram.zeroPages += rec.ram.zeroPages;
        a.ram.blocks.push(...rec.ram.blocks);
        rec.summary = rec.ram.blocks.length
          ? 'blocks ' + rec.ram.blocks.map(([n, l]) => `${n} 0x${l.toString(16)}`).join(', ')
          : `pages=${rec.ram.pages} zero=${rec.ram.zeroPages}`;
        if (state && !state.has(key)) {
          state.set(key, new Map([['section sizes', new Map<string, unknown>()]]));
        }
        if (state) {
          const sizes = (state.get(key) as Map<string, Map<string, unknown>>).get('section sizes')!;
          for (const [n, l] of rec.ram.blocks) sizes.set(n, '0x' + l.toString(16).padStart(16, '0'));
        }
      } else if (info.idstr === 'spapr/htab' && info.instanceId === 0) {
        rec.decodedBy = 'htab';
        info.htab ??= new HtabMigration({ htabShift: 0 });
        const h = info.htab;
        const before = { ...h.loaded };
        const errors = new ErrorLog();
        const ret = h.load_state(r, info.version, errors);
        if (ret < 0) throw new WalkError(errors.lines.join('; ') || `htab section error ${ret}`);
        rec.htab = {
          shift: type === QEMU_VM_SECTION_START ? h.htabShift : undefined,
          chunks: h.loaded.chunks - before.chunks, valid: h.loaded.valid - before.valid, invalid: h.loaded.invalid - before.invalid,
        };
        rec.summary = type === QEMU_VM_SECTION_START
          ? (h.htabShift ? `htab_shift=${h.htabShift}` : 'no HPT')
          : `chunks=${rec.htab.chunks} valid=${rec.htab.valid} invalid=${rec.htab.invalid}`;
        if (state && !state.has(key)) state.set(key, '');
      } else if (type === QEMU_VM_SECTION_FULL) {
        readFull(r, rec, info, key);
      } else {
        throw new WalkError(`no reader for live section '${info.idstr}'`);
      }
      rec.payloadSize = r.pos - payloadStart;
      rec.size = r.pos - offset;
      a.records.push(rec);
      last = rec;
    }
    // the vmdesc (or whatever follows EOF)
    if (r.remaining > 0) {
      const at = r.pos;
      if (r.u8() !== QEMU_VM_VMDESCRIPTION) a.warnings.push(`Expected vmdescription section at 0x${at.toString(16)}`);
      else if (a.vmdescOffset !== at) a.warnings.push(`the vmdesc at 0x${at.toString(16)} does not end the file`);
    }
  } catch (e) {
    a.error = e instanceof Error ? e.message : String(e);
  }
  return a;

  function readFull(rr: QEMUFileReader, rec: SectionRecord, info: { idstr: string; instanceId: number; version: number }, key: string): void {
    const start = rr.pos;
    const dec = decoders.find((d) => d.idstr === info.idstr);
    let desc: VmdescNode | undefined;
    if (dec) {
      const o = dec.create(info.instanceId, a.machine);
      const ctx = loadContext(new ErrorLog());
      const ret = vmstate_load_state(rr, dec.vmsd, o, info.version, ctx);
      if (rr.error && !descFor(info.idstr, info.instanceId)) {
        throw new WalkError(`Unexpected end of stream in section '${info.idstr}' at 0x${rr.pos.toString(16)}`);
      }
      const consumed = bytes.subarray(start, rr.pos);
      const again = vmstate_save_with_desc(dec.vmsd, o, info.idstr, info.instanceId);
      if (!rr.error && again.ret === 0 && equalBytes(again.bytes, consumed) && info.version === dec.vmsd.version_id) {
        rec.decodedBy = 'declaration';
        desc = again.desc;
        const d = dec.describe?.(o, key);
        rec.summary = d?.summary;
        for (const w of d?.warnings ?? []) a.warnings.push(w);
        if (ret < 0) {
          a.warnings.push(`${key}: loading it here would fail (${[...ctx.errors.lines, `ret ${ret}`].join('; ')})`);
        }
        const theirs = descFor(info.idstr, info.instanceId);
        if (theirs && qjson(theirs) !== qjson(desc)) a.warnings.push(`${key}: the stream's vmdesc differs from our declaration`);
      } else {
        a.warnings.push(`${key}: our '${info.idstr}' declaration does not match this section; read with the stream's vmdesc`);
        rr.pos = start;
        rr.error = 0;
      }
    }
    if (!desc) {
      desc = descFor(info.idstr, info.instanceId);
      if (!desc) throw new WalkError(`no vmdesc entry for section '${info.idstr}' instance ${describeInstance(info.instanceId)}`);
      rr.pos = start;
      if (!state) walkStruct(rr, desc);
    }
    if (state) {
      rr.pos = start;
      state.set(key, walkStruct(rr, desc));
    }
  }
}

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// output

export function formatSummary(a: StreamAnalysis): string[] {
  const out: string[] = [];
  out.push(`configuration: machine '${a.machine ?? '(none)'}'`);
  for (const rec of a.records) {
    const head = `${rec.type.padEnd(5)} id=${String(rec.sectionId).padEnd(5)} ${`'${rec.idstr}'`.padEnd(30)} instance=${describeInstance(rec.instanceId).padEnd(10)} v${String(rec.version).padEnd(2)}`;
    out.push(`${head} size=${rec.size} payload=${rec.payloadSize} [${rec.decodedBy}]${rec.summary ? ' ' + rec.summary : ''}`);
  }
  if (a.eofOffset !== undefined) out.push(`EOF at 0x${a.eofOffset.toString(16)}`);
  if (a.vmdescOffset !== undefined) out.push(`VMDESCRIPTION at 0x${a.vmdescOffset.toString(16)} len=${a.fileSize - a.vmdescOffset - 5}`);
  if (a.ram.blocks.length || a.ram.pages || a.ram.zeroPages) {
    const blocks = a.ram.blocks.map(([n, l]) => `${n} 0x${l.toString(16)}`).join(', ');
    out.push(`ram: ${a.ram.pages + a.ram.zeroPages} page records (${a.ram.pages} pages, ${a.ram.zeroPages} zero pages); blocks: ${blocks}`);
  }
  for (const w of a.warnings) out.push(`warning: ${w}`);
  if (a.error) out.push(`error: ${a.error}`);
  return out;
}

/** Printable ASCII without quote or backslash: the string is its own JSON. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function pystr(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => (c === '\u007f' ? c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
}

/** An ASCII string's bytes. */
function asciiBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

const HEX_HI = new Uint8Array(256), HEX_LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) { HEX_HI[i] = HEX_ASCII[i >> 4]; HEX_LO[i] = HEX_ASCII[i & 15]; }
const CHUNK = 1 << 16;
const C_NL = 0x0a, C_SP = 0x20, C_QUOTE = 0x22, C_COMMA = 0x2c, C_COLON = 0x3a;
const TRUE = asciiBytes('true'), FALSE = asciiBytes('false'), NULL = asciiBytes('null'), NULLPTR = asciiBytes('"nullptr"');

/**
 * Python's json.dumps(indent=4, separators=(',', ': '), ensure_ascii=True) of analyze's
 * values, written as ASCII bytes in chunks of CHUNK bytes: Maps, arrays, strings, booleans,
 * numbers and walked structs (whose scalars are formatted straight from the stream).
 */
class PyJsonWriter {
  private buf = new Uint8Array(CHUNK);
  private p = 0;

  constructor(private readonly emit: (chunk: Uint8Array) => void) {}

  private room(n: number): void {
    if (this.p + n <= this.buf.length) return;
    this.flushChunk();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  private flushChunk(): void {
    if (this.p === 0) return;
    this.emit(this.buf.subarray(0, this.p));
    this.buf = new Uint8Array(Math.max(CHUNK, this.buf.length));
    this.p = 0;
  }

  end(): void {
    this.room(1);
    this.buf[this.p++] = C_NL;
    this.flushChunk();
  }

  raw(b: Uint8Array): void {
    if (b.length > CHUNK) {
      this.flushChunk();
      for (let i = 0; i < b.length; i += CHUNK) this.raw(b.subarray(i, i + CHUNK));
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.p);
    this.p += b.length;
  }

  /** An ASCII string (pystr output), in pieces when long. */
  ascii(s: string): void {
    for (let i = 0; i < s.length; i += CHUNK) {
      const end = Math.min(s.length, i + CHUNK);
      this.room(end - i);
      const buf = this.buf;
      let p = this.p;
      for (let k = i; k < end; k++) buf[p++] = s.charCodeAt(k);
      this.p = p;
    }
  }

  /** A newline and `depth` levels of indentation. */
  newline(depth: number): void {
    const n = depth * 4 + 1;
    this.room(n);
    const buf = this.buf;
    let p = this.p;
    buf[p++] = C_NL;
    buf.fill(C_SP, p, p + n - 1);
    this.p = p + n - 1;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.p++] = c;
  }

  value(v: unknown, depth: number): void {
    if (v instanceof WalkedStruct) this.struct(v, depth);
    else if (v instanceof Map) {
      if (v.size === 0) { this.ascii('{}'); return; }
      this.byte(0x7b);
      let i = 0;
      for (const [k, x] of v) {
        if (i++) this.byte(C_COMMA);
        this.newline(depth + 1);
        this.ascii(pystr(String(k)));
        this.ascii(': ');
        this.value(x, depth + 1);
      }
      this.newline(depth);
      this.byte(0x7d);
    } else if (Array.isArray(v)) {
      if (v.length === 0) { this.ascii('[]'); return; }
      this.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i) this.byte(C_COMMA);
        this.newline(depth + 1);
        this.value(v[i], depth + 1);
      }
      this.newline(depth);
      this.byte(0x5d);
    } else if (typeof v === 'boolean') this.raw(v ? TRUE : FALSE);
    else if (typeof v === 'number') this.ascii(String(v));
    else if (v === null || v === undefined) this.raw(NULL);
    else this.ascii(pystr(String(v)));
  }

  private struct(s: WalkedStruct, depth: number): void {
    const { keys, fields } = s.plan;
    const subs = s.subs;
    if (keys.length === 0 && !subs) { this.ascii('{}'); return; }
    this.byte(0x7b);
    let first = true;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (first) first = false;
      else this.byte(C_COMMA);
      this.newline(depth + 1);
      this.raw(key.head);
      // a subsection of the same name replaces the value, in place (a dict's assignment)
      const sub = subs ? lastSub(subs, key.name) : undefined;
      if (sub) { this.struct(sub, depth + 1); continue; }
      const v = s.vals[k];
      if (key.total === 1) {
        // one field, one element
        const f = fields[key.parts[0]];
        this.element(s.bytes, f, v, 0, depth + 1);
        continue;
      }
      this.byte(0x5b);
      let firstElem = true;
      for (let q = 0; q < key.parts.length; q++) {
        const f = fields[key.parts[q]];
        const part = key.parts.length === 1 ? v : (v as unknown[])[q];
        if (f.kind >= K_BOOL && f.n > 1) {
          if (!firstElem) this.byte(C_COMMA);
          firstElem = false;
          this.scalarRun(s.bytes, f, part as number, depth + 2);
          continue;
        }
        for (let e = 0; e < f.n; e++) {
          if (firstElem) firstElem = false;
          else this.byte(C_COMMA);
          this.newline(depth + 2);
          this.element(s.bytes, f, part, e, depth + 2);
        }
      }
      this.newline(depth + 1);
      this.byte(0x5d);
    }
    if (subs) {
      for (let i = 0; i < subs.length; i++) {
        const [name] = subs[i];
        if (keys.some((k) => k.name === name)) continue;
        let seen = false;
        for (let j = 0; j < i; j++) if (subs[j][0] === name) { seen = true; break; }
        if (seen) continue;
        if (first) first = false;
        else this.byte(C_COMMA);
        this.newline(depth + 1);
        this.ascii(pystr(name));
        this.ascii(': ');
        this.struct(lastSub(subs, name)!, depth + 1);
      }
    }
    this.newline(depth);
    this.byte(0x7d);
  }

  /** Element e of a part. */
  private element(b: Uint8Array, f: PlanField, part: unknown, e: number, depth: number): void {
    switch (f.kind) {
      case K_STRUCT: this.struct(f.n === 1 ? (part as WalkedStruct) : (part as WalkedStruct[])[e], depth); return;
      case K_CAPABILITY: this.ascii(pystr((part as string[])[e])); return;
      case K_BOOL: {
        const off = (part as number) + e * f.size;
        // a bool of no bytes prints true, as the Map walk's b[0] !== 0 does
        this.raw(f.size === 0 || b[off] !== 0 ? TRUE : FALSE);
        return;
      }
      case K_NULLPTR: this.raw(NULLPTR); return;
      case K_SIGNED: case K_UNSIGNED: this.intAt(b, (part as number) + e * f.size, f.size, f.kind === K_SIGNED); return;
      default: this.bytesAt(b, (part as number) + e * f.size, f.size);
    }
  }

  /** The f.n scalar elements from `off`, each on its own line (the list's brackets excluded). */
  private scalarRun(b: Uint8Array, f: PlanField, off: number, depth: number): void {
    const size = f.size;
    if (f.kind === K_UNSIGNED || (f.kind === K_SIGNED && !hasNegative(b, off, size, f.n))) {
      // the common case, written in one loop: `\n<indent>"0x<digits>",`
      const line = 1 + depth * 4 + 4 + 2 * size;
      for (let e = 0; e < f.n; e++) {
        this.room(line + 1);
        const buf = this.buf;
        let p = this.p;
        if (e) buf[p++] = C_COMMA;
        buf[p++] = C_NL;
        for (let i = depth * 4; i > 0; i--) buf[p++] = C_SP;
        buf[p++] = C_QUOTE; buf[p++] = 0x30; buf[p++] = 0x78;
        for (let i = off, end = off + size; i < end; i++) { const x = b[i]; buf[p++] = HEX_HI[x]; buf[p++] = HEX_LO[x]; }
        buf[p++] = C_QUOTE;
        this.p = p;
        off += size;
      }
      return;
    }
    for (let e = 0; e < f.n; e++) {
      if (e) this.byte(C_COMMA);
      this.newline(depth);
      this.element(b, f, off, e, depth);
    }
  }

  /** "0x<digits>", and " (<signed value>)" inside the quotes when signed and negative. */
  private intAt(b: Uint8Array, off: number, size: number, signed: boolean): void {
    this.room(4 + 2 * size);
    const buf = this.buf;
    let p = this.p;
    buf[p++] = C_QUOTE; buf[p++] = 0x30; buf[p++] = 0x78;
    for (let i = off, end = off + size; i < end; i++) { const x = b[i]; buf[p++] = HEX_HI[x]; buf[p++] = HEX_LO[x]; }
    if (signed && size > 0 && b[off] & 0x80) {
      this.p = p;
      let digits = '';
      for (let i = off; i < off + size; i++) digits += HEX2[b[i]];
      this.ascii(` (${BigInt.asIntN(size * 8, BigInt(`0x${digits}`))})`);
      this.byte(C_QUOTE);
      return;
    }
    buf[p++] = C_QUOTE;
    this.p = p;
  }

  /** "xx xx ...". */
  private bytesAt(b: Uint8Array, off: number, size: number): void {
    this.byte(C_QUOTE);
    for (let i = 0; i < size; i += 4096) {
      const end = Math.min(size, i + 4096);
      this.room(3 * (end - i));
      const buf = this.buf;
      let p = this.p;
      for (let k = i; k < end; k++) {
        if (k) buf[p++] = C_SP;
        const x = b[off + k];
        buf[p++] = HEX_HI[x];
        buf[p++] = HEX_LO[x];
      }
      this.p = p;
    }
    this.byte(C_QUOTE);
  }
}

function lastSub(subs: [string, WalkedStruct][], name: string): WalkedStruct | undefined {
  for (let i = subs.length - 1; i >= 0; i--) if (subs[i][0] === name) return subs[i][1];
  return undefined;
}

/** Whether any of n signed big-endian elements of `size` bytes from `off` is negative. */
function hasNegative(b: Uint8Array, off: number, size: number, n: number): boolean {
  if (size === 0) return false;
  for (let e = 0; e < n; e++, off += size) if (b[off] & 0x80) return true;
  return false;
}

/** `v` as Python's json.dumps(indent=4) text followed by a newline, in chunks to `emit`. */
function writePyJson(v: unknown, emit: (chunk: Uint8Array) => void): void {
  const w = new PyJsonWriter(emit);
  w.value(v, 0);
  w.end();
}

function linesOf(v: unknown): string[] {
  const chunks: Uint8Array[] = [];
  writePyJson(v, (c) => chunks.push(c));
  let text = '';
  for (const c of chunks) text += asciiDecoder.decode(c);
  return text.slice(0, -1).split('\n');
}

/**
 * The `-d state` JSON as analyze-migration.py prints it (with its final newline), written
 * as ASCII chunks of at most 64 KiB to `emit` (each chunk is emit's to keep).
 */
export function writeState(a: StreamAnalysis, emit: (chunk: Uint8Array) => void): void {
  writePyJson(WALKED.get(a) ?? a.state ?? new Map(), emit);
}

/** writeState's text as lines. */
export function formatState(a: StreamAnalysis): string[] {
  return linesOf(WALKED.get(a) ?? a.state ?? new Map());
}

export function formatDesc(a: StreamAnalysis): string[] {
  if (a.vmdescText === undefined) return [];
  return linesOf(toMaps(JSON.parse(a.vmdescText)));
}

function toMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toMaps);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toMaps(x)]));
  return v;
}
