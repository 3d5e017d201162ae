// info migrate figures and migrate_set_parameter (downtime-limit, max-bandwidth).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { formatInfoMigrate, formatMigrateParameters } from '../src/core/migration/precopy';
import { MemoryLink } from '../src/core/migration/transport';
import type { MigrationInfo } from '../src/worker/protocol';

const ELF = new Uint8Array(readFileSync('public/guests/hello.elf'));

describe('info migrate', () => {
  it('reports transferred, remaining, total, iterations, setup and downtime; migrate_set_parameter applies while migrating', () => {
    const src = new Instance({ name: 'source', deterministic: true });
    const dst = new Instance({ name: 'destination', deterministic: true });
    let info: MigrationInfo | null = null;
    let dstStatus = 'none';
    const seen: MigrationInfo[] = [];
    src.onMigration = (i) => { info = i; seen.push(i); };
    dst.onMigration = (i) => { dstStatus = i.status; };
    src.boot(ELF);
    while (src.machine.cpu.state.insnCount < 1_000_000) src.turn();
    const link = new MemoryLink();
    dst.incoming(link.receiver);
    src.migrate(link.sender);
    const turn = () => { src.turn(); link.receiver.pump(); link.sender.pump(); dst.turn(); link.receiver.pump(); link.sender.pump(); };
    for (let i = 0; i < 3; i++) turn();
    const mid = info as unknown as MigrationInfo;
    expect(mid.status).toBe('active');
    expect(mid.ramTotal).toBe(256 * 1024 * 1024);
    expect(mid.ramRemaining).toBeGreaterThan(0);
    expect(mid.expectedDowntimeMs).toBeGreaterThan(0);
    expect(formatInfoMigrate(mid)).toContain('Migration status: active');
    src.setMigrationParameter('max-bandwidth', 64 << 20);
    src.setMigrationParameter('downtime-limit', 200);
    expect((info as unknown as MigrationInfo).maxBandwidth).toBe(64 << 20);
    expect((info as unknown as MigrationInfo).downtimeLimitMs).toBe(200);
    for (let i = 0; i < 100_000 && !((info as unknown as MigrationInfo).status === 'completed' && dstStatus === 'completed'); i++) turn();
    const fin = info as unknown as MigrationInfo;
    expect(fin.status).toBe('completed');
    expect(dstStatus).toBe('completed');
    expect(fin.ramRemaining).toBe(0);
    expect(fin.ramTransferred).toBe(fin.bytes);
    expect(fin.iterations).toBeGreaterThanOrEqual(1);
    expect(fin.setupTimeMs).toBeGreaterThanOrEqual(0);
    expect(fin.totalTimeMs!).toBeGreaterThanOrEqual(fin.downtimeMs!);
    const text = formatInfoMigrate(fin);
    expect(text[0]).toBe('Migration status: completed');
    expect(text).toContain('total ram: 262144 kbytes');
    expect(text.some((l) => /^downtime: \d+ ms$/.test(l))).toBe(true);
    expect(formatMigrateParameters({ downtimeLimitMs: fin.downtimeLimitMs!, maxBandwidth: fin.maxBandwidth! })).toContain('downtime-limit: 200 ms');
    // the heat map: every page is sent once, what was written after its send is sent again
    const heat = fin.resentHeat!;
    expect(heat.length).toBe(256);
    expect(fin.heatPagesPerCell).toBe(256);
    expect(heat.reduce((a, b) => a + b, 0)).toBe(fin.pagesSent - 65536);
  });
});
