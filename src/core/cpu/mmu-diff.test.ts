import { describe, it, expect } from 'vitest';
import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from './cpu';
import { HcallTable } from '../spapr/hcall';
import { SpaprHpt, registerMmuHcalls, type MmuMachine } from '../spapr/hpt';
import { mmuDiffSource, DIFF_LOAD_ADDR, MMU_DIFF_HTAB_SHIFT } from './mmu-diff';
import { H_PUT_TERM_CHAR } from './qemu-diff';
import fixture from './mmu-diff.fixture.json';

/** The guest's machine: the MMU hcalls on a 2^21-byte HPT (QEMU's size for -m 256M), a console. */
class DiffMachine implements VirtualHypervisor, MmuMachine {
  /** What H_ENTER checks RAM addresses against (QEMU's -m 256M). */
  isRamAddress(addr: bigint): boolean { return addr < BigInt(256 << 20); }
  readonly guestRam = new GuestRam(32 << 20);
  readonly cpu = new PowerPCCPU(this.guestRam, this, POWER8);
  readonly hpt = new SpaprHpt();
  readonly htabShift = MMU_DIFF_HTAB_SHIFT;
  readonly hcalls = new HcallTable<DiffMachine>();
  out = '';
  constructor() { registerMmuHcalls(this.hcalls, this); }
  hypercall(c: PowerPCCPU): void {
    const st = c.state;
    const op = Number(st.getGpr(3));
    if (op === H_PUT_TERM_CHAR) {
      const bytes = new Uint8Array(16);
      const dv = new DataView(bytes.buffer);
      dv.setBigUint64(0, st.getGpr(6));
      dv.setBigUint64(8, st.getGpr(7));
      this.out += String.fromCharCode(...bytes.subarray(0, Number(st.getGpr(5))));
      st.setGpr(3, 0n);
    } else if (this.hcalls.has(op)) {
      st.setGpr(3, this.hcalls.dispatch(this, c, op, () => {}));
    } else {
      st.halted = 1;
      c.requestExit();
    }
  }
  readTB(): number { return this.cpu.state.insnCount; }
}

describe('MMU differential test against QEMU 7.2 TCG (fixture from mmu-diff.gen.ts)', () => {
  it('H_ENTER/H_READ/H_PROTECT/H_REMOVE/H_BULK_REMOVE results, translated accesses and MMU faults print the same', () => {
    const m = new DiffMachine();
    m.guestRam.write(DIFF_LOAD_ADDR, assembleBytes(mmuDiffSource(), BigInt(DIFF_LOAD_ADDR)));
    const st = m.cpu.state;
    st.setNip(BigInt(DIFF_LOAD_ADDR));
    st.setMsr(0n);
    st.setGpr(1, 0xff60n);
    let n = 0;
    while (!st.halted && n < 10_000_000) n += m.cpu.run(100_000) || 1;
    const lines = m.out.split('\n').filter((l) => l);
    expect(lines[lines.length - 1]).toBe('END');
    const got = lines.slice(0, -1);
    const want = fixture.lines as string[];
    const first = got.findIndex((l, i) => l !== want[i]);
    expect(first === -1 ? null : { line: first, got: got.slice(first, first + 6), want: want.slice(first, first + 6) }).toBeNull();
    expect(got.length).toBe(want.length);
  });
});
