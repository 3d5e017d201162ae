import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { QEMUFileWriter } from './qemufile';
import { analyzeStream, formatState, writeState } from './analyze';

/**
 * A stream with one section read through its vmdesc only, with what the description format
 * allows: a repeated field name, arrays (of zero length too), structs, a capability, nullptr,
 * negative integers, a name to escape, and subsections (one of them named like a field).
 */
function synth(): Uint8Array {
  const w = new QEMUFileWriter();
  w.be32(0x5145564d); w.be32(3);
  w.u8(4); w.be32(1); w.countedString('thing'); w.be32(0); w.be32(1);
  w.be32(0x01020304);                  // a
  w.be16(1); w.be16(0xfffe); w.be16(0x8000); // b[3]
  w.u8(0xff);                          // a (again)
  w.u8(1); w.bytes(new Uint8Array([1, 2, 3]));  // s[0]
  w.u8(0); w.bytes(new Uint8Array([4, 5, 6]));  // s[1]
  w.countedString('x-ignore-shared');  // c
  w.be32(0xfffffff9);                  // e
  w.u8(2);                             // o (bool 2: true)
  w.u8(5); w.countedString('thing/sub'); w.be32(1); w.be64(0x8000000000000001n);
  w.u8(5); w.countedString('b'); w.be32(1); w.be32(0x0a0b0c0d);
  w.u8(0x7e); w.be32(1);
  w.u8(0);
  const desc = { page_size: 4096, devices: [{ name: 'thing', instance_id: 0, vmsd_name: 'thing', version: 1, fields: [
    { name: 'a', type: 'uint32', size: 4 },
    { name: 'b', array_len: 3, type: 'int16', size: 2 },
    { name: 'a', type: 'uint8', size: 1 },
    { name: 'z', array_len: 0, type: 'uint8', size: 1 },
    { name: 's', array_len: 2, type: 'struct', struct: { vmsd_name: 'thing/s', version: 1, fields: [
      { name: 'x', type: 'bool', size: 1 }, { name: 'y', type: 'buffer', size: 3 }] }, size: 4 },
    { name: 'c', type: 'capability', size: 16 },
    { name: 'n', type: 'nullptr', size: 0 },
    { name: 'e', type: 'int32', size: 4 },
    { name: 'o', type: 'bool', size: 1 },
    { name: 'ü"\\', type: 'unused_buffer', size: 0 },
  ], subsections: [
    { vmsd_name: 'thing/sub', version: 1, fields: [{ name: 'q', type: 'int64', size: 8 }] },
    { vmsd_name: 'thing/b', version: 1, fields: [{ name: 'r', type: 'uint32', size: 4 }] },
  ] }] };
  const json = new TextEncoder().encode(JSON.stringify(desc));
  w.u8(6); w.be32(json.length); w.bytes(json);
  return w.take();
}

/** What the Map walk printed for it (analyze-migration.py's dictionary rules). */
const EXPECTED = [
  "{",
  "    \"thing (1)\": {",
  "        \"a\": [",
  "            \"0x01020304\",",
  "            \"0xff\"",
  "        ],",
  "        \"b\": {",
  "            \"r\": \"0x0a0b0c0d\"",
  "        },",
  "        \"s\": [",
  "            {",
  "                \"x\": true,",
  "                \"y\": \"01 02 03\"",
  "            },",
  "            {",
  "                \"x\": false,",
  "                \"y\": \"04 05 06\"",
  "            }",
  "        ],",
  "        \"c\": \"x-ignore-shared\",",
  "        \"n\": \"nullptr\",",
  "        \"e\": \"0xfffffff9 (-7)\",",
  "        \"o\": true,",
  "        \"\\u00fc\\\"\\\\\": \"\",",
  "        \"thing/sub\": {",
  "            \"q\": \"0x8000000000000001 (-9223372036854775807)\"",
  "        }",
  "    }",
  "}",
];

function text(a: ReturnType<typeof analyzeStream>): string {
  const chunks: Uint8Array[] = [];
  writeState(a, (c) => chunks.push(c));
  return Buffer.concat(chunks).toString('latin1');
}

describe('analyze -d state: the compiled walk and the streamed JSON', () => {
  it('prints a section read through its vmdesc as the Map walk does', () => {
    const a = analyzeStream(synth(), { state: true });
    expect(a.error).toBeUndefined();
    expect(formatState(a)).toEqual(EXPECTED);
    expect(text(a)).toBe(EXPECTED.join('\n') + '\n');
  });

  it('gives the same dictionary as Maps (state) as it writes', () => {
    const a = analyzeStream(synth(), { state: true });
    const thing = a.state!.get('thing (1)') as Map<string, unknown>;
    expect([...thing.keys()]).toEqual(['a', 'b', 's', 'c', 'n', 'e', 'o', '\u00fc"\\', 'thing/sub']);
    expect(thing.get('a')).toEqual(['0x01020304', '0xff']);
    expect(thing.get('b')).toEqual(new Map([['r', '0x0a0b0c0d']]));
    expect((thing.get('s') as Map<string, unknown>[]).map((m) => m.get('y'))).toEqual(['01 02 03', '04 05 06']);
    // the Maps alone (no walked sections behind them) print the same text
    expect(formatState({ ...a, state: a.state })).toEqual(EXPECTED);
  });

  for (const name of ['pseries-p8', 'pseries-2.6-p8']) {
    it(`stream-${name}: the chunks are the lines, newline-ended; the Maps print the same`, () => {
      const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(`../../../test/fixtures/stream-${name}.bin.gz`, import.meta.url))));
      const a = analyzeStream(bytes, { state: true });
      expect(a.error).toBeUndefined();
      const lines = formatState(a);
      expect(text(a)).toBe(lines.join('\n') + '\n');
      expect(formatState({ ...a, state: a.state })).toEqual(lines);
    });
  }
});
