// Failure paths of a migration, with QEMU's messages and nothing lost. The destination's
// lines are those qemu-system-ppc64 7.2 prints for the same damaged streams (the test runs it
// on them too when it is installed); the source keeps (or gets back) its running guest.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { counters } from '../src/cli/commands';
import { Instance } from '../src/core/instance';
import type { StreamSender } from '../src/core/migration/transport';
import { MemoryLink } from '../src/core/migration/transport';
import { analyzeStream } from '../src/core/vmstate/analyze';

const ELF = new Uint8Array(readFileSync('public/guests/hello.elf'));
const qemu = spawnSync('qemu-system-ppc64', ['--version']).status === 0;

interface Side { inst: Instance; errors: string[]; console: () => string; status: () => string; runstates: string[] }

function side(name: string, machineType = 'pseries-7.2'): Side {
  const inst = new Instance({ name, deterministic: true, machineType });
  const errors: string[] = [];
  const runstates: string[] = [];
  let con = '';
  let status = 'none';
  inst.onError = (m) => errors.push(m);
  inst.onSerial = (t) => { con += t; };
  inst.onMigration = (i) => { status = i.status; };
  inst.onRunstate = (s) => runstates.push(s);
  return { inst, errors, runstates, console: () => con, status: () => status };
}

const lines = (s: Side) => counters(s.console().split(/\r?\n/));
const finished = (st: string) => ['completed', 'failed', 'cancelled'].includes(st);

/** A sender whose bytes pass through `edit(streamOffset, chunk)` on their way. */
function editing(tx: StreamSender, edit: (off: number, chunk: Uint8Array) => void): StreamSender {
  let off = 0;
  return {
    get onWritable() { return tx.onWritable; },
    set onWritable(f) { tx.onWritable = f; },
    get onPeerError() { return tx.onPeerError; },
    set onPeerError(f) { tx.onPeerError = f; },
    send(chunk: Uint8Array) { const c = chunk.slice(); edit(off, c); off += c.length; tx.send(c); },
    canSend: () => tx.canSend(),
    close: () => tx.close(),
    fail: (reason: string) => tx.fail(reason),
  };
}

function bootSource(): Side {
  const src = side('source');
  src.inst.boot(ELF);
  while (src.inst.machine.cpu.state.insnCount < 1_000_000) src.inst.turn();
  return src;
}

function pumpUntil(src: Side, dst: Side | null, link: MemoryLink, done: () => boolean, max = 200_000): void {
  for (let i = 0; i < max && !done(); i++) {
    src.inst.turn(); link.receiver.pump(); link.sender.pump();
    if (dst) { dst.inst.turn(); link.receiver.pump(); link.sender.pump(); }
  }
}

/** The source's guest keeps printing count lines, none of them CORRUPT. */
function expectConsoleContinues(src: Side): void {
  const before = lines(src).length;
  const start = src.inst.machine.cpu.state.insnCount;
  while (src.inst.machine.cpu.state.insnCount - start < 1_500_000) src.inst.turn();
  expect(lines(src).length).toBeGreaterThan(before);
  expect(src.console()).not.toContain('CORRUPT');
}

// ---- one good stream, damaged in the ways QEMU's destination has messages for --------------

function goodStream(): Uint8Array {
  const src = bootSource();
  const dst = side('destination');
  const link = new MemoryLink();
  dst.inst.incoming(link.receiver);
  src.inst.migrate(link.sender);
  pumpUntil(src, dst, link, () => finished(src.status()) && finished(dst.status()));
  return link.bytes();
}

const STREAM = goodStream();
const A = analyzeStream(STREAM);
const full = (id: string) => A.records.find((r) => r.idstr === id && r.type === 'FULL')!;
const at = (needle: string, from: number) => Buffer.from(STREAM).indexOf(Buffer.from(needle, 'latin1'), from);
const VTY = 'vty@71000001/spapr_vty';

const DAMAGE: Array<{ what: string; make: () => Uint8Array; qemu: string[] }> = [
  {
    what: 'unknown section',
    make: () => { const b = STREAM.slice(); b[at('globalstate', full('globalstate').offset) + 10] = 0x78; return b; },
    qemu: [
      "Unknown savevm section or instance 'globalstatx' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices",
      'load of migration failed: Invalid argument',
    ],
  },
  {
    what: 'unknown subsection',
    make: () => { const b = STREAM.slice(); b[at('spapr_dtb', full('spapr').offset) + 8] = 0x78; return b; },
    qemu: ["error while loading state for instance 0x0 of device 'spapr'", 'load of migration failed: No such file or directory'],
  },
  {
    what: 'too-new version',
    make: () => { const b = STREAM.slice(); b[at(VTY, full(VTY).offset) + VTY.length + 7] = 2; return b; },
    qemu: [`savevm: unsupported version 2 for '${VTY}' v1`, 'load of migration failed: Invalid argument'],
  },
  {
    what: '_EQUAL mismatch',
    make: () => { const b = STREAM.slice(); b[at(VTY, full(VTY).offset) + VTY.length + 11] = 2; return b; },
    qemu: [
      '71000001 != 71000002', 'Failed to load spapr_vio:reg', 'Failed to load spapr_vty:sdev',
      `error while loading state for instance 0x0 of device '${VTY}'`, 'load of migration failed: Invalid argument',
    ],
  },
  {
    what: 'truncated stream',
    make: () => STREAM.slice(0, A.records.find((r) => r.type === 'END' && r.idstr === 'ram')!.offset + 1000),
    qemu: ['Unknown combination of migration flags: 0x0', 'error while loading state section id 2(ram)', 'load of migration failed: Invalid argument'],
  },
  {
    what: 'corrupt stream',
    make: () => { const b = STREAM.slice(); b[A.records.find((r) => r.type === 'PART')!.offset + 12] = 0x01; return b; },
    qemu: ['Unknown combination of migration flags: 0x1', 'error while loading state section id 2(ram)', 'load of migration failed: Invalid argument'],
  },
];

describe('a destination refusing a damaged stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-fail-'));
  for (const d of DAMAGE) {
    it(`${d.what}: QEMU's messages`, () => {
      const bytes = d.make();
      const dst = side('destination');
      const link = new MemoryLink(1 << 20);
      dst.inst.incoming(link.receiver);
      for (let o = 0; o < bytes.length; o += 65536) link.sender.send(bytes.slice(o, o + 65536));
      link.sender.close();
      for (let i = 0; i < 100 && dst.status() !== 'failed'; i++) { link.receiver.pump(); dst.inst.turn(); }
      expect(dst.status()).toBe('failed');
      expect(dst.errors).toEqual(d.qemu);
      expect(dst.inst.runstate()).toBe('inmigrate');
      if (qemu) {
        const file = join(dir, `${d.what.replace(/\W+/g, '-')}.bin`);
        writeFileSync(file, bytes);
        const r = spawnSync('qemu-system-ppc64', ['-M', 'pseries,x-vof=on', '-cpu', 'POWER8', '-m', '256M', '-nodefaults',
          '-nographic', '-chardev', 'stdio,id=c0', '-device', 'spapr-vty,chardev=c0', '-kernel', 'public/guests/hello.elf',
          '-incoming', `exec:cat ${file}`], { encoding: 'latin1', timeout: 20_000, input: '' });
        const said = r.stderr.split('\n').filter((l) => l && !l.includes("TCG doesn't support")).map((l) => l.replace(/^qemu-system-ppc64: /, ''));
        expect(said).toEqual(d.qemu);
      }
    }, 30_000);
  }
});

describe('the source after a failed or cancelled migration', () => {
  it('a section the destination does not know, sent before completion: the source fails and keeps running', () => {
    const src = bootSource();
    const dst = side('destination');
    const link = new MemoryLink();
    dst.inst.incoming(link.receiver);
    // the 'ram' START record (type byte at 0x18, section id, length, 'ram') renamed 'rxm'
    src.inst.migrate(editing(link.sender, (off, c) => { const i = 0x18 + 1 + 4 + 1 + 1 - off; if (i >= 0 && i < c.length) c[i] = 0x78; }));
    pumpUntil(src, dst, link, () => finished(src.status()));
    expect(dst.errors).toEqual([
      "Unknown savevm section or instance 'rxm' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices",
      'load of migration failed: Invalid argument',
    ]);
    expect(src.status()).toBe('failed');
    expect(src.inst.runstate()).toBe('running');
    expectConsoleContinues(src);
  });

  it('the port closed mid-migration (destination worker gone): the source fails and keeps running', () => {
    const src = bootSource();
    const link = new MemoryLink();
    link.receiver.onChunk = () => {};
    src.inst.migrate(link.sender);
    for (let i = 0; i < 20; i++) { src.inst.turn(); link.sender.pump(); }
    expect(src.status()).toBe('active');
    link.receiver.reportError('port closed');
    pumpUntil(src, null, link, () => finished(src.status()));
    expect(src.status()).toBe('failed');
    expect(src.errors.at(-1)).toBe('migration failed: destination: port closed');
    expect(src.inst.runstate()).toBe('running');
    expectConsoleContinues(src);
  });

  it('a failure found after the source completed: the source stays in postmigrate (as QEMU without a return path), cont resumes it', () => {
    const src = bootSource();
    const dst = side('destination');
    const link = new MemoryLink();
    dst.inst.incoming(link.receiver);
    let base = -1;
    src.inst.migrate(editing(link.sender, (off, c) => {
      const i = Buffer.from(c).indexOf(Buffer.from('globalstate', 'latin1'));
      if (i >= 0 && base < 0) { base = off + i; c[i + 10] = 0x78; }
    }));
    pumpUntil(src, dst, link, () => finished(src.status()) && finished(dst.status()));
    expect(src.status()).toBe('completed');
    expect(dst.status()).toBe('failed');
    expect(dst.errors.at(-1)).toBe('load of migration failed: Invalid argument');
    expect(src.inst.runstate()).toBe('postmigrate');
    expect(src.inst.cont()).toBeNull();
    expect(src.inst.runstate()).toBe('running');
    expectConsoleContinues(src);
  });

  it('migrate_cancel: cancelling then cancelled, the source keeps running, the destination fails', () => {
    const src = bootSource();
    const dst = side('destination');
    const seen: string[] = [];
    src.inst.onMigration = (i) => { if (seen.at(-1) !== i.status) seen.push(i.status); };
    const link = new MemoryLink();
    dst.inst.incoming(link.receiver);
    src.inst.migrate(link.sender);
    for (let i = 0; i < 10; i++) { src.inst.turn(); link.receiver.pump(); link.sender.pump(); dst.inst.turn(); }
    src.inst.cancel();
    pumpUntil(src, dst, link, () => finished(dst.status()), 1000);
    expect(seen).toEqual(['setup', 'active', 'cancelling', 'cancelled']);
    expect(src.inst.runstate()).toBe('running');
    expect(dst.status()).toBe('failed');
    expectConsoleContinues(src);
  });

  it('a paused source lands the destination in paused', () => {
    const src = bootSource();
    src.inst.stop();
    const dst = side('destination');
    const link = new MemoryLink();
    dst.inst.incoming(link.receiver);
    src.inst.migrate(link.sender);
    pumpUntil(src, dst, link, () => finished(src.status()) && finished(dst.status()));
    expect([src.status(), dst.status()]).toEqual(['completed', 'completed']);
    expect(src.runstates).toEqual(['running', 'paused', 'finish-migrate', 'postmigrate']);
    expect(dst.runstates).toEqual(['inmigrate', 'paused']);
    expect(dst.inst.cont()).toBeNull();
    expectConsoleContinues(dst);
  });
});
