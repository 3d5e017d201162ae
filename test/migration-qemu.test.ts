// QEMU's own tools read our streams: QEMU 7.2's scripts/analyze-migration.py (from Debian's
// source package, see scripts/get-qemu-source.sh, or QEMU_SRC) prints exactly what our
// analyzer prints, and qemu-system-ppc64 -incoming resumes the hello guest, which keeps
// counting there. Each part reports itself skipped when the tool is not installed.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuIncoming } from './qemu-incoming';
import { parseArgs } from '../src/cli/args';
import { counters, migrateCommand } from '../src/cli/commands';
import { analyzeStream, formatDesc, formatState } from '../src/core/vmstate/analyze';

function analyzeScript(): string | undefined {
  const roots = process.env.QEMU_SRC ? [process.env.QEMU_SRC] : [];
  const cache = '.cache/qemu-src';
  if (existsSync(cache)) for (const d of readdirSync(cache)) if (d.startsWith('qemu-7.2')) roots.push(join(cache, d));
  for (const r of roots) {
    const s = join(r, 'scripts/analyze-migration.py');
    if (existsSync(s)) return s;
  }
  return undefined;
}

const hasPython = spawnSync('python3', ['--version']).status === 0;
const script = hasPython ? analyzeScript() : undefined;
const qemu = spawnSync('qemu-system-ppc64', ['--version']).status === 0;

// one stream of the hello guest for every test here
const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-qemu-'));
const file = join(dir, 's.bin');
let out = '';
const rc = migrateCommand(parseArgs(['--after-insns', '1000000', '--then-insns', '1000000', '--out', file]), (s) => { out += s; }, () => {});
const dstCounts = counters(out.split('\n').filter((l) => l.startsWith('dst: ')).map((l) => l.slice(5)));

describe.skipIf(!script)('analyze-migration.py (QEMU 7.2) on our stream', () => {
  it('parses it, and -d state / -d desc print exactly what our analyzer prints', () => {
    expect(rc).toBe(0);
    const state = spawnSync('python3', [script!, '-f', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(state.stderr).toBe('');
    expect(state.status).toBe(0);
    const desc = spawnSync('python3', [script!, '-f', file, '-d', 'desc'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(desc.status).toBe(0);
    const bytes = new Uint8Array(readFileSync(file));
    const a = analyzeStream(bytes, { state: true });
    expect(state.stdout).toBe(formatState(a).join('\n') + '\n');
    expect(desc.stdout).toBe(formatDesc(a).join('\n') + '\n');
    expect(Object.keys(JSON.parse(state.stdout))).toEqual([
      'ram (2)', 'spapr/htab (560)', 'timer (0)', 'ics (4)', 'cpu_common (6)', 'cpu (7)', 'icp/server (8)',
      'spapr_cpu (9)', 'spapr/rtc (10)', 'nvram@71000000/spapr_nvram (11)', 'spapr_iommu (555)',
      'spapr_iommu (556)', 'spapr_pci (557)', 'PCIBUS (558)', 'spapr (559)', 'vty@71000001/spapr_vty (565)',
      'globalstate (566)',
    ]);
  });
});

describe.skipIf(!qemu)('qemu-system-ppc64 -incoming with our stream', () => {
  it('resumes the hello guest, which prints the next count line on QEMU', async () => {
    expect(rc).toBe(0);
    const next = dstCounts[0];
    expect(next).toBeGreaterThan(0);
    // QEMU only warns about the caps TCG cannot provide; no load error
    const { lines, errors } = await qemuIncoming(file);
    expect(errors).toEqual([]);
    const got = counters(lines);
    expect(got[0]).toBe(next);
    expect(got[1]).toBe(next + 1);
    // the same first line our own destination printed (its checksum covers 2 MiB of guest RAM)
    const ours = out.split('\n').find((l) => l.startsWith(`dst: count ${next} `))!.slice(5);
    expect(lines.find((l) => l.startsWith(`count ${next} `))).toBe(ours);
  }, 60_000);
});
