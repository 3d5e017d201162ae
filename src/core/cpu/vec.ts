// What the vector units (vmx.ts: VMX/AltiVec, vsx.ts: VSX) and decimal floating point (dfp.ts)
// see of the vCPU, and the helpers they share. Each ISA row flagged VMX or VSX (and not UNIMPL),
// and each FP row with an entry in DFP_IMPL, has an implementation under its mnemonic; the
// interpreter gives it an op id of its own, checks the facility (MSR[VEC], MSR[VSX], MSR[FP];
// the VSX direct moves as QEMU does) and calls it with the instruction word.
//
// Registers: VSR n is state.vsr[4n .. 4n+3], word 0 the most significant (element 0 in the
// ISA's big-endian numbering); VMX register VRn is VSR 32+n; FPR n is doubleword 0 of VSR n.

import type { CpuState } from './state';

export interface VecCpu {
  readonly state: CpuState;
  /** MSR[LE] of the running context: loads and stores are little-endian. */
  readonly le: boolean;
  /** The effective-address scratch [hi, lo] the load/store helpers use. */
  readonly ea: Int32Array;
  /** ea = (RA|0) + RB, truncated to 32 bits outside 64-bit mode. */
  eaX(ra: number, rb: number): void;
  /** Loads and stores at `ea` in the context's byte order (`rev`: the other one). A translation
   * fault is thrown and delivered by the interpreter (DSI/DSEG with SRR0 at the instruction). */
  ld8(): number;
  ld16(): number;
  ld32(): number;
  /** 64-bit load into dst[i], dst[i+1] (hi, lo). */
  ld64(dst: Int32Array, i: number, rev: boolean): void;
  st8(v: number): void;
  st16(v: number, rev: boolean): void;
  st32(v: number, rev: boolean): void;
  st64(hi: number, lo: number, rev: boolean): void;
  /** Single-precision bits to double-precision bits (QEMU's helper_todouble: exact, no flags),
   * into dst[i], dst[i+1] (hi, lo). */
  singleToDouble(a: number, dst: Int32Array, i: number): void;
  /** Double-precision bits to single-precision bits (QEMU's helper_tosingle: no rounding). */
  doubleToSingle(hi: number, lo: number): number;
  /** Deliver interrupt `vector` for this instruction with the given SRR1 bits (the implementation
   * then returns at once; nothing of the instruction's result is written). */
  raise(vector: number, srr1: number): void;
}

/** An implementation: returns nothing; a raised interrupt (raise() or a thrown fault) ends it. */
export type VecFn = (c: VecCpu, w: number) => void;

/** Offset in state.vsr of VMX register VRn. */
export function vr(n: number): number {
  return 4 * (32 + n);
}

/** Offset in state.vsr of VSX register VSn. */
export function vs(n: number): number {
  return 4 * n;
}
