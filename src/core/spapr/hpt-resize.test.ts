// H_RESIZE_HPT_PREPARE / H_RESIZE_HPT_COMMIT: QEMU 7.2's argument checks and return codes, and
// the bolted HPTEs found again, through the MMU, in the resized table.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../instance';
import { ACC_LOAD } from '../cpu/cpu';
import { H_ENTER, H_AUTHORITY, H_CLOSED, H_LONG_BUSY_ORDER_100_MSEC, H_PARAMETER, H_RESOURCE, H_SUCCESS } from './hcall';
import { H_RESIZE_HPT_COMMIT, H_RESIZE_HPT_PREPARE } from './hpt-resize';
import { HPTE64_V_BOLTED, HPTE64_V_VALID } from './hpt';
import { MemoryLink } from '../migration/transport';

const MiB = 1024 * 1024;

function machine(machineType = 'pseries-7.2') {
  const inst = new Instance({ name: 'source', deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 2, machineType });
  inst.machine.reset();
  const m = inst.machine;
  const cpu = m.cpu;
  const hcall = (op: number, ...args: bigint[]): bigint => {
    args.forEach((a, i) => cpu.state.setGpr(4 + i, a));
    return m.hcalls.dispatch(m, cpu, op, () => {});
  };
  return { inst, m, cpu, hcall };
}

/** An HPTE for the 4K page at `ea` in the 256M segment `vsid` (as Linux's hash code makes it). */
function hpte(vsid: bigint, ea: bigint, rpn: bigint, bolted: boolean): { pteg: (shift: number) => number; pteh: bigint; ptel: bigint } {
  const va = (vsid << 28n) | (ea & 0x0fffffffn);
  const hash = vsid ^ ((ea & 0x0fffffffn) >> 12n);
  return {
    pteg: (shift: number) => Number(hash & BigInt(2 ** (shift - 7) - 1)),
    pteh: ((va >> 23n) << 7n) | (bolted ? HPTE64_V_BOLTED : 0n) | HPTE64_V_VALID,
    ptel: (rpn << 12n) | 0x10n /* M */ | 0x2n /* PP=10 */,
  };
}

describe('H_RESIZE_HPT_PREPARE / H_RESIZE_HPT_COMMIT', () => {
  it('checks its arguments as QEMU 7.2 does', () => {
    const { m, hcall } = machine();
    expect(m.htabShift).toBe(21);
    expect(hcall(H_RESIZE_HPT_PREPARE, 1n, 22n)).toBe(H_PARAMETER);
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 17n)).toBe(H_PARAMETER);
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 47n)).toBe(H_PARAMETER);
    // one order above what 256 MiB would get, no more
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 23n)).toBe(H_RESOURCE);
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 0n)).toBe(H_SUCCESS);
    expect(hcall(H_RESIZE_HPT_COMMIT, 0n, 22n)).toBe(H_CLOSED);
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 22n)).toBe(H_LONG_BUSY_ORDER_100_MSEC);
    expect(hcall(H_RESIZE_HPT_COMMIT, 0n, 20n)).toBe(H_CLOSED);
    expect(hcall(H_RESIZE_HPT_COMMIT, 1n, 22n)).toBe(H_PARAMETER);
    // a DIMM plugged: the limit follows RAM + DIMMs
    expect(m.objectAdd('memory-backend-ram', { id: 'mem1', size: 512 * MiB })).toBeNull();
    expect(m.deviceAdd('pc-dimm', { id: 'dimm1', memdev: 'mem1' })).toBeNull();
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 23n)).toBe(H_LONG_BUSY_ORDER_100_MSEC);
    // machine types before 2.10 cannot resize
    expect(machine('pseries-2.9').hcall(H_RESIZE_HPT_PREPARE, 0n, 22n)).toBe(H_AUTHORITY);
  });

  it('a bigger table keeps the bolted HPTEs, rehashed, and drops the others', () => {
    const { m, cpu, hcall } = machine();
    const vsid = 0x123456n;
    const pages = [0n, 0x1000n, 0x7654000n, 0xfff000n].map((ea, i) => ({ ea, e: hpte(vsid, ea, 0x100n + BigInt(i), i !== 3) }));
    for (const { e } of pages) expect(hcall(H_ENTER, 0n, BigInt(e.pteg(21) * 8), e.pteh, e.ptel)).toBe(H_SUCCESS);
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 22n)).toBe(H_LONG_BUSY_ORDER_100_MSEC);
    expect(hcall(H_RESIZE_HPT_PREPARE, 0n, 22n)).toBe(H_SUCCESS);
    expect(hcall(H_RESIZE_HPT_COMMIT, 0n, 22n)).toBe(H_SUCCESS);
    expect([m.htabShift, m.hpt.htabShift, m.hpt.nEntries]).toEqual([22, 22, 2 ** 18]);
    const valid = [];
    for (let i = 0; i < m.hpt.nEntries; i++) if (m.hpt.readHpte(i)[0] & HPTE64_V_VALID) valid.push(i);
    expect(valid).toEqual(pages.slice(0, 3).map(({ e }) => e.pteg(22) * 8).sort((a, b) => a - b));
    // the vCPU translates through the new table: SLB entry for ESID 0 -> vsid, then data loads
    cpu.state.msr[1] |= 0x10; // MSR[DR]
    const slb = cpu.state.slb, vsidWord = vsid << 12n;
    slb[0] = 0; slb[1] = 0x08000000; // ESID 0, V
    slb[2] = Number(vsidWord >> 32n) | 0; slb[3] = Number(vsidWord & 0xffffffffn) | 0;
    cpu.tlbFlush();
    for (const [i, { ea }] of pages.entries()) {
      expect(cpu.translate(ea | 0x10n, ACC_LOAD)).toBe(i === 3 ? -2 : (0x100 + i) * 4096 + 0x10);
    }
    // a later PREPARE of another size starts afresh; the stale one is gone
    expect(hcall(H_RESIZE_HPT_COMMIT, 0n, 22n)).toBe(H_CLOSED);
  });

  it('a migration after the resize sends the new size, and the destination takes it', () => {
    const { inst, m, hcall } = machine();
    const e = hpte(0x4242n, 0x3000n, 0x200n, true);
    expect(hcall(H_ENTER, 0n, BigInt(e.pteg(21) * 8), e.pteh, e.ptel)).toBe(H_SUCCESS);
    hcall(H_RESIZE_HPT_PREPARE, 0n, 22n);
    hcall(H_RESIZE_HPT_PREPARE, 0n, 22n);
    expect(hcall(H_RESIZE_HPT_COMMIT, 0n, 22n)).toBe(H_SUCCESS);
    inst.boot(new Uint8Array(readFileSync('public/guests/hello.elf')));
    // the boot's reset sizes the table for RAM again: resize once more, after it
    const again = (op: number, shift: bigint) => hcall(op, 0n, shift);
    again(H_RESIZE_HPT_PREPARE, 22n);
    again(H_RESIZE_HPT_PREPARE, 22n);
    expect(again(H_RESIZE_HPT_COMMIT, 22n)).toBe(H_SUCCESS);
    expect(hcall(H_ENTER, 0n, BigInt(e.pteg(22) * 8), e.pteh, e.ptel)).toBe(H_SUCCESS);
    const dst = new Instance({ name: 'destination', deterministic: true, ramSize: 256 * MiB, maxRamSize: 1024 * MiB, ramSlots: 2 });
    let status = '';
    inst.onMigration = (i) => { status = i.status; };
    const link = new MemoryLink();
    dst.incoming(link.receiver);
    inst.migrate(link.sender);
    for (let t = 0; t < 1_000_000 && status !== 'completed' && status !== 'failed'; t++) {
      inst.turn(); link.receiver.pump(); link.sender.pump();
      dst.turn(); link.receiver.pump(); link.sender.pump();
    }
    expect(status).toBe('completed');
    expect([dst.machine.hpt.htabShift, dst.machine.hpt.nEntries]).toEqual([22, 2 ** 18]);
    expect(dst.machine.hpt.readHpte(e.pteg(22) * 8)).toEqual([e.pteh, e.ptel]);
    // the same entries (HPTE64_V_HPTE_DIRTY, the migration's own bit, aside)
    const entries = (u8: Uint8Array) => Buffer.from(u8.map((b, i) => (i % 16 === 7 ? b & ~0x40 : b)));
    expect(entries(dst.machine.hpt.u8).equals(entries(m.hpt.u8))).toBe(true);
  });
});
