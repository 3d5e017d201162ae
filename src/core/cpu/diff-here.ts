// Runs a differential-test guest (qemu-diff.ts, vec-diff.ts) on this interpreter, entered the
// way VOF enters it under QEMU, and returns the lines it prints: what the tests compare with the
// fixtures QEMU printed.

import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { PowerPCCPU, POWER8 } from './cpu';
import { DIFF_LOAD_ADDR, H_PUT_TERM_CHAR } from './qemu-diff';

/**
 * Runs a differential guest here, entered the way VOF enters it under QEMU (PC 0x400000,
 * MSR=0, r1=0xff60), with H_PUT_TERM_CHAR captured; any other hypercall stops it. Returns the
 * printed lines before END.
 */
export function runDiffHere(src: string): string[] {
  const ram = new GuestRam(16 << 20);
  let out = '';
  let cpuRef: PowerPCCPU | null = null;
  const cpu = new PowerPCCPU(ram, {
    hypercall(c) {
      const st = c.state;
      if (Number(st.getGpr(3)) === H_PUT_TERM_CHAR) {
        const bytes = new Uint8Array(16);
        const dv = new DataView(bytes.buffer);
        dv.setBigUint64(0, st.getGpr(6));
        dv.setBigUint64(8, st.getGpr(7));
        out += String.fromCharCode(...bytes.subarray(0, Number(st.getGpr(5))));
        st.setGpr(3, 0n);
      } else {
        st.halted = 1;
        c.requestExit();
      }
    },
    readTB: () => cpuRef!.state.insnCount,
  }, POWER8);
  cpuRef = cpu;
  ram.write(DIFF_LOAD_ADDR, assembleBytes(src, BigInt(DIFF_LOAD_ADDR)));
  cpu.state.setNip(BigInt(DIFF_LOAD_ADDR));
  cpu.state.setMsr(0n);
  cpu.state.setGpr(1, 0xff60n);
  let n = 0;
  while (!cpu.state.halted && n < 50_000_000) n += cpu.run(1_000_000);
  const lines = out.split('\n').filter((l) => l);
  if (lines[lines.length - 1] !== 'END') throw new Error(`differential guest: no END (last lines: ${lines.slice(-3).join(' | ')})`);
  return lines.slice(0, -1);
}

