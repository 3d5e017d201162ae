import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Instance } from '../instance';
import { streamFieldMap, vmstateSnapshot } from '../snapshots';
import { fieldKey, fieldSpans, FieldWalkError, spanHex } from './fields';

const QEMU_STREAM = new URL('../../../test/fixtures/stream-pseries-p8.bin.gz', import.meta.url);

describe('fields of a section payload', () => {
  it('walks fields, structs, arrays of structs, capabilities and subsections', () => {
    const desc = {
      fields: [
        { name: 'a', type: 'uint32', size: 4 },
        { name: 'regs', type: 'uint64', size: 8, array_len: 2 },
        { name: 's', type: 'struct', struct: { fields: [{ name: 'x', type: 'uint8', size: 1 }] } },
        { name: 'irqs', type: 'struct', array_len: 3, struct: { fields: [{ name: 'p', type: 'uint16', size: 2 }] } },
        { name: 'cap', type: 'capability' },
      ],
      subsections: [{ vmsd_name: 'dev/sub', fields: [{ name: 'b', type: 'bool', size: 1 }] }],
    };
    const sub = [0x05, 7, ...new TextEncoder().encode('dev/sub'), 0, 0, 0, 1];
    const bytes = new Uint8Array([1, 2, 3, 4, ...new Array(16).fill(9), 7, 0, 1, 0, 2, 0, 3, 2, 0x68, 0x69, ...sub, 1]);
    const { spans, end } = fieldSpans(bytes, desc);
    expect(end).toBe(bytes.length);
    expect(spans.map((s) => [fieldKey(s), s.offset, s.size, s.count])).toEqual([
      ['a', 0, 4, 1], ['regs', 4, 16, 2], ['s.x', 20, 1, 1], ['irqs', 21, 6, 3], ['cap', 27, 3, 1], ['dev/sub: b', 30 + sub.length, 1, 1],
    ]);
    expect(spanHex(bytes, 21, 6, 3)).toBe('0001 0002 0003');
    // a subsection marker missing
    const bad = bytes.slice();
    bad[30] = 0x04;
    expect(() => fieldSpans(bad, desc)).toThrow(FieldWalkError);
    expect(() => fieldSpans(bytes.subarray(0, 10), desc)).toThrow(/more bytes wanted/);
  });

  it('walks an array of structs element by element when their sizes vary', () => {
    const desc = { fields: [{ name: 'names', type: 'struct', array_len: 2, struct: { fields: [{ name: 'n', type: 'capability' }] } }, { name: 'z', type: 'uint8', size: 1 }] };
    const bytes = new Uint8Array([1, 0x61, 3, 0x62, 0x63, 0x64, 7]);
    const { spans, end } = fieldSpans(bytes, desc);
    expect(end).toBe(7);
    expect(spans.map((s) => [s.name, s.offset, s.size, s.count])).toEqual([['names', 0, 6, 2], ['z', 6, 1, 1]]);
  });

  it('covers every payload a pseries machine sends, and finds env.nip where the CPU has it', () => {
    const inst = new Instance({ name: 'm', deterministic: true });
    inst.boot(new Uint8Array(readFileSync(new URL('../../../public/guests/hello.elf', import.meta.url))));
    while (inst.machine.cpu.state.insnCount < 200_000) inst.turn();
    const snap = vmstateSnapshot(inst.machine, { fields: true });
    expect(snap.insns).toBe(inst.machine.cpu.state.insnCount);
    for (const s of snap.sections.filter((x) => x.kind === 'full' && x.needed)) {
      // every byte is some field's, or a subsection's header
      const last = s.fields!.at(-1);
      expect(last ? last.offset + last.size : 0, s.idstr).toBe(s.payload!.length);
      expect(new Set(s.fields!.map((f) => f.key)).size, s.idstr).toBe(s.fields!.length);
    }
    const cpu = snap.sections.find((s) => s.idstr === 'cpu')!;
    const nip = cpu.fields!.find((f) => f.key === 'env.nip')!;
    expect(spanHex(cpu.payload!, nip.offset, nip.size)).toBe(inst.machine.cpu.state.getNip().toString(16).padStart(16, '0'));
    // without `fields` nothing more is sent (the scenarios record these snapshots)
    expect(vmstateSnapshot(inst.machine).sections.some((s) => s.payload || s.fields)).toBe(false);
  });

  it('finds the fields in a stream QEMU 7.2 wrote, with its own vmdesc', () => {
    const bytes = new Uint8Array(gunzipSync(readFileSync(QEMU_STREAM)));
    const map = streamFieldMap(bytes, 'incoming', 3);
    expect(map.error).toBeUndefined();
    expect(map).toMatchObject({ direction: 'incoming', size: bytes.length, seq: 3 });
    const cpu = map.sections['cpu/0'];
    expect(bytes[cpu.record]).toBe(0x04); // QEMU_VM_SECTION_FULL
    const [off, size] = cpu.fields['env.nip'];
    expect(size).toBe(8);
    expect(spanHex(bytes, off, size)).toBe('000000000db19e08'); // what analyze-migration.py prints for it
    expect(Object.keys(map.sections)).toContain('spapr/0');
  });
});
