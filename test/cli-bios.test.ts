// `cli run --bios FILE` (QEMU's -bios with x-vof=off and on), `--rtc base=`, `--action panic=`
// and QEMU's errors for bad values: the test firmware guests/bios-hello prints its entry state,
// the FDT header and the RTC, then powers off (or calls ibm,os-term). QEMU 7.2's console,
// stderr and exit status for each command line are in test/fixtures/bios-hello-qemu.json
// (scripts/regen-bios-console.ts); `cli run` given the same options must give the same.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, QemuError } from '../src/cli/args';
import { runCommand } from '../src/cli/commands';
import { loadFirmware, parseRtcDate, rtcNsOffset } from '../src/cli/qemu-opts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/bios-hello-qemu.json'), 'utf8')) as {
  cases: Array<{ args: string[]; stdout: string; stderr: string; status: number }>;
};

/** `cli run` with QEMU's options: console, stderr (as QEMU prints it) and exit status. */
function cliRun(args: string[]): { stdout: string; stderr: string; status: number } {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(root);
  try {
    // error_report lines of a running machine carry QEMU's program-name prefix
    const status = runCommand(parseArgs(args), (s) => { stdout += s; }, (s) => { stderr += `qemu-system-ppc64: ${s}`; });
    return { stdout, stderr, status };
  } catch (e) {
    if (!(e instanceof QemuError)) throw e;
    return { stdout, stderr: e.text(), status: 1 };
  } finally {
    process.chdir(cwd);
  }
}

describe('cli run --bios / --rtc / --action: as QEMU 7.2 with the same options', () => {
  it('the fixture covers both firmware variants, x-vof=off and on, and the errors', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(10);
    expect(fixture.cases.some((c) => c.stdout.includes('power-off'))).toBe(true);
    expect(fixture.cases.some((c) => c.stdout.includes('ibm,os-term'))).toBe(true);
    expect(fixture.cases.some((c) => c.args.join(',').includes('x-vof=on'))).toBe(true);
  });
  for (const c of fixture.cases) {
    it(c.args.join(' '), () => {
      const r = cliRun(c.args);
      // the CLI prints the console line by line, each with \n: QEMU's bytes are \r\n lines
      expect(r.stdout.replace(/\r/g, '')).toBe(c.stdout.replace(/\r/g, ''));
      expect(r.stderr).toBe(c.stderr);
      expect(r.status).toBe(c.status);
    });
  }
});

describe('entry state and RTC details', () => {
  it('x-vof=off: r3 is the FDT written FDT_MAX_SIZE below the RMA top, r1 = 0; the clock starts at the date', () => {
    const r = cliRun(['-M', 'pseries,x-vof=off', '-m', '512M', '-bios', 'guests/bios-hello/bios-hello.bin', '-rtc', 'base=2001-02-03T04:05:06']);
    expect(r.stdout).toContain('r1 0x0000000000000000 r3 0x000000001fe00000 r4 0x0000000000000000 r5 0x0000000000000000');
    expect(r.stdout).toContain('fdt magic 0x00000000d00dfeed');
    expect(r.stdout).toContain('get-time-of-day 0 2001-02-03 04:05:06');
    expect(r.status).toBe(0);
  });
  it('--bios and --rtc also take the two-dash spellings', () => {
    const r = cliRun(['--machine', 'pseries,x-vof=off', '--bios', 'guests/bios-hello/bios-hello.bin', '--rtc', 'base=2010-10-10']);
    expect(r.stdout).toContain('get-time-of-day 0 2010-10-10 00:00:00');
  });
  it('without -rtc a deterministic run keeps its RTC at the epoch', () => {
    const r = cliRun(['-M', 'pseries,x-vof=off', '-bios', 'guests/bios-hello/bios-hello.bin']);
    expect(r.stdout).toContain('get-time-of-day 0 1970-01-01 00:00:00');
  });
  it('x-vof=off without --bios says how to give a firmware', () => {
    expect(() => runCommand(parseArgs(['-M', 'pseries,x-vof=off']), () => {}, () => {})).toThrow(/--bios FILE/);
  });
  it('parseRtcDate: sscanf-like, normalised like mktimegm, -1 refused as QEMU does', () => {
    expect(parseRtcDate('2006-06-17T16:01:21')).toBe(BigInt(Date.UTC(2006, 5, 17, 16, 1, 21) / 1000));
    expect(parseRtcDate('2006-06-17T16:01')).toBe(BigInt(Date.UTC(2006, 5, 17) / 1000)); // 5 fields: the date form
    expect(parseRtcDate('2006-6-1junk')).toBe(BigInt(Date.UTC(2006, 5, 1) / 1000));
    expect(() => parseRtcDate('1969-12-31T23:59:59')).toThrow('invalid datetime format');
    expect(() => parseRtcDate('06/17/2006')).toThrow('invalid datetime format');
  });
  it('rtcNsOffset: the date minus the RTC clock at creation', () => {
    expect(rtcNsOffset({ base: 1000n, clock: 'host' }, 250_000_000n)).toBe(1000n * 1_000_000_000n - 250_000_000n);
    expect(rtcNsOffset({ base: 'utc', clock: 'host' }, 0n)).toBe(0n);
  });
  it('loadFirmware: too big is "Could not load"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bios-'));
    try {
      const big = join(dir, 'big.bin');
      spawnSync('truncate', ['-s', String(0x400001), big]);
      expect(() => loadFirmware(big)).toThrow(`Could not load LPAR firmware '${big}'`);
      spawnSync('truncate', ['-s', String(0x400000), big]);
      expect(loadFirmware(big).length).toBe(0x400000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const crossTools = ['powerpc64-linux-gnu', 'powerpc64le-linux-gnu'].some((p) =>
  ['as', 'ld', 'objcopy'].every((t) => spawnSync('bash', ['-c', `command -v ${p}-${t}`], { stdio: 'ignore' }).status === 0));

describe('guests/bios-hello', () => {
  it.skipIf(!crossTools)('build.sh reproduces the committed images byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bios-hello-'));
    try {
      const r = spawnSync(join(root, 'guests/bios-hello/build.sh'), [dir], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['bios-hello.bin', 'bios-hello-osterm.bin']) {
        expect(Buffer.compare(readFileSync(join(dir, f)), readFileSync(join(root, 'guests/bios-hello', f)))).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
