// RTAS (hw/ppc/spapr_rtas.c): tokens are RTAS_TOKEN_BASE 0x2000 + n, listed in /rtas, and
// the guest calls them through KVMPPC_H_RTAS with a big-endian argument buffer
// {token, nargs, nret, args..., rets...}. Implementations register by token, like
// spapr_rtas_register().

import type { GuestRam } from '../mem/ram';

export const RTAS_TOKEN_BASE = 0x2000;

export const RTAS_OUT_SUCCESS = 0;
export const RTAS_OUT_NO_ERRORS_FOUND = 1;
export const RTAS_OUT_HW_ERROR = -1;
export const RTAS_OUT_BUSY = -2;
export const RTAS_OUT_PARAM_ERROR = -3;
export const RTAS_OUT_NOT_SUPPORTED = -3;
export const RTAS_OUT_NO_SUCH_INDICATOR = -3;
export const RTAS_OUT_NOT_AUTHORIZED = -9002;
export const RTAS_OUT_SYSPARM_PARAM_ERROR = -9999;

/** QEMU 7.2's RTAS names in token order (spapr.h). */
const RTAS_NAMES = [
  'display-character', 'get-time-of-day', 'set-time-of-day', 'power-off', 'system-reboot',
  'query-cpu-stopped-state', 'start-cpu', 'stop-self', 'ibm,get-system-parameter',
  'ibm,set-system-parameter', 'ibm,set-xive', 'ibm,get-xive', 'ibm,int-off', 'ibm,int-on',
  'check-exception', 'event-scan', 'ibm,set-tce-bypass', 'quiesce', 'nvram-fetch', 'nvram-store',
  'read-pci-config', 'write-pci-config', 'ibm,read-pci-config', 'ibm,write-pci-config',
  'ibm,query-interrupt-source-number', 'ibm,change-msi', 'set-indicator', 'set-power-level',
  'get-power-level', 'get-sensor-state', 'ibm,configure-connector', 'ibm,os-term',
  'ibm,set-eeh-option', 'ibm,get-config-addr-info2', 'ibm,read-slot-reset-state2',
  'ibm,set-slot-reset', 'ibm,configure-pe', 'ibm,slot-error-detail', 'ibm,query-pe-dma-window',
  'ibm,create-pe-dma-window', 'ibm,remove-pe-dma-window', 'ibm,reset-pe-dma-window',
  'ibm,suspend-me', 'ibm,nmi-register', 'ibm,nmi-interlock',
] as const;

export type RtasName = (typeof RTAS_NAMES)[number];

export function rtasToken(name: RtasName): number {
  return RTAS_TOKEN_BASE + RTAS_NAMES.indexOf(name);
}

/** [name, token] for /rtas, highest token first as QEMU's device tree lists them. */
export const RTAS_TOKENS: ReadonlyArray<[string, number]> = RTAS_NAMES.map((n, i): [string, number] => [n, RTAS_TOKEN_BASE + i]).reverse();

export interface RtasCall {
  token: number;
  nargs: number;
  nret: number;
  /** Guest-physical address of args[0] and rets[0]. */
  argsAddr: number;
  retsAddr: number;
  arg(i: number): number;
  /** rtas_st: written even past nret, as QEMU does (outside RAM it is dropped). */
  ret(i: number, v: number): void;
}

export type RtasHandler<M> = (m: M, call: RtasCall) => void;

export class RtasTable<M> {
  private handlers = new Map<number, { name: string; fn: RtasHandler<M> }>();

  register(name: RtasName, fn: RtasHandler<M>): void {
    this.handlers.set(rtasToken(name), { name, fn });
  }

  /**
   * spapr_rtas_call over the argument buffer at `addr`. Returns false for an unknown token
   * (QEMU then answers H_PARAMETER and rets[0] = -3).
   */
  call(m: M, ram: GuestRam, addr: number): boolean {
    if (!ram.contains(addr, 12)) return false;
    const token = ram.ld32(addr, false) >>> 0;
    const nargs = ram.ld32(addr + 4, false) >>> 0;
    const nret = ram.ld32(addr + 8, false) >>> 0;
    const argsAddr = addr + 12;
    const retsAddr = argsAddr + 4 * nargs;
    const call: RtasCall = {
      token, nargs, nret, argsAddr, retsAddr,
      arg: (i) => (ram.contains(argsAddr + 4 * i, 4) ? ram.ld32(argsAddr + 4 * i, false) >>> 0 : 0),
      ret: (i, v) => { if (ram.contains(retsAddr + 4 * i, 4)) ram.st32(retsAddr + 4 * i, v, false); },
    };
    // Token 0xa is treated as display-character (Linux early debug), as QEMU does.
    const h = this.handlers.get(token === 0xa ? rtasToken('display-character') : token);
    if (!h) {
      call.ret(0, RTAS_OUT_PARAM_ERROR);
      return false;
    }
    h.fn(m, call);
    return true;
  }
}
