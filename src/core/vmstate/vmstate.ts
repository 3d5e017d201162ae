// The vmstate interpreter: QEMU's VMStateDescription as TypeScript data, with the same wire
// encoding, the same vmdesc JSON and the same load errors as migration/vmstate.c and
// vmstate-types.c (QEMU 7.2).
//
// A device declares its migrated state as a table:
//
//   const vmstate_foo: VMStateDescription<Foo> = {
//     name: 'foo', version_id: 2, minimum_version_id: 1,
//     fields: [
//       VMSTATE_UINT32_EQUAL('nr_irqs', (o) => o.nrIrqs),
//       VMSTATE_UINT64('env.nip', hiLo((o) => o.nip)),
//       VMSTATE_UINT64_ARRAY('env.gpr', 32, hiLo((o) => o.gpr)),
//       VMSTATE_UNUSED(8),
//       VMSTATE_STRUCT('tb', vmstate_ppc_timebase, (o) => o.tb),
//       VMSTATE_BUFFER('buf', 16, (o) => o.buf),
//     ],
//     subsections: [vmstate_foo_bar],
//   };
//
// API
//   VMStateDescription<O>, VMStateField<O>, VMStateInfo, Accessor<O, V>, FieldOpts<O>
//   builders      VMSTATE_BOOL/INT8/INT16/INT32/INT64/UINT8/UINT16/UINT32/UINT64/UINTTL (+ _ARRAY),
//                 VMSTATE_*_EQUAL, VMSTATE_INT32_POSITIVE_LE, VMSTATE_BUFFER, VMSTATE_VBUFFER,
//                 VMSTATE_UNUSED(_V/_TEST), VMSTATE_BITMAP, VMSTATE_STRUCT(_ARRAY/_VARRAY),
//                 VMSTATE_VARRAY (variable-length arrays), VMSTATE_SINGLE / VMSTATE_ARRAY (custom info)
//   accessors     hiLo (u64 in hi/lo Int32Array pairs), elems (typed-array elements), bytes
//                 (Uint8Array contents), prop (object property), fn (getter + setter), constant
//   infos         vmstate_info_* (QEMU's VMStateInfo names), vmstate_info_words (custom raw
//                 types such as "avr" or "slbe"), vmstate_info_named (a standard codec under
//                 another type name)
//   vmstate_save_state(w, vmsd, o, vmdesc?, errors?) / vmstate_load_state(r, vmsd, o, version, ctx)
//   vmstate_dry_run(r, vmsd, o, version)   parse without effects (NeedMoreData if incomplete)
//   vmstate_save_needed(vmsd, o), vmstate_subsections_needed(vmsd, o) (the "pending" view)
//   vmstate_assign(ctx, field, o, i, v)    how a custom VMStateInfo.get stores a value
//   ErrorLog (error_report lines), VMStateError (throw from a hook), LoadContext, loadContext()
//   qjson() (QEMU's compact JSON), errno values and strerror()
//
// Values at this layer: 8..32-bit integers are numbers, 64-bit integers BigInts, booleans
// booleans, buffers Uint8Arrays, bitmaps Uint32Arrays (bit i = word i>>5, bit i&31).

import { QEMUFileReader, QEMUFileWriter, latin1 } from './qemufile';

// ---------------------------------------------------------------------------------------
// errno and the loader's error lines

export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const ENOMEM = 12;
export const EINVAL = 22;
export const ERANGE = 34;
export const ENOTSUP = 95;

const STRERROR: Record<number, string> = {
  [EPERM]: 'Operation not permitted',
  [ENOENT]: 'No such file or directory',
  [EIO]: 'Input/output error',
  [ENOMEM]: 'Cannot allocate memory',
  [EINVAL]: 'Invalid argument',
  [ERANGE]: 'Numerical result out of range',
  [ENOTSUP]: 'Operation not supported',
};

/** glibc's strerror() text for a positive errno. */
export function strerror(errno: number): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

/**
 * The lines QEMU would print while loading. `report` lines come from error_report() and get
 * the program prefix when printed ("qemu-system-ppc64: "); the others (a field's err_hint,
 * printed by error_printf) do not.
 */
export class ErrorLog {
  readonly entries: { text: string; report: boolean }[] = [];
  report(text: string): void { this.entries.push({ text, report: true }); }
  printf(text: string): void { this.entries.push({ text, report: false }); }
  /** The texts, without any prefix. */
  get lines(): string[] { return this.entries.map((e) => e.text); }
  /** The lines as QEMU prints them, `prefix` before each error_report line. */
  format(prefix = 'qemu-system-ppc64: '): string[] {
    return this.entries.map((e) => (e.report ? prefix + e.text : e.text));
  }
}

/** Throw from a pre_load/post_load/pre_save hook: `ret` is a negative errno; `lines` go to the log. */
export class VMStateError extends Error {
  constructor(readonly ret: number, readonly lines: string[] = []) {
    super(lines.join('; ') || strerror(-ret));
    this.name = 'VMStateError';
  }
}

// ---------------------------------------------------------------------------------------
// declarations

export interface Accessor<O, V> {
  get(o: O, i: number): V;
  set(o: O, i: number, v: V): void;
  /** prop(): the property read (lets the saver read it without calling get). */
  readonly key?: PropertyKey;
}

export interface LoadContext {
  errors: ErrorLog;
  /**
   * Parse only: hooks are not run, _EQUAL values are not compared, nothing is reported,
   * and every field set is recorded in `undo` so the caller can restore the opaque.
   */
  dry: boolean;
  undo: (() => void)[];
}

/** A wire type (QEMU's VMStateInfo). `name` is what the vmdesc JSON shows as "type". */
export interface VMStateInfo {
  name: string;
  /** Read element i of `field` into `o`; 0 or a negative errno. Use vmstate_assign() to set. */
  get(r: QEMUFileReader, o: any, field: VMStateField<any>, i: number, ctx: LoadContext): number;
  /**
   * Write element i of `field` from `o`; nothing or 0 for success, a negative errno otherwise.
   * `vmdesc` is the field's vmdesc entry when one is being written (QEMU hands its JSON writer
   * to put: a QTAILQ describes its element struct there).
   */
  put(w: QEMUFileWriter, o: any, field: VMStateField<any>, i: number, vmdesc?: VmdescNode | null): number | void;
  /**
   * Optional whole-array codecs for large arrays (e.g. a TCE table): used instead of n calls
   * of get/put when the field is an array. Same wire bytes, same vmdesc (one entry with
   * array_len and the element size).
   */
  getArray?(r: QEMUFileReader, o: any, field: VMStateField<any>, n: number, ctx: LoadContext): number;
  putArray?(w: QEMUFileWriter, o: any, field: VMStateField<any>, n: number): number | void;
  /** The standard integer codecs (and their _EQUAL forms): bytes written by put. */
  readonly intBytes?: 1 | 2 | 4 | 8;
}

export interface VMStateField<O = any> {
  name: string;
  /** The codec; absent for struct fields. */
  info?: VMStateInfo;
  /** Struct fields: the nested description and the element's opaque. */
  vmsd?: VMStateDescription<any>;
  elem?: (o: O, i: number) => unknown;
  /** Element access for info-coded fields. */
  acc?: Accessor<O, any>;
  /** Element size in bytes (bitmaps: size in bits); a function for VMSTATE_VBUFFER. */
  size: number | ((o: O) => number);
  /** Array length (a function for variable-length arrays); undefined for a single element. */
  num?: number | ((o: O) => number);
  /** Present when the stream version is >= this (unless field_exists decides). */
  version_id: number;
  field_exists?: (o: O, version_id: number) => boolean;
  /** Printed (without prefix) after an _EQUAL mismatch. */
  err_hint?: string;
}

export interface VMStateDescription<O = any> {
  name: string;
  version_id: number;
  minimum_version_id: number;
  fields: VMStateField<O>[];
  subsections?: VMStateDescription<O>[];
  /** Absent = always sent. */
  needed?(o: O): boolean;
  /**
   * Whether this build declares the subsection at all (a release profile or an unmerged
   * patch): an undeclared one is never sent and is unknown to the loader. Absent = declared.
   */
  exists?(o: O): boolean;
  /** Hooks return nothing/0, a negative errno, or throw VMStateError. */
  pre_save?(o: O): number | void;
  post_save?(o: O): number | void;
  pre_load?(o: O): number | void;
  post_load?(o: O, version_id: number): number | void;
}

export interface FieldOpts<O> {
  version_id?: number;
  field_exists?: (o: O, version_id: number) => boolean;
  err_hint?: string;
}

// ---------------------------------------------------------------------------------------
// accessors

type NumArray = { [i: number]: number; length: number };

/** u64 element i of a hi/lo Int32Array (element 2k = high word), from element `base`. */
export function hiLo<O>(sel: (o: O) => Int32Array, base = 0): Accessor<O, bigint> {
  return {
    get(o, i) {
      const a = sel(o), k = 2 * (base + i);
      return (BigInt(a[k] >>> 0) << 32n) | BigInt(a[k + 1] >>> 0);
    },
    set(o, i, v) {
      const a = sel(o), k = 2 * (base + i);
      const u = BigInt.asUintN(64, v);
      a[k] = Number(u >> 32n) | 0;
      a[k + 1] = Number(u & 0xffffffffn) | 0;
    },
  };
}

/** Element base+i of a typed array (or number array). */
export function elems<O>(sel: (o: O) => NumArray, base = 0): Accessor<O, number> {
  return {
    get: (o, i) => sel(o)[base + i],
    set: (o, i, v) => { sel(o)[base + i] = v; },
  };
}

/** The contents of a Uint8Array (loading copies into it). */
export function bytes<O>(sel: (o: O) => Uint8Array): Accessor<O, Uint8Array> {
  return {
    get: (o) => sel(o),
    set: (o, _i, v) => { sel(o).set(v); },
  };
}

/** A property of the opaque. */
export function prop<O, K extends keyof O>(key: K): Accessor<O, O[K]> {
  return {
    key,
    get: (o) => o[key],
    set: (o, _i, v) => { o[key] = v; },
  };
}

/** A getter/setter pair for a single value. */
export function fn<O, V>(get: (o: O) => V, set: (o: O, v: V) => void): Accessor<O, V> {
  return { get: (o) => get(o), set: (o, _i, v) => set(o, v) };
}

/** Always saves `v`; a loaded value is dropped. */
export function constant<O, V>(v: V): Accessor<O, V> {
  return { get: () => v, set: () => {} };
}

function snapshot(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return (v as Uint8Array).slice();
  if (Array.isArray(v)) return v.slice();
  return v;
}

/** Set element i of a field, recording the old value when the context is a dry run. */
export function vmstate_assign(ctx: LoadContext, f: VMStateField<any>, o: any, i: number, v: unknown): void {
  const acc = f.acc!;
  if (ctx.dry) {
    const old = snapshot(acc.get(o, i));
    ctx.undo.push(() => acc.set(o, i, old));
  }
  acc.set(o, i, v);
}

// ---------------------------------------------------------------------------------------
// infos (migration/vmstate-types.c)

type IntSpec = { bytes: 1 | 2 | 4 | 8; signed: boolean };

function readInt(r: QEMUFileReader, s: IntSpec): number | bigint {
  switch (s.bytes) {
    case 1: { const v = r.u8(); return s.signed ? (v << 24) >> 24 : v; }
    case 2: { const v = r.be16(); return s.signed ? (v << 16) >> 16 : v; }
    case 4: { const v = r.be32(); return s.signed ? v | 0 : v; }
    case 8: { const v = r.be64(); return s.signed ? BigInt.asIntN(64, v) : v; }
  }
}

function writeInt(w: QEMUFileWriter, s: IntSpec, v: unknown): void {
  switch (s.bytes) {
    case 1: w.u8(Number(v)); break;
    case 2: w.be16(Number(v)); break;
    case 4: w.be32(Number(v)); break;
    case 8: w.be64(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))); break;
  }
}

/** The value's bit pattern as an unsigned hex string without 0x (printf %x / PRIx64). */
function hexBits(v: unknown, bytes: number): string {
  if (bytes === 8) return BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Number(v))).toString(16);
  const bits = bytes * 8;
  const n = Number(v);
  return (bits === 32 ? n >>> 0 : n & ((1 << bits) - 1)).toString(16);
}

function sameBits(a: unknown, b: unknown, bytes: number): boolean {
  return hexBits(a, bytes) === hexBits(b, bytes);
}

function intInfo(name: string, s: IntSpec): VMStateInfo {
  return {
    name,
    intBytes: s.bytes,
    get(r, o, f, i, ctx) {
      vmstate_assign(ctx, f, o, i, readInt(r, s));
      return 0;
    },
    put(w, o, f, i) { writeInt(w, s, f.acc!.get(o, i)); },
  };
}

function equalInfo(name: string, s: IntSpec): VMStateInfo {
  return {
    name,
    intBytes: s.bytes,
    get(r, o, f, i, ctx) {
      const v2 = readInt(r, s);
      if (ctx.dry) return 0;
      const v = f.acc!.get(o, i);
      if (sameBits(v, v2, s.bytes)) return 0;
      ctx.errors.report(`${hexBits(v, s.bytes)} != ${hexBits(v2, s.bytes)}`);
      if (f.err_hint) ctx.errors.printf(f.err_hint);
      return -EINVAL;
    },
    put(w, o, f, i) { writeInt(w, s, f.acc!.get(o, i)); },
  };
}

export const vmstate_info_bool: VMStateInfo = {
  name: 'bool',
  get(r, o, f, i, ctx) { vmstate_assign(ctx, f, o, i, r.u8() !== 0); return 0; },
  put(w, o, f, i) { w.u8(f.acc!.get(o, i) ? 1 : 0); },
};
export const vmstate_info_int8 = intInfo('int8', { bytes: 1, signed: true });
export const vmstate_info_int16 = intInfo('int16', { bytes: 2, signed: true });
export const vmstate_info_int32 = intInfo('int32', { bytes: 4, signed: true });
export const vmstate_info_int64 = intInfo('int64', { bytes: 8, signed: true });
export const vmstate_info_uint8 = intInfo('uint8', { bytes: 1, signed: false });
export const vmstate_info_uint16 = intInfo('uint16', { bytes: 2, signed: false });
export const vmstate_info_uint32 = intInfo('uint32', { bytes: 4, signed: false });
export const vmstate_info_uint64 = intInfo('uint64', { bytes: 8, signed: false });
export const vmstate_info_int32_equal = equalInfo('int32 equal', { bytes: 4, signed: true });
export const vmstate_info_uint8_equal = equalInfo('uint8 equal', { bytes: 1, signed: false });
export const vmstate_info_uint16_equal = equalInfo('uint16 equal', { bytes: 2, signed: false });
export const vmstate_info_uint32_equal = equalInfo('uint32 equal', { bytes: 4, signed: false });
/** VMSTATE_UINT64_EQUAL: QEMU names this codec "int64 equal" (vmstate-types.c). */
export const vmstate_info_uint64_equal = equalInfo('int64 equal', { bytes: 8, signed: false });

/**
 * How a release reports an _EQUAL mismatch: 'hex' is QEMU 2.8+ (49228e17ed, `<local> !=
 * <stream>` in hex without 0x), 'decimal' the earlier form of that patch the 2016 thread shows
 * on 2.7, 'none' the releases before it (a bare -EINVAL, no line).
 */
export type EqualMessageFormat = 'hex' | 'decimal' | 'none';

/**
 * An unsigned _EQUAL codec whose mismatch line follows `format(opaque)`: the same wire bytes
 * and vmdesc type as vmstate_info_uint32_equal / vmstate_info_uint64_equal.
 */
export function vmstate_info_equal_fmt<O>(bytes: 4 | 8, format: (o: O) => EqualMessageFormat): VMStateInfo {
  const s: IntSpec = { bytes, signed: false };
  return {
    name: bytes === 8 ? 'int64 equal' : 'uint32 equal',
    get(r, o, f, i, ctx) {
      const v2 = readInt(r, s);
      if (ctx.dry) return 0;
      const v = f.acc!.get(o, i);
      if (sameBits(v, v2, bytes)) return 0;
      const fmt = format(o);
      const dec = (x: unknown) => BigInt.asUintN(bytes * 8, typeof x === 'bigint' ? x : BigInt(Number(x))).toString(10);
      if (fmt === 'hex') ctx.errors.report(`${hexBits(v, bytes)} != ${hexBits(v2, bytes)}`);
      else if (fmt === 'decimal') ctx.errors.report(`${dec(v)} != ${dec(v2)}`);
      if (f.err_hint && fmt !== 'none') ctx.errors.printf(f.err_hint);
      return -EINVAL;
    },
    put(w, o, f, i) { writeInt(w, s, f.acc!.get(o, i)); },
  };
}

/** VMSTATE_INT32_POSITIVE_LE: the loaded value must be in [0, current]. */
export const vmstate_info_int32_le: VMStateInfo = {
  name: 'int32 le',
  get(r, o, f, i, ctx) {
    const loaded = r.be32() | 0;
    const cur = Number(f.acc!.get(o, i)) | 0;
    if (ctx.dry || (loaded >= 0 && loaded <= cur)) {
      vmstate_assign(ctx, f, o, i, loaded);
      return 0;
    }
    ctx.errors.report(`Invalid value ${loaded} expecting positive value <= ${cur}`);
    return -EINVAL;
  },
  put(w, o, f, i) { w.be32(Number(f.acc!.get(o, i))); },
};

function fieldSize(f: VMStateField<any>, o: any): number {
  return typeof f.size === 'function' ? f.size(o) : f.size;
}

export const vmstate_info_buffer: VMStateInfo = {
  name: 'buffer',
  get(r, o, f, i, ctx) {
    const n = fieldSize(f, o);
    vmstate_assign(ctx, f, o, i, r.bytes(n));
    return 0;
  },
  put(w, o, f, i) {
    const n = fieldSize(f, o);
    const b: Uint8Array = f.acc!.get(o, i);
    if (b.length >= n) w.bytes(b.subarray(0, n));
    else { w.bytes(b); w.zeros(n - b.length); }
  },
};

export const vmstate_info_unused_buffer: VMStateInfo = {
  name: 'unused_buffer',
  get(r, o, f) { r.skip(fieldSize(f, o)); return 0; },
  put(w, o, f) { w.zeros(fieldSize(f, o)); },
};

/** Bitmaps: size in bits; ceil(bits/64) be64 words, bit i of word k = bit 64k+i. */
export const vmstate_info_bitmap: VMStateInfo = {
  name: 'bitmap',
  get(r, o, f, i, ctx) {
    const bits = fieldSize(f, o);
    const n64 = Math.ceil(bits / 64);
    const words = new Uint32Array(Math.ceil(bits / 32));
    for (let k = 0; k < n64; k++) {
      const hi = r.be32(), lo = r.be32();
      words[2 * k] = lo;
      if (2 * k + 1 < words.length) words[2 * k + 1] = hi;
    }
    vmstate_assign(ctx, f, o, i, words);
    return 0;
  },
  put(w, o, f, i) {
    const bits = fieldSize(f, o);
    const n64 = Math.ceil(bits / 64);
    const words: NumArray = f.acc!.get(o, i);
    for (let k = 0; k < n64; k++) {
      const lo = words[2 * k] ?? 0;
      const hi = 2 * k + 1 < Math.ceil(bits / 32) ? words[2 * k + 1] ?? 0 : 0;
      w.be32(hi);
      w.be32(lo);
    }
  },
};

/**
 * A fixed-size custom type made of n32 big-endian 32-bit words (QEMU's "avr", "slbe", "fpr",
 * ...). The accessor gets/sets the words in wire order as an Int32Array (or number array).
 */
export function vmstate_info_words(name: string, n32: number): VMStateInfo {
  return {
    name,
    get(r, o, f, i, ctx) {
      const v = new Int32Array(n32);
      for (let k = 0; k < n32; k++) v[k] = r.be32() | 0;
      vmstate_assign(ctx, f, o, i, v);
      return 0;
    },
    put(w, o, f, i) {
      const v: NumArray = f.acc!.get(o, i);
      for (let k = 0; k < n32; k++) w.be32(v[k] ?? 0);
    },
  };
}

/** A standard codec under another vmdesc type name (e.g. u32 as "cpu/altivec/vscr"). */
export function vmstate_info_named(base: VMStateInfo, name: string): VMStateInfo {
  return { name, get: base.get, put: base.put };
}

// ---------------------------------------------------------------------------------------
// builders (include/migration/vmstate.h)

type ScalarArgs<O, V> =
  | [acc: Accessor<O, V>, opts?: FieldOpts<O>]
  | [get: (o: O) => V, set: (o: O, v: V) => void, opts?: FieldOpts<O>];

function scalarArgs<O, V>(a: ScalarArgs<O, V>): { acc: Accessor<O, V>; opts: FieldOpts<O> } {
  if (typeof a[0] === 'function') {
    const get = a[0] as (o: O) => V;
    const set = a[1] as (o: O, v: V) => void;
    return { acc: fn(get, set), opts: (a[2] as FieldOpts<O>) ?? {} };
  }
  return { acc: a[0] as Accessor<O, V>, opts: (a[1] as FieldOpts<O>) ?? {} };
}

function mk<O>(name: string, info: VMStateInfo, size: number | ((o: O) => number), acc: Accessor<O, any> | undefined,
  opts: FieldOpts<O>, num?: number | ((o: O) => number)): VMStateField<O> {
  return {
    name, info, size, acc, num,
    version_id: opts.version_id ?? 0,
    field_exists: opts.field_exists,
    err_hint: opts.err_hint,
  };
}

/** A single element of any codec (VMSTATE_SINGLE). */
export function VMSTATE_SINGLE<O, V>(name: string, info: VMStateInfo, size: number, acc: Accessor<O, V>, opts: FieldOpts<O> = {}): VMStateField<O> {
  return mk(name, info, size, acc, opts);
}

/** A fixed array of any codec (VMSTATE_ARRAY). */
export function VMSTATE_ARRAY<O, V>(name: string, num: number, info: VMStateInfo, size: number, acc: Accessor<O, V>, opts: FieldOpts<O> = {}): VMStateField<O> {
  return mk(name, info, size, acc, opts, num);
}

/** A variable-length array whose length another field holds (VMSTATE_VARRAY_UINT32 & co). */
export function VMSTATE_VARRAY<O, V>(name: string, num: (o: O) => number, info: VMStateInfo, size: number, acc: Accessor<O, V>, opts: FieldOpts<O> = {}): VMStateField<O> {
  return mk(name, info, size, acc, opts, num);
}
export const VMSTATE_VARRAY_UINT32 = VMSTATE_VARRAY;
export const VMSTATE_VARRAY_INT32 = VMSTATE_VARRAY;

const scalar = <V>(info: VMStateInfo, size: number) =>
  <O>(name: string, ...a: ScalarArgs<O, V>): VMStateField<O> => {
    const { acc, opts } = scalarArgs(a);
    return mk(name, info, size, acc, opts);
  };

const array = <V>(info: VMStateInfo, size: number) =>
  <O>(name: string, num: number, acc: Accessor<O, V>, opts: FieldOpts<O> = {}): VMStateField<O> =>
    mk(name, info, size, acc, opts, num);

const equal = <V>(info: VMStateInfo, size: number) =>
  <O>(name: string, get: ((o: O) => V) | Accessor<O, V>, opts: FieldOpts<O> = {}): VMStateField<O> => {
    const acc: Accessor<O, V> = typeof get === 'function' ? { get: (o) => get(o), set: () => {} } : get;
    return mk(name, info, size, acc, opts);
  };

export const VMSTATE_BOOL = scalar<boolean>(vmstate_info_bool, 1);
export const VMSTATE_INT8 = scalar<number>(vmstate_info_int8, 1);
export const VMSTATE_INT16 = scalar<number>(vmstate_info_int16, 2);
export const VMSTATE_INT32 = scalar<number>(vmstate_info_int32, 4);
export const VMSTATE_INT64 = scalar<bigint>(vmstate_info_int64, 8);
export const VMSTATE_UINT8 = scalar<number>(vmstate_info_uint8, 1);
export const VMSTATE_UINT16 = scalar<number>(vmstate_info_uint16, 2);
export const VMSTATE_UINT32 = scalar<number>(vmstate_info_uint32, 4);
export const VMSTATE_UINT64 = scalar<bigint>(vmstate_info_uint64, 8);
/** target_ulong on ppc64. */
export const VMSTATE_UINTTL = VMSTATE_UINT64;
export const VMSTATE_INT32_POSITIVE_LE = scalar<number>(vmstate_info_int32_le, 4);

export const VMSTATE_BOOL_ARRAY = array<boolean>(vmstate_info_bool, 1);
export const VMSTATE_INT8_ARRAY = array<number>(vmstate_info_int8, 1);
export const VMSTATE_INT16_ARRAY = array<number>(vmstate_info_int16, 2);
export const VMSTATE_INT32_ARRAY = array<number>(vmstate_info_int32, 4);
export const VMSTATE_INT64_ARRAY = array<bigint>(vmstate_info_int64, 8);
export const VMSTATE_UINT8_ARRAY = array<number>(vmstate_info_uint8, 1);
export const VMSTATE_UINT16_ARRAY = array<number>(vmstate_info_uint16, 2);
export const VMSTATE_UINT32_ARRAY = array<number>(vmstate_info_uint32, 4);
export const VMSTATE_UINT64_ARRAY = array<bigint>(vmstate_info_uint64, 8);
export const VMSTATE_UINTTL_ARRAY = VMSTATE_UINT64_ARRAY;

export const VMSTATE_INT32_EQUAL = equal<number>(vmstate_info_int32_equal, 4);
export const VMSTATE_UINT8_EQUAL = equal<number>(vmstate_info_uint8_equal, 1);
export const VMSTATE_UINT16_EQUAL = equal<number>(vmstate_info_uint16_equal, 2);
export const VMSTATE_UINT32_EQUAL = equal<number>(vmstate_info_uint32_equal, 4);
export const VMSTATE_UINT64_EQUAL = equal<bigint>(vmstate_info_uint64_equal, 8);
export const VMSTATE_UINTTL_EQUAL = VMSTATE_UINT64_EQUAL;

function bufAcc<O>(a: ((o: O) => Uint8Array) | Accessor<O, Uint8Array>): Accessor<O, Uint8Array> {
  return typeof a === 'function' ? bytes(a) : a;
}

/** A fixed-size byte buffer: `VMSTATE_BUFFER('buf', 16, (o) => o.buf)`. */
export function VMSTATE_BUFFER<O>(name: string, size: number, buf: ((o: O) => Uint8Array) | Accessor<O, Uint8Array>, opts: FieldOpts<O> = {}): VMStateField<O> {
  return mk(name, vmstate_info_buffer, size, bufAcc(buf), opts);
}

/** A buffer whose size another field holds (VMSTATE_VBUFFER_UINT32 / _ALLOC_UINT32). */
export function VMSTATE_VBUFFER<O>(name: string, size: (o: O) => number, buf: ((o: O) => Uint8Array) | Accessor<O, Uint8Array>, opts: FieldOpts<O> = {}): VMStateField<O> {
  return mk(name, vmstate_info_buffer, size, bufAcc(buf), opts);
}
export const VMSTATE_VBUFFER_UINT32 = VMSTATE_VBUFFER;

/**
 * A (variable-length) array of uint64 held as big-endian bytes in a Uint8Array (8 per
 * element): saved and loaded in one copy. `table(o)` gives the bytes to save; `load(o, b)`
 * receives a fresh copy of the loaded bytes (n * 8 of them). `maxElems` bounds what a
 * corrupt length may make the loader allocate.
 */
export function VMSTATE_VARRAY_UINT64_BYTES<O>(name: string, num: number | ((o: O) => number), table: (o: O) => Uint8Array,
  load: (o: O, b: Uint8Array) => void, opts: FieldOpts<O> & { maxElems?: number } = {}): VMStateField<O> {
  const maxElems = opts.maxElems ?? (1 << 25);
  const info: VMStateInfo = {
    name: 'uint64',
    get(r, o, f, i, ctx) {
      const v = r.bytes(8);
      if (ctx.dry) return 0;
      const t = table(o);
      if (t.length >= 8 * (i + 1)) t.set(v, 8 * i);
      return 0;
    },
    put(w, o, _f, i) { w.bytes(table(o).subarray(8 * i, 8 * i + 8)); },
    getArray(r, o, _f, n, ctx) {
      if (n > maxElems) {
        if (!ctx.dry) ctx.errors.report(`${name}: ${n} elements exceed the ${maxElems} this machine can hold`);
        return -ENOMEM;
      }
      if (ctx.dry) { r.skip(8 * n); return 0; }
      const b = r.bytes(8 * n);
      load(o, b.slice());
      return 0;
    },
    putArray(w, o, _f, n) {
      const t = table(o);
      if (t.length >= 8 * n) w.bytes(t.subarray(0, 8 * n));
      else { w.bytes(t); w.zeros(8 * n - t.length); }
    },
  };
  return mk(name, info, 8, undefined, opts, num);
}

/** `n` bytes that are written as zeros and skipped on load; vmdesc name "unused". */
export function VMSTATE_UNUSED<O = any>(n: number, opts: FieldOpts<O> = {}): VMStateField<O> {
  return mk('unused', vmstate_info_unused_buffer, n, undefined, opts);
}
export function VMSTATE_UNUSED_V<O = any>(version_id: number, n: number): VMStateField<O> {
  return VMSTATE_UNUSED<O>(n, { version_id });
}
export function VMSTATE_UNUSED_TEST<O = any>(test: (o: O, version_id: number) => boolean, n: number): VMStateField<O> {
  return VMSTATE_UNUSED<O>(n, { field_exists: test });
}

/** A bitmap of `bits` bits (a number or a function of the opaque). */
export function VMSTATE_BITMAP<O>(name: string, bits: number | ((o: O) => number), map: ((o: O) => Uint32Array) | Accessor<O, Uint32Array>, opts: FieldOpts<O> = {}): VMStateField<O> {
  const acc: Accessor<O, Uint32Array> = typeof map === 'function'
    ? { get: (o) => map(o), set: (o, _i, v) => { map(o).set(v.subarray(0, map(o).length)); } }
    : map;
  return mk(name, vmstate_info_bitmap, bits, acc, opts);
}

function structField<O, S>(name: string, vmsd: VMStateDescription<S>, elem: (o: O, i: number) => S,
  opts: FieldOpts<O>, num?: number | ((o: O) => number)): VMStateField<O> {
  return {
    name, vmsd, elem, size: 0, num,
    version_id: opts.version_id ?? 0,
    field_exists: opts.field_exists,
  };
}

/** A nested description (with its own subsections). */
export function VMSTATE_STRUCT<O, S>(name: string, vmsd: VMStateDescription<S>, elem: (o: O) => S, opts: FieldOpts<O> = {}): VMStateField<O> {
  return structField(name, vmsd, (o) => elem(o), opts);
}
export function VMSTATE_STRUCT_ARRAY<O, S>(name: string, num: number, vmsd: VMStateDescription<S>, elem: (o: O, i: number) => S, opts: FieldOpts<O> = {}): VMStateField<O> {
  return structField(name, vmsd, elem, opts, num);
}
export function VMSTATE_STRUCT_VARRAY<O, S>(name: string, num: (o: O) => number, vmsd: VMStateDescription<S>, elem: (o: O, i: number) => S, opts: FieldOpts<O> = {}): VMStateField<O> {
  return structField(name, vmsd, elem, opts, num);
}

// ---------------------------------------------------------------------------------------
// the interpreter (migration/vmstate.c)

export const QEMU_VM_SUBSECTION = 0x05;

function field_exists<O>(f: VMStateField<O>, o: O, version_id: number): boolean {
  return f.field_exists ? f.field_exists(o, version_id) : f.version_id <= version_id;
}

function n_elems<O>(f: VMStateField<O>, o: O): number {
  if (f.num === undefined) return 1;
  return typeof f.num === 'function' ? f.num(o) : f.num;
}

/** Run a hook: undefined/0 is success; a thrown VMStateError becomes its ret and lines. */
function hook(errors: ErrorLog, call: () => number | void): number {
  try {
    const r = call();
    return typeof r === 'number' ? r : 0;
  } catch (e) {
    if (e instanceof VMStateError) {
      for (const l of e.lines) errors.report(l);
      return e.ret;
    }
    throw e;
  }
}

export function vmstate_save_needed<O>(vmsd: VMStateDescription<O>, o: O): boolean {
  return !vmsd.needed || vmsd.needed(o);
}

/** Read one description's fields, subsections and hooks; 0 or a negative errno. */
export function vmstate_load_state<O>(r: QEMUFileReader, vmsd: VMStateDescription<O>, o: O, version_id: number, ctx: LoadContext): number {
  if (version_id > vmsd.version_id) {
    ctx.errors.report(`${vmsd.name}: incoming version_id ${version_id} is too new for local version_id ${vmsd.version_id}`);
    return -EINVAL;
  }
  if (version_id < vmsd.minimum_version_id) {
    ctx.errors.report(`${vmsd.name}: incoming version_id ${version_id} is too old for local minimum version_id  ${vmsd.minimum_version_id}`);
    return -EINVAL;
  }
  let ret = 0;
  if (vmsd.pre_load && !ctx.dry) {
    ret = hook(ctx.errors, () => vmsd.pre_load!(o));
    if (ret) return ret;
  }
  for (const f of vmsd.fields) {
    if (!field_exists(f, o, version_id)) continue;
    const n = n_elems(f, o);
    if (!f.vmsd && f.info!.getArray && f.num !== undefined) {
      ret = f.info!.getArray(r, o, f, n, ctx);
      if (ret >= 0 && r.error) ret = r.error;
      if (ret < 0) {
        ctx.errors.report(`Failed to load ${vmsd.name}:${f.name}`);
        return ret;
      }
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (f.vmsd) {
        const sub = f.vmsd;
        ret = vmstate_load_state(r, sub, f.elem!(o, i), sub.version_id, ctx);
      } else {
        try {
          ret = f.info!.get(r, o, f, i, ctx);
        } catch (e) {
          // an accessor refusing a value (e.g. a size no machine has)
          if (!(e instanceof VMStateError)) throw e;
          if (!ctx.dry) for (const l of e.lines) ctx.errors.report(l);
          ret = e.ret;
        }
      }
      if (ret >= 0 && r.error) ret = r.error;
      if (ret < 0) {
        ctx.errors.report(`Failed to load ${vmsd.name}:${f.name}`);
        return ret;
      }
    }
  }
  ret = vmstate_subsection_load(r, vmsd, o, ctx);
  if (ret !== 0) return ret;
  if (vmsd.post_load && !ctx.dry) ret = hook(ctx.errors, () => vmsd.post_load!(o, version_id));
  return ret;
}

/** The subsections this build declares for `o` (see VMStateDescription.exists). */
function declaredSubsections<O>(vmsd: VMStateDescription<O>, o: O): VMStateDescription<O>[] {
  const subs = vmsd.subsections;
  if (!subs || subs.length === 0) return NO_SUBSECTIONS;
  return subs.filter((s) => !s.exists || s.exists(o));
}
const NO_SUBSECTIONS: VMStateDescription<any>[] = [];

function vmstate_subsection_load<O>(r: QEMUFileReader, vmsd: VMStateDescription<O>, o: O, ctx: LoadContext): number {
  while (r.peekU8(0) === QEMU_VM_SUBSECTION) {
    const len = r.peekU8(1);
    if (len < vmsd.name.length + 1) return 0; // a subsection name is "parent/name"
    // check the parent prefix before peeking the whole name, so a data byte that happens to
    // be 0x05 never makes the loader wait for bytes the section does not have
    if (latin1(r.peekBytes(vmsd.name.length, 2)) !== vmsd.name) return 0;
    const raw = r.peekBytes(len, 2);
    if (raw.length !== len) return 0;
    let idstr = latin1(raw);
    const nul = idstr.indexOf('\0');
    if (nul >= 0) idstr = idstr.slice(0, nul);
    if (!idstr.startsWith(vmsd.name)) return 0;
    const sub = declaredSubsections(vmsd, o).find((s) => s.name === idstr);
    if (!sub) return -ENOENT; // no message: only a trace event in QEMU
    r.skip(2 + len);
    const version_id = r.be32() & 0xff; // QEMU 7.2 keeps it in a uint8_t
    const ret = vmstate_load_state(r, sub, o, version_id, ctx);
    if (ret) return ret;
  }
  return 0;
}

/** vmdesc JSON node under construction (keys in QEMU's order). */
export type VmdescNode = Record<string, unknown>;

function can_compress(f: VMStateField<any>): boolean {
  if (f.field_exists) return false;
  if (f.vmsd) {
    for (const sf of f.vmsd.fields) if (!can_compress(sf)) return false;
    if (f.vmsd.subsections) return false;
  }
  return true;
}

function desc_field_start(vmsd: VMStateDescription<any>, fields: VmdescNode[], f: VMStateField<any>, i: number, max: number): VmdescNode {
  let name = f.name;
  const same = vmsd.fields.filter((x) => x.name === f.name);
  if (same.length > 1) name = `${name}[${same.indexOf(f)}]`;
  const e: VmdescNode = { name };
  if (max > 1) {
    if (can_compress(f)) e.array_len = max;
    else e.index = i;
  }
  e.type = f.vmsd ? 'struct' : f.info?.name ?? 'unknown';
  if (f.vmsd) e.struct = {};
  fields.push(e);
  return e;
}

/**
 * Write a description's fields then its needed subsections. When `vmdesc` is given it is
 * filled like QEMU's JSON writer: vmsd_name, version, fields[], subsections[].
 */
export function vmstate_save_state<O>(w: QEMUFileWriter, vmsd: VMStateDescription<O>, o: O, vmdesc: VmdescNode | null = null, errors: ErrorLog = new ErrorLog()): number {
  const version_id = vmsd.version_id;
  let ret = 0;
  if (vmsd.pre_save) {
    ret = hook(errors, () => vmsd.pre_save!(o));
    if (ret) {
      errors.report(`pre-save failed: ${vmsd.name}`);
      return ret;
    }
  }
  let descFields: VmdescNode[] | null = null;
  if (vmdesc) {
    vmdesc.vmsd_name = vmsd.name;
    vmdesc.version = version_id;
    descFields = [];
    vmdesc.fields = descFields;
  }
  for (const f of vmsd.fields) {
    if (!field_exists(f, o, version_id)) continue;
    const n = n_elems(f, o);
    if (!f.vmsd && f.info!.putArray && f.num !== undefined && can_compress(f)) {
      if (n === 0) continue;
      const entry = descFields ? desc_field_start(vmsd, descFields, f, 0, n) : null;
      ret = f.info!.putArray(w, o, f, n) ?? 0;
      if (ret) {
        errors.report(`Save of field ${vmsd.name}/${f.name} failed`);
        if (vmsd.post_save) hook(errors, () => vmsd.post_save!(o));
        return ret;
      }
      if (entry) entry.size = fieldSize(f, o);
      continue;
    }
    let loop = descFields;
    for (let i = 0; i < n; i++) {
      if (!loop && f.vmsd) {
        // the rest of an array of plain structs (no vmdesc entry left to write)
        const plain = plainStruct(f.vmsd);
        if (plain) {
          for (; i < n; i++) putPlain(w, plain, f.elem!(o, i));
          break;
        }
      }
      const entry = loop ? desc_field_start(vmsd, loop, f, i, n) : null;
      const before = entry ? w.transferred : 0;
      if (f.vmsd) {
        ret = vmstate_save_state(w, f.vmsd, f.elem!(o, i), entry ? (entry.struct as VmdescNode) : null, errors);
      } else {
        ret = f.info!.put(w, o, f, i, entry) ?? 0;
      }
      if (ret) {
        errors.report(`Save of field ${vmsd.name}/${f.name} failed`);
        if (vmsd.post_save) hook(errors, () => vmsd.post_save!(o));
        return ret;
      }
      if (entry) entry.size = w.transferred - before;
      if (loop && can_compress(f)) loop = null;
    }
  }
  ret = vmstate_subsection_save(w, vmsd, o, vmdesc, errors);
  if (vmsd.post_save) {
    const ps = hook(errors, () => vmsd.post_save!(o));
    if (!ret && ps) {
      ret = ps;
      errors.report(`post-save failed: ${vmsd.name}`);
    }
  }
  return ret;
}

/**
 * A description whose save is only integer properties (prop() accessors, standard integer
 * codecs, no hooks, tests, arrays or subsections): [key, bytes] per field, in order.
 */
type PlainStruct = [PropertyKey, 1 | 2 | 4 | 8][];
const plainStructs = new WeakMap<VMStateDescription<any>, PlainStruct | null>();

function plainStruct(vmsd: VMStateDescription<any>): PlainStruct | null {
  let plain = plainStructs.get(vmsd);
  if (plain !== undefined) return plain;
  plain = [];
  const simple = !vmsd.pre_save && !vmsd.post_save && !vmsd.subsections?.length;
  for (const f of simple ? vmsd.fields : []) {
    if (f.vmsd || f.field_exists || f.num !== undefined || f.acc?.key === undefined || !f.info?.intBytes) { plain = null; break; }
    if (f.version_id <= vmsd.version_id) plain.push([f.acc.key, f.info.intBytes]);
  }
  if (!simple) plain = null;
  plainStructs.set(vmsd, plain);
  return plain;
}

/** vmstate_save_state of a plain struct: what the field loop writes, without the loop. */
function putPlain(w: QEMUFileWriter, plain: PlainStruct, o: any): void {
  for (let k = 0; k < plain.length; k++) {
    const v = o[plain[k][0]];
    switch (plain[k][1]) {
      case 1: w.u8(Number(v)); break;
      case 2: w.be16(Number(v)); break;
      case 4: w.be32(Number(v)); break;
      default: w.be64(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
    }
  }
}

function vmstate_subsection_save<O>(w: QEMUFileWriter, vmsd: VMStateDescription<O>, o: O, vmdesc: VmdescNode | null, errors: ErrorLog): number {
  if (!vmsd.subsections || vmsd.subsections.length === 0) return 0;
  let list: VmdescNode[] | null = null;
  for (const sub of declaredSubsections(vmsd, o)) {
    if (!vmstate_save_needed(sub, o)) continue;
    let node: VmdescNode | null = null;
    if (vmdesc) {
      if (!list) { list = []; vmdesc.subsections = list; }
      node = {};
      list.push(node);
    }
    w.u8(QEMU_VM_SUBSECTION);
    w.countedString(sub.name);
    w.be32(sub.version_id);
    const ret = vmstate_save_state(w, sub, o, node, errors);
    if (ret) return ret;
  }
  return 0;
}

export interface SubsectionStatus {
  name: string;
  needed: boolean;
  /** Nested subsections (only evaluated when this one is needed). */
  subsections: SubsectionStatus[];
}

/** Every declared subsection and whether its needed() is true now: what a save would send. */
export function vmstate_subsections_needed<O>(vmsd: VMStateDescription<O>, o: O): SubsectionStatus[] {
  return declaredSubsections(vmsd, o).map((s) => {
    const needed = vmstate_save_needed(s, o);
    return { name: s.name, needed, subsections: needed ? vmstate_subsections_needed(s, o) : [] };
  });
}

/** A fresh load context. */
export function loadContext(errors = new ErrorLog(), dry = false): LoadContext {
  return { errors, dry, undo: [] };
}

/**
 * Parse a description without effects: returns what the load would consume, or throws
 * NeedMoreData when the bytes are not all there. The opaque is restored afterwards.
 */
export function vmstate_dry_run<O>(r: QEMUFileReader, vmsd: VMStateDescription<O>, o: O, version_id: number): number {
  const ctx = loadContext(new ErrorLog(), true);
  try {
    return vmstate_load_state(r, vmsd, o, version_id, ctx);
  } finally {
    for (let k = ctx.undo.length - 1; k >= 0; k--) ctx.undo[k]();
  }
}

// ---------------------------------------------------------------------------------------
// QEMU's compact JSON (qobject/json-writer.c with pretty=false): ", " and ": " separators

/** Printable ASCII without quote or backslash: written as it is. */
const QJSON_PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function quoted(s: string): string {
  if (QJSON_PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default:
        if (cp > 0xffff) {
          const hi = 0xd800 + ((cp - 0x10000) >> 10), lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
          out += `\\u${hi.toString(16).toUpperCase().padStart(4, '0')}\\u${lo.toString(16).toUpperCase().padStart(4, '0')}`;
        } else if (cp < 0x20 || cp >= 0x7f) {
          out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        } else {
          out += ch;
        }
    }
  }
  return out + '"';
}

/** Serialise like QEMU's JSON writer: `{"a": 1, "b": [2, 3]}`. */
export function qjson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(qjson).join(', ') + ']';
  if (v && typeof v === 'object') {
    return '{' + Object.entries(v as Record<string, unknown>).map(([k, x]) => `${quoted(k)}: ${qjson(x)}`).join(', ') + '}';
  }
  if (typeof v === 'string') return quoted(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  return String(v);
}
