import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { dtbCommand, machineForDt } from '../src/cli/dtb';
import { POWER8 } from '../src/core/cpu/cpu';
import { fdtToDts, formatValue, guessType } from '../src/core/spapr/dts';
import { spaprBuildFdt } from '../src/core/spapr/dt';
import { cells, fdtMemReserve, fdtPack, fdtParse, str } from '../src/core/spapr/fdt';
import { GHashOrder, gStrHash } from '../src/core/spapr/qomorder';
import { PSERIES_VERSIONS } from '../src/core/spapr/versions';

// QEMU 7.2's `-machine dumpdtb=` output and its dtc text (test/fixtures/regen-dt-qemu.sh).
const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** /chosen/rng-seed is 32 random bytes in every QEMU run: compare everything else. */
const noSeed = (dts: string): string => dts.replace(/rng-seed = <[^>]*>;/, 'rng-seed = <...>;');

const VARIANTS: Array<[string, string]> = [
  ['pseries-7.2', 'dt-qemu-pseries-7.2-power8-vty'],
  ['pseries-2.6', 'dt-qemu-pseries-2.6-power8-vty'],
];

const hasDtc = spawnSync('dtc', ['--version']).status === 0;

describe('NUMA affinity after CAS', () => {
  // What a FORM2 guest (Debian 12's kernel) reads from QEMU 7.2's rebuilt tree
  // (test/fixtures/regen-numa-form2-qemu.sh): the FORM2 tables a guest that asks for
  // OV5_FORM2_AFFINITY reads unconditionally, and the node's FORM2 associativity.
  const want = new Map(readFileSync(new URL('./fixtures/numa-form2-qemu.txt', import.meta.url), 'utf8').trim().split('\n')
    .map((l) => { const [path, bytes] = l.split(': '); return [path, bytes.trim()] as [string, string]; }));
  const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

  it('with OV5_FORM2_AFFINITY negotiated the tree has QEMU\'s FORM2 properties', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    m.ov5_cas[34 >> 3] |= 0x80 >> (34 & 7);
    const root = spaprBuildFdt(m);
    const find = (path: string) => {
      const [nodeName, prop] = path.split('/');
      const n = root.children.find((c) => c.name === nodeName)!;
      return n.props.find(([k]) => k === prop)?.[1];
    };
    expect(want.size).toBe(5);
    for (const [path, bytes] of want) expect(find(path) && hex(find(path)!), path).toBe(bytes);
  });

  it('without it the FORM1 single-node arrays stay (what dumpdtb shows)', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const rtas = spaprBuildFdt(m).children.find((c) => c.name === 'rtas')!;
    expect(rtas.props.some(([k]) => k === 'ibm,numa-lookup-index-table')).toBe(false);
  });
});

describe('DTS printer', () => {
  it('prints QEMU\'s blobs exactly as dtc does', () => {
    for (const [, f] of VARIANTS) {
      expect(fdtToDts(fdtParse(new Uint8Array(fixture(`${f}.dtb`))))).toBe(fixture(`${f}.dts`).toString('utf8'));
    }
  });

  it('guesses property types with dtc\'s rules', () => {
    expect(guessType(str('a', 'b'))).toBe('string');
    expect(formatValue(str('a"b\\', 'c'))).toBe('"a\\"b\\\\\\0c"');
    expect(formatValue(cells(0, 0x1f))).toBe('<0x00 0x1f>');
    expect(formatValue(Uint8Array.of(0, 0))).toBe('[00 00]');
    expect(formatValue(Uint8Array.of(0, 0, 0, 0))).toBe('<0x00>'); // more NULs than text
    expect(formatValue(Uint8Array.of(0x41, 0x01, 0))).toBe('[41 01 00]');
  });
});

describe('QOM container order', () => {
  it('g_str_hash is djb2', () => {
    expect(gStrHash('')).toBe(5381);
    expect(gStrHash('a')).toBe((5381 * 33 + 97) >>> 0);
  });

  it('walks GLib\'s table in bucket order across resizes', () => {
    const h = new GHashOrder();
    const keys = Array.from({ length: 256 }, (_, i) => (0x40000000 + i).toString(16));
    keys.forEach((k) => h.insert(k));
    const order = h.keysInOrder();
    expect(order).toHaveLength(256);
    expect(new Set(order)).toEqual(new Set(keys));
    expect(order.slice(0, 4)).toEqual(['4000006d', '40000066', '400000c2', '40000090']);
  });
});

describe('device tree equal to QEMU 7.2\'s', () => {
  for (const [machine, f] of VARIANTS) {
    it(`${machine} -cpu POWER8 -nodefaults -device spapr-vty`, () => {
      const m = machineForDt(machine, POWER8);
      expect(noSeed(fdtToDts(m.fdt))).toBe(noSeed(fixture(`${f}.dts`).toString('utf8')));
      // the packed blob parses back to the same tree
      expect(fdtToDts(fdtParse(m.fdtBlob))).toBe(fdtToDts(m.fdt));
    });
  }

  for (const machine of ['pseries-7.2', 'pseries-2.6']) {
    it(`${machine} -m 256M,slots=4,maxmem=1G (LMB and PMEM DRCs, lrdr-capacity, HPT size)`, () => {
      let text = '';
      // QEMU's -m, and its --m spelling
      const m = machine === 'pseries-7.2' ? ['-m', '256M,slots=4,maxmem=1G'] : ['--m', 'size=256M,maxmem=1G,slots=4'];
      expect(dtbCommand(parseArgs(['--machine', machine, '--cpu', 'POWER8', ...m]), (s) => { text += s; })).toBe(0);
      expect(noSeed(text)).toBe(noSeed(fixture(`dt-qemu-${machine}-maxmem1G.dts`).toString('utf8')));
    });
  }

  it('x-vof=on with -kernel, -initrd and -append (memreserve, boot-kernel, available, phandles)', () => {
    const m = machineForDt('pseries-7.2', POWER8, undefined, true, {
      kernel: new Uint8Array(readFileSync('public/guests/hello.elf')),
      initrd: new Uint8Array(fixture('dt-initrd.bin')),
      append: 'console=hvc0 quiet',
    });
    expect(noSeed(fdtToDts(m.fdt, m.memReserve))).toBe(noSeed(fixture('dt-qemu-pseries-7.2-vof-kernel.dts').toString('utf8')));
    expect(fdtMemReserve(m.fdtBlob)).toEqual(m.memReserve);
  });

  it('equals QEMU\'s for every machine type pseries-2.6 ... 7.2 (SHA-256 of the text)', () => {
    const want = new Map(fixture('dt-qemu-versions.sha256').toString('utf8').trim().split('\n')
      .map((l) => { const [sum, name] = l.split(/\s+/); return [name, sum] as [string, string]; }));
    expect(want.size).toBe(PSERIES_VERSIONS.length);
    for (const v of PSERIES_VERSIONS) {
      const t = noSeed(fdtToDts(machineForDt(v, POWER8).fdt));
      expect([v, createHash('sha256').update(t).digest('hex')]).toEqual([v, want.get(v)]);
    }
  });

  it('cli dtb prints DTS, or writes a blob with --out', () => {
    let text = '';
    expect(dtbCommand(parseArgs(['--machine', 'pseries-2.6', '--cpu', 'POWER8']), (s) => { text += s; })).toBe(0);
    expect(noSeed(text)).toBe(noSeed(fixture('dt-qemu-pseries-2.6-power8-vty.dts').toString('utf8')));
    const dir = mkdtempSync(join(tmpdir(), 'dtb-'));
    const out = join(dir, 'x.dtb');
    dtbCommand(parseArgs(['--out', out]), () => {});
    expect(fdtParse(new Uint8Array(readFileSync(out))).children.map((c) => c.name)).toContain('rtas');
  });

  it('cli dtb takes QEMU\'s -object memory-backend-ram / -device pc-dimm, with QEMU\'s errors', () => {
    let text = '';
    const args = (...more: string[]) => parseArgs(['-M', 'pseries-7.2', '-cpu', 'POWER8', '-m', '256M,slots=4,maxmem=1G', ...more]);
    expect(dtbCommand(args('-object', 'memory-backend-ram,id=mem1,size=512M', '-device', 'pc-dimm,id=dimm1,memdev=mem1'), (t) => { text += t; })).toBe(0);
    expect(noSeed(text)).toBe(noSeed(fixture('dt-qemu-pseries-7.2-maxmem1G-dimm512M.dts').toString('utf8')));
    // the texts qemu-system-ppc64 7.2 prints for the same command lines
    const err = (...more: string[]) => { try { dtbCommand(args(...more), () => {}); return ''; } catch (e) { return (e as Error).message; } };
    expect(err('-device', 'pc-dimm,id=d1')).toBe("-device pc-dimm,id=d1: 'memdev' property must be set");
    expect(err('-device', 'pc-dimm,id=d1,memdev=nope')).toBe("-device pc-dimm,id=d1,memdev=nope: Device 'nope' not found");
    expect(err('-object', 'memory-backend-ram,id=m1')).toBe("-object memory-backend-ram,id=m1: Parameter 'size' is missing");
    expect(err('-object', 'memory-backend-ram,id=m1,size=100M', '-device', 'pc-dimm,id=d1,memdev=m1'))
      .toBe('-device pc-dimm,id=d1,memdev=m1: Hotplugged memory size must be a multiple of 256 MB');
    expect(err('-device', 'foo')).toBe("-device foo: 'foo' is not a valid device model name");
  });

  it.skipIf(!hasDtc)('dtc accepts the blob and prints the same text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtb-'));
    for (const [machine] of VARIANTS) {
      const m = machineForDt(machine, POWER8);
      const file = join(dir, `${machine}.dtb`);
      writeFileSync(file, m.fdtBlob);
      const text = execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
      expect(text).toBe(fdtToDts(m.fdt));
    }
  });

  it('the writer and parser round-trip', () => {
    const t = fdtParse(new Uint8Array(fixture('dt-qemu-pseries-7.2-power8-vty.dtb')));
    expect(fdtToDts(fdtParse(fdtPack(t)))).toBe(fdtToDts(t));
  });
});
