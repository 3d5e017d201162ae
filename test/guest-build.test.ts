// The bundled guest public/guests/hello.elf: it must be a loadable ELF64
// big-endian PowerPC image, guests/hello/build.sh must reproduce it byte for
// byte, and the console lines recorded from QEMU must match a model of the
// guest's checksum. guests/cpu-workload/build.sh must reproduce
// public/guests/cpu-workload.elf.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const elfPath = join(root, 'public/guests/hello.elf');
const buildScript = join(root, 'guests/hello/build.sh');
const fixturePath = join(root, 'test/fixtures/hello-qemu-console.txt');

function haveCommand(name: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const crossTools =
  (haveCommand('powerpc64-linux-gnu-as') && haveCommand('powerpc64-linux-gnu-ld')) ||
  (haveCommand('powerpc64le-linux-gnu-as') && haveCommand('powerpc64le-linux-gnu-ld'));
const skipReason = crossTools
  ? ''
  : ' [skipped: no PowerPC64 cross binutils; apt-get install binutils-powerpc64-linux-gnu]';

describe('guests/hello', () => {
  it('public/guests/hello.elf is an ELF64 big-endian PowerPC executable with a PT_LOAD segment', () => {
    const b = readFileSync(elfPath);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect([...b.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(b[4]).toBe(2); // ELFCLASS64
    expect(b[5]).toBe(2); // ELFDATA2MSB
    expect(b[6]).toBe(1); // EV_CURRENT
    expect(v.getUint16(16)).toBe(2); // ET_EXEC
    expect(v.getUint16(18)).toBe(21); // EM_PPC64
    const phoff = Number(v.getBigUint64(32));
    const phentsize = v.getUint16(54);
    const phnum = v.getUint16(56);
    expect(phentsize).toBe(56);
    expect(phnum).toBeGreaterThan(0);
    expect(phoff + phnum * phentsize).toBeLessThanOrEqual(b.length);
    const loads = [];
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      if (v.getUint32(o) !== 1) continue; // PT_LOAD
      loads.push({
        offset: Number(v.getBigUint64(o + 8)),
        vaddr: v.getBigUint64(o + 16),
        filesz: Number(v.getBigUint64(o + 32)),
        memsz: Number(v.getBigUint64(o + 40)),
      });
    }
    expect(loads.length).toBeGreaterThan(0);
    for (const l of loads) {
      expect(l.filesz).toBeGreaterThan(0);
      expect(l.memsz).toBeGreaterThanOrEqual(l.filesz);
      expect(l.offset + l.filesz).toBeLessThanOrEqual(b.length);
    }
    // Linked at 0; the first instruction switches to 64-bit mode: li r3,1.
    const first = loads.reduce((a, c) => (c.vaddr < a.vaddr ? c : a));
    expect(first.vaddr).toBe(0n);
    expect(v.getUint32(first.offset)).toBe(0x38600001);
  });

  it.skipIf(!crossTools)(`build.sh reproduces public/guests/hello.elf byte for byte${skipReason}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'hello-build-'));
    try {
      const out = join(dir, 'hello.elf');
      const r = spawnSync('bash', [buildScript, out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const built = readFileSync(out);
      const committed = readFileSync(elfPath);
      expect(built.length).toBe(committed.length);
      expect(built.equals(committed)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the recorded QEMU console matches a model of the guest checksum', () => {
    // Data region: 512 pages of 4 KiB. Every 64-byte block of page p holds
    // M * (8p + j + 1) in doubleword j at start; step N rewrites slice N mod 32
    // (16 pages), page q of it with M * ((N + 1) * 65536 + 8q + j + 1).
    const mask = (1n << 64n) - 1n;
    const M = 0x9e3779b97f4a7c15n;
    const pageSum = (x0: bigint) => {
      let s = 0n;
      for (let j = 0n; j < 8n; j++) s += (M * (x0 + j)) & mask;
      return (s * 64n) & mask;
    };
    const slices: bigint[] = [];
    for (let s = 0; s < 32; s++) {
      let sum = 0n;
      for (let q = 0; q < 16; q++) sum += pageSum(BigInt(8 * (16 * s + q) + 1));
      slices.push(sum & mask);
    }
    const lines = readFileSync(fixturePath, 'utf8').split('\n');
    expect(lines[lines.length - 1]).toBe('');
    lines.pop();
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('pseries-lab hello guest (POWER8, big-endian)');
    for (let n = 0; n < 4; n++) {
      let sum = 0n;
      for (let q = 0; q < 16; q++) sum += pageSum(BigInt(n + 1) * 65536n + BigInt(8 * q + 1));
      slices[n % 32] = sum & mask;
      const x = slices.reduce((a, c) => (a + c) & mask, 0n);
      expect(lines[n + 1]).toBe(`count ${n} checksum ${x.toString(16).padStart(16, '0')}`);
    }
  });
});

// The benchmark guest (guests/cpu-workload, run by bench/cpu.bench.ts): only the rebuild here,
// the run itself (608 M instructions) belongs to the benchmark.
describe('guests/cpu-workload', () => {
  it.skipIf(!haveCommand('powerpc64le-linux-gnu-gcc'))('build.sh reproduces public/guests/cpu-workload.elf byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpu-workload-build-'));
    try {
      const out = join(dir, 'cpu-workload.elf');
      const r = spawnSync('bash', [join(root, 'guests/cpu-workload/build.sh'), out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(out).equals(readFileSync(join(root, 'public/guests/cpu-workload.elf')))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
