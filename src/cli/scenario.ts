// `cli scenario`: the guided scenarios, headless and deterministic.
//   scenario list
//   scenario ID [--variant NAME] [--trace EVENT[,EVENT...]] [--steps] [--sweep N]

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCENARIOS, getScenario } from '../core/scenarios/index';
import { DEFAULT_TRACE_EVENTS, formatEvent } from '../core/scenarios/session';
import { UnknownVariantError, type Scenario, type SweepResult } from '../core/scenarios/scenario';
import { intFlag, UsageError, type ParsedArgs } from './args';

type Out = (s: string) => void;

export function guestElf(s: Scenario): Uint8Array {
  return new Uint8Array(readFileSync(resolve('public/guests', s.guest)));
}

export function scenarioCommand(p: ParsedArgs, out: Out): number {
  const id = p.positional[0];
  if (!id) throw new UsageError('scenario needs an ID, or list');
  if (id === 'list') {
    for (const s of SCENARIOS) {
      out(`${s.id}: ${s.title}\n  ${s.thread}\n`);
      for (const v of s.variants) out(`  --variant ${v.name}${v.name === s.defaultVariant ? ' (default)' : ''}: ${v.title}\n`);
    }
    return 0;
  }
  let s: Scenario;
  try { s = getScenario(id); } catch (e) { throw new UsageError((e as Error).message); }
  const variant = p.flags.get('variant');
  if (variant === true) throw new UsageError('--variant needs a NAME');
  const trace = p.flags.get('trace');
  if (trace === true) throw new UsageError('--trace needs EVENT[,EVENT...]');
  const sweepN = intFlag(p, 'sweep');
  try {
    if (sweepN !== undefined) {
      if (!s.sweep) throw new UsageError(`scenario ${s.id} has no sweep`);
      for (const l of formatSweep(s.sweep(guestElf(s), Math.max(2, sweepN), variant))) out(`${l}\n`);
      return 0;
    }
    const r = s.run(guestElf(s), {
      variant,
      traceEvents: trace ? [...DEFAULT_TRACE_EVENTS, ...trace.split(',')] : undefined,
    });
    const kinds = p.flags.has('steps') ? undefined : (['trace', 'console', 'error', 'outcome'] as const);
    const events = kinds ? r.session.events.filter((e) => (kinds as readonly string[]).includes(e.kind)) : r.session.events;
    for (const e of events) out(`${formatEvent(e)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UnknownVariantError) throw new UsageError(e.message);
    throw e;
  }
}

/** The sweep as text: one line per stop-and-copy point, then the marks. */
export function formatSweep(r: SweepResult): string[] {
  const ms = (ns: number) => `${(ns / 1e6).toFixed(1).padStart(7)} ms`;
  const out = [`stop-and-copy relative to ${r.reference}:`];
  for (const pt of r.points) out.push(`${ms(pt.atNs)}  ${pt.broken ? 'BROKEN' : 'ok    '}  ${pt.verdict}`);
  for (const m of r.marks) out.push(`mark ${ms(m.atNs)}  ${m.label}`);
  return out;
}
