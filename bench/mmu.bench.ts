// Interpreter throughput with address translation on (MSR[IR]/MSR[DR]): the checksum and branchy
// loops of interp.bench.ts, identity-mapped through SLB + HPT (4K pages made with H_ENTER), so
// every access is a software-TLB hit after the first walk. Printed as MIPS.
// Run: npx tsx bench/mmu.bench.ts

import { GuestRam } from '../src/core/mem/ram';
import { assembleBytes } from '../src/core/asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from '../src/core/cpu/cpu';
import { HcallTable, H_ENTER } from '../src/core/spapr/hcall';
import {
  SpaprHpt, registerMmuHcalls, type MmuMachine,
} from '../src/core/spapr/hpt';
import { BRANCHY, CHECKSUM, DATA, ORIGIN } from './programs';

const VSID = 0x100n;

class Bench implements VirtualHypervisor, MmuMachine {
  readonly ram = new GuestRam(32 << 20);
  isRamAddress(addr: bigint): boolean { return addr < BigInt(this.ram.size); }
  readonly cpu = new PowerPCCPU(this.ram, this, POWER8);
  readonly hpt = new SpaprHpt();
  readonly htabShift = 18;
  readonly hcalls = new HcallTable<Bench>();
  constructor() { registerMmuHcalls(this.hcalls, this); }
  hypercall(): void {}
  readTB(): number { return this.cpu.state.insnCount; }
  map(ea: number): void {
    const st = this.cpu.state;
    const e = BigInt(ea);
    const hash = VSID ^ (e >> 12n);
    const args = [0n, (hash & ((1n << 11n) - 1n)) * 8n, (VSID << 12n) | ((e >> 16n) & ~0x7fn) | 1n, e | 0x12n];
    args.forEach((a, i) => st.setGpr(4 + i, a));
    const r = this.hcalls.dispatch(this, this.cpu, H_ENTER, () => {});
    if (r !== 0n) throw new Error(`H_ENTER ${ea.toString(16)}: ${r}`);
  }
}

function bench(name: string, src: string, translate: boolean, insns: number): void {
  const b = new Bench();
  b.ram.write(ORIGIN, assembleBytes(src, BigInt(ORIGIN), false));
  for (let i = 0; i < (1 << 20); i += 4) b.ram.view.setUint32(DATA + i, (i * 2654435761) >>> 0);
  for (let p = ORIGIN; p < ORIGIN + 0x1000; p += 0x1000) b.map(p);
  for (let p = DATA; p < DATA + (1 << 20); p += 0x1000) b.map(p);
  const st = b.cpu.state;
  st.slb[1] = 0x08000000; st.slb[3] = Number(VSID << 12n); // slot 0: ESID 0, 256M, 4K pages
  st.setNip(BigInt(ORIGIN));
  st.setMsr((1n << 63n) | (translate ? 0x30n : 0n));
  b.cpu.run(20_000_000);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let done = 0;
  while (done < insns) done += b.cpu.run(100_000);
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  console.log(`${name.padEnd(34)} ${(done / ms / 1000).toFixed(1).padStart(6)} MIPS  `
    + `(${(done / cpuMs / 1000).toFixed(1)} per CPU-s)`);
}

bench('checksum ld/add/bdnz, real mode', CHECKSUM, false, 100_000_000);
bench('checksum ld/add/bdnz, IR/DR on', CHECKSUM, true, 100_000_000);
bench('branchy collatz, real mode', BRANCHY, false, 100_000_000);
bench('branchy collatz, IR/DR on', BRANCHY, true, 100_000_000);
