// A mutation fuzzer over migration streams, for the decoder (analyzeStream) and the
// destination's loader (MigrationLoader on a pseries registry): bit flips, truncation,
// length-field inflation, section-id swaps and subsection-name swaps. A case fails when an
// exception escapes, when it takes longer than its time budget, or when the loader neither
// finishes nor fails once the whole stream was fed and closed.

import { analyzeStream } from './analyze';
import { LoadError, MigrationLoader, SaveVMRegistry } from './savevm';
import { spaprRegisterVmstate } from '../spapr/vmstate';
import type { SpaprMachine } from '../spapr/machine';

/** xorshift32: the fuzzer's only source of randomness (seeded, so a failure replays). */
export class Rng {
  private x: number;
  constructor(seed: number) { this.x = seed >>> 0 || 1; }
  next(): number {
    let x = this.x;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.x = x;
    return x;
  }
  below(n: number): number { return n <= 0 ? 0 : this.next() % n; }
}

export type Mutation = 'bitflip' | 'truncate' | 'inflate' | 'section-id' | 'subsection-name';
export const MUTATIONS: readonly Mutation[] = ['bitflip', 'truncate', 'inflate', 'section-id', 'subsection-name'];

/** Offsets of section headers (type byte) and subsection markers in a stream, found by a walk. */
export interface StreamMap { sections: number[]; subsections: number[] }

export function mapStream(b: Uint8Array): StreamMap {
  const a = analyzeStream(b);
  const sections = a.records.map((r) => r.offset);
  const subsections: number[] = [];
  for (const r of a.records) {
    if (r.type !== 'FULL') continue;
    for (let i = r.offset; i < r.offset + r.size - 3; i++) {
      // 0x05, len, "<parent>/" ...: a subsection header
      if (b[i] === 0x05 && b[i + 1] > 3 && b[i + 1] < 64 && i + 2 + b[i + 1] < b.length) {
        const name = b.subarray(i + 2, i + 2 + b[i + 1]);
        if (name.every((c) => c >= 0x20 && c < 0x7f) && name.includes(0x2f) || name.every((c) => c >= 0x61 && c <= 0x7a || c === 0x5f)) subsections.push(i);
      }
    }
  }
  return { sections, subsections };
}

export function mutate(src: Uint8Array, map: StreamMap, rng: Rng, kind: Mutation): Uint8Array {
  const b = src.slice();
  switch (kind) {
    case 'bitflip': {
      const n = 1 + rng.below(8);
      for (let k = 0; k < n; k++) {
        // half of the flips near a section header, where the structure is
        const near = map.sections.length && rng.below(2) ? map.sections[rng.below(map.sections.length)] + rng.below(64) : rng.below(b.length);
        if (near < b.length) b[near] ^= 1 << rng.below(8);
      }
      return b;
    }
    case 'truncate':
      return b.subarray(0, rng.below(b.length));
    case 'inflate': {
      // a length or count field made huge: at a section header (idstr length, ids) or anywhere
      const at = map.sections.length ? map.sections[rng.below(map.sections.length)] + 1 + rng.below(24) : rng.below(b.length - 4);
      for (let k = 0; k < 4 && at + k < b.length; k++) b[at + k] = 0xff;
      return b;
    }
    case 'section-id': {
      if (map.sections.length < 2) return b;
      const x = map.sections[rng.below(map.sections.length)] + 1, y = map.sections[rng.below(map.sections.length)] + 1;
      for (let k = 0; k < 4; k++) { const t = b[x + k]; b[x + k] = b[y + k]; b[y + k] = t; }
      return b;
    }
    case 'subsection-name': {
      if (!map.subsections.length) return b;
      const at = map.subsections[rng.below(map.subsections.length)];
      const len = b[at + 1];
      b[at + 2 + rng.below(len)] ^= 0x01 + rng.below(0x1e);
      return b;
    }
  }
}

export interface CaseResult { kind: Mutation; ok: boolean; ms: number; problem?: string }

/** Run one mutated stream through analyze and the loader. */
export function runCase(bytes: Uint8Array, kind: Mutation, machine: SpaprMachine, budgetMs = 5000): CaseResult {
  const t0 = performance.now();
  try {
    analyzeStream(bytes);
    const reg = new SaveVMRegistry();
    spaprRegisterVmstate(machine, reg);
    const loader = new MigrationLoader(reg, { machineName: machine.machineType });
    let res: ReturnType<MigrationLoader['feed']> = 'more';
    for (let o = 0; o < bytes.length && res === 'more'; o += 1 << 18) res = loader.feed(bytes.subarray(o, o + (1 << 18)));
    if (res === 'more') res = loader.finish();
    if (res !== 'eof' && !(res instanceof LoadError)) return { kind, ok: false, ms: performance.now() - t0, problem: `loader left in '${String(res)}' after the end of the stream` };
  } catch (e) {
    return { kind, ok: false, ms: performance.now() - t0, problem: `exception: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  }
  const ms = performance.now() - t0;
  if (ms > budgetMs) return { kind, ok: false, ms, problem: `took ${ms.toFixed(0)} ms` };
  return { kind, ok: true, ms };
}
