// Regenerate test/fixtures/bios-hello-qemu.json: the test firmware guests/bios-hello/*.bin
// booted on QEMU 7.2 (Debian's qemu-system-ppc64, TCG) with -bios, x-vof=off and on, several
// -rtc base= dates and -action panic=, plus the errors QEMU gives for bad -rtc / -bios /
// -append values. For each case: the options beyond the common ones, the console (stdout),
// stderr without TCG's cap-* warnings, and the exit status. test/cli-bios.test.ts runs the
// same options through `cli run` and expects the same three.
//
//   npx tsx scripts/regen-bios-console.ts        (needs qemu-system-ppc64: apt-get install -y qemu-system-ppc)

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** QEMU's options every case has; the CLI's defaults stand for them (POWER8, the vty at reg 0x71000001). */
export const COMMON = ['-cpu', 'POWER8', '-nodefaults', '-nographic', '-chardev', 'stdio,id=con', '-device', 'spapr-vty,chardev=con'];

const FW = 'guests/bios-hello/bios-hello.bin';
const OSTERM = 'guests/bios-hello/bios-hello-osterm.bin';
const CASES: string[][] = [
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-rtc', 'base=2006-06-17T16:01:21'],
  ['-M', 'pseries,x-vof=off', '-m', '1G', '-bios', FW, '-rtc', 'base=2006-06-17'],
  ['-M', 'pseries-7.2,x-vof=off', '-m', '256M', '-bios', FW, '-rtc', 'base=2006-13-17T25:61:00'],
  ['-M', 'pseries,x-vof=on', '-m', '256M', '-bios', FW, '-rtc', 'base=2023-02-28T23:59:59'],
  ['-M', 'pseries', '-m', '256M', '-bios', FW, '-rtc', 'base=2023-02-28T23:59:59'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', OSTERM, '-rtc', 'base=1999-12-31T23:59:58'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', OSTERM, '-rtc', 'base=2006-06-17', '-action', 'panic=exit-failure'],
  // errors
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-rtc', 'base=foo'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-rtc', 'base=2006-06-17,foo=bar'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-rtc', 'base=utc,clock=foo'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-rtc', '2006-06-17'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', 'guests/bios-hello/no-such-firmware.bin'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', 'guests/bios-hello'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-append', 'console=hvc0'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-action', 'panic=foo'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-action', 'foo=bar'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-action', 'panic'],
  ['-M', 'pseries,x-vof=off', '-m', '256M', '-bios', FW, '-frobnicate'],
];

export interface BiosCase { args: string[]; stdout: string; stderr: string; status: number }

function run(args: string[]): BiosCase {
  const r = spawnSync('qemu-system-ppc64', [...args, ...COMMON], { encoding: 'latin1', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === null) throw new Error(`qemu-system-ppc64 ${args.join(' ')}: ${r.error ?? r.signal}`);
  const stderr = r.stderr.split('\n').filter((l) => !/warning: TCG doesn't support requested feature/.test(l)).join('\n');
  return { args, stdout: r.stdout, stderr, status: r.status };
}

const out: BiosCase[] = [];
for (const args of CASES) {
  let c = run(args);
  // the RTC follows host time from the -rtc date on: take a run that read it within its first second
  const base = /base=(\d{4}-\d\d-\d\d(?:T[\d:]+)?)/.exec(args.join(' '));
  for (let tries = 0; base && tries < 3 && !/get-time-of-day 0 /.test(c.stdout) && c.status === 0; tries++) c = run(args);
  console.error(`$ qemu-system-ppc64 ${args.join(' ')}  -> ${c.status}`);
  out.push(c);
}
const file = resolve('test/fixtures/bios-hello-qemu.json');
writeFileSync(file, JSON.stringify({ qemu: spawnSync('qemu-system-ppc64', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0], common: COMMON, cases: out }, null, 1) + '\n');
console.error(`wrote ${file}`);
