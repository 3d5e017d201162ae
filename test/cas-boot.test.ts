// The cas-boot guest (guests/cas-boot/, committed as public/guests/cas-boot.elf): build.sh
// reproduces it, and its console up to "tick 1" equals QEMU 7.2's
// (test/fixtures/regen-cas-boot-qemu.sh). Then what only our machine can check headless:
// the boot counter survives a system_reset, and H_BUSY from H_CAS makes it retry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { runCommand } from '../src/cli/commands';
import { Instance } from '../src/core/instance';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const elfPath = join(root, 'public/guests/cas-boot.elf');
const QEMU = readFileSync(join(root, 'test/fixtures/cas-boot-qemu-console.txt'), 'utf8');

const haveGcc = spawnSync('bash', ['-c', 'command -v powerpc64le-linux-gnu-gcc'], { stdio: 'ignore' }).status === 0;

/** Lines of console text up to and including the first `cas-boot: tick 1`. */
function upToTick1(text: string): string {
  const lines = text.replace(/\r/g, '').split('\n');
  const i = lines.indexOf('cas-boot: tick 1');
  return i < 0 ? lines.join('\n') : `${lines.slice(0, i + 1).join('\n')}\n`;
}

/** A deterministic instance booting the guest, with its console collected. */
function boot(): { inst: Instance; text: () => string; until: (re: RegExp, turns?: number) => void } {
  const inst = new Instance({ name: 'source', deterministic: true });
  let text = '';
  inst.onSerial = (t) => { text += t; };
  inst.boot(new Uint8Array(readFileSync(elfPath)));
  const until = (re: RegExp, turns = 200_000) => {
    for (let i = 0; i < turns && !re.test(text); i++) inst.turn();
    expect(text).toMatch(re);
  };
  return { inst, text: () => text.replace(/\r/g, ''), until };
}

describe('guests/cas-boot', () => {
  it('public/guests/cas-boot.elf is a small big-endian PPC64 image loaded at physical 0', () => {
    const b = readFileSync(elfPath);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect([...b.subarray(0, 6)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 2]);
    expect(v.getUint16(18)).toBe(21); // EM_PPC64
    expect(b.length).toBeLessThan(16 * 1024);
    const phoff = Number(v.getBigUint64(32));
    expect(v.getUint32(phoff)).toBe(1); // PT_LOAD
    expect(v.getBigUint64(phoff + 24)).toBe(0n); // p_paddr: loaded at 0x400000
    expect(Number(v.getBigUint64(phoff + 16)) + Number(v.getBigUint64(phoff + 40))).toBeLessThan(0x00f00000); // below the boot record
  });

  it.skipIf(!haveGcc)('build.sh reproduces the committed ELF byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cas-boot-'));
    try {
      const out = join(dir, 'cas-boot.elf');
      const r = spawnSync('bash', [join(root, 'guests/cas-boot/build.sh'), out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(out).equals(readFileSync(elfPath))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cli run prints what QEMU 7.2 prints, up to tick 1', () => {
    expect(QEMU.split('\n').at(-2)).toBe('cas-boot: tick 1');
    let text = '';
    const rc = runCommand(parseArgs([elfPath, '--max-insns', '600000']), (s) => { text += s; }, () => {});
    expect(rc).toBe(0);
    expect(upToTick1(text)).toBe(QEMU);
  });

  it('system_reset keeps the boot record in RAM: the second boot prints "boot 2"', () => {
    const { inst, text, until } = boot();
    until(/tick 0/);
    inst.systemReset();
    until(/boot 2[^]*tick 1\r\n/);
    const second = text().slice(text().indexOf('cas-boot: boot 2'));
    expect(upToTick1(second)).toBe(QEMU.replace('cas-boot: boot 1', 'cas-boot: boot 2'));
  });

  it('H_BUSY from H_CAS: the guest retries every 50 ms of timebase until CAS succeeds', () => {
    const { inst, text, until } = boot();
    const busyLine = 'cas-boot: H_CAS busy, retrying in 50 ms';
    const at: number[] = [];
    inst.machine.casBusyWhileMigrating = true;
    inst.loop.migrationActive = () => {
      at.push(inst.loop.clock.ns());
      return text().split(busyLine).length - 1 < 2;
    };
    until(/tick 1\r\n/);
    const lines = upToTick1(text()).split('\n');
    const q = QEMU.split('\n');
    expect(lines).toEqual([...q.slice(0, 3), busyLine, busyLine, ...q.slice(3)]);
    // three H_CAS calls, 50 ms apart on the virtual clock
    expect(at).toHaveLength(3);
    for (const d of [at[1] - at[0], at[2] - at[1]]) {
      expect(d).toBeGreaterThanOrEqual(50e6);
      expect(d).toBeLessThan(51e6);
    }
  });
});
