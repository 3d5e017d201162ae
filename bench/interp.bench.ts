// Interpreter throughput: tight integer loops on the POWER8 interpreter, printed as MIPS.
// Run: npx tsx bench/interp.bench.ts

import { GuestRam } from '../src/core/mem/ram';
import { assembleBytes } from '../src/core/asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from '../src/core/cpu/cpu';
import { BRANCHY, CHECKSUM, DATA, ORIGIN } from './programs';


function makeCpu(src: string, le: boolean): { cpu: PowerPCCPU; ram: GuestRam } {
  const ram = new GuestRam(32 << 20);
  let cpuRef: PowerPCCPU | null = null;
  const vhyp: VirtualHypervisor = {
    hypercall: () => {},
    readTB: () => (cpuRef ? cpuRef.state.insnCount : 0),
  };
  const cpu = new PowerPCCPU(ram, vhyp, POWER8);
  cpuRef = cpu;
  ram.write(ORIGIN, assembleBytes(src, BigInt(ORIGIN), le));
  for (let i = 0; i < (1 << 20); i += 4) ram.view.setUint32(DATA + i, (i * 2654435761) >>> 0, le);
  cpu.state.setNip(BigInt(ORIGIN));
  cpu.state.setMsr((1n << 63n) | (le ? 1n : 0n));
  return { cpu, ram };
}

function bench(name: string, src: string, le: boolean, insns: number): void {
  const { cpu } = makeCpu(src, le);
  cpu.run(20_000_000); // warm up the JIT and the decode cache
  const slice = 100_000;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let done = 0;
  while (done < insns) done += cpu.run(slice);
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  // Wall-clock MIPS, and MIPS per CPU-second (steadier when the machine is shared).
  console.log(`${name.padEnd(28)} ${(done / ms / 1000).toFixed(1).padStart(6)} MIPS  `
    + `(${(done / cpuMs / 1000).toFixed(1)} per CPU-s; ${done} insns in ${ms.toFixed(0)} ms)`);
}

const N = Number(process.env.BENCH_INSNS ?? 200_000_000);
bench('checksum ld/add/bdnz (BE)', CHECKSUM, false, N);
bench('checksum ld/add/bdnz (LE)', CHECKSUM, true, N);
bench('branchy collatz (BE)', BRANCHY, false, N);
