// Hypercall numbers and return codes (include/hw/ppc/spapr.h, QEMU 7.2) and the table the
// machine registers its handlers in, like spapr_register_hypercall().

import type { PowerPCCPU } from '../cpu/cpu';

export const H_SUCCESS = 0n;
export const H_BUSY = 1n;
export const H_CLOSED = 2n;
export const H_NOT_AVAILABLE = 3n;
export const H_LONG_BUSY_ORDER_100_MSEC = 9902n;
export const H_HARDWARE = -1n;
export const H_FUNCTION = -2n;
export const H_PRIVILEGE = -3n;
export const H_PARAMETER = -4n;
export const H_PTEG_FULL = -6n;
export const H_NOT_FOUND = -7n;
export const H_RESERVED_DABR = -8n;
export const H_AUTHORITY = -10n;
export const H_RESOURCE = -16n;
export const H_MULTI_THREADS_ACTIVE = -9005n;
export const H_P2 = -55n;
export const H_P3 = -56n;
export const H_P4 = -57n;
export const H_UNSUPPORTED_FLAG = -256n;

export const H_REMOVE = 0x4;
export const H_ENTER = 0x8;
export const H_READ = 0xc;
export const H_CLEAR_MOD = 0x10;
export const H_CLEAR_REF = 0x14;
export const H_GET_TCE = 0x1c;
export const H_PUT_TCE = 0x20;
export const H_PROTECT = 0x18;
export const H_SET_SPRG0 = 0x24;
export const H_SET_DABR = 0x28;
export const H_PAGE_INIT = 0x2c;
export const H_LOGICAL_CI_LOAD = 0x3c;
export const H_LOGICAL_CI_STORE = 0x40;
export const H_LOGICAL_ICBI = 0x4c;
export const H_LOGICAL_DCBF = 0x50;
export const H_GET_TERM_CHAR = 0x54;
export const H_PUT_TERM_CHAR = 0x58;
export const H_EOI = 0x64;
export const H_CPPR = 0x68;
export const H_IPI = 0x6c;
export const H_IPOLL = 0x70;
export const H_XIRR = 0x74;
export const H_REGISTER_VPA = 0xdc;
export const H_CEDE = 0xe0;
export const H_CONFER = 0xe4;
export const H_PROD = 0xe8;
export const H_HOME_NODE_ASSOCIATIVITY = 0x2ec;
export const H_VIO_SIGNAL = 0x104;
export const H_BULK_REMOVE = 0x124;
export const H_PUT_TCE_INDIRECT = 0x128;
export const H_STUFF_TCE = 0x138;
export const H_SET_XDABR = 0x134;
export const H_GET_CPU_CHARACTERISTICS = 0x1c8;
export const H_XIRR_X = 0x2fc;
/** Registered only with an spapr-rng device (absent under -nodefaults): H_FUNCTION here. */
export const H_RANDOM = 0x300;
export const H_SET_MODE = 0x31c;
export const KVMPPC_H_RTAS = 0xf000;
export const KVMPPC_H_LOGICAL_MEMOP = 0xf001;
export const KVMPPC_H_CAS = 0xf002;
export const KVMPPC_H_VOF_CLIENT = 0xf005;

/** Names for traces and panels. */
export const HCALL_NAMES: Record<number, string> = {
  [H_REMOVE]: 'H_REMOVE',
  [H_ENTER]: 'H_ENTER',
  [H_READ]: 'H_READ',
  [H_CLEAR_MOD]: 'H_CLEAR_MOD',
  [H_CLEAR_REF]: 'H_CLEAR_REF',
  [H_PROTECT]: 'H_PROTECT',
  [H_GET_TCE]: 'H_GET_TCE',
  [H_PUT_TCE]: 'H_PUT_TCE',
  [H_SET_SPRG0]: 'H_SET_SPRG0',
  [H_SET_DABR]: 'H_SET_DABR',
  [H_PAGE_INIT]: 'H_PAGE_INIT',
  [H_LOGICAL_CI_LOAD]: 'H_LOGICAL_CI_LOAD',
  [H_LOGICAL_CI_STORE]: 'H_LOGICAL_CI_STORE',
  [H_LOGICAL_ICBI]: 'H_LOGICAL_ICBI',
  [H_LOGICAL_DCBF]: 'H_LOGICAL_DCBF',
  [H_GET_TERM_CHAR]: 'H_GET_TERM_CHAR',
  [H_PUT_TERM_CHAR]: 'H_PUT_TERM_CHAR',
  [H_EOI]: 'H_EOI',
  [H_CPPR]: 'H_CPPR',
  [H_IPI]: 'H_IPI',
  [H_IPOLL]: 'H_IPOLL',
  [H_XIRR]: 'H_XIRR',
  [H_REGISTER_VPA]: 'H_REGISTER_VPA',
  [H_CEDE]: 'H_CEDE',
  [H_CONFER]: 'H_CONFER',
  [H_PROD]: 'H_PROD',
  [H_HOME_NODE_ASSOCIATIVITY]: 'H_HOME_NODE_ASSOCIATIVITY',
  [H_VIO_SIGNAL]: 'H_VIO_SIGNAL',
  [H_BULK_REMOVE]: 'H_BULK_REMOVE',
  [H_PUT_TCE_INDIRECT]: 'H_PUT_TCE_INDIRECT',
  [H_STUFF_TCE]: 'H_STUFF_TCE',
  [H_SET_XDABR]: 'H_SET_XDABR',
  [H_GET_CPU_CHARACTERISTICS]: 'H_GET_CPU_CHARACTERISTICS',
  [H_XIRR_X]: 'H_XIRR_X',
  [H_RANDOM]: 'H_RANDOM',
  [H_SET_MODE]: 'H_SET_MODE',
  [KVMPPC_H_RTAS]: 'KVMPPC_H_RTAS',
  [KVMPPC_H_LOGICAL_MEMOP]: 'KVMPPC_H_LOGICAL_MEMOP',
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
