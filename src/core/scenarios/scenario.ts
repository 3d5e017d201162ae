// What a guided scenario is: the seed threads replayed deterministically, with variants
// (release profiles and the fixes discussed), steps explained in our own words, and an
// outcome. The page's launcher and `cli scenario` both run them through this interface.

import type { ScenarioSession } from './session';

export interface ScenarioVariant {
  name: string;
  title: string;
  /** One or two sentences: what this variant changes and what to expect. */
  summary: string;
}

export interface ScenarioRunOptions {
  variant?: string;
  /** Keep a frame (both machines' snapshots) at each step, for the page. */
  frames?: boolean;
  /** QEMU trace events to show (default: the thread's `runstate_set`, `guest_cpu_reset`). */
  traceEvents?: string[];
  /**
   * Where the stop-and-copy happens, in ns of the source's virtual clock relative to the
   * scenario's reference point (its `sweep` says which); absent = the variant's own choice.
   */
  completeAtNs?: number;
}

export interface ScenarioRun {
  session: ScenarioSession;
  variant: string;
  /** The outcome line. */
  outcome: string;
  /** A short category of the outcome (the sweep plots it). */
  verdict: string;
  /** Whether the outcome is the one QEMU users would call broken. */
  broken: boolean;
}

export interface SweepPoint {
  /** Stop-and-copy time relative to the reference point, ns. */
  atNs: number;
  verdict: string;
  broken: boolean;
}

export interface SweepResult {
  /** What the reference point (0 on the axis) is. */
  reference: string;
  /** Named moments on the axis (ns relative to the reference). */
  marks: Array<{ atNs: number; label: string }>;
  points: SweepPoint[];
}

export interface Scenario {
  id: string;
  title: string;
  /** The thread it reproduces. */
  thread: string;
  summary: string;
  /** The guest it boots: a file name under public/guests/. */
  guest: string;
  variants: ScenarioVariant[];
  defaultVariant: string;
  run(elf: Uint8Array, opts?: ScenarioRunOptions): ScenarioRun;
  /** Run the default variant at each of `count` stop-and-copy points across its window. */
  sweep?(elf: Uint8Array, count: number, variant?: string): SweepResult;
}

export class UnknownVariantError extends Error {
  constructor(s: Scenario, name: string) {
    super(`scenario ${s.id}: unknown variant '${name}' (known: ${s.variants.map((v) => v.name).join(', ')})`);
    this.name = 'UnknownVariantError';
  }
}

/** The variant a run asked for, or the scenario's default; throws on an unknown name. */
export function pickVariant(s: Scenario, name?: string): ScenarioVariant {
  const v = s.variants.find((x) => x.name === (name ?? s.defaultVariant));
  if (!v) throw new UnknownVariantError(s, name ?? s.defaultVariant);
  return v;
}
