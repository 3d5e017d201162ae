// `isa-coverage`: how much of POWER8 the one ISA table covers. Rows of the table (by facility),
// rows with differential cases against QEMU 7.2 TCG (the integer, FP and vector case lists the
// fixtures were made from), and the mnemonics GNU objdump -M power8 prints that the assembler
// does not take (src/core/cpu/power8-mnemonics.json, scripts/regen-power8-mnemonics.ts).

import { readFileSync } from 'node:fs';
import { ISA, F, isAssemblable, type IsaRow } from '../core/cpu/isa';
import { decodeRow } from '../core/cpu/decode';
import { assemble, isMnemonic } from '../core/asm/asm';
import { DIFF_INSNS, FP_INSNS } from '../core/cpu/qemu-diff';
import { VEC_AREAS } from '../core/cpu/vec-diff-areas';

const FACILITIES: [string, (r: IsaRow) => boolean][] = [
  ['fixed-point, branch, system', (r) => (r.flags & (F.FP | F.VMX | F.VSX)) === 0],
  ['floating point and DFP', (r) => (r.flags & F.FP) !== 0],
  ['VMX', (r) => (r.flags & F.VMX) !== 0],
  ['VSX', (r) => (r.flags & F.VSX) !== 0],
];

/** Rows exercised by the differential case lists (every instruction of a case text). */
export function coveredRows(): Set<number> {
  const rows = new Set<number>();
  const texts = [...DIFF_INSNS, ...FP_INSNS, ...Object.values(VEC_AREAS).flatMap((l) => l.map((c) => c.insn))];
  for (const t of texts) {
    for (const w of assemble(t, 0x400000n)) {
      const r = decodeRow(w | 0);
      if (r >= 0) rows.add(r);
    }
  }
  return rows;
}

export function isaCoverage(out: (line: string) => void): number {
  const rows = ISA.map((r, i) => ({ r, i })).filter(({ r }) => isAssemblable(r));
  const covered = coveredRows();
  const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(0) : 0}%`;
  const unimpl = rows.filter(({ r }) => r.flags & F.UNIMPL).length;
  out(`ISA table: ${rows.length} rows (${unimpl} recognised but not executed), ${covered.size} with differential cases against QEMU 7.2 TCG (${pct(covered.size, rows.length)})`);
  for (const [name, is] of FACILITIES) {
    const mine = rows.filter(({ r }) => is(r));
    const c = mine.filter(({ i }) => covered.has(i)).length;
    out(`  ${name.padEnd(28)} ${String(mine.length).padStart(4)} rows, ${String(c).padStart(4)} with cases (${pct(c, mine.length)})`);
  }
  const list = JSON.parse(readFileSync(new URL('../core/cpu/power8-mnemonics.json', import.meta.url), 'utf8')) as { objdump: string; mnemonics: string[] };
  const missing = list.mnemonics.filter((m) => !isMnemonic(m));
  out(`POWER8 mnemonics printed by ${list.objdump} -M power8: ${list.mnemonics.length}; taken by the assembler: ${list.mnemonics.length - missing.length}; missing: ${missing.length}`);
  for (let k = 0; k < missing.length; k += 10) out(`  ${missing.slice(k, k + 10).join(' ')}`);
  const uncovered = rows.filter(({ r, i }) => !covered.has(i) && !(r.flags & F.UNIMPL)).map(({ r }) => r.mn);
  out(`rows without differential cases: ${uncovered.length}`);
  for (let k = 0; k < uncovered.length; k += 10) out(`  ${uncovered.slice(k, k + 10).join(' ')}`);
  return 0;
}
