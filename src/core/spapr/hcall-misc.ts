// The platform hypercalls beyond the console and idle ones (hw/ppc/spapr_hcall.c,
// hw/intc/xics_spapr.c, hw/ppc/spapr_vio.c): XICS, VPA/SLB-shadow/DTL registration,
// DABR, page init, cache-inhibited logical loads and stores, VIO signal mode and the CPU
// characteristics. One line per hcall in `registerPlatformHcalls`, behaviour in small
// functions, return codes and argument checks as QEMU 7.2's.

import type { PowerPCCPU } from '../cpu/cpu';
import {
  H_CPPR, H_EOI, H_GET_CPU_CHARACTERISTICS, H_HARDWARE, H_IPI, H_IPOLL, H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE, H_LOGICAL_DCBF, H_LOGICAL_ICBI, H_PAGE_INIT, H_PARAMETER, H_REGISTER_VPA, H_RESOURCE, H_SET_DABR, H_SET_XDABR, H_SUCCESS, H_VIO_SIGNAL, H_XIRR, H_XIRR_X, KVMPPC_H_LOGICAL_MEMOP, H_HOME_NODE_ASSOCIATIVITY, H_FUNCTION, H_P2, type HcallArgs, type HcallTable,
} from './hcall';
import { OV5, testOvBit, type SpaprMachine } from './machine';



const SPR_DABR = 1013;
const SPR_DABRX = 1015;
const H_DABRX_HYPERVISOR = 1n << 2n;
const H_DABRX_KERNEL = 1n << 1n;
const H_DABRX_USER = 1n;

const H_ICACHE_INVALIDATE = 1n << (63n - 40n);
const H_ICACHE_SYNCHRONIZE = 1n << (63n - 41n);
const H_ZERO_PAGE = 1n << (63n - 48n);
const H_COPY_PAGE = 1n << (63n - 49n);
const TARGET_PAGE_SIZE = 4096;

const FLAGS_REGISTER_VPA = 0x0000200000000000n;
const FLAGS_REGISTER_DTL = 0x0000400000000000n;
const FLAGS_REGISTER_SLBSHADOW = 0x0000600000000000n;
const FLAGS_DEREGISTER_VPA = 0x0000a00000000000n;
const FLAGS_DEREGISTER_DTL = 0x0000c00000000000n;
const FLAGS_DEREGISTER_SLBSHADOW = 0x0000e00000000000n;
const VPA_MIN_SIZE = 640;
const VPA_SHARED_PROC_OFFSET = 0x9;
const VPA_SHARED_PROC_VAL = 0x2;
/** POWER8 dcache_line_size */
const DCACHE_LINE_SIZE = 128n;

const PPC_BIT = (n: number): bigint => 1n << BigInt(63 - n);
const H_CPU_CHAR_SPEC_BAR_ORI31 = PPC_BIT(0);
const H_CPU_CHAR_BCCTRL_SERIALISED = PPC_BIT(1);
const H_CPU_CHAR_L1D_FLUSH_ORI30 = PPC_BIT(2);
const H_CPU_CHAR_L1D_FLUSH_TRIG2 = PPC_BIT(3);
const H_CPU_CHAR_L1D_THREAD_PRIV = PPC_BIT(4);
const H_CPU_CHAR_HON_BRANCH_HINTS = PPC_BIT(5);
const H_CPU_CHAR_CACHE_COUNT_DIS = PPC_BIT(7);
const H_CPU_CHAR_BCCTR_FLUSH_ASSIST = PPC_BIT(9);
const H_CPU_BEHAV_FAVOUR_SECURITY = PPC_BIT(0);
const H_CPU_BEHAV_L1D_FLUSH_PR = PPC_BIT(1);
const H_CPU_BEHAV_BNDS_CHK_SPEC_BAR = PPC_BIT(2);
const H_CPU_BEHAV_FLUSH_COUNT_CACHE = PPC_BIT(5);
const H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY = PPC_BIT(7);
const H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS = PPC_BIT(8);

/** mig.caps[] indexes (SPAPR_CAPS in vmstate.ts) */
const CAP_CFPC = 3;
const CAP_SBBC = 4;
const CAP_IBS = 5;
const CAP_CCF_ASSIST = 9;
const SPAPR_CAP_WORKAROUND = 1;
const SPAPR_CAP_FIXED = 2;
const SPAPR_CAP_FIXED_IBS = 2;
const SPAPR_CAP_FIXED_CCD = 3;

/** Per-vCPU hypervisor state (SpaprCpuState): the registered VPA, SLB shadow and DTL. */
export interface SpaprCpuState {
  vpa_addr: bigint;
  slb_shadow_addr: bigint;
  slb_shadow_size: number;
  dtl_addr: bigint;
  dtl_size: number;
}

export function spaprCpuStateReset(s: SpaprCpuState): void {
  s.vpa_addr = 0n;
  s.slb_shadow_addr = 0n;
  s.slb_shadow_size = 0;
  s.dtl_addr = 0n;
  s.dtl_size = 0;
}

export function registerPlatformHcalls(h: HcallTable<SpaprMachine>): void {
  h.register(H_SET_DABR, h_set_dabr);
  h.register(H_SET_XDABR, h_set_xdabr);
  h.register(H_PAGE_INIT, h_page_init);
  h.register(H_REGISTER_VPA, h_register_vpa);
  h.register(H_LOGICAL_CI_LOAD, h_logical_load);
  h.register(H_LOGICAL_CI_STORE, h_logical_store);
  h.register(H_LOGICAL_ICBI, () => H_SUCCESS);
  h.register(H_LOGICAL_DCBF, () => H_SUCCESS);
  h.register(KVMPPC_H_LOGICAL_MEMOP, h_logical_memop);
  // spapr_numa.c
  h.register(H_HOME_NODE_ASSOCIATIVITY, h_home_node_associativity);
  h.register(H_VIO_SIGNAL, h_vio_signal);
  h.register(H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics);
  // xics_spapr.c
  h.register(H_CPPR, h_cppr);
  h.register(H_IPI, h_ipi);
  h.register(H_XIRR, h_xirr);
  h.register(H_XIRR_X, h_xirr_x);
  h.register(H_EOI, h_eoi);
  h.register(H_IPOLL, h_ipoll);
}

// ---- physical memory as the hypervisor sees it (unassigned reads give 0) -------------------

function physOk(m: SpaprMachine, addr: bigint, len: number): boolean {
  return addr >= 0n && addr + BigInt(len) <= BigInt(m.ram.span) && m.ram.contains(Number(addr), len);
}

export function ldPhys(m: SpaprMachine, addr: bigint, size: 1 | 2 | 4 | 8): bigint {
  if (!physOk(m, addr, size)) return size === 8 ? 0n : 0n;
  const a = Number(addr);
  switch (size) {
    case 1: return BigInt(m.ram.ld8(a));
    case 2: return BigInt(m.ram.ld16(a, false));
    case 4: return BigInt(m.ram.ld32(a, false) >>> 0);
    default: return (BigInt(m.ram.ld32(a, false) >>> 0) << 32n) | BigInt(m.ram.ld32(a + 4, false) >>> 0);
  }
}

export function stPhys(m: SpaprMachine, addr: bigint, size: 1 | 2 | 4 | 8, v: bigint): void {
  if (!physOk(m, addr, size)) return;
  const a = Number(addr);
  switch (size) {
    case 1: m.ram.st8(a, Number(v & 0xffn)); break;
    case 2: m.ram.st16(a, Number(v & 0xffffn), false); break;
    case 4: m.ram.st32(a, Number(v & 0xffffffffn) | 0, false); break;
    default:
      m.ram.st32(a, Number((v >> 32n) & 0xffffffffn) | 0, false);
      m.ram.st32(a + 4, Number(v & 0xffffffffn) | 0, false);
  }
}

// ---- handlers ----------------------------------------------------------------------------------

/**
 * QEMU's POWER8 model registers no DABR/DABRX SPRs (ppc_has_spr is false), so both DABR
 * hcalls answer H_HARDWARE before looking at their arguments.
 */
const CPU_HAS_DABR = false;

function h_set_dabr(_m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  if (!CPU_HAS_DABR) return H_HARDWARE;
  cpu.state.setSpr(SPR_DABRX, 3n); // DABRX: problem and privileged state
  cpu.state.setSpr(SPR_DABR, a.get(0));
  return H_SUCCESS;
}

function h_set_xdabr(_m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  if (!CPU_HAS_DABR) return H_HARDWARE;
  const dabrx = a.get(1);
  if ((dabrx & ~0xfn) !== 0n || (dabrx & H_DABRX_HYPERVISOR) !== 0n || (dabrx & (H_DABRX_KERNEL | H_DABRX_USER)) === 0n) {
    return H_PARAMETER;
  }
  cpu.state.setSpr(SPR_DABRX, dabrx);
  cpu.state.setSpr(SPR_DABR, a.get(0));
  return H_SUCCESS;
}

/**
 * KVMPPC_H_LOGICAL_MEMOP (SLOF's memory moves): copy `count` elements of 1 << esize bytes from
 * src to dst in real memory, inverted when op = 1, backwards when dst lies inside the source
 * (as memmove). Checks as QEMU 7.2: count <= 0x80000000, both addresses aligned to the element,
 * op 0 or 1; an element size above 3 is H_PARAMETER once there is something to copy (the
 * alignment mask then uses the size modulo 32, as the C shift on the host does).
 */
function h_logical_memop(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const dst = a.get(0), src = a.get(1), esize = a.get(2), count = a.get(3), op = a.get(4);
  if (count > 0x80000000n) return H_PARAMETER;
  const mask = BigInt((1 << Number(esize & 31n)) - 1) & 0xffffffffn;
  if ((dst & mask) !== 0n || (src & mask) !== 0n || op > 1n) return H_PARAMETER;
  if (count === 0n) return H_SUCCESS;
  if (esize > 3n) return H_PARAMETER;
  const len = Number(count) << Number(esize);
  if (physOk(m, src, len) && physOk(m, dst, len)) {
    const bytes = m.ram.read(Number(src), len).slice();
    if (op === 1n) for (let i = 0; i < len; i++) bytes[i] = ~bytes[i];
    m.ram.write(Number(dst), bytes);
    return H_SUCCESS;
  }
  // partly outside RAM: element by element, unassigned reads give 0 and writes are dropped
  const size = (1 << Number(esize)) as 1 | 2 | 4 | 8, M = (1n << BigInt(8 * size)) - 1n;
  const back = dst >= src && dst < src + BigInt(len);
  let d = back ? dst + BigInt(len - size) : dst, s = back ? src + BigInt(len - size) : src;
  const step = back ? -BigInt(size) : BigInt(size);
  for (let n = Number(count); n > 0; n--) {
    const v = ldPhys(m, BigInt.asUintN(64, s), size);
    stPhys(m, BigInt.asUintN(64, d), size, op === 1n ? ~v & M : v);
    d += step; s += step;
  }
  return H_SUCCESS;
}

/**
 * H_HOME_NODE_ASSOCIATIVITY (VPHN): the associativity domains of a vCPU (flags 1: procno is a
 * vCPU id as in H_REGISTER_VPA), two 32-bit values per register r4..r9, padded with -1. The
 * one NUMA node this machine has: FORM2 once negotiated <0, vcpu_id>, else FORM1
 * <0, 0, 0, 0, vcpu_id>.
 */
function h_home_node_associativity(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const flags = a.get(0);
  const procno = Number(BigInt.asIntN(32, a.get(1))); // spapr_find_cpu takes an int
  if (flags !== 1n) return H_FUNCTION;
  if (!m.findCpu(procno)) return H_P2;
  const domains = testOvBit(m.ov5_cas, OV5.FORM2_AFFINITY) ? [0, procno] : [0, 0, 0, 0, procno];
  for (let r = 0; r < 6; r++) {
    const hi = domains[2 * r] ?? -1, lo = domains[2 * r + 1] ?? -1;
    a.ret(r, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }
  return H_SUCCESS;
}

function h_page_init(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const flags = a.get(0);
  const dst = a.get(1);
  const src = a.get(2);
  if (flags & ~(H_ICACHE_SYNCHRONIZE | H_ICACHE_INVALIDATE | H_COPY_PAGE | H_ZERO_PAGE)) {
    m.host.log(`h_page_init: Bad flags (${flags.toString(16)}`);
    return H_PARAMETER;
  }
  const page = BigInt(TARGET_PAGE_SIZE - 1);
  if (!physOk(m, dst, TARGET_PAGE_SIZE) || (dst & page) !== 0n) return H_PARAMETER;
  if (flags & H_COPY_PAGE) {
    if (!physOk(m, src, TARGET_PAGE_SIZE) || (src & page) !== 0n) return H_PARAMETER;
    m.ram.write(Number(dst), m.ram.read(Number(src), TARGET_PAGE_SIZE).slice());
  } else if (flags & H_ZERO_PAGE) {
    m.ram.write(Number(dst), new Uint8Array(TARGET_PAGE_SIZE));
  }
  return H_SUCCESS;
}

function h_logical_load(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const size = a.get(0);
  if (size !== 1n && size !== 2n && size !== 4n && size !== 8n) return H_PARAMETER;
  a.ret(0, ldPhys(m, a.get(1), Number(size) as 1 | 2 | 4 | 8));
  return H_SUCCESS;
}

function h_logical_store(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const size = a.get(0);
  if (size !== 1n && size !== 2n && size !== 4n && size !== 8n) return H_PARAMETER;
  stPhys(m, a.get(1), Number(size) as 1 | 2 | 4 | 8, a.get(2));
  return H_SUCCESS;
}

function h_register_vpa(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const flags = a.get(0);
  const procno = a.get(1);
  const addr = a.get(2);
  // spapr_find_cpu: a present vCPU id
  const target = procno >= 0n && procno <= 0x7fffffffn ? m.findCpu(Number(procno)) : undefined;
  if (!target) return H_PARAMETER;
  const s = m.coreOf(target).spaprCpu;
  switch (flags) {
    case FLAGS_REGISTER_VPA: {
      if (addr === 0n) return H_HARDWARE;
      if (addr % DCACHE_LINE_SIZE) return H_PARAMETER;
      const size = Number(ldPhys(m, addr + 4n, 2));
      if (size < VPA_MIN_SIZE) return H_PARAMETER;
      if (addr / 4096n !== (addr + BigInt(size) - 1n) / 4096n) return H_PARAMETER;
      s.vpa_addr = addr;
      const at = addr + BigInt(VPA_SHARED_PROC_OFFSET);
      stPhys(m, at, 1, ldPhys(m, at, 1) | BigInt(VPA_SHARED_PROC_VAL));
      return H_SUCCESS;
    }
    case FLAGS_DEREGISTER_VPA:
      if (s.slb_shadow_addr || s.dtl_addr) return H_RESOURCE;
      s.vpa_addr = 0n;
      return H_SUCCESS;
    case FLAGS_REGISTER_SLBSHADOW: {
      if (addr === 0n) return H_HARDWARE;
      const size = Number(ldPhys(m, addr + 4n, 4));
      if (size < 8) return H_PARAMETER;
      if (addr / 4096n !== (addr + BigInt(size) - 1n) / 4096n) return H_PARAMETER;
      if (!s.vpa_addr) return H_RESOURCE;
      s.slb_shadow_addr = addr;
      s.slb_shadow_size = size;
      return H_SUCCESS;
    }
    case FLAGS_DEREGISTER_SLBSHADOW:
      s.slb_shadow_addr = 0n;
      s.slb_shadow_size = 0;
      return H_SUCCESS;
    case FLAGS_REGISTER_DTL: {
      if (addr === 0n) return H_HARDWARE;
      const size = Number(ldPhys(m, addr + 4n, 4));
      if (size < 48) return H_PARAMETER;
      if (!s.vpa_addr) return H_RESOURCE;
      s.dtl_addr = addr;
      s.dtl_size = size;
      return H_SUCCESS;
    }
    case FLAGS_DEREGISTER_DTL:
      s.dtl_addr = 0n;
      s.dtl_size = 0;
      return H_SUCCESS;
    default:
      return H_PARAMETER;
  }
}

/** spapr_vio.c h_vio_signal: no VIO device class sets a signal mask, so only mode 0 is valid. */
function h_vio_signal(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const dev = m.vioFindByReg(a.get(0));
  if (!dev) return H_PARAMETER;
  const mode = a.get(1);
  if (mode !== 0n) return H_PARAMETER;
  dev.signal_state = mode;
  return H_SUCCESS;
}

function h_get_cpu_characteristics(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  let characteristics = H_CPU_CHAR_HON_BRANCH_HINTS;
  let behaviour = H_CPU_BEHAV_FAVOUR_SECURITY;
  const cap = (i: number): number => m.caps.effective(i);
  switch (cap(CAP_CFPC)) {
    case SPAPR_CAP_WORKAROUND:
      characteristics |= H_CPU_CHAR_L1D_FLUSH_ORI30 | H_CPU_CHAR_L1D_FLUSH_TRIG2 | H_CPU_CHAR_L1D_THREAD_PRIV;
      behaviour |= H_CPU_BEHAV_L1D_FLUSH_PR;
      break;
    case SPAPR_CAP_FIXED:
      behaviour |= H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY | H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS;
      break;
    default:
      behaviour |= H_CPU_BEHAV_L1D_FLUSH_PR;
  }
  switch (cap(CAP_SBBC)) {
    case SPAPR_CAP_WORKAROUND:
      characteristics |= H_CPU_CHAR_SPEC_BAR_ORI31;
      behaviour |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
      break;
    case SPAPR_CAP_FIXED:
      break;
    default:
      behaviour |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
  }
  switch (cap(CAP_IBS)) {
    case SPAPR_CAP_FIXED_CCD:
      characteristics |= H_CPU_CHAR_CACHE_COUNT_DIS;
      break;
    case SPAPR_CAP_FIXED_IBS:
      characteristics |= H_CPU_CHAR_BCCTRL_SERIALISED;
      break;
    case SPAPR_CAP_WORKAROUND:
      behaviour |= H_CPU_BEHAV_FLUSH_COUNT_CACHE;
      if (cap(CAP_CCF_ASSIST)) characteristics |= H_CPU_CHAR_BCCTR_FLUSH_ASSIST;
      break;
    default:
      break;
  }
  a.ret(0, characteristics);
  a.ret(1, behaviour);
  return H_SUCCESS;
}

// ---- XICS ----------------------------------------------------------------------------------------

function h_cppr(m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  m.xics.setCppr(m.coreOf(cpu).icp, Number(a.get(0) & 0xffn));
  return H_SUCCESS;
}

function icpByServer(m: SpaprMachine, server: bigint) {
  return server >= 0n && server < BigInt(m.xics.icps.length) ? m.xics.icpGet(Number(server)) : undefined;
}

function h_ipi(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const icp = icpByServer(m, a.get(0));
  if (!icp) return H_PARAMETER;
  m.xics.setMfrr(icp, Number(a.get(1) & 0xffn));
  return H_SUCCESS;
}

function h_xirr(m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  a.ret(0, m.xics.accept(m.coreOf(cpu).icp) >>> 0);
  return H_SUCCESS;
}

function h_xirr_x(m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  a.ret(0, m.xics.accept(m.coreOf(cpu).icp) >>> 0);
  // cpu_get_host_ticks(): the host's cycle counter; here the timebase
  a.ret(1, BigInt(m.readTB()));
  return H_SUCCESS;
}

function h_eoi(m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  m.xics.eoi(m.coreOf(cpu).icp, Number(a.get(0) & 0xffffffffn));
  return H_SUCCESS;
}

function h_ipoll(m: SpaprMachine, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const icp = icpByServer(m, a.get(0));
  if (!icp) return H_PARAMETER;
  a.ret(0, icp.xirr >>> 0);
  a.ret(1, icp.mfrr);
  return H_SUCCESS;
}
