import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { assemble } from '../asm/asm';
import { GuestRam } from '../mem/ram';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from './cpu';
import { tlbTable } from './mmu';
import { WARMUP_ORIGIN, WARMUP_PROGRAM } from './warmup-program';

describe('interpreter warm-up program', () => {
  it('is the assembly of the source quoted in warmup-program.ts', () => {
    const text = readFileSync(new URL('./warmup-program.ts', import.meta.url), 'utf8');
    const marker = 'Assembled from:\n//\n';
    const start = text.indexOf(marker) + marker.length;
    const src = text.slice(start, text.indexOf('\n\n', start)).split('\n').map((l) => l.replace(/^\/\/ {0,3}/, '')).join('\n');
    expect(Array.from(assemble(src, BigInt(WARMUP_ORIGIN)))).toEqual(Array.from(WARMUP_PROGRAM));
  });

  it('runs to its stop hypercall big- and little-endian, in 32-bit mode and translated', () => {
    const SF = 1n << 63n, LE = 1n, IR = 1n << 5n, DR = 1n << 4n;
    for (const msr of [SF, SF | LE, 0n, SF | IR | DR]) {
      let stopped = 0n;
      const vhyp: VirtualHypervisor = {
        hypercall(cpu: PowerPCCPU) { stopped = cpu.state.getGpr(3); cpu.state.halted = 1; cpu.requestExit(); },
        readTB() { return 0; },
      };
      const ram = new GuestRam(0x8000);
      for (let i = 0; i < WARMUP_PROGRAM.length; i++) ram.view.setUint32(WARMUP_ORIGIN + 4 * i, WARMUP_PROGRAM[i], (msr & LE) !== 0n);
      const cpu = new PowerPCCPU(ram, vhyp, POWER8);
      if (msr & IR) {
        for (let acc = 0; acc <= 2; acc++) {
          for (let page = 0; page < ram.pages; page++) {
            const i = tlbTable(acc, false, false) | page;
            cpu.mmu.tagHi[i] = 0; cpu.mmu.tagLo[i] = page << 12; cpu.mmu.rpn[i] = page;
          }
        }
      }
      cpu.state.setMsr(msr);
      cpu.state.setNip(BigInt(WARMUP_ORIGIN));
      cpu.run(1000);
      expect(stopped, `MSR ${msr.toString(16)}`).toBe(0x5555n);
      expect(cpu.state.spr[2 * 26 + 1], 'no interrupt (SRR0)').toBe(0);
    }
  });
});
