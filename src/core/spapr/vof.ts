// The Open Firmware client interface of QEMU's x-vof=on mode (hw/ppc/vof.c), implemented in
// the machine. The guest calls the entry point (r5 at boot, 0x10c), a trampoline that makes
// the KVMPPC_H_VOF_CLIENT hypercall with r4 = prom_args:
//   { be32 service (address of a NUL-terminated name), be32 nargs, be32 nret, be32 args[10] }
// Results go to args[nargs...]; PROM_ERROR is 0xffffffff. Services implemented here cover the
// device-tree walk, console write, exit and time; CAS is handled by the platform.

import type { GuestRam } from '../mem/ram';
import { cells, findNode, getProp, type FdtNode } from './fdt';
import type { SpaprMachine } from './machine';
import { vofClientArchitectureSupport } from './cas';

export const VOF_ENTRY = 0x10c;
export const VOF_EXIT_RETURN = 0x1b4;
const VOF_EXIT_ARGS = 0x1d0;
const VOF_EXIT_NAME = 0x1e0;
const PROM_ERROR = 0xffffffff;

/** [nargs, nret] each service must be called with (0 = any), as vof_client_handle checks. */
const SERVICE_SHAPES: Record<string, [number, number]> = {
  finddevice: [1, 1], getprop: [4, 1], getproplen: [2, 1], setprop: [4, 1], nextprop: [3, 1],
  peer: [1, 1], child: [1, 1], parent: [1, 1], open: [1, 1], close: [1, 0],
  'instance-to-package': [1, 1], 'package-to-path': [3, 1], 'instance-to-path': [3, 1],
  write: [3, 1], claim: [3, 1], release: [2, 0], 'call-method': [0, 0], interpret: [0, 0],
  milliseconds: [0, 1], quiesce: [0, 0], exit: [0, 0],
};
const MAX_ARGS = 10;
/** Longest property name the client interface reads (hw/ppc/vof.c) */
const OF_PROPNAME_LEN_MAX = 64;

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
  /** the path each instance was opened with (OfInstance.path) */
  ipaths: Map<number, string>;
  nextIhandle: number;
  /** vof->claimed: [start, size] in claim order; vof->claimed_base; vof->top_addr */
  claimed: Array<[number, number]>;
  claimedBase: number;
  topAddr: number;
}

const states = new WeakMap<SpaprMachine, VofState>();

/** The size of QEMU 7.2's pc-bios/vof.bin, which VOF claims at 0 (our trampolines live there). */
const VOF_FW_SIZE = 0xda0;
const VOF_STACK_SIZE = 0x8000;

/** vof_claim: -1 when the range is taken (or nothing fits below top_addr). */
function vofClaim(m: SpaprMachine, st: VofState, virt: number, size: number, align: number): number {
  const avail = (a: number, sz: number) => st.claimed.every(([s0, l0]) => a + sz <= s0 || s0 + l0 <= a);
  let ret: number;
  if (size === 0) {
    ret = -1;
  } else if (align === 0) {
    ret = avail(virt, size) ? virt : -1;
  } else {
    st.claimedBase = Math.ceil(st.claimedBase / align) * align;
    for (;;) {
      if (st.claimedBase >= st.topAddr) {
        m.host.log('Out of RMA memory for the OF client');
        return -1;
      }
      if (avail(st.claimedBase, size)) break;
      st.claimedBase += size;
    }
    ret = st.claimedBase;
  }
  if (ret !== -1) {
    st.claimedBase = Math.max(st.claimedBase, ret + size);
    st.claimed.push([ret, size]);
  }
  m.host.trace('vof_claim', `virt=0x${virt.toString(16)} size=0x${size.toString(16)} align=0x${align.toString(16)} ret=0x${(ret >>> 0).toString(16)}`);
  return ret;
}

/** vof_dt_memory_available: /memory@0/available = the gaps after each claimed block (sorted). */
function vofMemoryAvailable(m: SpaprMachine, st: VofState): void {
  const mem = findNode(m.fdt, '/memory@0');
  if (!mem || !st.claimed.length) return;
  const sorted = [...st.claimed].sort((a, b) => a[0] - b[0]);
  const end = m.ram.size;
  const words: number[] = [];
  sorted.forEach(([a, sz], i) => {
    const start = a + sz;
    const size = i < sorted.length - 1 ? sorted[i + 1][0] - start : end - start;
    words.push(Math.floor(start / 2 ** 32), start >>> 0, Math.floor(size / 2 ** 32), size >>> 0);
  });
  const v = cells(...words);
  const p = mem.props.find(([k]) => k === 'available');
  if (p) p[1] = v;
  else mem.props.unshift(['available', v]);
}

/**
 * spapr_vof_client_dt_finalize + vof_build_dt: every node without a phandle gets one (from
 * the highest existing phandle up, in tree order, as the node's first property), and
 * /chosen/stdout holds an open instance of the console so early printk works. Instances
 * are numbered from 1.
 */
export function vofFinalizeDt(m: SpaprMachine, stdoutPath: string | null, keepInstances = false): void {
  let max = 0;
  const scan = (n: FdtNode) => {
    const ph = getProp(n, 'phandle');
    if (ph && ph.length === 4) max = Math.max(max, new DataView(ph.buffer, ph.byteOffset).getUint32(0));
    n.children.forEach(scan);
  };
  scan(m.fdt);
  const assign = (n: FdtNode) => {
    if (!getProp(n, 'phandle')) n.props.unshift(['phandle', cells(++max)]);
    n.children.forEach(assign);
  };
  assign(m.fdt);
  const chosenNode = findNode(m.fdt, '/chosen');
  if (m.vofBootargs !== undefined && chosenNode) {
    const v = new TextEncoder().encode(m.vofBootargs + '\0');
    const p = chosenNode.props.find(([k]) => k === 'bootargs');
    if (p) p[1] = v;
    else chosenNode.props.unshift(['bootargs', v]);
  }
  // instances survive a rebuilt tree (CAS): they follow their paths into the new one
  const old = states.get(m);
  states.delete(m);
  const st = vofState(m);
  if (old && !keepInstances) old.ipaths.clear();
  if (old) {
    st.nextIhandle = keepInstances ? old.nextIhandle : 1;
    for (const [ih, path] of old.ipaths) {
      const n = findNode(m.fdt, path);
      if (n) { st.ihandles.set(ih, n); st.ipaths.set(ih, path); }
    }
  }
  if (old && keepInstances) {
    st.claimed = old.claimed;
    st.claimedBase = old.claimedBase;
  } else {
    // spapr_vof_reset: vof_init claims the firmware, then the stack, kernel and initrd
    vofClaim(m, st, 0, m.firmwareImage?.length ?? VOF_FW_SIZE, 0);
    vofClaim(m, st, 0, VOF_STACK_SIZE, VOF_STACK_SIZE);
    const k = m.bootKernel;
    if (k) vofClaim(m, st, k.addr, k.size, 0);
    if (m.initrd) vofClaim(m, st, m.initrd.base, m.initrd.size, 0);
  }
  vofMemoryAvailable(m, st);
  if (stdoutPath) {
    const n = findNode(m.fdt, stdoutPath);
    const chosen = findNode(m.fdt, '/chosen');
    if (n && chosen) {
      const ih = st.nextIhandle++;
      st.ihandles.set(ih, n);
      st.ipaths.set(ih, stdoutPath);
      chosen.props.unshift(['stdout', cells(ih)]);
    }
  }
}

function vofState(m: SpaprMachine): VofState {
  let st = states.get(m);
  if (!st || !st.phandles.has(m.fdt)) {
    st = { phandles: new Map(), nodes: new Map(), parents: new Map(), ihandles: new Map(), ipaths: new Map(), nextIhandle: 1, claimed: [], claimedBase: 0, topAddr: Math.min(m.rmaSize(), 2 ** 32) };
    // fdt_get_phandle: 0 for a node without one (a tree rebuilt by KVMPPC_H_CAS is not
    // finalized for VOF, so its nodes cannot be reached through the client interface)
    const walk = (n: FdtNode, parent: FdtNode | null) => {
      const ph = getProp(n, 'phandle');
      const h = ph && ph.length === 4 ? new DataView(ph.buffer, ph.byteOffset).getUint32(0) : 0;
      st!.phandles.set(n, h);
      if (h) st!.nodes.set(h, n);
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

/** The RTAS blob the firmware copies to the OS: mr r4,r3; lis r3,0; ori r3,r3,0xf000 (KVMPPC_H_RTAS); sc 1; blr */
const HV_RTAS = [0x7c641b78, 0x3c600000, 0x6063f000, 0x44000022, 0x4e800020];

/**
 * QEMU's firmware (pc-bios/vof, prom_handle) answers `call-method "instantiate-rtas"` itself,
 * before the hypercall: when /rtas's rtas-size fits its 20-byte blob, it copies the blob to
 * the base the OS passed and returns (catch-result 0, entry = base). Otherwise the call goes
 * on to the machine, which has no RTAS to instantiate.
 */
function vofFirmwareInstantiateRtas(m: SpaprMachine, argsAddr: number, nargs: number): boolean {
  const ram = m.ram;
  const arg = (i: number) => ram.ld32(argsAddr + 12 + 4 * i, false) >>> 0;
  if (readCString(ram, arg(0), 64) !== 'instantiate-rtas') return false;
  const rtas = findNode(m.fdt, '/rtas');
  const size = rtas && getProp(rtas, 'rtas-size');
  const rtassize = size && size.length >= 4 ? new DataView(size.buffer, size.byteOffset).getUint32(0) : 0;
  const base = arg(2);
  if (rtassize < 4 * HV_RTAS.length || !ram.contains(base, 4 * HV_RTAS.length)) return false;
  HV_RTAS.forEach((w, i) => ram.st32(base + 4 * i, w, false));
  ram.st32(argsAddr + 12 + 4 * nargs, 0, false);
  ram.st32(argsAddr + 12 + 4 * (nargs + 1), base, false);
  return true;
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
  if (service === null || nargs >= MAX_ARGS || nret > MAX_ARGS - nargs) return false;
  const arg = (i: number) => ram.ld32(argsAddr + 12 + 4 * i, false) >>> 0;
  const rets: number[] = [];
  const st = vofState(m);
  const pkg = (h: number) => st.nodes.get(h) ?? st.ihandles.get(h);
  const want = (a: number, r: number) => nargs === a && nret === r;
  let result: number = PROM_ERROR;

  if (service === 'call-method' && nargs >= 3 && nret >= 2 && vofFirmwareInstantiateRtas(m, argsAddr, nargs)) return true;

  // cmpservice: a known name with the wrong nargs/nret is handled as an unknown service
  const shape = SERVICE_SHAPES[service];
  const svc = shape && (shape[0] && nargs !== shape[0] || shape[1] && nret !== shape[1]) ? '' : service;
  if (svc !== service) m.host.trace('vof_error_param', `"${service}" ${shape![0]}/${shape![1]} got ${nargs}/${nret}`);

  switch (svc) {
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
      const name = readCString(ram, arg(1), OF_PROPNAME_LEN_MAX + 1);
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
      const prev = readCString(ram, arg(1), OF_PROPNAME_LEN_MAX + 1);
      if (!n || prev === null) break;
      const idx = prev === '' ? 0 : n.props.findIndex(([k]) => k === prev) + 1;
      if (idx === 0 && prev !== '') { result = PROM_ERROR; break; }
      if (idx >= n.props.length) { result = 0; break; }
      // the whole name, however long (VOF_MEM_WRITE of strlen + 1)
      const name = new TextEncoder().encode(n.props[idx][0] + '\0');
      if (!ram.contains(arg(2), name.length)) break;
      ram.write(arg(2), name);
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
      if (!n) break;
      const ih = st.nextIhandle++;
      st.ihandles.set(ih, n);
      st.ipaths.set(ih, path!);
      result = ih;
      break;
    }
    case 'close':
      st.ihandles.delete(arg(0));
      st.ipaths.delete(arg(0));
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
      if (!st.ihandles.has(arg(0))) break;
      const len = arg(2);
      if (!ram.contains(arg(1), len)) break;
      const data = ram.read(arg(1), len);
      // QEMU 7.2's VOF has no console back-end: the text only reaches the vof_write trace,
      // and the service answers what is left to write, 0.
      m.host.trace('vof_write', `ih=0x${arg(0).toString(16)} [${len}] "${new TextDecoder().decode(data)}"`);
      result = 0;
      break;
    }
    case 'claim': {
      const r = vofClaim(m, st, arg(0), arg(1), arg(2));
      if (r < 2 ** 32 && r >= 0) {
        vofMemoryAvailable(m, st);
        result = r;
      } else {
        result = PROM_ERROR;
      }
      break;
    }
    case 'release': {
      const idx = st.claimed.findIndex(([a, sz]) => a === arg(0) && sz === arg(1));
      if (idx >= 0) {
        st.claimed.splice(idx, 1);
        vofMemoryAvailable(m, st);
      }
      break;
    }
    case 'milliseconds':
      result = Math.floor(m.host.clock.ns() / 1e6) >>> 0;
      break;
    case 'quiesce':
      m.fdtBlob.length && (m.fdtInitialSize = m.fdtBlob.length);
      result = 0;
      break;
    case 'call-method': {
      // method, ihandle, params...; returns catch-result, then the method's results
      let ret2 = 0;
      const method = readCString(ram, arg(0), 64);
      const path = st.ipaths.get(arg(1));
      if (arg(1) && path !== undefined && method !== null) {
        if (path === '/' && method === 'ibm,client-architecture-support') {
          result = Number(BigInt.asUintN(32, vofClientArchitectureSupport(m, arg(2))));
          ret2 = 0;
        } else if (path === '/rtas' && method === 'instantiate-rtas') {
          // QEMU: error_fatal, the process ends
          m.host.log('The firmware should have instantiated RTAS');
          m.host.shutdownRequest('host-error');
          m.cpu.requestExit();
          result = 0;
          ret2 = arg(2);
        } else {
          m.host.trace('vof_error_unknown_method', `"${method}"`);
        }
      }
      rets.push(result >>> 0, ret2);
      result = -1;
      break;
    }
    case 'interpret':
      // QEMU's VOF has no Forth: only a trace, and an error
      m.host.trace('vof_interpret', `"${readCString(ram, arg(0)) ?? ''}"`);
      rets.push(PROM_ERROR, 0);
      result = -1;
      break;
    case 'setprop': {
      // vof_setprop + spapr_vof_setprop: any property, except badly sized initrd bounds
      const [ph, pname, valaddr, vallen] = [arg(0), arg(1), arg(2), arg(3)];
      if (vallen > 2048) break;
      const name = readCString(ram, pname, OF_PROPNAME_LEN_MAX + 1);
      const n = st.nodes.get(ph);
      if (name === null || !n || !ram.contains(valaddr, vallen)) break;
      const val = ram.read(valaddr, vallen).slice();
      const path = nodePath(st, n);
      if (path === '/chosen' && (name === 'linux,initrd-start' || name === 'linux,initrd-end') && vallen !== 4 && vallen !== 8) break;
      if (path === '/chosen' && name === 'bootargs') m.vofBootargs = new TextDecoder().decode(val).replace(/\0.*$/s, '');
      const p = n.props.find(([k]) => k === name);
      if (p) p[1] = val;
      else n.props.unshift([name, val]);
      result = vallen;
      break;
    }
    case 'exit':
      m.host.stopRequest('Stopped as the VM requested "exit"');
      result = 0;
      break;
    default:
      // vof_error_unknown_service: -1
      m.host.trace('vof_error_unknown_service', `"${service}" args=${nargs} rets=${nret}`);
      break;
  }
  if (result !== -1 || !rets.length) rets.push(result >>> 0);
  // every return slot is written: the method results default to 0 (rets[] zeroed in QEMU)
  for (let i = 0; i < nret; i++) ram.st32(argsAddr + 12 + 4 * (nargs + i), rets[i] ?? 0, false);
  return true;
}
