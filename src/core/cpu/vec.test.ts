import { describe, it, expect } from 'vitest';
import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { disassemble } from '../asm/disasm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from './cpu';

const CODE = 0x10000;
const MSR_VEC = 1n << 25n, MSR_VSX = 1n << 23n, MSR_SF = 1n << 63n;

class StopHyp implements VirtualHypervisor {
  hypercall(cpu: PowerPCCPU): void { cpu.state.halted = 1; cpu.requestExit(); }
  readTB(): number { return 0; }
}

/** Run `src` (ended by sc 1) with the given MSR; a 0xf20/0xf40 handler records SRR0 in r21 and stops. */
function run(src: string, msr: bigint): PowerPCCPU {
  const ram = new GuestRam(1 << 20);
  const cpu = new PowerPCCPU(ram, new StopHyp(), POWER8);
  for (const v of [0xf20, 0xf40, 0x700]) ram.write(v, assembleBytes('mfsrr0 r21\nsc 1', BigInt(v)));
  ram.write(CODE, assembleBytes(`${src}\nsc 1`, BigInt(CODE)));
  cpu.state.setMsr(msr);
  cpu.state.setNip(BigInt(CODE));
  for (let n = 0; !cpu.state.halted && n < 100; n++) cpu.run(1000);
  return cpu;
}

const word = (cpu: PowerPCCPU, vsr: number, k: number) => cpu.state.vsr[4 * vsr + k] >>> 0;

describe('vector units', () => {
  it('VX and XX3 forms assemble, disassemble and decode through the table', () => {
    const [a, b] = assembleBytes('vor v3,v1,v2\nxxlor vs35,vs1,vs62', 0n).reduce<number[]>((l, _x, i, arr) =>
      i % 4 ? l : [...l, ((arr[i] << 24) | (arr[i + 1] << 16) | (arr[i + 2] << 8) | arr[i + 3]) >>> 0], []);
    expect(a).toBe(0x10611484);  // GNU as -mpower8: vor v3,v1,v2
    expect(b).toBe(0xf061f493);  // GNU as -mpower8: xxlor vs35,vs1,vs62
    expect(disassemble(a, 0n)).toBe('vor v3,v1,v2');
    expect(disassemble(b, 0n)).toBe('xxlor vs35,vs1,vs62');
  });

  it('runs with the facility enabled', () => {
    const cpu = run('vor v3,v1,v2\nxxlor vs4,vs33,vs34', MSR_SF | MSR_VEC | MSR_VSX);
    expect(cpu.state.getGpr(21)).toBe(0n);
  });

  it('VMX unavailable (0xf20) with MSR[VEC]=0, VSX unavailable (0xf40) with MSR[VSX]=0', () => {
    const v = run('nop\nvor v3,v1,v2', MSR_SF | MSR_VSX);
    expect(v.state.getGpr(21)).toBe(BigInt(CODE + 4));
    expect(v.state.getSpr(27) & 0xffffn).toBe(0n); // SRR1: no cause bits
    const x = run('xxlor vs4,vs33,vs34', MSR_SF | MSR_VEC);
    expect(x.state.getGpr(21)).toBe(BigInt(CODE));
  });

  it('VR n is VSR 32+n', () => {
    const ram = new GuestRam(1 << 20);
    const cpu = new PowerPCCPU(ram, new StopHyp(), POWER8);
    ram.write(CODE, assembleBytes('vor v3,v1,v2\nxxlor vs4,vs35,vs35\nsc 1', BigInt(CODE)));
    const v = cpu.state.vsr;
    for (let k = 0; k < 4; k++) { v[4 * 33 + k] = 0x01010101 << k; v[4 * 34 + k] = 0x10000000 >>> k; }
    cpu.state.setMsr(MSR_SF | MSR_VEC | MSR_VSX);
    cpu.state.setNip(BigInt(CODE));
    cpu.run(100);
    for (let k = 0; k < 4; k++) expect(word(cpu, 4, k)).toBe(((0x01010101 << k) | (0x10000000 >>> k)) >>> 0);
  });
});
