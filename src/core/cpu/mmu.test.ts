// The hash MMU through the interpreter and the pseries page-table hcalls: HPT entries made with
// H_ENTER (through the hcall table), SLB entries, translated fetches/loads/stores on 4K and 64K
// pages, the fault interrupts, R/C bits, TLB invalidation, and the software TLB against full walks.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { PowerPCCPU, POWER8, ACC_FETCH, ACC_LOAD, ACC_STORE, type VirtualHypervisor } from './cpu';
import { SPR_SRR0, SPR_SRR1, SPR_DAR, SPR_DSISR } from './state';
import { HcallTable, H_SUCCESS, H_PARAMETER, H_NOT_FOUND, H_ENTER, H_REMOVE, H_READ, H_PROTECT, H_BULK_REMOVE, H_PTEG_FULL } from '../spapr/hcall';
import {
  SpaprHpt, registerMmuHcalls, H_EXACT, H_READ_4, H_AVPN, H_ANDCOND, type MmuMachine,
} from '../spapr/hpt';

const STOP = 0x5555;
const RAM = 16 << 20;
const SHIFT = 18; // 2^11 PTEGs
const MASK = (1n << BigInt(SHIFT - 7)) - 1n;

const MSR_SF = 1n << 63n, MSR_IR = 1n << 5n, MSR_DR = 1n << 4n, MSR_PR = 1n << 14n;

class Machine implements VirtualHypervisor, MmuMachine {
  readonly ram = new GuestRam(RAM);
  isRamAddress(addr: bigint): boolean { return addr < BigInt(this.ram.size); }
  readonly cpu: PowerPCCPU;
  readonly hpt = new SpaprHpt();
  readonly htabShift = SHIFT;
  readonly hcalls = new HcallTable<Machine>();
  constructor() {
    this.cpu = new PowerPCCPU(this.ram, this, POWER8);
    registerMmuHcalls(this.hcalls, this);
  }
  hypercall(cpu: PowerPCCPU): void {
    const op = Number(cpu.state.getGpr(3));
    if (op === STOP) { cpu.state.halted = 1; cpu.requestExit(); return; }
    cpu.state.setGpr(3, this.hcalls.dispatch(this, cpu, op, () => {}));
  }
  readTB(): number { return this.cpu.state.insnCount; }

  /** Make a hypercall from the host side: r3 = result, outputs in r4.. */
  hcall(op: number, ...args: bigint[]): { ret: bigint; out: bigint[] } {
    const st = this.cpu.state;
    st.setGpr(3, BigInt(op));
    args.forEach((a, i) => st.setGpr(4 + i, a));
    this.hypercall(this.cpu);
    const ret = BigInt.asIntN(64, st.getGpr(3));
    return { ret, out: Array.from({ length: 8 }, (_, i) => st.getGpr(4 + i)) };
  }

  put(addr: number, src: string): void {
    this.ram.write(addr, assembleBytes(src, BigInt(addr), false));
  }

  /** slbmte's effect: slot n maps the segment of `ea`. */
  slb(n: number, ea: bigint, vsid: bigint, flags = 0n, seg1T = false): void {
    const esid = seg1T ? ea & ~0xffffffffffn : ea & ~0xfffffffn;
    const vsidWord = (seg1T ? (1n << 62n) | (vsid << 24n) : vsid << 12n) | flags;
    const s = this.cpu.state.slb;
    const e = (esid | 0x08000000n) & 0xffffffffffffffffn;
    s[4 * n] = Number(e >> 32n) | 0; s[4 * n + 1] = Number(e & 0xffffffffn) | 0;
    s[4 * n + 2] = Number(vsidWord >> 32n) | 0; s[4 * n + 3] = Number(vsidWord & 0xffffffffn) | 0;
  }

  run(nip: bigint, msr: bigint, max = 100_000): void {
    const st = this.cpu.state;
    st.halted = 0;
    st.setNip(nip);
    st.setMsr(msr);
    let n = 0;
    while (!st.halted && n < max) n += this.cpu.run(1000) || 1;
  }
}

/** Primary-hash PTEG index and pte0 (AVPN, V, L) for `ea` in a 256M segment with `vsid`. */
function hpteFor(ea: bigint, vsid: bigint, segPs: 12 | 16, large: boolean): { ptex: bigint; pteh: bigint } {
  const ea28 = ea & 0xfffffffn;
  const hash = vsid ^ ((ea28 & ~((1n << BigInt(segPs)) - 1n)) >> BigInt(segPs));
  const ptex = (hash & MASK) * 8n;
  const pteh = (vsid << 12n) | ((ea28 >> 16n) & ~0x7fn) | (large ? 4n : 0n) | 1n;
  return { ptex, pteh };
}

const M = 0x10n; // WIMG = M (RAM)
const spr = (m: Machine, n: number) => m.cpu.state.getSpr(n);
const g = (m: Machine, r: number) => m.cpu.state.getGpr(r);

const KERNEL = 0xc000000000000000n;
const VSID = 0x123456n;

/** A machine with slot 0 mapping the kernel segment (4K base pages) and code/data entered with H_ENTER. */
function kernelSetup(): Machine {
  const m = new Machine();
  m.slb(0, KERNEL, VSID);
  // code: EA KERNEL+0x10000 -> real 0x10000 (4K); data: KERNEL+0x20000 -> real 0x30000 (4K)
  for (const [ea, ra] of [[KERNEL + 0x10000n, 0x10000n], [KERNEL + 0x20000n, 0x30000n]] as const) {
    const { ptex, pteh } = hpteFor(ea, VSID, 12, false);
    const r = m.hcall(H_ENTER, 0n, ptex, pteh, ra | M | 0x2n /* pp=2 rw */);
    expect(r.ret).toBe(H_SUCCESS);
  }
  return m;
}

describe('H_ENTER / H_REMOVE / H_READ / H_PROTECT / H_BULK_REMOVE', () => {
  it('H_ENTER takes the first free slot, returns it in r4, and sets HPTE_DIRTY', () => {
    const m = new Machine();
    const pteh = 0x1234n << 7n | 1n;
    const r1 = m.hcall(H_ENTER, 0n, 0x40n + 3n, pteh, 0x5000n | M);
    expect(r1.ret).toBe(H_SUCCESS);
    expect(r1.out[0]).toBe(0x40n);
    const r2 = m.hcall(H_ENTER, 0n, 0x40n, pteh, 0x6000n | M);
    expect(r2.out[0]).toBe(0x41n);
    expect(m.hpt.readHpte(0x40)).toEqual([pteh | 0x40n, 0x5000n | M]);
    expect(m.hpt.isDirty(0x41)).toBe(true);
    m.hpt.clearDirty(0x41);
    expect(m.hpt.isDirty(0x41)).toBe(false);
    // H_EXACT into a used slot, then a full group
    expect(m.hcall(H_ENTER, H_EXACT, 0x41n, pteh, 0x6000n | M).ret).toBe(H_PTEG_FULL);
    expect(m.hcall(H_ENTER, H_EXACT, 0x45n, pteh, 0x6000n | M).out[0]).toBe(0x45n);
    for (let i = 0; i < 5; i++) expect(m.hcall(H_ENTER, 0n, 0x40n, pteh, 0x7000n | M).ret).toBe(H_SUCCESS);
    expect(m.hcall(H_ENTER, 0n, 0x40n, pteh, 0x7000n | M).ret).toBe(H_PTEG_FULL);
  });

  it('H_ENTER checks the page size encoding, WIMG and ptex', () => {
    const m = new Machine();
    const v = 0x99n << 7n | 1n;
    expect(m.hcall(H_ENTER, 0n, 0n, v | 4n, 0x10000n | M).ret).toBe(H_PARAMETER); // L=1, encoding 0 (16M: filtered)
    expect(m.hcall(H_ENTER, 0n, 0n, v | 4n, 0x17000n | M).ret).toBe(H_SUCCESS); // 64K in a 4K segment (0x7)
    expect(m.hcall(H_ENTER, 0n, 8n, v | 4n, 0x11000n | M).ret).toBe(H_SUCCESS); // 64K (0x1)
    expect(m.hcall(H_ENTER, 0n, 16n, v, 0x5000n).ret).toBe(H_PARAMETER); // RAM without M
    expect(m.hcall(H_ENTER, 0n, 16n, v, 0x5000n | M | 0x20n).ret).toBe(H_PARAMETER); // RAM with I
    expect(m.hcall(H_ENTER, 0n, 16n, v, 0x200000000n | 0x20n).ret).toBe(H_SUCCESS); // I/O with I
    expect(m.hcall(H_ENTER, 0n, 16n, v, 0x200000000n | 0x30n).ret).toBe(H_SUCCESS); // I/O with I+M
    expect(m.hcall(H_ENTER, 0n, 16n, v, 0x200000000n | M).ret).toBe(H_PARAMETER); // I/O without I
    const n = BigInt(m.hpt.nEntries);
    expect(m.hcall(H_ENTER, 0n, n, v, 0x5000n | M).ret).toBe(H_PARAMETER);
    expect(m.hcall(H_ENTER, 0n, -1n & 0xffffffffffffffffn, v, 0x5000n | M).ret).toBe(H_PARAMETER);
    // bits 0x60 of pte0 are dropped
    expect(m.hcall(H_ENTER, 0n, 24n, v | 0x60n, 0x5000n | M).ret).toBe(H_SUCCESS);
    expect(m.hpt.readHpte(24)[0]).toBe(v | 0x40n);
  });

  it('H_REMOVE with H_AVPN / H_ANDCOND returns the old entry; H_READ / H_READ_4; H_PROTECT', () => {
    const m = new Machine();
    const v = 0xabcn << 7n | 1n;
    m.hcall(H_ENTER, H_EXACT, 0x81n, v, 0x5000n | M | 0x100n);
    m.hcall(H_ENTER, H_EXACT, 0x82n, v | 0x10n, 0x6000n | M);
    const rd = m.hcall(H_READ, H_READ_4, 0x82n);
    expect(rd.ret).toBe(H_SUCCESS);
    expect(rd.out.slice(0, 6)).toEqual([0x40n, 0n, v | 0x40n, 0x5000n | M | 0x100n, v | 0x50n, 0x6000n | M]);
    expect(m.hcall(H_READ, 0n, BigInt(m.hpt.nEntries)).ret).toBe(H_PARAMETER);
    expect(m.hcall(H_PROTECT, 0x3n | 0x4n, 0x81n, 0n).ret).toBe(H_SUCCESS);
    expect(m.hpt.readHpte(0x81)[1]).toBe(0x5000n | M | 0x100n | 0x7n);
    expect(m.hcall(H_PROTECT, H_AVPN | 1n, 0x81n, 0x1234n).ret).toBe(H_NOT_FOUND);
    expect(m.hcall(H_PROTECT, 0n, 0x80n, 0n).ret).toBe(H_NOT_FOUND);
    expect(m.hcall(H_REMOVE, H_AVPN, 0x81n, 0x1n).ret).toBe(H_NOT_FOUND);
    expect(m.hcall(H_REMOVE, H_ANDCOND, 0x82n, 0x10n).ret).toBe(H_NOT_FOUND); // bolted
    const r = m.hcall(H_REMOVE, H_AVPN, 0x81n, v & ~0x7fn);
    expect(r.ret).toBe(H_SUCCESS);
    expect(r.out.slice(0, 2)).toEqual([v | 0x40n, 0x5000n | M | 0x100n | 0x7n]);
    expect(m.hpt.readHpte(0x81)).toEqual([0x40n, 0n]);
    expect(m.hcall(H_REMOVE, 0n, 0x81n, 0n).ret).toBe(H_NOT_FOUND);
    expect(m.hcall(H_REMOVE, 0n, 1n << 40n, 0n).ret).toBe(H_PARAMETER);
  });

  it('H_BULK_REMOVE: request/response codes, R/C in the response, END, bad type', () => {
    const m = new Machine();
    const v = 0x77n << 7n | 1n;
    m.hcall(H_ENTER, H_EXACT, 0x100n, v, 0x5000n | M | 0x180n);
    m.hcall(H_ENTER, H_EXACT, 0x101n, v, 0x6000n | M);
    const REQ = 1n << 62n, END = 3n << 62n, AVPN = 2n << 56n, ANDCOND = 1n << 56n;
    const r = m.hcall(H_BULK_REMOVE, REQ | 0x100n, 0n, REQ | AVPN | 0x101n, 0x999n << 7n, REQ | 0x102n, 0n, END, 0n);
    expect(r.ret).toBe(H_SUCCESS);
    expect(r.out[0]).toBe((2n << 62n) | 0x100n | ((0x180n) << 43n));
    expect(r.out[2]).toBe((2n << 62n) | AVPN | 0x101n | (1n << 60n)); // not found
    expect(r.out[4]).toBe((2n << 62n) | 0x102n | (1n << 60n)); // empty slot: not found
    expect(m.hpt.readHpte(0x100)[0]).toBe(0x40n);
    const bad = m.hcall(H_BULK_REMOVE, REQ | AVPN | ANDCOND | 0x101n, 0n);
    expect(bad.ret).toBe(H_PARAMETER);
    expect(bad.out[0]).toBe((2n << 62n) | AVPN | ANDCOND | 0x101n | (2n << 60n));
    expect(m.hcall(H_BULK_REMOVE, 0x101n, 0n).ret).toBe(H_PARAMETER); // type 0
    const parm = m.hcall(H_BULK_REMOVE, REQ | (m.hpt.nEntries * 2 > 0 ? BigInt(m.hpt.nEntries) : 0n), 0n, END);
    expect(parm.ret).toBe(H_PARAMETER);
    expect(parm.out[0] >> 60n & 3n).toBe(2n);
    expect(m.hpt.readHpte(0x101)[0]).toBe(v | 0x40n);
  });
});

describe('translation through SLB and HPT', () => {
  it('fetches, loads and stores through 4K pages; sets R and C', () => {
    const m = kernelSetup();
    m.ram.view.setUint32(0x30000 + 0x10, 0xdeadbeef);
    m.put(0x10000, `
      lis r5,0xc000
      rldicr r5,r5,32,31
      oris r5,r5,2        # r5 = KERNEL + 0x20000
      lwz r6,16(r5)
      addi r6,r6,1
      stw r6,20(r5)
      li r3,${STOP}
      sc 1`);
    m.run(KERNEL + 0x10000n, MSR_SF | MSR_IR | MSR_DR);
    expect(g(m, 6)).toBe(0xdeadbef0n);
    expect(m.ram.view.getUint32(0x30000 + 0x14)).toBe(0xdeadbef0);
    const code = hpteFor(KERNEL + 0x10000n, VSID, 12, false).ptex;
    const data = hpteFor(KERNEL + 0x20000n, VSID, 12, false).ptex;
    expect(m.hpt.readHpte(Number(code))[1] & 0x180n).toBe(0x100n); // R only
    expect(m.hpt.readHpte(Number(data))[1] & 0x180n).toBe(0x180n); // R and C
  });

  it('an access crossing into a non-adjacent real page reads and writes both pages', () => {
    const m = kernelSetup();
    const next = hpteFor(KERNEL + 0x21000n, VSID, 12, false);
    expect(m.hcall(H_ENTER, 0n, next.ptex, next.pteh, 0x50000n | M | 2n).ret).toBe(H_SUCCESS);
    m.ram.view.setUint32(0x30ffc, 0x11223344);
    m.ram.view.setUint32(0x50000, 0x55667788);
    m.put(0x10000, `
      lis r5,0xc000
      rldicr r5,r5,32,31
      oris r5,r5,2
      ori r5,r5,0xffc
      ld r6,0(r5)
      lwz r7,2(r5)
      lhz r8,3(r5)
      lis r9,0x0102
      ori r9,r9,0x0304
      rldicr r9,r9,32,31
      oris r9,r9,0x0506
      ori r9,r9,0x0708
      addi r10,r5,-2
      stdx r9,0,r10
      stw r9,2(r5)
      li r3,${STOP}
      sc 1`);
    m.run(KERNEL + 0x10000n, MSR_SF | MSR_IR | MSR_DR);
    expect(g(m, 6)).toBe(0x1122334455667788n);
    expect(g(m, 7)).toBe(0x33445566n);
    expect(g(m, 8)).toBe(0x4455n);
    expect(m.ram.view.getUint32(0x30ffa)).toBe(0x01020304);
    expect(m.ram.view.getUint16(0x30ffe)).toBe(0x0506);
    expect(m.ram.view.getUint16(0x50000)).toBe(0x0708);
  });

  it('loads through a 64K page in a 64K segment and in a 4K segment (MPSS), and a 1T segment', () => {
    const m = kernelSetup();
    const EA64 = 0xd000000000000000n, V64 = 0x4242n;
    m.slb(1, EA64, V64, 0x110n); // 64K base page size
    const e1 = hpteFor(EA64 + 0x30000n, V64, 16, true);
    expect(m.hcall(H_ENTER, 0n, e1.ptex, e1.pteh, 0x80000n | 0x1000n | M | 2n).ret).toBe(H_SUCCESS);
    // 64K page in the 4K kernel segment: QEMU hashes with the segment's base page size (4K), so
    // the entry is found for the 4K subpage it was hashed for.
    const EAm = KERNEL + 0x58000n;
    const e2 = hpteFor(EAm, VSID, 12, true);
    expect(m.hcall(H_ENTER, 0n, e2.ptex, e2.pteh, 0xa0000n | 0x7000n | M | 2n).ret).toBe(H_SUCCESS);
    // 1T segment at 0x0000_0100_0000_0000 with VSID 0x55, 4K page
    const EA1T = 0x10000000000n + 0x1234000n, V1T = 0x55n;
    m.slb(2, EA1T, V1T, 0n, true);
    const epn = EA1T & 0xffffffffffn;
    const hash = V1T ^ (V1T << 25n) ^ (epn >> 12n);
    const ptex1T = (hash & MASK) * 8n;
    const pteh1T = (1n << 62n) | (V1T << 24n) | ((epn >> 16n) & ~0x7fn) | 1n; // B=1T, AVPN
    expect(m.hcall(H_ENTER, 0n, ptex1T, pteh1T, 0xc0000n | M | 2n).ret).toBe(H_SUCCESS);
    m.ram.view.setUint32(0x80000 + 0xfffc, 0x11111111);
    m.ram.view.setUint32(0xa0000 + 0x8888, 0x22222222);
    m.ram.view.setUint32(0xc0000 + 0x44, 0x33333333);
    const t = (ea: bigint) => m.cpu.translate(ea, ACC_LOAD);
    m.cpu.state.setMsr(MSR_SF | MSR_DR);
    expect(t(EA64 + 0x3fffcn)).toBe(0x8fffc);
    expect(t(EAm + 0x888n)).toBe(0xa8888);
    expect(t(EAm + 0x1000n)).toBe(-2); // another 4K subpage hashes elsewhere
    expect(t(EA1T + 0x44n)).toBe(0xc0044);
    m.put(0x10000, `
      lis r5,0xd000
      rldicr r5,r5,32,31
      oris r5,r5,3
      ori r5,r5,0xfffc
      lwz r7,0(r5)
      li r3,${STOP}
      sc 1`);
    m.run(KERNEL + 0x10000n, MSR_SF | MSR_IR | MSR_DR);
    expect(g(m, 7)).toBe(0x11111111n);
  });

  it('enters translated code with slbmte + rfid from real mode', () => {
    const m = kernelSetup();
    m.cpu.state.slb.fill(0);
    m.put(0x10000 + 0x100, `li r3,${STOP}\nsc 1`);
    m.put(0x8000, `
      lis r4,0xc000
      rldicr r4,r4,32,31
      oris r4,r4,0x0800    # ESID of the kernel segment, valid, slot 0
      lis r5,0x1
      ori r5,r5,0x2345
      rldicr r5,r5,16,47
      ori r5,r5,0x6000     # VSID 0x123456 << 12
      slbmte r5,r4
      lis r6,0xc000
      rldicr r6,r6,32,31
      oris r6,r6,1
      ori r6,r6,0x100
      mtsrr0 r6
      li r7,0x30
      oris r7,r7,0x8000
      rldicr r7,r7,32,31
      ori r7,r7,0x30
      mtsrr1 r7
      rfid`);
    m.run(0x8000n, MSR_SF);
    expect(m.cpu.state.getNip()).toBe(KERNEL + 0x10108n);
  });
});

describe('slbfee.', () => {
  it('finds the SLB entry of an EA (VSID word, CR0 EQ) or gives 0 with CR0 = SO', () => {
    const m = kernelSetup();
    m.put(0x8000, `
      lis r5,0xc000
      rldicr r5,r5,32,31
      slbfee. r6,r5
      mfcr r7
      lis r5,0xe000
      rldicr r5,r5,32,31
      slbfee. r8,r5
      mfcr r9
      li r3,${STOP}
      sc 1`);
    m.run(0x8000n, MSR_SF);
    expect(g(m, 6)).toBe(VSID << 12n);
    expect(g(m, 7)).toBe(0x20000000n);
    expect(g(m, 8)).toBe(0n);
    expect(g(m, 9)).toBe(0n);
  });
});

describe('MMU faults', () => {
  function faultRun(body: string, msr = MSR_SF | MSR_IR | MSR_DR): Machine {
    const m = kernelSetup();
    m.put(0x10000, body);
    m.put(0x300, `li r3,${STOP}\nsc 1`);
    m.put(0x380, `li r3,${STOP}\nsc 1`);
    m.put(0x400, `li r3,${STOP}\nsc 1`);
    m.put(0x480, `li r3,${STOP}\nsc 1`);
    m.run(KERNEL + 0x10000n, msr);
    return m;
  }
  const loadR5 = (hi16: number, lo32: number) => `
      lis r5,0x${hi16.toString(16)}
      rldicr r5,r5,32,31
      oris r5,r5,0x${(lo32 >>> 16).toString(16)}
      ori r5,r5,0x${(lo32 & 0xffff).toString(16)}`;

  it('DSI on a load / store without PTE: SRR0, SRR1, DAR, DSISR', () => {
    let m = faultRun(`${loadR5(0xc000, 0x50010)}\n ld r6,8(r5)`);
    expect(m.cpu.state.getNip()).toBe(0x308n);
    expect(spr(m, SPR_SRR0)).toBe(KERNEL + 0x10010n);
    expect(spr(m, SPR_SRR1)).toBe(MSR_SF | MSR_IR | MSR_DR);
    expect(spr(m, SPR_DAR)).toBe(KERNEL + 0x50018n);
    expect(spr(m, SPR_DSISR)).toBe(0x40000000n);
    m = faultRun(`${loadR5(0xc000, 0x50010)}\n li r6,7\n stw r6,0(r5)`);
    expect(spr(m, SPR_SRR0)).toBe(KERNEL + 0x10014n);
    expect(spr(m, SPR_DAR)).toBe(KERNEL + 0x50010n);
    expect(spr(m, SPR_DSISR)).toBe(0x42000000n);
    expect(g(m, 6)).toBe(7n);
  });

  it('DSEG without an SLB entry, ISEG and ISI on a branch', () => {
    let m = faultRun(`${loadR5(0xe000, 0x100)}\n lbz r6,0(r5)`);
    expect(m.cpu.state.getNip()).toBe(0x388n);
    expect(spr(m, SPR_SRR0)).toBe(KERNEL + 0x10010n);
    expect(spr(m, SPR_DAR)).toBe(0xe000000000000100n);
    m = faultRun(`${loadR5(0xe000, 0x100)}\n mtctr r5\n bctr`);
    expect(m.cpu.state.getNip()).toBe(0x488n);
    expect(spr(m, SPR_SRR0)).toBe(0xe000000000000100n);
    expect(spr(m, SPR_SRR1)).toBe(MSR_SF | MSR_IR | MSR_DR);
    m = faultRun(`${loadR5(0xc000, 0x60000)}\n mtctr r5\n bctr`);
    expect(m.cpu.state.getNip()).toBe(0x408n);
    expect(spr(m, SPR_SRR0)).toBe(KERNEL + 0x60000n);
    expect(spr(m, SPR_SRR1)).toBe(MSR_SF | MSR_IR | MSR_DR | 0x40000000n);
  });

  it('protection: read-only pp, Kp in problem state, no-execute', () => {
    const m = kernelSetup();
    const ea = KERNEL + 0x70000n;
    const { ptex, pteh } = hpteFor(ea, VSID, 12, false);
    const r = m.hcall(H_ENTER, 0n, ptex, pteh, 0x70000n | M | 3n); // pp=3: read-only
    const slot = Number(r.out[0]);
    m.cpu.state.setMsr(MSR_SF | MSR_DR);
    expect(m.cpu.translate(ea, ACC_LOAD)).toBe(0x70000);
    expect(m.cpu.translate(ea, ACC_STORE)).toBe(-2);
    expect(m.cpu.mmu.faultDsisr).toBe(0x0a000000);
    // pp=0 with Kp=1 in problem state: no access
    m.hcall(H_PROTECT, 0n, BigInt(slot), 0n);
    m.slb(0, KERNEL, VSID, 0x400n);
    m.cpu.state.setMsr(MSR_SF | MSR_DR | MSR_PR);
    expect(m.cpu.translate(ea, ACC_LOAD)).toBe(-2);
    expect(m.cpu.mmu.faultDsisr).toBe(0x08000000);
    m.cpu.state.setMsr(MSR_SF | MSR_DR);
    expect(m.cpu.translate(ea, ACC_STORE)).toBe(0x70000);
    // N=1: fetch faults with SRR1 NOEXEC_GUARD
    m.hcall(H_PROTECT, 4n | 2n, BigInt(slot), 0n);
    m.cpu.state.setMsr(MSR_SF | MSR_IR);
    expect(m.cpu.translate(ea, ACC_FETCH)).toBe(-2);
    expect(m.cpu.mmu.faultVector).toBe(0x400);
    expect(m.cpu.mmu.faultSrr1).toBe(0x10000000);
  });

  it('H_REMOVE from the guest invalidates the software TLB', () => {
    const data = hpteFor(KERNEL + 0x20000n, VSID, 12, false).ptex;
    const m = kernelSetup();
    m.put(0x10000, `
      lis r5,0xc000
      rldicr r5,r5,32,31
      oris r5,r5,2
      lwz r8,0(r5)          # fills the TLB
      li r3,${H_REMOVE}
      li r4,0
      li r5,${data}
      li r6,0
      sc 1
      lis r5,0xc000
      rldicr r5,r5,32,31
      oris r5,r5,2
      lwz r8,0(r5)          # DSI
      li r3,${STOP}
      sc 1`);
    m.put(0x300, `li r3,${STOP}\nsc 1`);
    m.run(KERNEL + 0x10000n, MSR_SF | MSR_IR | MSR_DR);
    expect(m.cpu.state.getNip()).toBe(0x308n);
    expect(spr(m, SPR_SRR0)).toBe(KERNEL + 0x10030n);
    expect(spr(m, SPR_DSISR)).toBe(0x40000000n);
  });
});

describe('hcall argument fuzzing', () => {
  it('garbage arguments give PAPR return codes, never an exception', () => {
    const m = new Machine();
    const ops = [H_ENTER, H_REMOVE, H_READ, H_PROTECT, H_BULK_REMOVE];
    const codes = new Set([H_SUCCESS, H_PARAMETER, H_NOT_FOUND, H_PTEG_FULL]);
    fc.assert(fc.property(
      fc.constantFrom(...ops),
      fc.array(fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 4095n }), fc.constantFrom(0n, H_EXACT, H_READ_4, H_AVPN, H_ANDCOND, 1n << 62n, 3n << 62n)), { minLength: 8, maxLength: 8 }),
      (op, args) => codes.has(m.hcall(op, ...args).ret)), { numRuns: 2000 });
  });
});

describe('software TLB', () => {
  it('a TLB hit gives the same result as a full walk', () => {
    const pages = [0n, 1n, 2n, 3n, 0x100n, 0x101n, 0x1000n, 0xfffn];
    fc.assert(fc.property(
      fc.array(fc.record({ page: fc.integer({ min: 0, max: 7 }), pp: fc.integer({ min: 0, max: 7 }), n: fc.boolean(), present: fc.boolean() }), { minLength: 8, maxLength: 8 }),
      fc.array(fc.record({ page: fc.integer({ min: 0, max: 7 }), off: fc.integer({ min: 0, max: 4095 }), acc: fc.integer({ min: 0, max: 2 }), pr: fc.boolean(), seg: fc.boolean() }), { minLength: 1, maxLength: 40 }),
      fc.boolean(),
      (maps, accesses, kp) => {
        const m = new Machine();
        m.slb(0, KERNEL, VSID, kp ? 0x400n : 0n);
        maps.forEach((mp, i) => {
          if (!mp.present) return;
          const ea = KERNEL + (pages[i] << 12n);
          const { ptex, pteh } = hpteFor(ea, VSID, 12, false);
          const ptel = (BigInt(0x100000 + i * 0x1000)) | M | BigInt(mp.pp & 3) | (mp.pp & 4 ? 1n << 63n : 0n) | (mp.n ? 4n : 0n);
          m.hcall(H_ENTER, 0n, ptex, pteh, ptel);
        });
        const mmu = m.cpu.mmu;
        const entered = maps.map((mp, i) => (mp.present ? Number(hpteFor(KERNEL + (pages[i] << 12n), VSID, 12, false).ptex) : -1));
        for (const a of accesses) {
          // now and then change an entry under the TLB (the hcalls flush it)
          if (a.off % 7 === 0 && entered[a.page] >= 0) {
            const ptex = BigInt(entered[a.page]);
            if (a.off % 2) m.hcall(H_REMOVE, 0n, ptex, 0n);
            else m.hcall(H_PROTECT, BigInt(a.off & 7), ptex, 0n);
          }
          const ea = (a.seg ? KERNEL : 0xe000000000000000n) + (pages[a.page] << 12n) + BigInt(a.off);
          const hi = Number(ea >> 32n) | 0, lo = Number(ea & 0xffffffffn) | 0;
          const viaTlb = mmu.xlate(hi, lo, a.acc, a.pr);
          const walked = mmu.walk(hi, lo, a.acc, a.pr, false);
          if (viaTlb !== walked) return false;
        }
        return true;
      }), { numRuns: 200 });
  });
});
