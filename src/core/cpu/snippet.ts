// Runs a few instructions on a bare vCPU for the unit tests of the execution units (vec.test,
// vmx.test, vsx.test, dfp.test): the snippet at SNIPPET_CODE (then sc 1, which stops it), r4 =
// SNIPPET_DATA, registers and memory as given, big-endian interrupt handlers at the vectors the
// units raise that put SRR0 in r21 and the vector in r22, then stop.

import { GuestRam } from '../mem/ram';
import { assembleBytes } from '../asm/asm';
import { PowerPCCPU, POWER8, type VirtualHypervisor } from './cpu';

export const SNIPPET_CODE = 0x10000;
export const SNIPPET_DATA = 0x20000;
export const MSR_SF = 1n << 63n, MSR_VEC = 1n << 25n, MSR_VSX = 1n << 23n, MSR_FP = 1n << 13n;
export const MSR_FE0 = 1n << 11n, MSR_LE = 1n;

const VECTORS = [0x300, 0x380, 0x600, 0x700, 0x800, 0xf20, 0xf40, 0xf60];

class StopHyp implements VirtualHypervisor {
  hypercall(cpu: PowerPCCPU): void { cpu.state.halted = 1; cpu.requestExit(); }
  readTB(): number { return 0; }
}

export interface SnippetSetup {
  /** Default: 64-bit with FP, VMX and VSX available. The snippet is assembled in MSR[LE]'s order. */
  msr?: bigint;
  /** VSRn (or VRn) = four big-endian words. */
  vsr?: Record<number, number[]>;
  vr?: Record<number, number[]>;
  /** FPRn = a doubleword. */
  fpr?: Record<number, bigint>;
  gpr?: Record<number, bigint>;
  /** Bytes at SNIPPET_DATA. */
  mem?: ArrayLike<number>;
  /** FPSCR low word, and the high word (DRN). */
  fpscr?: number;
  drn?: number;
}

export function runSnippet(src: string, s: SnippetSetup = {}): PowerPCCPU {
  const ram = new GuestRam(1 << 20);
  const cpu = new PowerPCCPU(ram, new StopHyp(), POWER8);
  for (const v of VECTORS) ram.write(v, assembleBytes(`mfsrr0 r21\nli r22,${v}\nsc 1`, BigInt(v)));
  const msr = s.msr ?? (MSR_SF | MSR_VEC | MSR_VSX | MSR_FP);
  ram.write(SNIPPET_CODE, assembleBytes(`${src}\nsc 1`, BigInt(SNIPPET_CODE), (msr & MSR_LE) !== 0n));
  if (s.mem) ram.write(SNIPPET_DATA, Uint8Array.from(s.mem));
  const st = cpu.state;
  st.setGpr(4, BigInt(SNIPPET_DATA));
  st.setGpr(21, 0xdeadn);
  for (const [r, v] of Object.entries(s.gpr ?? {})) st.setGpr(Number(r), v);
  for (const [r, v] of Object.entries(s.vsr ?? {})) v.forEach((x, k) => { st.vsr[4 * Number(r) + k] = x | 0; });
  for (const [r, v] of Object.entries(s.vr ?? {})) v.forEach((x, k) => { st.vsr[4 * (32 + Number(r)) + k] = x | 0; });
  for (const [r, v] of Object.entries(s.fpr ?? {})) {
    st.vsr[4 * Number(r)] = Number(v >> 32n) | 0;
    st.vsr[4 * Number(r) + 1] = Number(v & 0xffffffffn) | 0;
  }
  st.fpscr[1] = s.fpscr ?? 0;
  st.fpscr[0] = s.drn ?? 0;
  st.setMsr(msr);
  st.setNip(BigInt(SNIPPET_CODE));
  for (let n = 0; !st.halted && n < 100; n++) cpu.run(1000);
  return cpu;
}

/** VSRn as four unsigned words. */
export const vsrWords = (cpu: PowerPCCPU, n: number): number[] => [0, 1, 2, 3].map((k) => cpu.state.vsr[4 * n + k] >>> 0);
