// The Open Firmware client interface of QEMU's x-vof=on mode (hw/ppc/vof.c), implemented in
// the machine. The guest calls the entry point (r5 at boot, 0x10c), a trampoline that makes
// the KVMPPC_H_VOF_CLIENT hypercall with r4 = prom_args:
//   { be32 service (address of a NUL-terminated name), be32 nargs, be32 nret, be32 args[10] }
// Results go to args[nargs...]; PROM_ERROR is 0xffffffff. Services implemented here cover the
// device-tree walk, console write, exit and time; CAS is handled by the platform.

import type { GuestRam } from '../mem/ram';
import { findNode, getProp, type FdtNode } from './fdt';
import type { SpaprMachine } from './machine';

export const VOF_ENTRY = 0x10c;
export const VOF_EXIT_RETURN = 0x1b4;
const VOF_EXIT_ARGS = 0x1d0;
const VOF_EXIT_NAME = 0x1e0;
const PROM_ERROR = 0xffffffff;
const MAX_ARGS = 10;

/**
 * Low-memory trampolines (our own code): the client-interface entry and the return path a
 * kernel that returns lands on (it calls "exit").
 */
export function vofInstallTrampolines(ram: GuestRam): void {
  const put = (addr: number, words: number[]) => words.forEach((w, i) => ram.st32(addr + 4 * i, w, false));
  put(VOF_ENTRY, [
    0x7c641b78, // mr    r4,r3
    0x38600000, // li    r3,0
    0x6063f005, // ori   r3,r3,0xf005   (KVMPPC_H_VOF_CLIENT)
    0x44000022, // sc    1
    0x4e800020, // blr
  ]);
  put(VOF_EXIT_RETURN, [
    0x38600000, // li    r3,0
    0x6063f005, // ori   r3,r3,0xf005
    0x38800000 | VOF_EXIT_ARGS, // li r4,VOF_EXIT_ARGS
    0x44000022, // sc    1
    0x48000000, // b     .
  ]);
  put(VOF_EXIT_ARGS, [VOF_EXIT_NAME, 0, 0]);
  ram.write(VOF_EXIT_NAME, new TextEncoder().encode('exit\0'));
}

interface VofState {
  phandles: Map<FdtNode, number>;
  nodes: Map<number, FdtNode>;
  parents: Map<FdtNode, FdtNode | null>;
  ihandles: Map<number, FdtNode>;
  nextIhandle: number;
  claimTop: number;
}

const states = new WeakMap<SpaprMachine, VofState>();

function vofState(m: SpaprMachine): VofState {
  let st = states.get(m);
  if (!st || !st.phandles.has(m.fdt)) {
    st = { phandles: new Map(), nodes: new Map(), parents: new Map(), ihandles: new Map(), nextIhandle: 0x2000_0000, claimTop: 0x0100_0000 };
    let next = 0x1112;
    const walk = (n: FdtNode, parent: FdtNode | null) => {
      const ph = getProp(n, 'phandle');
      const h = ph && ph.length === 4 ? new DataView(ph.buffer, ph.byteOffset).getUint32(0) : next++;
      st!.phandles.set(n, h);
      st!.nodes.set(h, n);
      st!.parents.set(n, parent);
      n.children.forEach((c) => walk(c, n));
    };
    walk(m.fdt, null);
    states.set(m, st);
  }
  return st;
}

function readCString(ram: GuestRam, addr: number, max = 256): string | null {
  if (!ram.contains(addr, 1)) return null;
  let e = addr;
  while (e < ram.size && e - addr < max && ram.u8[e] !== 0) e++;
  if (e >= ram.size || e - addr >= max) return null;
  return new TextDecoder().decode(ram.u8.subarray(addr, e));
}

function nodePath(st: VofState, n: FdtNode): string {
  const parts: string[] = [];
  for (let c: FdtNode | null | undefined = n; c && st.parents.get(c); c = st.parents.get(c)) parts.unshift(c.name);
  return '/' + parts.join('/');
}

/** Copy `data` to the guest buffer (addr, len); returns the full length like vof_getprop. */
function copyOut(ram: GuestRam, addr: number, len: number, data: Uint8Array): number {
  const n = Math.min(len, data.length);
  if (n > 0 && ram.contains(addr, n)) ram.write(addr, data.subarray(0, n));
  return data.length;
}

/**
 * Handle one client-interface call. Returns false for a malformed prom_args (the hypercall
 * then answers H_PARAMETER), true otherwise (the service result is in prom_args).
 */
export function vofClientCall(m: SpaprMachine, argsAddr: number): boolean {
  const ram = m.ram;
  if (!ram.contains(argsAddr, 12 + 4 * MAX_ARGS)) return false;
  const service = readCString(ram, ram.ld32(argsAddr, false) >>> 0);
  const nargs = ram.ld32(argsAddr + 4, false) >>> 0;
  const nret = ram.ld32(argsAddr + 8, false) >>> 0;
  if (service === null || nargs + nret > MAX_ARGS) return false;
  const arg = (i: number) => ram.ld32(argsAddr + 12 + 4 * i, false) >>> 0;
  const rets: number[] = [];
  const st = vofState(m);
  const pkg = (h: number) => st.nodes.get(h) ?? st.ihandles.get(h);
  const want = (a: number, r: number) => nargs === a && nret === r;
  let result: number = PROM_ERROR;

  switch (service) {
    case 'finddevice': {
      if (!want(1, 1)) break;
      const path = readCString(ram, arg(0));
      const n = path === null ? undefined : findNode(m.fdt, path);
      result = n ? st.phandles.get(n)! : PROM_ERROR;
      break;
    }
    case 'getproplen':
    case 'getprop': {
      if (service === 'getprop' ? !want(4, 1) : !want(2, 1)) break;
      const n = pkg(arg(0));
      const name = readCString(ram, arg(1));
      if (!n || name === null) break;
      let v = getProp(n, name);
      if (!v && name === 'name') v = new TextEncoder().encode(n.name.split('@')[0] + '\0');
      if (!v) break;
      result = service === 'getprop' ? copyOut(ram, arg(2), arg(3), v) : v.length;
      break;
    }
    case 'nextprop': {
      if (!want(3, 1)) break;
      const n = pkg(arg(0));
      const prev = readCString(ram, arg(1));
      if (!n || prev === null) break;
      const idx = prev === '' ? 0 : n.props.findIndex(([k]) => k === prev) + 1;
      if (idx === 0 && prev !== '') { result = PROM_ERROR; break; }
      if (idx >= n.props.length) { result = 0; break; }
      copyOut(ram, arg(2), 32, new TextEncoder().encode(n.props[idx][0] + '\0'));
      result = 1;
      break;
    }
    case 'peer':
    case 'child':
    case 'parent': {
      if (!want(1, 1)) break;
      const h = arg(0);
      if (service === 'peer' && h === 0) { result = st.phandles.get(m.fdt)!; break; }
      const n = st.nodes.get(h);
      if (!n) { result = 0; break; }
      let r: FdtNode | null | undefined;
      if (service === 'child') r = n.children[0];
      else if (service === 'parent') r = st.parents.get(n);
      else {
        const p = st.parents.get(n);
        r = p ? p.children[p.children.indexOf(n) + 1] : undefined;
      }
      result = r ? st.phandles.get(r)! : 0;
      break;
    }
    case 'open': {
      if (!want(1, 1)) break;
      const path = readCString(ram, arg(0));
      const n = path === null ? undefined : findNode(m.fdt, path);
      if (!n) { result = 0; break; }
      const ih = st.nextIhandle++;
      st.ihandles.set(ih, n);
      result = ih;
      break;
    }
    case 'close':
      st.ihandles.delete(arg(0));
      result = 0;
      break;
    case 'instance-to-package': {
      const n = st.ihandles.get(arg(0));
      result = n ? st.phandles.get(n)! : PROM_ERROR;
      break;
    }
    case 'package-to-path':
    case 'instance-to-path': {
      if (!want(3, 1)) break;
      const n = service === 'package-to-path' ? st.nodes.get(arg(0)) : st.ihandles.get(arg(0));
      if (!n) break;
      result = copyOut(ram, arg(1), arg(2), new TextEncoder().encode(nodePath(st, n) + '\0'));
      break;
    }
    case 'write': {
      if (!want(3, 1)) break;
      const len = arg(2);
      const data = ram.contains(arg(1), len) ? ram.read(arg(1), len) : new Uint8Array(0);
      // QEMU 7.2's VOF has no console back-end: the text only reaches the vof_write trace.
      m.host.trace('vof_write', `ih=0x${arg(0).toString(16)} [${len}] "${new TextDecoder().decode(data)}"`);
      result = len;
      break;
    }
    case 'claim': {
      if (!want(3, 1)) break;
      const [virt, size, align] = [arg(0), arg(1), arg(2)];
      let addr = virt;
      if (align) {
        addr = Math.ceil(st.claimTop / align) * align;
        st.claimTop = addr + size;
      }
      result = ram.contains(addr, size) ? addr : PROM_ERROR;
      break;
    }
    case 'release':
      result = 0;
      break;
    case 'milliseconds':
      result = Math.floor(m.host.clock.ns() / 1e6) >>> 0;
      break;
    case 'quiesce':
      m.fdtBlob.length && (m.fdtInitialSize = m.fdtBlob.length);
      result = 0;
      break;
    case 'exit':
      m.host.stopRequest('Stopped as the VM requested "exit"');
      result = 0;
      break;
    default:
      // Unknown services (and call-method / interpret, not yet modelled) answer PROM_ERROR.
      m.host.log(`vof: unsupported client service "${service}"`);
      break;
  }
  rets.push(result >>> 0);
  for (let i = 0; i < nret && i < rets.length; i++) ram.st32(argsAddr + 12 + 4 * (nargs + i), rets[i], false);
  return true;
}
