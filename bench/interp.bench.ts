// Interpreter throughput: tight integer loops on the POWER8 interpreter, printed as MIPS.
// Run: npx tsx bench/interp.bench.ts

import { GuestRam } from '../src/core/mem/ram';
import { assembleBytes } from '../src/core/asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from '../src/core/cpu/cpu';

const ORIGIN = 0x400000;
const DATA = 0x800000;

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

/** Checksum of 1 MiB with ld/add/bdnz, repeated forever. */
const CHECKSUM = `
again:
    lis r3,${DATA >> 16}
    addi r3,r3,-8
    lis r5,2              # 0x20000 doublewords = 1 MiB
    mtctr r5
loop:
    ldu r6,8(r3)
    add r4,r4,r6
    bdnz loop
    b again
`;

/** A branchy loop: Collatz steps with compares, conditional branches, shifts and a call. */
const BRANCHY = `
    li r10,1
outer:
    addi r10,r10,1
    mr r3,r10
    li r7,0
step:
    cmpdi r3,1
    beq done
    andi. r4,r3,1
    bne odd
    srdi r3,r3,1
    b next
odd:
    mulli r3,r3,3
    addi r3,r3,1
next:
    addi r7,r7,1
    bl count
    b step
done:
    b outer
count:
    addi r8,r8,1
    blr
`;

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
