// `cli migrate --when-output TEXT [--then-input TEXT]`: QEMU driven as a test harness. Every
// time the guest prints TEXT the instance it runs on migrates to a new one (A -> B -> A ...);
// the guest's state goes on (its counters continue), --then-input is typed into each
// destination, the run ends with the guest's exit status and prints the migration count.
import { describe, it, expect } from 'vitest';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, QemuError } from '../src/cli/args';
import { counters, migrateCommand, OutputMatcher } from '../src/cli/commands';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function cli(args: string[]): { lines: string[]; err: string; rc: number } {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const rc = migrateCommand(parseArgs(args), (s) => { out += s; }, (s) => { err += s; });
    return { lines: out.split('\n').filter((l) => l !== ''), err, rc };
  } finally {
    process.chdir(cwd);
  }
}

/** The console lines of instance `name` ("A: ..."), without the prefix. */
const consoleOf = (lines: string[], name: string) => lines.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));

describe('OutputMatcher', () => {
  it('counts occurrences, also across pieces, never one twice', () => {
    const m = new OutputMatcher('count ');
    expect(m.push('init> count\r\n')).toBe(0);
    expect(m.push('cou')).toBe(0);
    expect(m.push('nt 1\r\ncount 2 count 3')).toBe(3);
    expect(m.push(' ')).toBe(0);
    const aa = new OutputMatcher('aa');
    expect(aa.push('a')).toBe(0);
    expect(aa.push('aa')).toBe(1); // "aaa": one, the second would overlap it
    expect(aa.push('a')).toBe(1);
  });
});

describe('cli migrate --when-output', () => {
  it('hello guest: a migration at every counter line, back and forth, the counter and checksum going on', () => {
    const { lines, rc } = cli(['-m', '64M', '--when-output', 'checksum', '--then-input', 'hi\\r', '--max-insns', '3200000']);
    expect(rc).toBe(0);
    const migrations = lines.filter((l) => /^migration \d+: /.test(l));
    const n = migrations.length;
    expect(n).toBeGreaterThanOrEqual(4);
    expect(lines[lines.length - 1]).toBe(`migrations: ${n}`);
    migrations.forEach((l, i) => {
      const [from, to] = i % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
      expect(l).toMatch(new RegExp(`^migration ${i + 1}: ${from} -> ${to} completed, \\d+ bytes$`));
    });
    // count k is printed by A for even k, by B for odd k, and the values run on
    const a = counters(consoleOf(lines, 'A'));
    const b = counters(consoleOf(lines, 'B'));
    expect(a.length + b.length).toBe(n);
    expect(a).toEqual(Array.from({ length: a.length }, (_, i) => 2 * i));
    expect(b).toEqual(Array.from({ length: b.length }, (_, i) => 2 * i + 1));
    // the same checksums as one machine without migration would print (guests/hello/README.md)
    expect(lines).toContain('A: count 0 checksum 53459d9a382a0000');
    expect(lines).toContain('B: count 1 checksum 178047f7b6da0000');
    expect(lines.some((l) => l.includes('CORRUPT'))).toBe(false);
    // --then-input: each destination echoes what was typed into it after it resumed
    expect(consoleOf(lines, 'A').filter((l) => l === 'hi').length + consoleOf(lines, 'B').filter((l) => l === 'hi').length).toBe(n);
    expect(consoleOf(lines, 'A')[0]).not.toBe('hi');
  }, 120_000);

  it('Linux guest: `count` typed at each prompt migrates the shell, the counter continues, poweroff ends it with status 0', () => {
    const { lines, rc } = cli(['--guest', 'linux', '--rtc', 'base=2006-06-17T16:01:21', '--input', 'date\\rcount\\rcount\\rcount\\rdate\\rpoweroff',
      '--when-output', 'count ']);
    expect(lines.filter((l) => /^migration \d+: /.test(l))).toEqual([
      expect.stringMatching(/^migration 1: A -> B completed/),
      expect.stringMatching(/^migration 2: B -> A completed/),
      expect.stringMatching(/^migration 3: A -> B completed/),
    ]);
    expect(lines[lines.length - 1]).toBe('migrations: 3');
    expect(consoleOf(lines, 'A').filter((l) => /^count \d+$/.test(l))).toEqual(['count 1', 'count 3']);
    expect(consoleOf(lines, 'B').filter((l) => /^count \d+$/.test(l))).toEqual(['count 2']);
    // the RTC started at the -rtc date (the kernel read it with get-time-of-day at boot), and
    // the clock went on through the migrations
    expect(consoleOf(lines, 'A').filter((l) => /^\d{4}-/.test(l))).toEqual(['2006-06-17 16:01:21 UTC']);
    expect(consoleOf(lines, 'B').filter((l) => /^\d{4}-/.test(l))).toEqual([expect.stringMatching(/^2006-06-17 16:0[1-9]:\d\d UTC$/)]);
    // the last destination ran the power-off: the kernel's last words, then QEMU's status 0
    const b = consoleOf(lines, 'B');
    expect(b.some((l) => /reboot: Power down/.test(l))).toBe(true);
    expect(consoleOf(lines, 'A').some((l) => /Power down/.test(l))).toBe(false);
    expect(rc).toBe(0);
  }, 120_000);

  it('the exit status is the guest\'s: ibm,os-term with --action panic=exit-failure is 1', () => {
    const { lines, rc, err } = cli(['-M', 'pseries,x-vof=off', '-bios', 'guests/bios-hello/bios-hello-osterm.bin',
      '-action', 'panic=exit-failure', '--when-output', 'never printed']);
    expect(lines).toContain('A: ibm,os-term');
    expect(err).toContain('OS terminated: bios-hello done');
    expect(lines[lines.length - 1]).toBe('migrations: 0');
    expect(rc).toBe(1);
    expect(cli(['-M', 'pseries,x-vof=off', '-bios', 'guests/bios-hello/bios-hello.bin', '--when-output', 'never printed']).rc).toBe(0);
  });

  it('refuses what QEMU would not take', () => {
    expect(() => cli(['--when-output', 'x', '--frobnicate', '1'])).toThrow(QemuError);
    expect(() => cli(['--when-output', 'x', '--rtc', 'base=foo'])).toThrow('invalid datetime format');
    expect(() => cli(['--when-output', 'x', '--after-insns', '5'])).toThrow('--after-insns');
    expect(() => cli(['--when-output'])).toThrow('--when-output needs a TEXT');
  });
});
