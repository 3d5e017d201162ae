// Hypercall numbers and return codes (include/hw/ppc/spapr.h, QEMU 7.2) and the table the
// machine registers its handlers in, like spapr_register_hypercall().

import type { PowerPCCPU } from '../cpu/cpu';

export const H_SUCCESS = 0n;
export const H_BUSY = 1n;
export const H_HARDWARE = -1n;
export const H_FUNCTION = -2n;
export const H_PRIVILEGE = -3n;
export const H_PARAMETER = -4n;
export const H_NOT_FOUND = -7n;
export const H_P2 = -55n;
export const H_P3 = -56n;
export const H_P4 = -57n;
export const H_UNSUPPORTED_FLAG = -256n;

export const H_SET_SPRG0 = 0x24;
export const H_LOGICAL_CI_LOAD = 0x3c;
export const H_LOGICAL_CI_STORE = 0x40;
export const H_GET_TERM_CHAR = 0x54;
export const H_PUT_TERM_CHAR = 0x58;
export const H_CEDE = 0xe0;
export const H_CONFER = 0xe4;
export const H_PROD = 0xe8;
export const H_SET_MODE = 0x31c;
export const KVMPPC_H_RTAS = 0xf000;
export const KVMPPC_H_CAS = 0xf002;
export const KVMPPC_H_VOF_CLIENT = 0xf005;

/** Names for traces and panels. */
export const HCALL_NAMES: Record<number, string> = {
  [H_SET_SPRG0]: 'H_SET_SPRG0',
  [H_LOGICAL_CI_LOAD]: 'H_LOGICAL_CI_LOAD',
  [H_LOGICAL_CI_STORE]: 'H_LOGICAL_CI_STORE',
  [H_GET_TERM_CHAR]: 'H_GET_TERM_CHAR',
  [H_PUT_TERM_CHAR]: 'H_PUT_TERM_CHAR',
  [H_CEDE]: 'H_CEDE',
  [H_CONFER]: 'H_CONFER',
  [H_PROD]: 'H_PROD',
  [H_SET_MODE]: 'H_SET_MODE',
  [KVMPPC_H_RTAS]: 'KVMPPC_H_RTAS',
  [KVMPPC_H_CAS]: 'KVMPPC_H_CAS',
  [KVMPPC_H_VOF_CLIENT]: 'KVMPPC_H_VOF_CLIENT',
};

/**
 * Arguments of one hypercall: args[0] is r4, args[1] r5, ... Outputs are written back the
 * way QEMU does (`args[i]` overwrite r4+i), through `ret`.
 */
export class HcallArgs {
  constructor(private cpu: PowerPCCPU) {}
  /** Argument i (0 = r4) as an unsigned 64-bit BigInt. */
  get(i: number): bigint { return this.cpu.state.getGpr(4 + i); }
  /** Argument i truncated to a JS number (for values known to fit in 53 bits). */
  num(i: number): number { return Number(this.get(i)); }
  /** Write output i (0 = r4). */
  ret(i: number, v: bigint | number): void { this.cpu.state.setGpr(4 + i, BigInt(v)); }
}

export type HcallHandler<M> = (m: M, cpu: PowerPCCPU, opcode: number, args: HcallArgs) => bigint;

export class HcallTable<M> {
  private handlers = new Map<number, HcallHandler<M>>();

  /** spapr_register_hypercall(): one line per hcall. */
  register(opcode: number, fn: HcallHandler<M>): void {
    if (this.handlers.has(opcode)) throw new Error(`hcall 0x${opcode.toString(16)} registered twice`);
    this.handlers.set(opcode, fn);
  }

  has(opcode: number): boolean { return this.handlers.has(opcode); }

  /** spapr_hypercall(): unknown opcodes give H_FUNCTION (QEMU logs "Unimplemented SPAPR hcall"). */
  dispatch(m: M, cpu: PowerPCCPU, opcode: number, log: (msg: string) => void): bigint {
    const fn = this.handlers.get(opcode);
    if (!fn) {
      log(`Unimplemented SPAPR hcall 0x${opcode.toString(16)}`);
      return H_FUNCTION;
    }
    return fn(m, cpu, opcode, new HcallArgs(cpu));
  }
}
