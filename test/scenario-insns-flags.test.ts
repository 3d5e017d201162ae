// Scenario insns-flags-2.6 (seed thread 004, "pseries-2.6 migration from QEMU-2.6 to QEMU-2.7
// broken"): every variant's log pinned against a committed file (regenerate them with
// `npx tsx scripts/regen-scenario-fixtures.ts insns-flags-2.6`), the thread's lines byte for
// byte, and the TCG abort of the "ignore the mismatch" experiment as the interpreter's own state.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPR_LPCR } from '../src/core/cpu/state';
import { insnsFlagsScenario } from '../src/core/scenarios/insns-flags';
import type { ScenarioRun } from '../src/core/scenarios/scenario';
import { analyzeStream } from '../src/core/vmstate/analyze';

const ELF = new Uint8Array(readFileSync('public/guests/hello.elf'));
const fixture = (variant: string) => readFileSync(new URL(`./fixtures/scenarios/insns-flags-2.6.${variant}.txt`, import.meta.url), 'utf8');
const text = (r: ScenarioRun) => r.session.lines().map((l) => `${l}\n`).join('');
const SLOW = 60_000;

const runs = new Map<string, ScenarioRun>();
function run(variant: string): ScenarioRun {
  let r = runs.get(variant);
  if (!r) { r = insnsFlagsScenario.run(ELF, { variant }); runs.set(variant, r); }
  return r;
}

/** The cpu section's field names in the stream's vmdesc. */
function cpuFields(r: ScenarioRun): string[] {
  const desc = JSON.parse(analyzeStream(r.session.streamBytes()).vmdescText!) as { devices: Array<{ name: string; fields: Array<{ name: string }> }> };
  return desc.devices.find((d) => d.name === 'cpu')!.fields.map((f) => f.name);
}

const COUNT = /^count (\d+) /;
const counts = (lines: string[]) => lines.map((l) => COUNT.exec(l)).filter((m) => m).map((m) => Number(m![1]));

describe('scenario insns-flags-2.6: the pinned logs', () => {
  for (const v of insnsFlagsScenario.variants) {
    it(`${v.name}: session.lines() equals the committed file`, () => {
      expect(text(run(v.name))).toBe(fixture(v.name));
    }, SLOW);
  }

  it('runs the same way twice (deterministic instances)', () => {
    for (const v of ['qemu-2.6-to-2.7', 'skip-check-tcg']) {
      const again = insnsFlagsScenario.run(ELF, { variant: v });
      expect(again.session.lines()).toEqual(run(v).session.lines());
      expect(again.outcome).toBe(run(v).outcome);
    }
  }, SLOW);

  it('keeps a frame per step for the page, pointing at the vmstate, trace, console and cpu panels', () => {
    const r = insnsFlagsScenario.run(ELF, { variant: 'skip-check-tcg', frames: true });
    expect(r.session.lines()).toEqual(run('skip-check-tcg').session.lines());
    const f = r.session.frames;
    expect(f.map((x) => x.title)).toEqual([
      'Boot', 'An interrupt-driven guest', 'The cpu section', 'Migration starts', 'The destination loaded the stream',
      'A key on the destination', 'QEMU aborts', 'Outcome',
    ]);
    expect(f.find((x) => x.title === 'The cpu section')).toMatchObject({ panel: 'vmstate', side: 'src' });
    expect(f.find((x) => x.title === 'QEMU aborts')).toMatchObject({ panel: 'cpu', side: 'dst' });
    expect(f.every((x) => ['vmstate', 'trace', 'console', 'cpu'].includes(x.panel!))).toBe(true);
    expect(f.at(-1)!.dst!.profile).toBe('qemu-2.7+skip-insns-check');
  }, SLOW);

  it('refuses unknown variants and defaults to qemu-2.6-to-2.7', () => {
    expect(insnsFlagsScenario.defaultVariant).toBe('qemu-2.6-to-2.7');
    expect(() => insnsFlagsScenario.run(ELF, { variant: 'nope' })).toThrow(/unknown variant 'nope'/);
  });
});

describe('scenario insns-flags-2.6: qemu-2.6 -> qemu-2.7 (the bug)', () => {
  it('the destination prints the thread\'s four lines, byte for byte', () => {
    const r = run('qemu-2.6-to-2.7');
    expect(r.session.events.filter((e) => e.kind === 'error').map((e) => `${e.side}: ${e.text}`)).toEqual([
      'dst: qemu-system-ppc64: 9223477658187168481 != 9223477658187151905',
      'dst: qemu-system-ppc64: Failed to load cpu:env.insns_flags',
      'dst: qemu-system-ppc64: error while loading state for instance 0x0 of device \'cpu\'',
      'dst: qemu-system-ppc64: load of migration failed: Invalid argument',
    ]);
    expect(r.session.migrationStatus('dst')).toBe('failed');
    expect(r.broken).toBe(true);
    expect(r.verdict).toBe('load failed');
    // the stream carries the _EQUAL sanity fields as QEMU 2.6 declared them
    expect(cpuFields(r)).toEqual(expect.arrayContaining(['env.msr_mask', 'env.insns_flags', 'env.insns_flags2', 'env.nb_BATs']));
  }, SLOW);

  it('the source goes back to running and its guest keeps counting', () => {
    const r = run('qemu-2.6-to-2.7');
    const src = r.session.events.filter((e) => e.side === 'src');
    const states = src.filter((e) => e.kind === 'trace' && e.text.includes('runstate_set'))
      .map((e) => /new_state \d+ \((\S+)\)/.exec(e.text)![1]);
    expect(states).toEqual(['running', 'finish-migrate', 'postmigrate', 'running']);
    expect(r.session.src.runstate()).toBe('running');
    const errIdx = r.session.events.map((e, i) => (e.kind === 'error' ? i : -1)).filter((i) => i >= 0);
    const after = r.session.events.slice(errIdx[errIdx.length - 1]).filter((e) => e.side === 'src' && e.kind === 'console').map((e) => e.text);
    expect(counts(after).length).toBeGreaterThanOrEqual(2);
    expect(r.session.console('src').join('\n')).not.toContain('CORRUPT');
  }, SLOW);
});

describe('scenario insns-flags-2.6: the releases around it', () => {
  it('qemu-2.6 -> qemu-2.8: the mig_* fields are read and ignored; the guest counts on', () => {
    const r = run('qemu-2.6-to-2.8');
    expect(r.session.migrationStatus('dst')).toBe('completed');
    expect(r.session.events.filter((e) => e.kind === 'error')).toEqual([]);
    const srcLast = counts(r.session.console('src')).at(-1)!;
    expect(counts(r.session.console('dst'))[0]).toBe(srcLast + 1);
    expect(r.broken).toBe(false);
  }, SLOW);

  it('qemu-2.8 -> qemu-2.6: the stream has mig_* fields with 2.6\'s values, and 2.6 accepts them', () => {
    const r = run('qemu-2.8-to-2.6');
    expect(r.session.migrationStatus('dst')).toBe('completed');
    expect(cpuFields(r)).toEqual(expect.arrayContaining(['mig_msr_mask', 'mig_insns_flags', 'mig_insns_flags2', 'mig_nb_BATs']));
    expect(r.session.events.filter((e) => e.kind === 'error')).toEqual([]);
  }, SLOW);

  it('pseries-2.8: the cpu section has no sanity fields at all', () => {
    const r = run('pseries-2.8');
    expect(r.session.migrationStatus('dst')).toBe('completed');
    const names = cpuFields(r);
    expect(names.filter((n) => n.startsWith('mig_'))).toEqual([]);
    expect(names).not.toContain('env.insns_flags');
    expect(names).not.toContain('env.msr_mask');
    const step = r.session.events.find((e) => e.kind === 'step' && e.text.startsWith('The cpu section:'))!;
    expect(step.text).toContain('no sanity fields');
  }, SLOW);
});

describe('scenario insns-flags-2.6: the fixes discussed in the thread, on 2.7', () => {
  for (const v of ['fix-vmstate-unused', 'fix-post-load-compare', 'fix-per-machine-flags', 'fix-pvr-check']) {
    it(`${v}: the 2.7 destination loads the 2.6 stream and the guest counts on`, () => {
      const r = run(v);
      expect(r.session.migrationStatus('dst')).toBe('completed');
      expect(r.session.events.filter((e) => e.kind === 'error')).toEqual([]);
      expect(r.session.dst!.loop.fatal).toBeNull();
      expect(counts(r.session.console('dst')).length).toBeGreaterThanOrEqual(1);
      expect(r.outcome).toMatch(/^migrated: /);
    }, SLOW);
  }
});

describe('scenario insns-flags-2.6: skip-check-tcg (the TCG abort, from the interpreter)', () => {
  it('the stream loads, then the vCPU aborts at the external interrupt with QEMU 2.7\'s message and dump', () => {
    const r = run('skip-check-tcg');
    const dst = r.session.dst!;
    expect(r.session.migrationStatus('dst')).toBe('completed');
    // the machine's own state: the vCPU hit cpu_abort and the main loop stopped
    const fatal = dst.loop.fatal!;
    expect(fatal).not.toBeNull();
    expect(dst.machine.cpu.aborted).toBe(fatal);
    expect(dst.turn()).toBe(Infinity);
    const lines = fatal.split('\n');
    expect(lines[0]).toBe('qemu: fatal: Trying to deliver HV exception 4 with no HV support');
    expect(lines[1]).toBe('');
    // the dump describes this vCPU as it was when the interrupt came
    const st = dst.machine.cpu.state;
    const h16 = (v: bigint) => v.toString(16).padStart(16, '0');
    expect(lines[2]).toBe(`NIP ${h16(st.getNip())}   LR ${h16(st.getSpr(8))} CTR ${h16(st.getSpr(9))} XER ${h16(st.getSpr(1))} CPU#0`);
    expect(lines[3]).toMatch(new RegExp(`^MSR ${h16(st.getMsr())} HID0 0000000000000000  HF [0-9a-f]{16} iidx \\d didx \\d$`));
    expect(lines[4]).toMatch(/^TB \d{8} \d{8,} DECR \d{8,}$/);
    expect(lines[5]).toMatch(/^GPR00( [0-9a-f]{16}){4}$/);
    // why: the LPCR that arrived from 2.6 has no LPES0, and this vCPU's msr_mask has no MSR_HV
    expect(st.getSpr(SPR_LPCR) & 0x8n).toBe(0n);
    expect(dst.machine.cpu.hvRouting!.msr_mask & (1n << 60n)).toBe(0n);
    // the session shows cpu_abort's lines as they are (no program prefix), after the load
    const errs = r.session.events.filter((e) => e.kind === 'error');
    expect(errs.map((e) => e.text)).toEqual(lines);
    expect(errs.every((e) => e.side === 'dst')).toBe(true);
    expect(r.verdict).toBe('destination aborted');
    expect(r.broken).toBe(true);
  }, SLOW);

  it('a fresh QEMU 2.7 vCPU has LPES0 (nothing goes to the hypervisor), a 2.6 one does not', () => {
    const r = run('skip-check-tcg');
    expect(r.session.src.machine.cpu.state.getSpr(SPR_LPCR) & 0x8n).toBe(0n);
    expect(r.session.src.machine.cpu.hvRouting).toBeNull();
    expect(r.session.src.loop.fatal).toBeNull();
    const d27 = run('fix-vmstate-unused').session.dst!; // loaded from 2.6 too: LPCR without LPES0
    expect(d27.machine.cpu.lpcrReset & 0x8).toBe(0x8);
  }, SLOW);
});
