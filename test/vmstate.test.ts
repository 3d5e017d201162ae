import { describe, expect, it } from 'vitest';
import { QEMUFileReader, QEMUFileWriter } from '../src/core/vmstate/qemufile';
import {
  LoadError, MigrationLoader, SaveVMRegistry, qemu_savevm_state_complete_precopy, qemu_savevm_state_header,
  vmstate_save_with_desc,
} from '../src/core/vmstate/savevm';
import {
  VMSTATE_BITMAP, VMSTATE_BOOL, VMSTATE_BUFFER, VMSTATE_INT16, VMSTATE_INT32, VMSTATE_INT32_EQUAL,
  VMSTATE_INT64, VMSTATE_INT8, VMSTATE_STRUCT, VMSTATE_STRUCT_ARRAY, VMSTATE_UINT16, VMSTATE_UINT16_EQUAL,
  VMSTATE_UINT32, VMSTATE_UINT32_EQUAL, VMSTATE_UINT64, VMSTATE_UINT64_ARRAY, VMSTATE_UINT64_EQUAL,
  VMSTATE_UINT8, VMSTATE_UINT8_EQUAL, VMSTATE_UNUSED, VMSTATE_VARRAY_UINT32, VMSTATE_VBUFFER, VMStateDescription,
  VMStateError, elems, hiLo, loadContext, prop, qjson, vmstate_info_uint16, vmstate_load_state, vmstate_subsections_needed,
} from '../src/core/vmstate/vmstate';

// ---- a description with every kind of field -----------------------------------------------

interface Elem { x: number; y: bigint; z: number }
interface Dev {
  b: boolean; i8: number; i16: number; i32: number; i64: bigint;
  u8: number; u16: number; u32: number; u64: bigint;
  nr_irqs: number; eq8: number; eq16: number; eqi32: number; eq64: bigint;
  buf: Uint8Array; vlen: number; vbuf: Uint8Array; bits: Uint32Array; gpr: Int32Array;
  n: number; varr: number[]; tb: Elem; irqs: Elem[];
  v2field: number; absent: number;
  aNeeded: boolean; a: number; ab: bigint; cNeeded: boolean; c: number;
  loads: string[];
}

function makeDev(seed = 0): Dev {
  const s = (k: number) => (seed * 7919 + k * 104729) >>> 0;
  const elem = (k: number): Elem => ({ x: s(k) & 0xffff, y: BigInt(s(k + 1)) << 20n, z: s(k + 2) & 0xff });
  return {
    b: (seed & 1) === 1, i8: -((s(1) % 128) || 1), i16: -(s(2) % 32768), i32: -(s(3) | 0) || -5, i64: -BigInt(s(4)) * 1000003n,
    u8: s(5) & 0xff, u16: s(6) & 0xffff, u32: s(7), u64: (BigInt(s(8)) << 32n) | BigInt(s(9)),
    nr_irqs: 0x1000, eq8: 0x42, eq16: 0x4242, eqi32: -2, eq64: 0x8000600fe1ff3a21n,
    buf: Uint8Array.from({ length: 16 }, (_, i) => (s(i) >>> 3) & 0xff),
    vlen: 5, vbuf: Uint8Array.from({ length: 5 }, (_, i) => i + seed),
    bits: Uint32Array.from([s(10), s(11), s(12), s(13) & 0xf]),
    gpr: Int32Array.from({ length: 8 }, (_, i) => s(20 + i) | 0),
    n: 3, varr: [s(30), s(31), s(32)],
    tb: elem(40), irqs: [elem(50), elem(60), elem(70)],
    v2field: s(80), absent: 7,
    aNeeded: true, a: s(90), ab: BigInt(s(91)), cNeeded: false, c: 9,
    loads: [],
  };
}

function emptyDev(): Dev {
  const d = makeDev(999);
  Object.assign(d, {
    b: false, i8: 0, i16: 0, i32: 0, i64: 0n, u8: 0, u16: 0, u32: 0, u64: 0n,
    buf: new Uint8Array(16), vlen: 0, vbuf: new Uint8Array(0), bits: new Uint32Array(4), gpr: new Int32Array(8),
    n: 0, varr: [], tb: { x: 0, y: 0n, z: 0 }, irqs: [{ x: 0, y: 0n, z: 0 }, { x: 0, y: 0n, z: 0 }, { x: 0, y: 0n, z: 0 }],
    v2field: 0, absent: 0, a: 0, ab: 0n, c: 0, loads: [],
  });
  return d;
}

const vmstate_elem_sub: VMStateDescription<Elem> = {
  name: 'elem/z',
  version_id: 1,
  minimum_version_id: 1,
  needed: (e) => e.z !== 0,
  fields: [VMSTATE_UINT8('z', prop('z'))],
};

const vmstate_elem: VMStateDescription<Elem> = {
  name: 'elem',
  version_id: 2,
  minimum_version_id: 1,
  fields: [VMSTATE_UINT16('x', prop('x')), VMSTATE_UINT64('y', prop('y'))],
  subsections: [vmstate_elem_sub],
};

const vmstate_timebase: VMStateDescription<Elem> = {
  name: 'timebase',
  version_id: 1,
  minimum_version_id: 1,
  fields: [VMSTATE_UINT16('x', prop('x')), VMSTATE_UINT64('y', prop('y')), VMSTATE_UINT8('z', prop('z'))],
};

const vmstate_dev_a_b: VMStateDescription<Dev> = {
  name: 'dev/a/b',
  version_id: 1,
  minimum_version_id: 1,
  fields: [VMSTATE_UINT64('ab', prop('ab'))],
  post_load: (d) => { d.loads.push('dev/a/b'); },
};

const vmstate_dev_a: VMStateDescription<Dev> = {
  name: 'dev/a',
  version_id: 1,
  minimum_version_id: 1,
  needed: (d) => d.aNeeded,
  fields: [VMSTATE_UINT32('a', prop('a'))],
  subsections: [vmstate_dev_a_b],
  post_load: (d) => { d.loads.push('dev/a'); },
};

const vmstate_dev_c: VMStateDescription<Dev> = {
  name: 'dev/c',
  version_id: 1,
  minimum_version_id: 1,
  needed: (d) => d.cNeeded,
  fields: [VMSTATE_UINT32('c', prop('c'))],
};

const vmstate_dev: VMStateDescription<Dev> = {
  name: 'dev',
  version_id: 2,
  minimum_version_id: 1,
  pre_load: (d) => { d.loads.push('pre_load'); },
  post_load: (d, v) => { d.loads.push(`post_load v${v}`); },
  fields: [
    VMSTATE_BOOL('b', prop('b')),
    VMSTATE_INT8('i8', prop('i8')),
    VMSTATE_INT16('i16', prop('i16')),
    VMSTATE_INT32('i32', prop('i32')),
    VMSTATE_INT64('i64', prop('i64')),
    VMSTATE_UINT8('u8', prop('u8')),
    VMSTATE_UINT16('u16', (d: Dev) => d.u16, (d, v) => { d.u16 = v; }),
    VMSTATE_UINT32('u32', prop('u32')),
    VMSTATE_UINT64('u64', prop('u64')),
    VMSTATE_UINT32_EQUAL('nr_irqs', (d: Dev) => d.nr_irqs),
    VMSTATE_UINT8_EQUAL('eq8', (d: Dev) => d.eq8),
    VMSTATE_UINT16_EQUAL('eq16', (d: Dev) => d.eq16),
    VMSTATE_INT32_EQUAL('eqi32', (d: Dev) => d.eqi32),
    VMSTATE_UINT64_EQUAL('eq64', (d: Dev) => d.eq64),
    VMSTATE_BUFFER('buf', 16, (d: Dev) => d.buf),
    VMSTATE_UNUSED(3),
    VMSTATE_UINT32('vlen', prop('vlen')),
    VMSTATE_VBUFFER('vbuf', (d: Dev) => d.vlen, { get: (d) => d.vbuf, set: (d, _i, v) => { d.vbuf = v.slice(); } }),
    VMSTATE_BITMAP('bits', 100, (d: Dev) => d.bits),
    VMSTATE_UINT64_ARRAY('env.gpr', 4, hiLo((d: Dev) => d.gpr)),
    VMSTATE_UINT32('n', prop('n')),
    VMSTATE_VARRAY_UINT32('varr', (d: Dev) => d.n, vmstate_info_uint16, 2, elems((d: Dev) => d.varr)),
    VMSTATE_STRUCT('tb', vmstate_timebase, (d: Dev) => d.tb),
    VMSTATE_STRUCT_ARRAY('irqs', 3, vmstate_elem, (d: Dev, i) => d.irqs[i]),
    VMSTATE_UINT32('v2field', prop('v2field'), { version_id: 2 }),
    VMSTATE_UINT32('absent', prop('absent'), { field_exists: () => false }),
    VMSTATE_UINT8('u8', prop('u8')), // a duplicate name, as vmdesc shows with [k]
  ],
  subsections: [vmstate_dev_a, vmstate_dev_c],
};

function values(d: Dev) {
  const { loads: _l, aNeeded: _a, cNeeded: _c, ...rest } = d;
  return { ...rest, varr: d.varr.map((v) => v & 0xffff) };
}

describe('vmstate round trip', () => {
  it('saves and loads every field type with subsections', () => {
    const src = makeDev(3);
    const { bytes, desc, ret } = vmstate_save_with_desc(vmstate_dev, src, 'dev', 0);
    expect(ret).toBe(0);
    const dst = emptyDev();
    const r = new QEMUFileReader(bytes);
    r.eof = true;
    const ctx = loadContext();
    expect(vmstate_load_state(r, vmstate_dev, dst, 2, ctx)).toBe(0);
    expect(ctx.errors.lines).toEqual([]);
    expect(r.remaining).toBe(0);
    expect(values(dst)).toEqual({ ...values(src), c: 0, absent: 0 });
    // hooks: pre_load first, subsection post_loads inner first, the parent's last
    expect(dst.loads).toEqual(['pre_load', 'dev/a/b', 'dev/a', 'post_load v2']);

    // the vmdesc: compressible arrays get array_len, a struct with subsections one entry per element
    const fields = desc.fields as Record<string, unknown>[];
    const byName = (n: string) => fields.filter((f) => f.name === n);
    expect(byName('env.gpr')).toEqual([{ name: 'env.gpr', array_len: 4, type: 'uint64', size: 8 }]);
    expect(byName('eq64')).toEqual([{ name: 'eq64', type: 'int64 equal', size: 8 }]);
    expect(byName('unused')).toEqual([{ name: 'unused', type: 'unused_buffer', size: 3 }]);
    expect(byName('bits')).toEqual([{ name: 'bits', type: 'bitmap', size: 16 }]);
    expect(byName('vbuf')).toEqual([{ name: 'vbuf', type: 'buffer', size: 5 }]);
    expect(byName('varr')).toEqual([{ name: 'varr', array_len: 3, type: 'uint16', size: 2 }]);
    expect(byName('irqs').map((f) => f.index)).toEqual([0, 1, 2]);
    expect(byName('tb')[0]).toEqual({
      name: 'tb', type: 'struct',
      struct: { vmsd_name: 'timebase', version: 1, fields: [
        { name: 'x', type: 'uint16', size: 2 }, { name: 'y', type: 'uint64', size: 8 }, { name: 'z', type: 'uint8', size: 1 }] },
      size: 11,
    });
    expect(fields.map((f) => f.name)).toContain('u8[0]');
    expect(fields.map((f) => f.name)).toContain('u8[1]');
    expect(fields.map((f) => f.name)).not.toContain('absent');
    expect((desc.subsections as { vmsd_name: string }[]).map((s) => s.vmsd_name)).toEqual(['dev/a']);
    expect(qjson(desc).startsWith('{"name": "dev", "instance_id": 0, "vmsd_name": "dev", "version": 2, "fields": [{"name": "b", "type": "bool", "size": 1}, ')).toBe(true);
  });

  it('encodes bitmaps as be64 words, LSB first', () => {
    const d: { bits: Uint32Array } = { bits: Uint32Array.from([0x1, 0x80000000, 0x3]) };
    const vmsd: VMStateDescription<typeof d> = { name: 'bm', version_id: 1, minimum_version_id: 1, fields: [VMSTATE_BITMAP('bits', 70, (o: typeof d) => o.bits)] };
    const { bytes } = vmstate_save_with_desc(vmsd, d);
    expect(Array.from(bytes)).toEqual([0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3]);
  });

  it('writes subsections only when needed, in array order, after the fields', () => {
    const src = makeDev(1);
    src.aNeeded = false;
    src.cNeeded = true;
    const { bytes } = vmstate_save_with_desc(vmstate_dev, src);
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).not.toContain('dev/a');
    expect(text.endsWith('\x05\x05dev/c\x00\x00\x00\x01' + '\x00\x00\x00\x09')).toBe(true);
    expect(vmstate_subsections_needed(vmstate_dev, src)).toEqual([
      { name: 'dev/a', needed: false, subsections: [] },
      { name: 'dev/c', needed: true, subsections: [] },
    ]);
  });

  it('reads older stream versions without the newer fields', () => {
    const src = makeDev(2);
    src.v2field = 0;
    const w = new QEMUFileWriter();
    // a version 1 stream is what a v1 description would write: no v2field
    const v1: VMStateDescription<Dev> = { ...vmstate_dev, version_id: 1, fields: vmstate_dev.fields.filter((f) => f.name !== 'v2field') };
    const { bytes } = vmstate_save_with_desc(v1, src);
    w.bytes(bytes);
    const dst = emptyDev();
    const r = new QEMUFileReader(w.take());
    r.eof = true;
    expect(vmstate_load_state(r, vmstate_dev, dst, 1, loadContext())).toBe(0);
    expect(dst.u64).toBe(src.u64);
    expect(dst.loads.at(-1)).toBe('post_load v1');
  });
});

// ---- whole streams through the loader ---------------------------------------------------------

function stream(reg: SaveVMRegistry, machineName = 'pseries-7.2'): Uint8Array {
  const w = new QEMUFileWriter();
  qemu_savevm_state_header(w, { machineName });
  const res = qemu_savevm_state_complete_precopy(w, reg);
  expect(res.ret).toBe(0);
  return w.take();
}

function loadAll(reg: SaveVMRegistry, bytes: Uint8Array, machineName = 'pseries-7.2') {
  const loader = new MigrationLoader(reg, { machineName });
  const res = loader.feed(bytes);
  return { loader, res };
}

function failure(res: unknown): LoadError {
  expect(res).toBeInstanceOf(LoadError);
  return res as LoadError;
}

describe('MigrationLoader', () => {
  it('loads a stream it wrote and keeps the vmdesc', () => {
    const src = new SaveVMRegistry();
    const d = makeDev(5);
    src.vmstate_register(0, vmstate_dev, d);
    const bytes = stream(src);
    const dst = new SaveVMRegistry();
    const e = emptyDev();
    dst.vmstate_register(0, vmstate_dev, e);
    const { loader, res } = loadAll(dst, bytes);
    expect(res).toBe('eof');
    expect(values(e)).toEqual({ ...values(d), c: 0, absent: 0 });
    expect(loader.machineReceived).toBe('pseries-7.2');
    expect(JSON.parse(loader.vmdesc!).devices[0].vmsd_name).toBe('dev');
    expect(loader.vmdesc!.startsWith('{"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0,')).toBe(true);
  });

  it('fails an _EQUAL mismatch exactly as QEMU 7.2 prints it', () => {
    const src = new SaveVMRegistry();
    src.vmstate_register(0, vmstate_dev, makeDev(1));
    const dst = new SaveVMRegistry();
    const e = emptyDev();
    e.nr_irqs = 0x400;
    dst.vmstate_register(0, vmstate_dev, e);
    const err = failure(loadAll(dst, stream(src)).res);
    expect(err.ret).toBe(-22);
    expect(err.format()).toEqual([
      'qemu-system-ppc64: 400 != 1000',
      'qemu-system-ppc64: Failed to load dev:nr_irqs',
      "qemu-system-ppc64: error while loading state for instance 0x0 of device 'dev'",
      'qemu-system-ppc64: load of migration failed: Invalid argument',
    ]);
    // nothing after the failing field was loaded, and post_load did not run
    expect(e.loads).toEqual(['pre_load']);
  });

  it('reproduces the 2016 insns_flags failure of a cpu section with a uint64 _EQUAL', () => {
    type Cpu = { insns_flags: bigint };
    const cpu = (f: bigint): VMStateDescription<Cpu> => ({
      name: 'cpu', version_id: 5, minimum_version_id: 5,
      fields: [VMSTATE_UNUSED(8), VMSTATE_UINT64_EQUAL('env.insns_flags', (o: Cpu) => o.insns_flags)],
    });
    const src = new SaveVMRegistry();
    src.vmstate_register(0, cpu(0n), { insns_flags: 0x8000600fe1ff3a21n });
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, cpu(0n), { insns_flags: 0x8000600fe1ff7ae1n });
    const err = failure(loadAll(dst, stream(src)).res);
    expect(err.format()).toEqual([
      'qemu-system-ppc64: 8000600fe1ff7ae1 != 8000600fe1ff3a21',
      'qemu-system-ppc64: Failed to load cpu:env.insns_flags',
      "qemu-system-ppc64: error while loading state for instance 0x0 of device 'cpu'",
      'qemu-system-ppc64: load of migration failed: Invalid argument',
    ]);
  });

  it('prints an _EQUAL err_hint without the program prefix', () => {
    type O = { v: number };
    const vmsd = (hint?: string): VMStateDescription<O> => ({ name: 'hint', version_id: 1, minimum_version_id: 1, fields: [VMSTATE_UINT8_EQUAL('v', (o: O) => o.v, { err_hint: hint })] });
    const src = new SaveVMRegistry();
    src.vmstate_register(0, vmsd(), { v: 0xab });
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, vmsd('a hint'), { v: 0xc });
    expect(failure(loadAll(dst, stream(src)).res).format('p: ')).toEqual([
      'p: c != ab', 'a hint', 'p: Failed to load hint:v', "p: error while loading state for instance 0x0 of device 'hint'", 'p: load of migration failed: Invalid argument',
    ]);
  });

  it('refuses an unknown subsection with ENOENT and no message of its own', () => {
    type S = { cas: boolean };
    const ov5: VMStateDescription<S> = { name: 'spapr_option_vector_ov5_cas', version_id: 1, minimum_version_id: 1, needed: (s) => s.cas, fields: [VMSTATE_UINT8('x', () => 0, () => {})] };
    const spapr = (subs: VMStateDescription<S>[]): VMStateDescription<S> => ({
      name: 'spapr', version_id: 3, minimum_version_id: 1, fields: [VMSTATE_UINT64('rtc', () => 0n, () => {})], subsections: subs,
    });
    const src = new SaveVMRegistry();
    src.vmstate_register(0, spapr([ov5]), { cas: true });
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, spapr([]), { cas: false });
    const err = failure(loadAll(dst, stream(src)).res);
    expect(err.ret).toBe(-2);
    expect(err.format('')).toEqual([
      "error while loading state for instance 0x0 of device 'spapr'",
      'load of migration failed: No such file or directory',
    ]);
  });

  it('stops at a subsection that does not belong to the section (then the footer is missing)', () => {
    type S = object;
    const foreign: VMStateDescription<S> = { name: 'other/sub', version_id: 1, minimum_version_id: 1, fields: [] };
    const src = new SaveVMRegistry();
    src.vmstate_register(0, { name: 'dev2', version_id: 1, minimum_version_id: 1, fields: [], subsections: [{ ...foreign, name: 'dev2/sub' }] }, {});
    const bytes = stream(src);
    // rename the subsection on the wire to a name without the parent's prefix
    const at = indexOf(bytes, 'dev2/sub');
    bytes.set(new TextEncoder().encode('othr/sub'), at);
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, { name: 'dev2', version_id: 1, minimum_version_id: 1, fields: [] }, {});
    expect(failure(loadAll(dst, bytes).res).format('')).toEqual([
      'Missing section footer for dev2',
      'load of migration failed: Invalid argument',
    ]);
  });

  it('rejects a section version newer than the local one', () => {
    const src = new SaveVMRegistry();
    src.vmstate_register(0, { ...vmstate_dev, version_id: 3 }, makeDev(1));
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, vmstate_dev, emptyDev());
    expect(failure(loadAll(dst, stream(src)).res).format('')).toEqual([
      "savevm: unsupported version 3 for 'dev' v2",
      'load of migration failed: Invalid argument',
    ]);
  });

  it('rejects a too new or too old subsection version with vmstate.c messages', () => {
    const mk = (v: number, min: number): VMStateDescription<Dev> => ({ ...vmstate_dev, subsections: [{ ...vmstate_dev_a, version_id: v, minimum_version_id: min }, vmstate_dev_c] });
    const src = new SaveVMRegistry();
    src.vmstate_register(0, mk(2, 1), makeDev(1));
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, mk(1, 1), emptyDev());
    expect(failure(loadAll(dst, stream(src)).res).format('')).toEqual([
      'dev/a: incoming version_id 2 is too new for local version_id 1',
      "error while loading state for instance 0x0 of device 'dev'",
      'load of migration failed: Invalid argument',
    ]);
    const src2 = new SaveVMRegistry();
    src2.vmstate_register(0, mk(1, 1), makeDev(1));
    const dst2 = new SaveVMRegistry();
    dst2.vmstate_register(0, mk(3, 2), emptyDev());
    expect(failure(loadAll(dst2, stream(src2)).res).format('')[0]).toBe('dev/a: incoming version_id 1 is too old for local minimum version_id  2');
  });

  it('turns a failing post_load into the section error', () => {
    type O = { v: number };
    const vmsd: VMStateDescription<O> = {
      name: 'pl', version_id: 1, minimum_version_id: 1, fields: [VMSTATE_UINT32('v', prop('v'))],
      post_load: (o) => { if (o.v === 7) throw new VMStateError(-22, ['seven is not allowed']); return 0; },
    };
    const src = new SaveVMRegistry();
    src.vmstate_register(0, vmsd, { v: 7 });
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, vmsd, { v: 0 });
    expect(failure(loadAll(dst, stream(src)).res).format('')).toEqual([
      'seven is not allowed', "error while loading state for instance 0x0 of device 'pl'", 'load of migration failed: Invalid argument',
    ]);
  });

  it('reports header, configuration and framing errors with QEMU messages', () => {
    const reg = new SaveVMRegistry();
    reg.vmstate_register(0, vmstate_dev, makeDev(1));
    const good = stream(reg);
    const dst = () => { const r = new SaveVMRegistry(); r.vmstate_register(0, vmstate_dev, emptyDev()); return r; };
    const lines = (b: Uint8Array, machine = 'pseries-7.2') => failure(loadAll(dst(), b, machine).res).format('');

    const bad = good.slice(); bad[0] = 0x51 ^ 1;
    expect(lines(bad)).toEqual(['Not a migration stream', 'load of migration failed: Invalid argument']);
    const v2 = good.slice(); v2[7] = 2;
    expect(lines(v2)).toEqual(["SaveVM v2 format is obsolete and don't work anymore", 'load of migration failed: Operation not supported']);
    const v4 = good.slice(); v4[7] = 4;
    expect(lines(v4)).toEqual(['Unsupported migration stream version', 'load of migration failed: Operation not supported']);
    const nocfg = good.slice(); nocfg[8] = 0x04;
    expect(lines(nocfg)).toEqual(['Configuration section missing', 'load of migration failed: Invalid argument']);
    expect(lines(good, 'pseries-2.6')).toEqual(["Machine type received is 'pseries-7.2' and local is 'pseries-2.6'", 'load of migration failed: Invalid argument']);

    const other = new SaveVMRegistry();
    other.vmstate_register(0x80000000, vmstate_dev, emptyDev());
    expect(failure(loadAll(other, good).res).format('')[0]).toBe(
      "Unknown savevm section or instance 'dev' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices");

    const sect = indexOf(good, '\x7e\x00\x00\x00\x00\x00\x06');
    const footerId = good.slice(); footerId[sect + 4] = 9;
    expect(lines(footerId)).toEqual(['Mismatched section id in footer for dev - read 0x9 expected 0x0', 'load of migration failed: Invalid argument']);
    const footer = good.slice(); footer[sect] = 0x7d;
    expect(lines(footer)).toEqual(['Missing section footer for dev', 'load of migration failed: Invalid argument']);
    const type = good.slice(); type[sect + 5] = 0x09;
    expect(lines(type)).toEqual(['Unknown savevm section type 9', 'load of migration failed: Invalid argument']);
  });

  it('reports a stream that ends early when the sender closes it', () => {
    const reg = new SaveVMRegistry();
    reg.vmstate_register(0, vmstate_dev, makeDev(1));
    const good = stream(reg);
    const dst = new SaveVMRegistry();
    dst.vmstate_register(0, vmstate_dev, emptyDev());
    const loader = new MigrationLoader(dst, { machineName: 'pseries-7.2' });
    expect(loader.feed(good.subarray(0, 40))).toBe('more');
    const err = failure(loader.finish());
    expect(err.message).toBe('load of migration failed: Input/output error');
    // after EOF, a missing vmdesc is only a complaint
    const eofAt = indexOf(good, '{"page_size"') - 6;
    expect(good[eofAt]).toBe(0);
    const l2 = new MigrationLoader((() => { const r = new SaveVMRegistry(); r.vmstate_register(0, vmstate_dev, emptyDev()); return r; })(), { machineName: 'pseries-7.2' });
    expect(l2.feed(good.subarray(0, eofAt + 1))).toBe('more');
    expect(l2.sawEof).toBe(true);
    expect(l2.finish()).toBe('eof');
    expect(l2.errors.lines).toEqual(['Expected vmdescription section, but got 0']);
  });

  it('assigns section ids in registration order and "any" instance ids like QEMU', () => {
    const reg = new SaveVMRegistry();
    const a = reg.vmstate_register(0, vmstate_dev, makeDev(1));
    const b = reg.vmstate_register(-1, vmstate_dev, makeDev(2));
    const c = reg.vmstate_register(-1, vmstate_dev, makeDev(3), { section_id: 40 });
    const d = reg.vmstate_register(0, { ...vmstate_dev, name: 'late' }, makeDev(4));
    const e = reg.vmstate_register(0, { ...vmstate_dev, name: 'early' }, makeDev(4), { priority: 1 });
    expect([a, b, c, d, e].map((s) => [s.idstr, s.instance_id, s.section_id])).toEqual([
      ['dev', 0, 0], ['dev', 1, 1], ['dev', 2, 40], ['late', 0, 41], ['early', 0, 42],
    ]);
    expect(reg.handlers.map((s) => s.idstr)).toEqual(['early', 'dev', 'dev', 'dev', 'late']);
  });
});

function indexOf(hay: Uint8Array, needle: string): number {
  const n = Array.from(needle, (c) => c.charCodeAt(0));
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let k = 0; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return i;
  }
  throw new Error(`not found: ${JSON.stringify(needle)}`);
}


