// analyze --extract DIR writes what QEMU's analyze-migration.py -x writes: desc.json, one
// file per RAM block with the pages in place, and state.json. The RAM image's SHA-256 below
// is that of the file analyze-migration.py -x (QEMU 7.2.22) wrote for the same stream.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/cli/analyze';

const FIXTURE = new URL('./fixtures/stream-pseries-p8.bin.gz', import.meta.url).pathname;
const RAM_SHA256 = '5f23860082ce55855de75b439703be68d257d87c5ca1cdd93a11217577939524';

describe('analyze --extract', () => {
  it('writes desc.json, the RAM block and state.json like analyze-migration.py -x', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pseries-lab-extract-'));
    const lines: string[] = [];
    const code = await analyze(FIXTURE, { extract: dir }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toEqual(['desc.json', 'ppc_spapr.ram', 'state.json']);
    expect(statSync(join(dir, 'ppc_spapr.ram')).size).toBe(0x10000000);
    expect(createHash('sha256').update(readFileSync(join(dir, 'ppc_spapr.ram'))).digest('hex')).toBe(RAM_SHA256);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(Object.keys(state)).toContain('spapr_iommu (555)');
    expect(JSON.parse(readFileSync(join(dir, 'desc.json'), 'utf8')).devices.length).toBe(15);
  });
});
