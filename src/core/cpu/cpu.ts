// The POWER8 interpreter: a decoded-instruction cache per guest page and one switch over small
// integer operation ids. Register state lives in CpuState's typed arrays (64-bit values as hi/lo
// Int32 halves); the hot loop allocates nothing.
//
// execute() holds only the common forms of frequent instructions (loads and stores that hit the
// TLB, record-less arithmetic, branches, LR/CTR moves); anything else, and any form that needs
// more (a TLB miss, a store to a page with decoded code, a record or overflow form, an illegal
// form), leaves the switch before changing state and goes through general(), which executes every
// instruction in full (the rare ones through cold()). The JIT compiles execute() from what it has
// seen run, and recompiles it from scratch whenever a path it had not seen is taken; keeping the
// rare paths behind the one call to general(), and running every inline path once on a scratch
// vCPU before the first guest instruction (warmUp()), lets it compile the loop once.
//
// Semantics follow the Power ISA 2.07B as QEMU 7.2's TCG implements it for -cpu POWER8 under a
// pseries machine (a "virtual hypervisor": the guest never runs with MSR[HV]=1, `sc 1` from
// supervisor state is handed to the machine's hypercall handler).
//
// Address translation (mmu.ts): with MSR[IR]/MSR[DR] off an access is a real-mode access: the
// effective address (truncated to 32 bits when MSR[SF]=0) has its top 4 bits ignored, as QEMU does
// for real mode under a virtual hypervisor, and addresses outside guest RAM read as zero and
// ignore writes (QEMU's unassigned memory). With them on, fetches and data accesses go through the
// hash MMU (SLB + the machine's hashed page table, `cpu.hpt`) behind a software TLB; a fault
// delivers DSI/ISI/DSEG/ISEG with SRR0 = the faulting instruction. Decoded pages stay keyed by
// real page. Data helpers signal a fault by throwing MMU_FAULT, caught once in general(). An
// access that crosses into a page mapped to a non-adjacent real page goes through an 8-byte
// bounce buffer (both pages are translated and checked first).

// Other deliberate choices (all as QEMU 7.2 TCG does unless said otherwise; qemu-diff.test.ts
// checks the arithmetic, interrupt, SPR and MSR behaviour against a QEMU 7.2 run):
// - divw/divwu/divd/divdu by zero, and MIN/-1, return the dividend (QEMU divides by 1 instead);
//   the 32-bit forms zero-extend their result; OE sets OV/SO.
// - mulhw/mulhwu zero-extend the 32-bit high product.
// - Instruction-form checks on reserved bits are not made (QEMU raises illegal for some).
// - The decrementer is level-triggered (Book3S): pending while DEC is negative; it is not cleared
//   by delivery, only by writing a non-negative value (>= 3) to DEC.
// - Reservations compare the reserved value, like QEMU's cmpxchg-based stcx.
// - mtxer keeps only the low word of XER (without the ISA 3.0 OV32/CA32 bits).
// - slbmte accepts 4K and 64K base page sizes only (the pseries default cap-hpt-max-page-size=16
//   hides 16M/16G from TCG guests); other encodings raise the illegal-instruction interrupt.
// - Every dispatched instruction counts towards run()'s budget and state.insnCount, including one
//   that raises an interrupt, so run() always makes progress.
// - Floating point: the scalar Book I FP instructions are executed (fpu.ts computes the values
//   as QEMU's softfloat does, this file sets FPSCR as QEMU's fpu_helper.c does, including its
//   quirks: fre/fres of zero give 1/2, fcfids/fcfidu/fcfidus leave FPRF alone, mtfsb1 does not set
//   FX, enabled overflow/underflow deliver the result with its exponent wrapped). An enabled
//   exception with MSR[FE0]/[FE1] set raises the program interrupt (SRR1 0x100000, SRR0 = the
//   instruction), before the target update for invalid and zero-divide, after it otherwise.
//   Other FP (lfiwax, stfiwx, ...), VMX and VSX instructions raise FP/VMX/VSX unavailable while
//   the facility is off in the MSR and the illegal-instruction interrupt once it is on.
// - lqarx/stqcx. follow the ISA (the store succeeds on a matching quadword reservation); QEMU 7.2
//   TCG fails every stqcx. after lqarx in our bare-metal test, so only their illegal forms,
//   alignment and the no-reservation case are compared with QEMU.
// - cbcdtd of invalid BCD digits differs from QEMU (undefined in the ISA; valid digits match).

import { CpuState, SPR_CTR, SPR_LR, SPR_XER, SPR_DECR, SPR_PVR, SPR_LPCR, SPR_AMOR, SPR_PIR,
  SPR_SRR0, SPR_SRR1, SPR_CFAR, SPR_FSCR, SPR_PPR, SPR_DAR, SPR_DSISR } from './state';
import { HashMmu, ACC_FETCH, ACC_LOAD, ACC_STORE, XLATE_FAULT, EXCP_DSEG, TLB_MASK, tlbTable, type HashPageTable } from './mmu';
import { GuestRam, TARGET_PAGE_BITS, TARGET_PAGE_SIZE } from '../mem/ram';
import { ISA, F } from './isa';
import { decodeRow } from './decode';
import type { VecCpu, VecFn } from './vec';
import { VMX_IMPL } from './vmx';
import { VSX_IMPL, VSX_DIRECT_MOVES } from './vsx';
import { DFP_IMPL } from './dfp';
import {
  R, add64, mul64, mulhu64, mulhs64, mulhu32, mulhs32, divu64, divs64, rotl64, mask64, mask32,
  cntlz64, popcnt32, popcntb32, shl64, shr64, sar64,
} from './int64';
import {
  deliverInterrupt, deliverFacilityUnavailable, EXCP_PROGRAM, EXCP_SYSCALL, EXCP_DECR, EXCP_EXTERNAL,
  EXCP_FPU, EXCP_VPU, EXCP_VSXU, EXCP_ALIGN, EXCP_DSI, EXCP_ISI, SRR1_ILLEGAL, SRR1_PRIV, SRR1_TRAP, SRR1_FP, MSR_MASK_HI, MSR_MASK_LO,
  LPCR_P8_PECE2, LPCR_P8_PECE3, LPCR_LPES0,
} from './interrupts';
import {
  Acc, SPRS, UNREG, SPR_U_READ, SPR_U_WRITE, SPR_S_READ, SPR_S_WRITE, unregisteredAccess, Unreg,
  FSCR_TAR_BIT, FSCR_EBB_BIT, FSCR_IC_TAR, FSCR_IC_EBB, FSCR_IC_TM,
} from './sprs';
import * as fpu from './fpu';
import { WARMUP_ORIGIN, WARMUP_PROGRAM } from './warmup-program';

export interface VirtualHypervisor {
  /** `sc 1` from supervisor state: opcode in r3, args r4.., result to r3 (outputs r4..). May call cpu.requestExit(). */
  hypercall(cpu: PowerPCCPU): void;
  /** The current 64-bit timebase (512 MHz) as a JS number; may read cpu.state.insnCount. */
  readTB(): number;
}

export type { HashPageTable } from './mmu';
export { ACC_FETCH, ACC_LOAD, ACC_STORE } from './mmu';

export interface CpuModel { name: string; pvr: number }

/** dAddr result: the access spans two non-adjacent real pages (its bytes are in `bounce`). */
const SPLIT = -3;

/** Thrown by the data-access helpers on a translation fault; caught in execute(). */
const MMU_FAULT = { mmuFault: true };

export const POWER8: CpuModel = { name: 'POWER8', pvr: 0x004d0200 };

/** Whether the first vCPU of this process has run the interpreter warm-up (see warmUp()). */
let warmedUp = false;

/**
 * A release's routing of interrupts to the hypervisor under TCG (powerpc_excp of QEMU 2.7+,
 * after the 2016 rework of the POWER7/POWER8 exception model), as profile data.
 */
export interface HvRouting {
  /** env->has_hv_mode: the CPU class's msr_mask has MSR_HV (before PAPR mode removes it). */
  has_hv_mode: boolean;
  /** The vCPU's env->msr_mask (a pseries vCPU: without MSR_HV). */
  msr_mask: bigint;
  /** cpu_abort's message for an interrupt bound for HSRR0 without MSR_HV in msr_mask (%d = excp). */
  abortFormat: string;
}

/** MSR[HV] (bit 60) as a 64-bit mask, and in the high word. */
const MSR_HVB = 1n << 60n;
const MSR_HV_HI = 1 << 28;
/** QEMU's POWERPC_EXCP_EXTERNAL (the number cpu_abort prints). */
const EXCP_NUM_EXTERNAL = 4;

/** PAPR H_PRIVILEGE, returned in r3 for `sc 1` from problem state. */
const H_PRIVILEGE = -3;

/** Instructions executed between timer checks inside run() while a decrementer interrupt could
 * become deliverable (MSR[EE]=1 and DEC armed). Otherwise nothing can raise an interrupt in the
 * middle of a slice, so run() executes its whole budget in one go (up to MAX_SLICE). */
const TIMER_SLICE = 1024;
const MAX_SLICE = 1 << 20;

// MSR bits in the low word.
const MSR_EE_BIT = 1 << 15;
const MSR_PR_BIT = 1 << 14;
const MSR_FP_BIT = 1 << 13;
const MSR_ME_BIT = 1 << 12;
const MSR_IR_BIT = 1 << 5;
const MSR_DR_BIT = 1 << 4;
const MSR_RI_BIT = 1 << 1;
const MSR_LE_BIT = 1;
const MSR_S_BIT = 1 << 22;
const MSR_VEC_BIT = 1 << 25;
const MSR_VSX_BIT = 1 << 23;
/** MSR[TM] is bit 32: bit 0 of the high word. */
const MSR_TM_HI = 1;

// XER bits (low word).
const XER_SO = 0x80000000 | 0;
const XER_OV = 0x40000000;
const XER_CA = 0x20000000;
const XER_OV32_CA32 = 0xc0000;

// Indices of frequently used SPRs in state.spr (hi at 2n, lo at 2n+1).
const LR_HI = 2 * SPR_LR, LR_LO = LR_HI + 1;
const CTR_HI = 2 * SPR_CTR, CTR_LO = CTR_HI + 1;
const XER_LO = 2 * SPR_XER + 1;
const CFAR_HI = 2 * SPR_CFAR, CFAR_LO = CFAR_HI + 1;

const TWO32 = 4294967296;

// FPSCR bits (low word).
const FP_FX = 0x80000000 | 0, FP_FEX = 0x40000000, FP_VX = 0x20000000, FP_OX = 0x10000000, FP_UX = 0x08000000,
  FP_ZX = 0x04000000, FP_XX = 0x02000000, FP_VXSNAN = 0x01000000, FP_VXISI = 0x00800000, FP_VXIDI = 0x00400000,
  FP_VXZDZ = 0x00200000, FP_VXIMZ = 0x00100000, FP_VXVC = 0x00080000, FP_FR = 0x00040000, FP_FI = 0x00020000,
  FP_VXSOFT = 0x400, FP_VXSQRT = 0x200, FP_VXCVI = 0x100, FP_VE = 0x80, FP_OE = 0x40, FP_UE = 0x20, FP_ZE = 0x10,
  FP_XE = 0x08, FP_NI = 0x04;
/** The invalid-operation exception bits (VX is their summary). */
const FP_IX = FP_VXSNAN | FP_VXISI | FP_VXIDI | FP_VXZDZ | FP_VXIMZ | FP_VXVC | FP_VXSOFT | FP_VXSQRT | FP_VXCVI;
/** Exception bits mcrfs clears in the field it copies. */
const FP_EX_CLEAR = FP_FX | FP_OX | FP_UX | FP_ZX | FP_XX | FP_IX;
const MSR_FE0_BIT = 1 << 11, MSR_FE1_BIT = 1 << 8;

/** Transaction failure handler/instruction address and exception summary (tbegin.). */
const SPR_TFHAR = 128, SPR_TFIAR = 129, SPR_TEXASR = 130;

/** Target address register (bctar). */
const SPR_TAR = 815;

/** Class-key registers (AMR and its problem-state alias UAMR, IAMR). */
const SPR_AMR = 29, SPR_UAMR = 13, SPR_IAMR = 61;

/**
 * Operation ids of the interpreter's switch. Each ISA row maps to the member named after its
 * mnemonic ('.' becomes '_'); rows flagged UNIMPL map to the facility-check ids and rows flagged
 * HV (hypervisor-only: a pseries guest always gets a privileged program interrupt) to `hvpriv`.
 * Values 0..2 and fetchFault are internal.
 */
enum Op {
  undecoded, invalid, pageEnd, unimpl_fp, unimpl_vmx, unimpl_vsx, hvpriv,
  tdi, twi, mulli, subfic, cmpli, cmpi, addic, addic_, addi, addis, bc, sc, b, mcrf, bclr, rfid,
  crnor, crandc, isync, crxor, crnand, crand, creqv, crorc, cror, bcctr, rlwimi, rlwinm, rlwnm,
  ori, oris, xori, xoris, andi_, andis_, rldicl, rldicr, rldic, rldimi, rldcl, rldcr, cmp, tw, subfc,
  mulhdu, addc, mulhwu, isel, mfocrf, mfcr, lwarx, ldx, lwzx, slw, cntlzw, sld, and, cmpl, subf, lbarx,
  ldux, dcbst, lwzux, cntlzd, andc, td, mulhd, mulhw, mfmsr, ldarx, dcbf, lbzx, neg, lharx, lbzux,
  popcntb, nor, subfe, adde, mtocrf, mtcrf, mtmsr, stdx, stwcx_, stwx, mtmsrd, stdux, stwux, subfze,
  addze, stdcx_, stbx, subfme, mulld, addme, mullw, dcbtst, stbux, add, tlbiel, dcbt, lhzx, eqv,
  lhzux, xor, mfspr, lwax, lhax, mftb, lwaux, lhaux, popcntw, slbmte, sthx, orc, sradi, slbie, sthux,
  or, divdu, divwu, mtspr, nand, divd, divw, slbia, popcntd, cmpb, ldbrx, lwbrx, lfsx, srw, srd,
  lfsux, sync, lfdx, lfdux, stdbrx, stwbrx, stfsx, stbcx_, stfsux, sthcx_, stfdx, stfdux,
  lhbrx, sraw, srad, srawi, slbmfev, eieio, slbmfee, sthbrx, extsh, extsb, icbi, extsw, dcbz, slbfee_,
  lwz, lwzu, lbz, lbzu, stw, stwu, stb, stbu, lhz, lhzu, lha, lhau, sth, sthu, lmw, stmw,
  lfs, lfsu, lfd, lfdu, stfs, stfsu, stfd, stfdu, ld, ldu, lwa, std, stdu, fmr, mffs, mtfsf,
  bctar, prtyw, prtyd, bpermd, cdtbcd, cbcdtd, addg6s, divdeu, divweu, divde, divwe, lswx, lswi, stswx, stswi,
  lq, stq, lqarx, stqcx_, lfiwax, lfiwzx, stfiwx, fmrgew, fmrgow,
  fdivs, fsubs, fadds, fsqrts, fres, fmuls, frsqrtes, fmsubs, fmadds, fnmsubs, fnmadds, fcfids, fcfidus,
  fcmpu, fcmpo, mtfsb1, fneg, mcrfs, mtfsb0, mtfsfi, fnabs, fabs, fcpsgn, frin, friz, frip, frim,
  frsp, fctiw, fctiwz, fctiwu, fctiwuz, fctid, fctidz, fcfid, fctidu, fctiduz, fcfidu, ftdiv, ftsqrt,
  fdiv, fsub, fadd, fsqrt, fsel, fre, fmul, frsqrte, fmsub, fmadd, fnmsub, fnmadd,
  dst, dstt, dstst, dststt, dss, dssall,
  tbegin_, tend_, tabortwc_, tabortdc_, tabortwci_, tabortdci_, tabort_, tcheck, tsr_, treclaim_, trechkpt_,
  /** Every slot of `faultPage`: the fetch raised the translation fault recorded in the MMU. */
  fetchFault,
  /** First id of the vector instructions: id - Op.vec indexes VEC_FN (vmx.ts, vsx.ts). */
  vec,
}

/** Implementations of the VMX/VSX rows, by op id - Op.vec, and the facility each checks:
 * VEC_VMX (MSR[VEC]), VEC_VSX (MSR[VSX]), VEC_MOVE (the VSX direct moves: MSR[FP] for VSRs
 * 0-31, MSR[VEC] for 32-63, as QEMU 7.2) or VEC_FP (decimal floating point, dfp.ts: MSR[FP]). */
const VEC_FN: VecFn[] = [];
const VEC_VMX = 0, VEC_VSX = 1, VEC_MOVE = 2, VEC_FP = 3;
const VEC_KIND: number[] = [];
const VEC_NAME: string[] = [];

/** Op id for each ISA row (same index). */
const ROW_OP: Uint16Array = (() => {
  const a = new Uint16Array(ISA.length);
  ISA.forEach((r, i) => {
    if (r.flags & F.UNIMPL) {
      a[i] = r.flags & F.FP ? Op.unimpl_fp : r.flags & F.VMX ? Op.unimpl_vmx : Op.unimpl_vsx;
      return;
    }
    if (r.flags & F.HV) { a[i] = Op.hvpriv; return; }
    if (r.flags & (F.VMX | F.VSX)) {
      const vsx = (r.flags & F.VSX) !== 0;
      const fn = (vsx ? VSX_IMPL : VMX_IMPL)[r.mn];
      if (!fn) throw new Error(`interpreter: no ${vsx ? 'VSX' : 'VMX'} implementation of ${r.mn}`);
      a[i] = Op.vec + VEC_FN.length;
      VEC_FN.push(fn); VEC_NAME.push(r.mn);
      VEC_KIND.push(!vsx ? VEC_VMX : VSX_DIRECT_MOVES.has(r.mn) ? VEC_MOVE : VEC_VSX);
      return;
    }
    const dfp = r.flags & F.FP ? DFP_IMPL[r.mn] : undefined;
    if (dfp) {
      a[i] = Op.vec + VEC_FN.length;
      VEC_FN.push(dfp); VEC_NAME.push(r.mn); VEC_KIND.push(VEC_FP);
      return;
    }
    const id = (Op as unknown as Record<string, number>)[r.mn.replace('.', '_')];
    if (id === undefined) throw new Error(`interpreter: no handler for ${r.mn}`);
    a[i] = id;
  });
  return a;
})();

/** Op id of a raw instruction word. */
export function opOf(w: number): number {
  const r = decodeRow(w);
  return r < 0 ? Op.invalid : ROW_OP[r];
}

/** Name of an op id (tests, tracing). */
export function opName(id: number): string {
  return id >= Op.vec ? VEC_NAME[id - Op.vec] ?? '?' : Op[id] ?? '?';
}

/** Decoded instructions of one guest page: 1024 slots plus a page-end sentinel. */
interface CodePage {
  readonly ids: Uint16Array;
  readonly words: Int32Array;
  le: boolean;
}

function newCodePage(le: boolean): CodePage {
  const ids = new Uint16Array(1025);
  ids[1024] = Op.pageEnd;
  return { ids, words: new Int32Array(1025), le };
}

// Scratch effective address (hi, lo), written by the EA helpers below.
const EA = new Int32Array(2);

/** EA = (RA|0) + d, truncated to 32 bits when !sf. */
function eaD(gpr: Int32Array, ra: number, d: number, sf: boolean): void {
  if (ra === 0) {
    EA[0] = sf ? d >> 31 : 0;
    EA[1] = d;
    return;
  }
  const aL = gpr[2 * ra + 1], lo = (aL + d) | 0;
  EA[1] = lo;
  EA[0] = sf ? (gpr[2 * ra] + (d >> 31) + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0 : 0;
}

/** EA = (RA|0) + (RB), truncated to 32 bits when !sf. */
function eaX(gpr: Int32Array, ra: number, rb: number, sf: boolean): void {
  if (ra === 0) {
    EA[0] = sf ? gpr[2 * rb] : 0;
    EA[1] = gpr[2 * rb + 1];
    return;
  }
  const aL = gpr[2 * ra + 1], lo = (aL + gpr[2 * rb + 1]) | 0;
  EA[1] = lo;
  EA[0] = sf ? (gpr[2 * ra] + gpr[2 * rb] + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0 : 0;
}

/**
 * Physical address of [EA, EA+len) in RAM (real mode: top 4 EA bits ignored), or -1 if
 * unassigned. Past the machine's RAM, a plugged DIMM's block may hold it.
 */
function physOf(ram: GuestRam, len: number): number {
  if ((EA[0] & 0x0fffffff) !== 0) return -1;
  const a = EA[1] >>> 0;
  return a + len <= ram.size || ram.contains(a, len) ? a : -1;
}

/** CR0 from a 64-bit result (or its low word sign-extended in 32-bit mode), plus XER[SO]. */
function cr0(crf: Int32Array, spr: Int32Array, hi: number, lo: number, sf: boolean): void {
  let c: number;
  if (sf) c = hi < 0 ? 8 : (hi | lo) === 0 ? 2 : 4;
  else c = lo < 0 ? 8 : lo === 0 ? 2 : 4;
  crf[0] = c | (spr[XER_LO] >>> 31);
}

function setOv(spr: Int32Array, ov: boolean): void {
  spr[XER_LO] = ov ? spr[XER_LO] | XER_SO | XER_OV : spr[XER_LO] & ~XER_OV;
}

function setCa(spr: Int32Array, ca: number): void {
  spr[XER_LO] = ca ? spr[XER_LO] | XER_CA : spr[XER_LO] & ~XER_CA;
}

function getCa(spr: Int32Array): number {
  return (spr[XER_LO] >>> 29) & 1;
}

/** Signed compare of (aHi,aLo) with (bHi,bLo) into CR field bf. */
function cmpS(crf: Int32Array, spr: Int32Array, bf: number, aHi: number, aLo: number, bHi: number, bLo: number): void {
  let c: number;
  if (aHi !== bHi) c = aHi < bHi ? 8 : 4;
  else if (aLo === bLo) c = 2;
  else c = (aLo >>> 0) < (bLo >>> 0) ? 8 : 4;
  crf[bf] = c | (spr[XER_LO] >>> 31);
}

function cmpU(crf: Int32Array, spr: Int32Array, bf: number, aHi: number, aLo: number, bHi: number, bLo: number): void {
  let c: number;
  if (aHi !== bHi) c = (aHi >>> 0) < (bHi >>> 0) ? 8 : 4;
  else if (aLo === bLo) c = 2;
  else c = (aLo >>> 0) < (bLo >>> 0) ? 8 : 4;
  crf[bf] = c | (spr[XER_LO] >>> 31);
}

function crBit(crf: Int32Array, b: number): number {
  return (crf[b >> 2] >> (3 - (b & 3))) & 1;
}

function setCrBit(crf: Int32Array, b: number, v: number): void {
  const m = 8 >> (b & 3);
  crf[b >> 2] = v & 1 ? crf[b >> 2] | m : crf[b >> 2] & ~m;
}

/** TO-field trap condition for 64-bit (or sign/zero-extended 32-bit) operands. */
function trapCond(to: number, aHi: number, aLo: number, bHi: number, bLo: number): boolean {
  let lts: boolean, gts: boolean, ltu: boolean, gtu: boolean;
  if (aHi !== bHi) { lts = aHi < bHi; gts = !lts; ltu = (aHi >>> 0) < (bHi >>> 0); gtu = !ltu; }
  else if (aLo === bLo) { lts = gts = ltu = gtu = false; }
  else { ltu = (aLo >>> 0) < (bLo >>> 0); gtu = !ltu; lts = ltu; gts = gtu; }
  const eq = aHi === bHi && aLo === bLo;
  return ((to & 0x10) !== 0 && lts) || ((to & 0x08) !== 0 && gts) || ((to & 0x04) !== 0 && eq)
    || ((to & 0x02) !== 0 && ltu) || ((to & 0x01) !== 0 && gtu);
}

/**
 * slbmte validity as QEMU's ppc_store_slb: no reserved ESID bits, segment size 256M or 1T, and a
 * base page size the pseries machine leaves to TCG guests (4K or 64K: with the default
 * cap-hpt-max-page-size=16, 16M and 16G encodings are filtered out).
 */
function slbEntryOk(rbLo: number, vsidHi: number, vsidLo: number): boolean {
  if ((rbLo & 0x07fff000) !== 0) return false;
  if (vsidHi < 0) return false; // B = 0b10 or 0b11
  const llp = vsidLo & 0x130;
  return llp === 0 || llp === 0x110;
}

/** Single-precision bits to double-precision bits (QEMU helper_todouble), into R[0..1]. */
function toDouble(a: number): void {
  const abs = a & 0x7fffffff;
  if (abs >= 0x00800000) {
    if (((a >>> 23) & 0xff) === 0xff) {
      R[0] = (a & (0x80000000 | 0)) | 0x7ff00000 | ((a & 0x7fffff) >>> 3);
      R[1] = (a & 0x7) << 29;
    } else {
      // sign+top exponent bit, then three copies of the inverted top exponent bit, then the rest
      const top2 = (a >>> 30) & 3;
      const fill = ((a >>> 30) & 1) ^ 1 ? 7 : 0;
      const rest = a & 0x3fffffff; // 30 bits, placed at bit 29 of the doubleword
      R[0] = (top2 << 30) | (fill << 27) | (rest >>> 3);
      R[1] = (rest & 7) << 29;
    }
  } else {
    R[0] = a & (0x80000000 | 0);
    R[1] = 0;
    if (abs !== 0) {
      const shift = Math.clz32(abs) - 8; // normalise so the leading 1 is at bit 23
      const exp = -126 - shift + 1023;
      const frac = (abs << shift) & 0x7fffff; // 23 fraction bits after the hidden one
      R[0] |= (exp << 20) | (frac >>> 3);
      R[1] = (frac & 7) << 29;
    }
  }
}

/** Double-precision bits to single-precision bits (QEMU helper_tosingle). */
function toSingle(hi: number, lo: number): number {
  const exp = (hi >>> 20) & 0x7ff;
  if (exp > 0x380) {
    return ((hi & (0xc0000000 | 0)) | ((hi & 0x7ffffff) << 3) | (lo >>> 29)) | 0;
  }
  let ret = hi & (0x80000000 | 0);
  if (exp >= 0x36a) {
    // ((1 << 52) | frac) >> (926 - exp): at most 23 significant bits survive
    const sh = 926 - exp; // 30..52
    const mHi = (hi & 0xfffff) | 0x100000, mLo = lo >>> 0;
    // shift the 53-bit mantissa right by sh, keep the low 32 bits
    const v = Math.floor((mHi * TWO32 + mLo) / 2 ** sh);
    ret |= v % TWO32;
  }
  return ret | 0;
}

/** CR field bits (LT/GT/EQ) of a signed 64-bit compare. */
function cmpSig(aH: number, aL: number, bH: number, bL: number): number {
  const lt = aH < bH || (aH === bH && (aL >>> 0) < (bL >>> 0));
  return aH === bH && aL === bL ? 2 : lt ? 8 : 4;
}

/** CR field bits (LT/GT/EQ) of an unsigned 64-bit compare. */
function cmpUns(aH: number, aL: number, bH: number, bL: number): number {
  const lt = (aH >>> 0) < (bH >>> 0) || (aH === bH && (aL >>> 0) < (bL >>> 0));
  return aH === bH && aL === bL ? 2 : lt ? 8 : 4;
}

/**
 * SPRs that mfspr/mtspr move as plain 64-bit storage in the given state (no side effects, no
 * interrupt): index into state.spr of the high word, or -1.
 */
function fastSprTable(acc: Uint8Array, write: boolean): Int32Array {
  const t = new Int32Array(1024).fill(-1);
  for (let n = 0; n < 1024; n++) {
    const a = acc[n];
    if (a === UNREG) continue;
    if (write ? a === Acc.GEN && n !== SPR_DECR && n !== SPR_AMR && n !== SPR_UAMR && n !== SPR_IAMR && n !== SPR_LPCR
      : a === Acc.GEN || a === Acc.GEN32 || a === Acc.XER || a === Acc.IGNORE) t[n] = 2 * n;
  }
  return t;
}
const FAST_S_READ = fastSprTable(SPR_S_READ, false), FAST_U_READ = fastSprTable(SPR_U_READ, false);
const FAST_S_WRITE = fastSprTable(SPR_S_WRITE, true), FAST_U_WRITE = fastSprTable(SPR_U_WRITE, true);

export class PowerPCCPU {
  readonly state: CpuState;
  readonly ram: GuestRam;
  readonly model: CpuModel;
  readonly cpuIndex: number;
  private readonly vhyp: VirtualHypervisor;
  private readonly dv: DataView;
  /** ram.size: real addresses below it are RAM without looking at the DIMMs' blocks. */
  private readonly ramSize: number;
  private readonly ramPages: number;

  /** Decoded pages by physical page number. */
  private readonly pages: (CodePage | undefined)[];
  private readonly pagePool: CodePage[] = [];
  /** Returned for fetches outside RAM: every slot decodes as an illegal instruction. */
  private readonly nullPage: CodePage;
  /** Executed in place of the page whose fetch faulted: delivers the fault as the instruction. */
  private readonly faultPage: CodePage;
  /** The decoded page execute() runs from, and the RAM offset of its first slot. */
  private execPage: CodePage;
  private execPhys = 0;
  /** Physical page currently executing (-1 when none). */
  private curPage = -1;
  /** Set when the executing page was written: leave the block. */
  private codeStale = false;
  private exitRequested = false;

  /** Data byte order of the executing context (MSR[LE]), cached for the load/store helpers. */
  private le = false;
  /** MSR[DR] and MSR[PR] of the executing context, cached for the load/store helpers. */
  private dr = false;
  private pr = false;
  /** The hash MMU: SLB/HPT walks and the software TLB. */
  readonly mmu: HashMmu;
  /** A translated access split over two non-adjacent real pages: its bytes, and where they go. */
  private readonly bounce = new Uint8Array(8);
  private readonly bounceDv = new DataView(this.bounce.buffer);
  private splitA = 0;
  private splitB = 0;
  private splitN = 0;

  // Timer and interrupt lines.
  /**
   * TB value at which DEC reaches zero (QEMU's decr_next, in timebase ticks). Starts as a double
   * (-0, equal to 0) so that the field keeps one representation when timebase values outgrow small
   * integers: a change of representation changes the object's hidden class, which discards the
   * compiled interpreter loop.
   */
  private decNext = -0;
  /** The DEC timer is armed (a non-negative value was written and has not expired). */
  private decArmed = false;
  /** Decrementer interrupt condition (level). */
  private decPending = false;
  /** External interrupt line (XICS), level. */
  private extLevel = false;

  /** The LPCR this vCPU gets at reset (a release profile can change it; see reset()). */
  lpcrReset = 0x1f008;
  /**
   * How interrupts are routed to the hypervisor, as a release's TCG did it (profiles.ts);
   * null: never (a pseries guest's interrupts always go to SRR0/SRR1, the default here).
   */
  hvRouting: HvRouting | null = null;
  /** cpu_abort(): the machine's owner stops it (QEMU aborts the process). */
  onAbort: (message: string) => void = () => {};
  /** The cpu_abort() message once the vCPU hit one (the vCPU no longer runs). */
  aborted: string | null = null;

  constructor(ram: GuestRam, vhyp: VirtualHypervisor, model: CpuModel, cpuIndex = 0) {
    this.ram = ram;
    this.vhyp = vhyp;
    this.model = model;
    this.cpuIndex = cpuIndex;
    this.state = new CpuState();
    this.dv = ram.view;
    this.ramSize = ram.size;
    this.ramPages = ram.size >>> TARGET_PAGE_BITS;
    this.mmu = new HashMmu(this.state, ram);
    this.pages = new Array(ram.pages);
    this.nullPage = newCodePage(false);
    this.nullPage.ids.fill(Op.invalid, 0, 1024);
    this.faultPage = newCodePage(false);
    this.faultPage.ids.fill(Op.fetchFault, 0, 1024);
    this.execPage = this.nullPage;
    const prev = ram.onCodeWrite;
    ram.onCodeWrite = (page: number) => {
      this.invalidatePage(page);
      prev(page);
    };
    this.reset();
    if (!warmedUp) {
      warmedUp = true;
      PowerPCCPU.warmUp();
    }
  }

  /**
   * Runs WARMUP_PROGRAM on a scratch vCPU with its own RAM and state (big- and little-endian,
   * 64- and 32-bit, plus a fetch and a data access with translation on and no SLB entry). The JIT
   * compiles execute() from what it has seen run: a form first met after that compilation throws
   * the compiled code away and recompiles the whole loop. Nothing here reaches other vCPUs: the
   * interpreter keeps no state outside its instance but scratch values it rewrites before use.
   */
  static warmUp(): void {
    const vhyp: VirtualHypervisor = {
      hypercall(cpu: PowerPCCPU) { cpu.state.halted = 1; cpu.requestExit(); },
      readTB() { return 0; },
    };
    const SF = 1n << 63n, LE = 1n, IR = 1n << 5n, DR = 1n << 4n;
    // [MSR, instructions, TLB filled]: the whole program in real mode (three modes) and with
    // translation on through identity TLB entries, a run that ends with its budget, then a fetch
    // and a data access that fault (no SLB entry). Each run is repeated: V8 gives a function its
    // feedback store only after a few calls, and what a function does before that is not recorded.
    const runs: [bigint, number, boolean][] = [
      [SF, 1000, false], [SF | LE, 1000, false], [0n, 1000, false], [SF | IR | DR, 1000, true],
      [SF, 50, false], [SF | IR, 2, false], [SF | DR, 200, false],
    ];
    for (let pass = 0; pass < 4; pass++) {
      for (const [msr, budget, mapped] of runs) {
        const ram = new GuestRam(0x8000);
        const le = (msr & LE) !== 0n;
        for (let i = 0; i < WARMUP_PROGRAM.length; i++) ram.view.setUint32(WARMUP_ORIGIN + 4 * i, WARMUP_PROGRAM[i], le);
        const cpu = new PowerPCCPU(ram, vhyp, POWER8);
        if (mapped) {
          const m = cpu.mmu;
          for (let acc = ACC_FETCH; acc <= ACC_STORE; acc++) {
            for (let page = 0; page < ram.pages; page++) {
              const i = tlbTable(acc, false, false) | page;
              m.tagHi[i] = 0; m.tagLo[i] = page << TARGET_PAGE_BITS; m.rpn[i] = page;
            }
          }
        }
        cpu.state.setMsr(msr);
        cpu.state.setNip(BigInt(WARMUP_ORIGIN));
        cpu.run(budget);
      }
    }
  }

  /**
   * CPU reset as QEMU's ppc_cpu_reset for POWER8 followed by spapr's vCPU reset and boot entry
   * state: NIP = 0x100 (hreset vector), MSR = SF (HV is never set under a virtual hypervisor),
   * registered SPRs back to their defaults (PVR = model PVR, PIR = cpu index, MMCR0/UMMCR0 FC,
   * RPR), LPCR = 0x1f008 (LPES0 plus the POWER8 power-saving exit enables, the value a running
   * pseries vCPU has), AMOR all ones, PSSCR[EC] in spr[855] (QEMU sets it even on POWER8),
   * GPRs/CR/XER/FPRs cleared, reservation cleared, no interrupt pending, not halted.
   * The decrementer keeps its timer value (QEMU does not reset it), but its pending state is cleared.
   */
  reset(): void {
    const st = this.state;
    st.gpr.fill(0);
    st.crf.fill(0);
    st.spr.fill(0);
    st.vsr.fill(0);
    st.fpscr.fill(0);
    st.slb.fill(0);
    st.vscr = 0x00010000;
    st.reserveAddr[0] = -1;
    st.reserveAddr[1] = -1;
    st.reserveVal.fill(0);
    st.nip[0] = 0;
    st.nip[1] = 0x100;
    st.msr[0] = 0x80000000 | 0;
    st.msr[1] = 0;
    for (const d of SPRS) {
      if (d.reset) { st.spr[2 * d.num] = d.reset[1]; st.spr[2 * d.num + 1] = d.reset[0]; }
    }
    st.spr[2 * SPR_PVR + 1] = this.model.pvr;
    st.spr[2 * SPR_PIR + 1] = this.cpuIndex;
    st.spr[2 * SPR_LPCR + 1] = this.lpcrReset;
    st.spr[2 * SPR_AMOR] = -1;
    st.spr[2 * SPR_AMOR + 1] = -1;
    st.spr[2 * 855 + 1] = 0x100000;
    st.halted = 0;
    st.interruptRequest = 0;
    this.decPending = false;
    this.extLevel = false;
    this.exitRequested = false;
    this.flushCodeCache();
    this.mmu.flush();
  }

  requestExit(): void {
    this.exitRequested = true;
  }

  /** True when an interrupt is pending that would wake a halted CPU or be taken now. A halted
   * POWER8 wakes on external/decrementer conditions enabled by LPCR[PECE2/PECE3] (QEMU's
   * cpu_has_work_POWER8); a running one needs MSR[EE]. */
  hasWork(): boolean {
    const st = this.state;
    if (st.halted) {
      const lpcr = st.spr[2 * SPR_LPCR + 1];
      return (this.extLevel && (lpcr & LPCR_P8_PECE2) !== 0) || (this.decPending && (lpcr & LPCR_P8_PECE3) !== 0);
    }
    if (this.extLevel && this.externalToHv()) return true;
    return (st.msr[1] & MSR_EE_BIT) !== 0 && (this.extLevel || this.decPending);
  }

  /**
   * The external interrupt goes to the hypervisor (HSRR0/HSRR1, MSR[HV] set): on a CPU with HV
   * mode, running with MSR[HV] clear, when LPCR[LPES0] is clear. Such an interrupt is taken
   * whatever MSR[EE] says (ppc_hw_interrupt: "External interrupt can ignore MSR:EE under some
   * circumstances").
   */
  private externalToHv(): boolean {
    const r = this.hvRouting;
    if (!r || !r.has_hv_mode) return false;
    const st = this.state;
    if (st.msr[0] & MSR_HV_HI) return false;
    return (st.spr[2 * SPR_LPCR + 1] & LPCR_LPES0) === 0;
  }

  /**
   * powerpc_excp's sanity check for an interrupt bound for HSRR0/HSRR1 on a CPU whose msr_mask
   * has no MSR_HV (a pseries vCPU: PAPR mode removes it): cpu_abort() with the release's
   * message, then the register dump cpu_abort prints (cpu_dump_state). `excp` is QEMU's
   * POWERPC_EXCP_* number (4 = external input). Returns false when msr_mask has MSR_HV (a
   * delivery to the hypervisor, which this pseries interpreter does not model).
   */
  private hvSanityAbort(excp: number): boolean {
    const r = this.hvRouting!;
    if (r.msr_mask & MSR_HVB) return false;
    const msg = [`qemu: fatal: ${r.abortFormat.replace('%d', String(excp))}`, '', ...this.dumpState()].join('\n');
    this.aborted = msg;
    this.exitRequested = true;
    this.onAbort(msg);
    return true;
  }

  /**
   * The first lines of QEMU's ppc_cpu_dump_state() (the part the 2016 thread quotes, then the
   * GPRs and CR; QEMU goes on with FPRs and SPRs, not reproduced): NIP/LR/CTR/XER, MSR/HID0/
   * hflags/MMU indexes (TCG's hreg_compute_hflags and hreg_compute_mem_idx of the time), TB
   * (upper word, then the whole 64-bit value, both decimal) and DECR (decimal).
   */
  dumpState(): string[] {
    const st = this.state;
    const h16 = (hi: number, lo: number) => (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
    const spr = (n: number) => h16(st.spr[2 * n], st.spr[2 * n + 1]);
    const msrHi = st.msr[0], msrLo = st.msr[1];
    // hflags = msr & (SF | CM | HV | VR | AP | SA | PR | FP | LE | VSX | IR | DR)
    // (QEMU's bit numbers: SF 63, HV 60, CM 31, VR 25, AP = VSX 23, SA 22, PR 14, FP 13, IR 5, DR 4, LE 0)
    const hfHi = msrHi & ((0x80000000 | 0) | MSR_HV_HI);
    const hfLo = msrLo & ((0x80000000 | 0) | MSR_VEC_BIT | MSR_VSX_BIT | MSR_S_BIT | MSR_PR_BIT | MSR_FP_BIT | MSR_IR_BIT | MSR_DR_BIT | MSR_LE_BIT);
    const base = (msrLo & MSR_PR_BIT) ? 0 : 1;
    const hv = (msrHi & MSR_HV_HI) ? 4 : 0;
    const iidx = base + ((msrLo & MSR_IR_BIT) ? 0 : 2) + hv;
    const didx = base + ((msrLo & MSR_DR_BIT) ? 0 : 2) + hv;
    const tb = BigInt(Math.floor(this.vhyp.readTB()));
    const lines = [
      `NIP ${h16(st.nip[0], st.nip[1])}   LR ${spr(SPR_LR)} CTR ${spr(SPR_CTR)} XER ${spr(SPR_XER)} CPU#${this.cpuIndex}`,
      `MSR ${h16(msrHi, msrLo)} HID0 ${spr(1008)}  HF ${h16(hfHi, hfLo)} iidx ${iidx} didx ${didx}`,
      `TB ${(tb >> 32n).toString().padStart(8, '0')} ${tb.toString().padStart(8, '0')} DECR ${(this.readDec() >>> 0).toString().padStart(8, '0')}`,
    ];
    for (let i = 0; i < 32; i += 4) {
      let l = `GPR${String(i).padStart(2, '0')}`;
      for (let j = i; j < i + 4; j++) l += ` ${h16(st.gpr[2 * j], st.gpr[2 * j + 1])}`;
      lines.push(l);
    }
    let cr = 'CR ';
    for (let i = 0; i < 8; i++) cr += (st.crf[i] & 0xf).toString(16);
    cr += '  [';
    for (let i = 0; i < 8; i++) {
      const c = st.crf[i];
      const a = c & 8 ? 'L' : c & 4 ? 'G' : c & 2 ? 'E' : '-';
      cr += ` ${a}${c & 1 ? 'O' : ' '}`;
    }
    lines.push(`${cr} ]             RES ${h16(st.reserveAddr[0], st.reserveAddr[1])}`);
    return lines;
  }

  nextTimerTB(): number {
    return this.decArmed ? this.decNext : Infinity;
  }

  updateTimers(): void {
    if (this.decArmed && this.vhyp.readTB() >= this.decNext) {
      this.decArmed = false;
      this.decPending = true;
    }
  }

  setExternalIrq(level: boolean): void {
    this.extLevel = level;
  }

  /** Current DEC value (low 32 bits of decr_next - TB, as QEMU's cpu_ppc_load_decr). */
  readDec(): number {
    return (this.decNext - this.vhyp.readTB()) | 0;
  }

  /** mtdec, as QEMU's __cpu_ppc_store_decr for a level-triggered 32-bit decrementer. */
  writeDec(hi: number, lo: number): void {
    const small = hi === 0 && (lo >>> 0) < 3;
    if (small || lo < 0) {
      this.decPending = true;
      return;
    }
    this.decPending = false;
    this.decNext = this.vhyp.readTB() + (hi >>> 0) * TWO32 + (lo >>> 0);
    this.decArmed = true;
  }

  /** Is the decrementer interrupt condition set (tests, UI). */
  get decrementerPending(): boolean {
    return this.decPending;
  }

  preSave(): void {
    const st = this.state;
    st.spr[2 * SPR_DECR] = 0;
    st.spr[2 * SPR_DECR + 1] = this.readDec();
    st.interruptRequest = this.decPending || this.extLevel ? 0x2 : 0; // CPU_INTERRUPT_HARD
  }

  postLoad(): void {
    const st = this.state;
    const dec = st.spr[2 * SPR_DECR + 1];
    this.decNext = this.vhyp.readTB() + dec;
    this.decArmed = dec >= 0;
    this.decPending = dec < 0 && (st.interruptRequest & 0x2) !== 0;
    this.flushCodeCache();
    this.mmu.flush();
  }

  /** Drop every decoded page (after loading state or rewriting memory wholesale). */
  flushCodeCache(): void {
    const cp = this.ram.codePages;
    for (let p = 0; p < this.pages.length; p++) {
      const pg = this.pages[p];
      if (pg) {
        this.pages[p] = undefined;
        this.pagePool.push(pg);
        cp[p >>> 5] &= ~(1 << (p & 31));
      }
    }
    this.curPage = -1;
  }

  private invalidatePage(page: number): void {
    const pg = this.pages[page];
    if (pg) {
      this.pages[page] = undefined;
      this.pagePool.push(pg);
    }
    if (page === this.curPage) this.codeStale = true;
  }

  private codePage(pp: number, le: boolean): CodePage {
    if (pp >= this.pages.length || (pp >= this.ramPages && !this.ram.contains(pp * TARGET_PAGE_SIZE, 1))) return this.nullPage;
    let pg = this.pages[pp];
    if (pg !== undefined && pg.le === le) return pg;
    if (pg === undefined) {
      pg = this.pagePool.pop() ?? newCodePage(le);
      this.pages[pp] = pg;
      const cp = this.ram.codePages;
      cp[pp >>> 5] |= 1 << (pp & 31);
    }
    // A page from the pool, or decoded for the other byte order.
    pg.ids.fill(Op.undecoded, 0, 1024);
    pg.le = le;
    return pg;
  }

  /** Whether an interrupt can be taken now; delivers the highest-priority one. */
  private takeInterrupt(): boolean {
    const st = this.state;
    if (this.extLevel && this.externalToHv()) {
      if (this.hvSanityAbort(EXCP_NUM_EXTERNAL)) return true;
    }
    if ((st.msr[1] & MSR_EE_BIT) === 0) return false;
    if (this.extLevel) {
      deliverInterrupt(st, EXCP_EXTERNAL, st.nip[0], st.nip[1], 0);
      return true;
    }
    if (this.decPending) {
      deliverInterrupt(st, EXCP_DECR, st.nip[0], st.nip[1], 0);
      return true;
    }
    return false;
  }

  /**
   * Breakpoints (effective addresses of instructions, as the gdbstub's): with any set, the
   * vCPU runs one instruction at a time and stops before one whose address is set, calling
   * onBreakpoint. Resuming executes that instruction before checking again.
   */
  readonly breakpoints = new Set<bigint>();
  onBreakpoint: (nip: bigint) => void = () => {};
  /** The breakpoint the vCPU stopped at: it is passed once when the vCPU resumes. */
  private resumeFrom: bigint | null = null;

  /**
   * Write watchpoints on guest-physical RAM, [addr, addr+len): with any set the vCPU runs one
   * instruction at a time and stops after one that changed the watched bytes (a guest store,
   * or a hypercall writing there), calling onWatchpoint; `old` is what they held before.
   */
  readonly watchpoints: Array<{ addr: number; len: number; old: Uint8Array }> = [];
  onWatchpoint: (wp: { addr: number; len: number; old: Uint8Array }, now: Uint8Array, nip: bigint) => void = (_w, _n, nip) => this.onBreakpoint(nip);

  /** After an instruction: the first watched range whose bytes changed fires (its copy is updated). */
  private watchpointHit(nip: bigint): boolean {
    const u8 = this.ram.u8;
    for (const wp of this.watchpoints) {
      const now = u8.subarray(wp.addr, wp.addr + wp.len);
      let same = true;
      for (let i = 0; i < now.length; i++) if (now[i] !== wp.old[i]) { same = false; break; }
      if (same) continue;
      const old = wp.old.slice();
      wp.old.set(now);
      this.onWatchpoint({ ...wp, old }, now.slice(), nip);
      return true;
    }
    return false;
  }

  /** Breakpoints changed: one at the instruction about to run does not stop it before it ran once. */
  breakpointsChanged(): void {
    this.resumeFrom = this.state.getNip();
  }

  run(budget: number): number {
    const st = this.state;
    const start = st.insnCount;
    if (this.aborted) return 0;
    this.exitRequested = false;
    this.updateTimers();
    if (st.halted) {
      if (!this.hasWork()) return 0;
      st.halted = 0;
    }
    if (this.breakpoints.size || this.watchpoints.length) return this.runWatched(budget, start);
    while (st.insnCount - start < budget) {
      this.takeInterrupt();
      if (this.aborted) break;
      const left = budget - (st.insnCount - start);
      const slice = this.decArmed && (st.msr[1] & MSR_EE_BIT) !== 0 ? TIMER_SLICE : MAX_SLICE;
      this.execute(left < slice ? left : slice);
      if (st.halted || this.exitRequested) break;
      this.updateTimers();
    }
    return st.insnCount - start;
  }

  /** run() with breakpoints set: interrupts first, then one instruction, each checked. */
  private runWatched(budget: number, start: number): number {
    const st = this.state;
    while (st.insnCount - start < budget) {
      this.takeInterrupt();
      if (this.aborted) break;
      const nip = st.getNip();
      if (this.breakpoints.has(nip) && this.resumeFrom !== nip) {
        this.resumeFrom = nip;
        this.exitRequested = true;
        this.onBreakpoint(nip);
        break;
      }
      this.resumeFrom = null;
      this.execute(1);
      if (this.watchpoints.length && this.watchpointHit(nip)) { this.exitRequested = true; break; }
      if (st.halted || this.exitRequested) break;
      this.updateTimers();
    }
    return st.insnCount - start;
  }

  // ------------------------------------------------------------------------------------------
  // Memory helpers. EA is in the module scratch `EA`.

  /**
   * Real address of the data access [EA, EA+len): real mode as physOf, otherwise through the
   * MMU. -1 when unassigned; a translation fault is recorded in `mmu` and thrown as MMU_FAULT
   * (execute() delivers it with SRR0 = the instruction).
   */
  private dAddr(len: number, acc: number): number {
    if (!this.dr) {
      const a = physOf(this.ram, len);
      if (a >= 0) this.mmu.fillReal(EA[0], EA[1], acc);
      return a;
    }
    return this.xlateData(len, acc);
  }

  private xlateData(len: number, acc: number): number {
    const mmu = this.mmu, hi = EA[0], lo = EA[1];
    const a = mmu.xlate(hi, lo, acc, this.pr);
    if (a === XLATE_FAULT) throw MMU_FAULT;
    if ((lo & 0xfff) + len > 4096) {
      // Crossing into the next page (translated separately; DAR = that page, as QEMU's split access).
      const s = (lo & ~0xfff) + 4096 >>> 0;
      const hi2 = s === 0 ? (hi + 1) | 0 : hi;
      const b = mmu.xlate(hi2, s | 0, acc, this.pr);
      if (b === XLATE_FAULT) throw MMU_FAULT;
      if (a < 0 || b < 0) return -1;
      const n1 = 4096 - (lo & 0xfff);
      if (b !== a + n1) {
        // Not contiguous in real memory: the helpers go through the bounce buffer.
        if (!this.ram.contains(a, n1) || !this.ram.contains(b, len - n1)) return -1;
        this.splitA = a; this.splitB = b; this.splitN = n1;
        if (acc !== ACC_STORE) {
          const u8 = this.ram.u8;
          this.bounce.set(u8.subarray(a, a + n1), 0);
          this.bounce.set(u8.subarray(b, b + len - n1), n1);
        }
        return SPLIT;
      }
    }
    return a >= 0 && (a + len <= this.ramSize || this.ram.contains(a, len)) ? a : -1;
  }

  /** Write the first `len` bounce bytes of a split store to its two real pages. */
  private splitStore(len: number): void {
    const u8 = this.ram.u8, a = this.splitA, b = this.splitB, n1 = this.splitN;
    u8.set(this.bounce.subarray(0, n1), a);
    u8.set(this.bounce.subarray(n1, len), b);
    this.touched(a, n1);
    this.touched(b, len - n1);
  }

  /** Deliver the fault recorded by the MMU for the instruction at (ciaHi, ciaLo). */
  private mmuFault(ciaHi: number, ciaLo: number): void {
    const m = this.mmu, spr = this.state.spr;
    const v = m.faultVector;
    if (v === EXCP_DSI || v === EXCP_DSEG) {
      spr[2 * SPR_DAR] = m.faultDarHi; spr[2 * SPR_DAR + 1] = m.faultDarLo;
      if (v === EXCP_DSI) { spr[2 * SPR_DSISR] = 0; spr[2 * SPR_DSISR + 1] = m.faultDsisr; }
    }
    deliverInterrupt(this.state, v, ciaHi, ciaLo, v === EXCP_ISI ? m.faultSrr1 : 0);
  }

  /** The hashed page table the MMU walks (set by the machine). */
  get hpt(): HashPageTable | null { return this.mmu.hpt; }
  set hpt(h: HashPageTable | null) { this.mmu.hpt = h; this.mmu.flush(); }

  /** Drop every cached translation (tlbie/tlbiel, SLB changes, HPTE changes). */
  tlbFlush(): void {
    this.mmu.flush();
  }

  /**
   * Translate an effective address as the vCPU would now (MSR[IR] for fetches, MSR[DR] for
   * data, MSR[PR]) without side effects on the TLB or fault state visible to the guest: the real
   * address, -1 when unassigned, -2 on a fault (debuggers, tests). R/C bits are updated.
   */
  translate(ea: bigint, acc: number): number {
    const st = this.state;
    const msrLo = st.msr[1];
    const on = acc === ACC_FETCH ? (msrLo & MSR_IR_BIT) !== 0 : (msrLo & MSR_DR_BIT) !== 0;
    const hi = Number((ea >> 32n) & 0xffffffffn) | 0, lo = Number(ea & 0xffffffffn) | 0;
    if (!on) {
      if ((hi & 0x0fffffff) !== 0) return -1;
      return this.ram.contains(lo >>> 0, 1) ? lo >>> 0 : -1;
    }
    return this.mmu.walk(hi, lo, acc, (msrLo & MSR_PR_BIT) !== 0, false);
  }


  private ld8(): number {
    const a = this.dAddr(1, ACC_LOAD);
    return a < 0 ? 0 : this.ram.u8[a];
  }
  private ld16(): number {
    const a = this.dAddr(2, ACC_LOAD);
    if (a < 0) return a === SPLIT ? this.bounceDv.getUint16(0, this.le) : 0;
    return this.dv.getUint16(a, this.le);
  }
  private ld16r(): number {
    const a = this.dAddr(2, ACC_LOAD);
    if (a < 0) return a === SPLIT ? this.bounceDv.getUint16(0, !this.le) : 0;
    return this.dv.getUint16(a, !this.le);
  }
  private ld32(): number {
    const a = this.dAddr(4, ACC_LOAD);
    if (a < 0) return a === SPLIT ? this.bounceDv.getInt32(0, this.le) : 0;
    return this.dv.getInt32(a, this.le);
  }
  private ld32r(): number {
    const a = this.dAddr(4, ACC_LOAD);
    if (a < 0) return a === SPLIT ? this.bounceDv.getInt32(0, !this.le) : 0;
    return this.dv.getInt32(a, !this.le);
  }
  /** 64-bit load into gpr pair `i2` (= 2*reg), byte-reversed when `rev`. */
  private ld64(dst: Int32Array, i2: number, rev: boolean): void {
    let a = this.dAddr(8, ACC_LOAD);
    let dv = this.dv;
    if (a < 0) {
      if (a !== SPLIT) { dst[i2] = 0; dst[i2 + 1] = 0; return; }
      a = 0; dv = this.bounceDv;
    }
    const le = this.le !== rev;
    if (le) { dst[i2 + 1] = dv.getInt32(a, true); dst[i2] = dv.getInt32(a + 4, true); }
    else { dst[i2] = dv.getInt32(a, false); dst[i2 + 1] = dv.getInt32(a + 4, false); }
  }
  private touched(a: number, len: number): void {
    const ram = this.ram;
    if (ram.logDirty) { ram.touch(a, len); return; }
    const cp = ram.codePages;
    const p0 = a >>> TARGET_PAGE_BITS, p1 = (a + len - 1) >>> TARGET_PAGE_BITS;
    if (((cp[p0 >>> 5] >>> (p0 & 31)) & 1) !== 0 || ((cp[p1 >>> 5] >>> (p1 & 31)) & 1) !== 0) ram.touch(a, len);
  }
  private st8(v: number): void {
    const a = this.dAddr(1, ACC_STORE);
    if (a < 0) return;
    this.ram.u8[a] = v;
    this.touched(a, 1);
  }
  private st16(v: number, rev: boolean): void {
    const a = this.dAddr(2, ACC_STORE);
    if (a < 0) {
      if (a === SPLIT) { this.bounceDv.setUint16(0, v & 0xffff, this.le !== rev); this.splitStore(2); }
      return;
    }
    this.dv.setUint16(a, v & 0xffff, this.le !== rev);
    this.touched(a, 2);
  }
  private st32(v: number, rev: boolean): void {
    const a = this.dAddr(4, ACC_STORE);
    if (a < 0) {
      if (a === SPLIT) { this.bounceDv.setInt32(0, v, this.le !== rev); this.splitStore(4); }
      return;
    }
    this.dv.setInt32(a, v, this.le !== rev);
    this.touched(a, 4);
  }
  private st64(hi: number, lo: number, rev: boolean): void {
    let a = this.dAddr(8, ACC_STORE);
    let dv = this.dv;
    if (a < 0) {
      if (a !== SPLIT) return;
      a = 0; dv = this.bounceDv;
    }
    if (this.le !== rev) { dv.setInt32(a, lo, true); dv.setInt32(a + 4, hi, true); }
    else { dv.setInt32(a, hi, false); dv.setInt32(a + 4, lo, false); }
    if (dv === this.bounceDv) this.splitStore(8);
    else this.touched(a, 8);
  }

  // ------------------------------------------------------------------------------------------
  // Slow paths kept out of the switch.

  private raise(vector: number, ciaHi: number, ciaLo: number, srr1: number): void {
    deliverInterrupt(this.state, vector, ciaHi, ciaLo, srr1);
  }

  /** Alignment interrupt for the instruction `w` at cia with DAR = EA (larx/stcx., lmw/stmw in LE). */
  private alignment(w: number, ciaHi: number, ciaLo: number): void {
    const spr = this.state.spr;
    spr[2 * 19] = EA[0];
    spr[2 * 19 + 1] = EA[1];
    spr[2 * 18 + 1] |= (w & 0x03ff0000) >>> 16;
    this.raise(EXCP_ALIGN, ciaHi, ciaLo, 0);
  }

  /** MSR write as QEMU's hreg_store_msr: masked to the implemented bits, HV unchanged (never
   * set), and PR=1 forces EE, IR and DR. */
  private storeMsr(hi: number, lo: number): void {
    hi &= MSR_MASK_HI;
    lo &= MSR_MASK_LO;
    if (lo & MSR_PR_BIT) lo |= MSR_EE_BIT | MSR_IR_BIT | MSR_DR_BIT;
    this.state.msr[0] = hi;
    this.state.msr[1] = lo;
  }

  private tbNow(): number {
    return this.vhyp.readTB();
  }

  /** mfspr/mftb. Returns false when an interrupt was raised. */
  private readSpr(n: number, rt: number, pr: boolean, ciaHi: number, ciaLo: number): boolean {
    const st = this.state, spr = st.spr, gpr = st.gpr;
    const acc = pr ? SPR_U_READ[n] : SPR_S_READ[n];
    if (acc === UNREG) {
      if (unregisteredAccess(n, pr, false) === Unreg.PRIV) { this.raise(EXCP_PROGRAM, ciaHi, ciaLo, SRR1_PRIV); return false; }
      return true;
    }
    let hi: number, lo: number;
    switch (acc as Acc) {
      case Acc.NONE:
        this.raise(EXCP_PROGRAM, ciaHi, ciaLo, SRR1_PRIV);
        return false;
      case Acc.DEC:
        hi = 0; lo = this.readDec();
        break;
      case Acc.TB: case Acc.PURR: {
        const tb = this.tbNow();
        hi = Math.floor(tb / TWO32) | 0; lo = tb % TWO32 | 0;
        break;
      }
      case Acc.TBU:
        hi = 0; lo = Math.floor(this.tbNow() / TWO32) | 0;
        break;
      case Acc.UREG:
        hi = spr[2 * (n + 16)]; lo = spr[2 * (n + 16) + 1];
        break;
      case Acc.FSCR_TAR: case Acc.FSCR_EBB: case Acc.TM:
        if (!this.facilityOk(acc, pr, ciaHi, ciaLo)) return false;
        hi = spr[2 * n]; lo = spr[2 * n + 1];
        break;
      default:
        hi = spr[2 * n]; lo = spr[2 * n + 1];
        break;
    }
    gpr[2 * rt] = hi;
    gpr[2 * rt + 1] = lo;
    return true;
  }

  private facilityOk(acc: Acc, pr: boolean, ciaHi: number, ciaLo: number): boolean {
    const st = this.state;
    if (acc === Acc.TM) {
      if ((st.msr[0] & MSR_TM_HI) !== 0) return true;
      deliverFacilityUnavailable(st, FSCR_IC_TM, ciaHi, ciaLo);
      return false;
    }
    if (!pr) return true;
    const bit = acc === Acc.FSCR_TAR ? FSCR_TAR_BIT : FSCR_EBB_BIT;
    if ((st.spr[2 * SPR_FSCR + 1] >>> bit) & 1) return true;
    deliverFacilityUnavailable(st, acc === Acc.FSCR_TAR ? FSCR_IC_TAR : FSCR_IC_EBB, ciaHi, ciaLo);
    return false;
  }

  /** mtspr. Returns false when an interrupt was raised. */
  private writeSpr(n: number, rs: number, pr: boolean, ciaHi: number, ciaLo: number): boolean {
    const st = this.state, spr = st.spr, gpr = st.gpr;
    const acc = pr ? SPR_U_WRITE[n] : SPR_S_WRITE[n];
    if (acc === UNREG) {
      if (unregisteredAccess(n, pr, true) === Unreg.PRIV) { this.raise(EXCP_PROGRAM, ciaHi, ciaLo, SRR1_PRIV); return false; }
      return true;
    }
    const hi = gpr[2 * rs], lo = gpr[2 * rs + 1];
    switch (acc as Acc) {
      case Acc.NONE:
        this.raise(EXCP_PROGRAM, ciaHi, ciaLo, SRR1_PRIV);
        return false;
      case Acc.GEN:
        spr[2 * n] = hi; spr[2 * n + 1] = lo;
        break;
      case Acc.GEN32:
        spr[2 * n] = 0; spr[2 * n + 1] = lo;
        break;
      case Acc.XER:
        // QEMU 7.2 keeps the low word only, without OV32/CA32 (ISA 3.0 bits)
        spr[2 * n] = 0; spr[2 * n + 1] = lo & ~XER_OV32_CA32;
        break;
      case Acc.DEC:
        this.writeDec(hi, lo);
        break;
      case Acc.FSCR_TAR: case Acc.FSCR_EBB: case Acc.TM:
        if (!this.facilityOk(acc, pr, ciaHi, ciaLo)) return false;
        spr[2 * n] = hi; spr[2 * n + 1] = lo;
        break;
      default: // IGNORE and read-only kinds never reach here as writes
        break;
    }
    return true;
  }

  private slbSlotOk(rbLo: number): boolean {
    return (rbLo & 0xfff) < 32;
  }

  /** slbie: invalidate the entry translating RB's ESID (256M or 1T segment). */
  private slbInvalidate(rbHi: number, rbLo: number): void {
    const slb = this.state.slb;
    for (let i = 0; i < 32; i++) {
      const eHi = slb[4 * i], eLo = slb[4 * i + 1];
      if ((eLo & 0x08000000) === 0) continue;
      const vHi = slb[4 * i + 2];
      const seg1T = (vHi >>> 30) === 1; // SLB_VSID_B = 1T
      const match = seg1T
        ? eHi === rbHi && (eLo & 0xff000000) === (rbLo & 0xff000000)
        : eHi === rbHi && (eLo & 0xf0000000) === (rbLo & 0xf0000000);
      if (match) slb[4 * i + 1] = eLo & ~0x08000000;
    }
  }

  private hypercall(): void {
    this.vhyp.hypercall(this);
  }

  // ------------------------------------------------------------------------------------------
  // The interpreter loop. Executes up to `limit` instructions or until something needs the
  // outer loop (interrupt, MSR change, hypercall, halt). Keeps state.nip and state.insnCount
  // current on return.

  private execute(limit: number): void {
    const st = this.state;
    const gpr = st.gpr, crf = st.crf, spr = st.spr, msr = st.msr;
    const startCount = st.insnCount;
    const dv = this.dv, ram = this.ram, codeBits = ram.codePages;
    const mmu = this.mmu, tagHi = mmu.tagHi, tagLo = mmu.tagLo, rpn = mmu.rpn;
    const msrLo = msr[1];
    const sf = msr[0] < 0;
    const le = (msrLo & MSR_LE_BIT) !== 0;
    const pr = (msrLo & MSR_PR_BIT) !== 0;
    const ir = (msrLo & MSR_IR_BIT) !== 0;
    const realData = (msrLo & MSR_DR_BIT) === 0;
    this.le = le;
    this.dr = !realData;
    this.pr = pr;
    // TLB tables (mmu.ts) the inline data paths look up for this context.
    const ldT = tlbTable(ACC_LOAD, realData, pr), stT = tlbTable(ACC_STORE, realData, pr);
    const sprRd = pr ? FAST_U_READ : FAST_S_READ, sprWr = pr ? FAST_U_WRITE : FAST_S_WRITE;
    const sfHi = sf ? -1 : 0;
    // Byte offsets of the high and low words of a doubleword in memory.
    const hiOff = le ? 4 : 0, loOff = le ? 0 : 4;
    let pcHi = sf ? st.nip[0] : 0;
    let pcLo = st.nip[1];
    let executed = 0;

    outer: for (;;) {
      const pp = this.fetchPage(pcHi, pcLo, ir, pr);
      const page = pp === -1 ? this.faultPage : this.codePage(pp, le);
      // A fetch fault is delivered (and counted) even when the budget is used up.
      const faultLimit = executed + 1;
      const lim = pp === -1 ? faultLimit : limit;
      const ids = page.ids, words = page.words;
      const base = pcLo & ~0xfff;
      this.execPage = page;
      this.execPhys = pp << TARGET_PAGE_BITS;
      this.curPage = page === this.nullPage || page === this.faultPage ? -1 : pp;
      this.codeStale = false;
      let idx = (pcLo & 0xfff) >>> 2;

      for (;;) {
        if (executed >= lim) {
          st.nip[0] = pcHi; st.nip[1] = (base + (idx << 2)) | 0;
          break outer;
        }
        const id = ids[idx];
        const w = words[idx];
        executed++;

        // Common forms of frequent instructions. A case either completes the instruction and
        // continues, or breaks out of the switch before changing any state; full() then
        // executes the instruction in its general form.
        switch (id) {
          case Op.pageEnd: {
            executed -= 1;
            const s = (base >>> 0) + 4096;
            pcLo = s | 0;
            pcHi = (pcHi + (s >= TWO32 ? 1 : 0)) & sfHi;
            continue outer;
          }
          case Op.addi: case Op.addis: {
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const s0 = (w << 16) >> 16, s1 = w << 16, si = id === Op.addi ? s0 : s1;
            const m = ((ra + 62) << 25) >> 31; // RA|0
            const aL = gpr[ra + 1] & m, lo = (aL + si) | 0;
            gpr[rt] = ((gpr[ra] & m) + (si >> 31) + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0;
            gpr[rt + 1] = lo;
            idx++; continue;
          }
          case Op.add: {
            if (w & 0x401) break;
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            const aL = gpr[ra + 1], lo = (aL + gpr[rb + 1]) | 0;
            gpr[rt] = (gpr[ra] + gpr[rb] + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0; gpr[rt + 1] = lo;
            idx++; continue;
          }
          case Op.subf: {
            if (w & 0x401) break;
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            const aL = gpr[ra + 1], bL = gpr[rb + 1];
            gpr[rt] = (gpr[rb] - gpr[ra] - ((bL >>> 0) < (aL >>> 0) ? 1 : 0)) | 0; gpr[rt + 1] = (bL - aL) | 0;
            idx++; continue;
          }
          case Op.neg: {
            if (w & 0x401) break;
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const aL = gpr[ra + 1];
            gpr[rt] = (~gpr[ra] + (aL === 0 ? 1 : 0)) | 0; gpr[rt + 1] = -aL | 0;
            idx++; continue;
          }
          case Op.mulli: {
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, si = (w << 16) >> 16;
            mul64(gpr[ra], gpr[ra + 1], si >> 31, si);
            gpr[rt] = R[0]; gpr[rt + 1] = R[1];
            idx++; continue;
          }
          case Op.mullw: {
            if (w & 0x401) break;
            const rt = (w >>> 20) & 62, a = gpr[((w >>> 15) & 62) + 1], b = gpr[((w >>> 10) & 62) + 1];
            gpr[rt + 1] = Math.imul(a, b); gpr[rt] = mulhs32(a, b);
            idx++; continue;
          }
          case Op.mulld: {
            if (w & 0x401) break;
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            mul64(gpr[ra], gpr[ra + 1], gpr[rb], gpr[rb + 1]);
            gpr[rt] = R[0]; gpr[rt + 1] = R[1];
            idx++; continue;
          }
          case Op.cmpi: {
            // L=0 compares the sign-extended low words.
            const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, l = (w << 10) >> 31;
            const aL = gpr[ra + 1], aH = (gpr[ra] & l) | ((aL >> 31) & ~l);
            const bL = (w << 16) >> 16, bH = bL >> 31;
            crf[bf] = cmpSig(aH, aL, bH, bL) | (spr[XER_LO] >>> 31);
            idx++; continue;
          }
          case Op.cmp: {
            const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62, l = (w << 10) >> 31;
            const aL = gpr[ra + 1], aH = (gpr[ra] & l) | ((aL >> 31) & ~l);
            const bL = gpr[rb + 1], bH = (gpr[rb] & l) | ((bL >> 31) & ~l);
            crf[bf] = cmpSig(aH, aL, bH, bL) | (spr[XER_LO] >>> 31);
            idx++; continue;
          }
          case Op.cmpli: {
            const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, l = (w << 10) >> 31;
            crf[bf] = cmpUns(gpr[ra] & l, gpr[ra + 1], 0, w & 0xffff) | (spr[XER_LO] >>> 31);
            idx++; continue;
          }
          case Op.cmpl: {
            const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62, l = (w << 10) >> 31;
            crf[bf] = cmpUns(gpr[ra] & l, gpr[ra + 1], gpr[rb] & l, gpr[rb + 1]) | (spr[XER_LO] >>> 31);
            idx++; continue;
          }
          case Op.and: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            gpr[ra] = gpr[rs] & gpr[rb]; gpr[ra + 1] = gpr[rs + 1] & gpr[rb + 1];
            idx++; continue;
          }
          case Op.andc: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            gpr[ra] = gpr[rs] & ~gpr[rb]; gpr[ra + 1] = gpr[rs + 1] & ~gpr[rb + 1];
            idx++; continue;
          }
          case Op.or: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            // Record form and `or rX,rX,rX` (priority hints) take the general path.
            if ((w & 1) !== 0 || ((rs ^ ra) | (rs ^ rb)) === 0) break;
            gpr[ra] = gpr[rs] | gpr[rb]; gpr[ra + 1] = gpr[rs + 1] | gpr[rb + 1];
            idx++; continue;
          }
          case Op.xor: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            gpr[ra] = gpr[rs] ^ gpr[rb]; gpr[ra + 1] = gpr[rs + 1] ^ gpr[rb + 1];
            idx++; continue;
          }
          case Op.nor: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
            gpr[ra] = ~(gpr[rs] | gpr[rb]); gpr[ra + 1] = ~(gpr[rs + 1] | gpr[rb + 1]);
            idx++; continue;
          }
          case Op.ori: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] | (w & 0xffff);
            idx++; continue;
          }
          case Op.oris: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] | (w << 16);
            idx++; continue;
          }
          case Op.xori: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] ^ (w & 0xffff);
            idx++; continue;
          }
          case Op.xoris: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] ^ (w << 16);
            idx++; continue;
          }
          case Op.andi_: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const lo = gpr[rs + 1] & (w & 0xffff);
            gpr[ra] = 0; gpr[ra + 1] = lo;
            // CR0 as cr0() for a zero high word: negative only when !sf.
            const z = ((lo | -lo) >>> 31) ^ 1, neg = (lo >>> 31) & ~sfHi;
            crf[0] = (z !== 0 ? 2 : neg !== 0 ? 8 : 4) | (spr[XER_LO] >>> 31);
            idx++; continue;
          }
          case Op.andis_: {
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const lo = gpr[rs + 1] & (w << 16);
            gpr[ra] = 0; gpr[ra + 1] = lo;
            // CR0 as cr0() for a zero high word: negative only when !sf.
            const z = ((lo | -lo) >>> 31) ^ 1, neg = (lo >>> 31) & ~sfHi;
            crf[0] = (z !== 0 ? 2 : neg !== 0 ? 8 : 4) | (spr[XER_LO] >>> 31);
            idx++; continue;
          }
          case Op.extsb: {
            if (w & 1) break;
            const lo = (gpr[((w >>> 20) & 62) + 1] << 24) >> 24, ra = (w >>> 15) & 62;
            gpr[ra] = lo >> 31; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.extsh: {
            if (w & 1) break;
            const lo = (gpr[((w >>> 20) & 62) + 1] << 16) >> 16, ra = (w >>> 15) & 62;
            gpr[ra] = lo >> 31; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.extsw: {
            if (w & 1) break;
            const lo = (gpr[((w >>> 20) & 62) + 1] << 0) >> 0, ra = (w >>> 15) & 62;
            gpr[ra] = lo >> 31; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.cntlzw: {
            if (w & 1) break;
            const ra = (w >>> 15) & 62;
            gpr[ra] = 0; gpr[ra + 1] = Math.clz32(gpr[((w >>> 20) & 62) + 1]);
            idx++; continue;
          }
          case Op.cntlzd: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const n = cntlz64(gpr[rs], gpr[rs + 1]);
            gpr[ra] = 0; gpr[ra + 1] = n;
            idx++; continue;
          }
          case Op.isel: {
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62, bc = (w >>> 6) & 31;
            const m = 0 - ((crf[bc >> 2] >> (3 - (bc & 3))) & 1), z = (((ra + 62) << 25) >> 31) & m;
            gpr[rt] = (gpr[ra] & z) | (gpr[rb] & ~m); gpr[rt + 1] = (gpr[ra + 1] & z) | (gpr[rb + 1] & ~m);
            idx++; continue;
          }
          case Op.rlwinm: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const mb = (w >>> 6) & 31, me = (w >>> 1) & 31, n = (w >>> 11) & 31;
            const v = gpr[rs + 1];
            const rot = (v << n) | (v >>> ((32 - n) & 31));
            const m = mask32(mb, me), wrap = mb > me ? -1 : 0;
            gpr[ra + 1] = (rot & m);
            gpr[ra] = rot & wrap;
            idx++; continue;
          }
          case Op.rlwimi: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const mb = (w >>> 6) & 31, me = (w >>> 1) & 31, n = (w >>> 11) & 31;
            const v = gpr[rs + 1];
            const rot = (v << n) | (v >>> ((32 - n) & 31));
            const m = mask32(mb, me), wrap = mb > me ? -1 : 0;
            gpr[ra + 1] = (rot & m) | (gpr[ra + 1] & ~m);
            gpr[ra] = (rot & wrap) | (gpr[ra] & ~wrap);
            idx++; continue;
          }
          case Op.rldicl: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const m6 = ((w >>> 6) & 31) | (w & 0x20), sh = ((w >>> 11) & 31) | ((w << 4) & 0x20);
            mask64(m6, 63);
            const mH = R[0], mL = R[1];
            rotl64(gpr[rs], gpr[rs + 1], sh);
            const hi = R[0] & mH, lo = R[1] & mL;
            gpr[ra] = hi; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.rldicr: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const m6 = ((w >>> 6) & 31) | (w & 0x20), sh = ((w >>> 11) & 31) | ((w << 4) & 0x20);
            mask64(0, m6);
            const mH = R[0], mL = R[1];
            rotl64(gpr[rs], gpr[rs + 1], sh);
            const hi = R[0] & mH, lo = R[1] & mL;
            gpr[ra] = hi; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.rldic: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const m6 = ((w >>> 6) & 31) | (w & 0x20), sh = ((w >>> 11) & 31) | ((w << 4) & 0x20);
            mask64(m6, 63 - sh);
            const mH = R[0], mL = R[1];
            rotl64(gpr[rs], gpr[rs + 1], sh);
            const hi = R[0] & mH, lo = R[1] & mL;
            gpr[ra] = hi; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.rldimi: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const m6 = ((w >>> 6) & 31) | (w & 0x20), sh = ((w >>> 11) & 31) | ((w << 4) & 0x20);
            mask64(m6, 63 - sh);
            const mH = R[0], mL = R[1];
            rotl64(gpr[rs], gpr[rs + 1], sh);
            const hi = (R[0] & mH) | (gpr[ra] & ~mH), lo = (R[1] & mL) | (gpr[ra + 1] & ~mL);
            gpr[ra] = hi; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.slw: {
            if (w & 1) break;
            const ra = (w >>> 15) & 62, n = gpr[((w >>> 10) & 62) + 1], v = gpr[((w >>> 20) & 62) + 1];
            gpr[ra] = 0; gpr[ra + 1] = (v << (n & 31)) & ~((n << 26) >> 31);
            idx++; continue;
          }
          case Op.srw: {
            if (w & 1) break;
            const ra = (w >>> 15) & 62, n = gpr[((w >>> 10) & 62) + 1], v = gpr[((w >>> 20) & 62) + 1];
            gpr[ra] = 0; gpr[ra + 1] = (v >>> (n & 31)) & ~((n << 26) >> 31);
            idx++; continue;
          }
          case Op.sld: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            shl64(gpr[rs], gpr[rs + 1], gpr[((w >>> 10) & 62) + 1] & 127);
            gpr[ra] = R[0]; gpr[ra + 1] = R[1];
            idx++; continue;
          }
          case Op.srd: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            shr64(gpr[rs], gpr[rs + 1], gpr[((w >>> 10) & 62) + 1] & 127);
            gpr[ra] = R[0]; gpr[ra + 1] = R[1];
            idx++; continue;
          }
          case Op.sradi: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            sar64(gpr[rs], gpr[rs + 1], ((w >>> 11) & 31) | ((w << 4) & 0x20));
            spr[XER_LO] = (spr[XER_LO] & ~XER_CA) | (R[2] << 29);
            gpr[ra] = R[0]; gpr[ra + 1] = R[1];
            idx++; continue;
          }
          case Op.srawi: {
            if (w & 1) break;
            const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            const v = gpr[rs + 1], n = (w >>> 11) & 31;
            const lost = v & ~(-1 << n);
            const lo = v >> n;
            spr[XER_LO] = (spr[XER_LO] & ~XER_CA) | ((v >>> 31) & ((lost | -lost) >>> 31)) << 29;
            gpr[ra] = lo >> 31; gpr[ra + 1] = lo;
            idx++; continue;
          }
          // ---------------------------------------------------------------- branches
          case Op.b: {
            if (w & 2) break;
            const cia = (base + (idx << 2)) | 0;
            const li = (w << 6) >> 6 & ~3;
            const s = (cia >>> 0) + li;
            const tLo = s | 0, tHi = (pcHi + (s >= TWO32 ? 1 : s < 0 ? -1 : 0)) & sfHi;
            if (w & 1) { spr[LR_HI] = (pcHi + ((cia >>> 0) + 4 >= TWO32 ? 1 : 0)) & sfHi; spr[LR_LO] = (cia + 4) | 0; }
            spr[CFAR_HI] = pcHi; spr[CFAR_LO] = cia;
            idx = (tLo & 0xfff) >>> 2;
            if (tHi === pcHi && (tLo & ~0xfff) === base) continue;
            pcHi = tHi; pcLo = tLo;
            continue outer;
          }
          case Op.bc: case Op.bclr: {
            // Absolute bc and the CTR-decrementing forms of bclr take the general path.
            const bo = (w >>> 21) & 31, bi = (w >>> 16) & 31;
            if ((w & 2) !== 0 && id === Op.bc) break;
            if ((bo & 4) === 0 && id === Op.bclr) break;
            const cia = (base + (idx << 2)) | 0;
            const lrHi = spr[LR_HI], lrLo = spr[LR_LO];
            if (w & 1) { spr[LR_HI] = (pcHi + ((cia >>> 0) + 4 >= TWO32 ? 1 : 0)) & sfHi; spr[LR_LO] = (cia + 4) | 0; }
            let taken = true;
            if ((bo & 4) === 0) {
              const cH = spr[CTR_HI], cL = spr[CTR_LO];
              const nL = (cL - 1) | 0, nH = (cH - (cL === 0 ? 1 : 0)) | 0;
              spr[CTR_LO] = nL; spr[CTR_HI] = nH;
              const z = (nL | (nH & sfHi)) === 0;
              taken = (bo & 2) ? z : !z;
            }
            if (taken && (bo & 0x10) === 0) {
              const bit = (crf[bi >> 2] >> (3 - (bi & 3))) & 1;
              taken = bit === ((bo >>> 3) & 1);
            }
            if (!taken) { idx++; continue; }
            spr[CFAR_HI] = pcHi; spr[CFAR_LO] = cia;
            let tHi: number, tLo: number;
            if (id === Op.bc) {
              const s = (cia >>> 0) + ((w << 16) >> 16 & ~3);
              tLo = s | 0; tHi = (pcHi + (s >= TWO32 ? 1 : s < 0 ? -1 : 0)) & sfHi;
            } else { tHi = lrHi & sfHi; tLo = lrLo & ~3; }
            idx = (tLo & 0xfff) >>> 2;
            if (tHi === pcHi && (tLo & ~0xfff) === base) continue;
            pcHi = tHi; pcLo = tLo;
            continue outer;
          }
          case Op.bcctr: {
            const bo = (w >>> 21) & 31, bi = (w >>> 16) & 31;
            if ((bo & 4) === 0) break;
            const cia = (base + (idx << 2)) | 0;
            const tHi = spr[CTR_HI] & sfHi, tLo = spr[CTR_LO] & ~3;
            const bit = (crf[bi >> 2] >> (3 - (bi & 3))) & 1;
            if (w & 1) { spr[LR_HI] = (pcHi + ((cia >>> 0) + 4 >= TWO32 ? 1 : 0)) & sfHi; spr[LR_LO] = (cia + 4) | 0; }
            if ((bo & 0x10) === 0 && bit !== ((bo >>> 3) & 1)) { idx++; continue; }
            spr[CFAR_HI] = pcHi; spr[CFAR_LO] = cia;
            idx = (tLo & 0xfff) >>> 2;
            if (tHi === pcHi && (tLo & ~0xfff) === base) continue;
            pcHi = tHi; pcLo = tLo;
            continue outer;
          }
          // ---------------------------------------------------------------- loads and stores
          // The inline paths handle an access within one 4K page whose translation is in the
          // TLB; stores also need a page that holds no decoded code while dirty logging is off.
          case Op.lwz: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 4 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            const v = dv.getInt32(a, le); gpr[rt] = 0; gpr[rt + 1] = v;
            idx++; continue;
          }
          case Op.lwzx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 4 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            const v = dv.getInt32(a, le); gpr[rt] = 0; gpr[rt + 1] = v;
            idx++; continue;
          }
          case Op.lbz: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 1 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            gpr[rt] = 0; gpr[rt + 1] = dv.getUint8(a);
            idx++; continue;
          }
          case Op.lbzx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 1 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            gpr[rt] = 0; gpr[rt + 1] = dv.getUint8(a);
            idx++; continue;
          }
          case Op.lhz: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 2 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            gpr[rt] = 0; gpr[rt + 1] = dv.getUint16(a, le);
            idx++; continue;
          }
          case Op.lhzx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 2 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            gpr[rt] = 0; gpr[rt + 1] = dv.getUint16(a, le);
            idx++; continue;
          }
          case Op.lha: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 2 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            const v = dv.getInt16(a, le); gpr[rt] = v >> 31; gpr[rt + 1] = v;
            idx++; continue;
          }
          case Op.ld: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16 & ~3)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 8 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            gpr[rt] = dv.getInt32(a + hiOff, le); gpr[rt + 1] = dv.getInt32(a + loOff, le);
            idx++; continue;
          }
          case Op.ldx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 8 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const rt = (w >>> 20) & 62;
            gpr[rt] = dv.getInt32(a + hiOff, le); gpr[rt + 1] = dv.getInt32(a + loOff, le);
            idx++; continue;
          }
          case Op.lwzu: {
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            if (ra === 0 || ra === rt) break;
            const eb = ra, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 4 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            const v = dv.getInt32(a, le); gpr[rt] = 0; gpr[rt + 1] = v;
            gpr[ra] = hi; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.ldu: {
            const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62;
            if (ra === 0 || ra === rt) break;
            const eb = ra, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16 & ~3)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = ldT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 8 - off) >> 31)) !== 0) break;
            const a = rpn[ti] * 4096 + off;
            gpr[rt] = dv.getInt32(a + hiOff, le); gpr[rt + 1] = dv.getInt32(a + loOff, le);
            gpr[ra] = hi; gpr[ra + 1] = lo;
            idx++; continue;
          }
          case Op.stw: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 4 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setInt32(a, gpr[rs + 1], le);
            idx++; continue;
          }
          case Op.stwx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 4 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setInt32(a, gpr[rs + 1], le);
            idx++; continue;
          }
          case Op.stwu: {
            if (((w >>> 15) & 62) === 0) break;
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 4 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setInt32(a, gpr[rs + 1], le);
            gpr[eb] = hi; gpr[eb + 1] = lo;
            idx++; continue;
          }
          case Op.stb: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 1 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setUint8(a, gpr[rs + 1] & 0xff);
            idx++; continue;
          }
          case Op.stbx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 1 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setUint8(a, gpr[rs + 1] & 0xff);
            idx++; continue;
          }
          case Op.sth: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 2 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setUint16(a, gpr[rs + 1] & 0xffff, le);
            idx++; continue;
          }
          case Op.std: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16 & ~3)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 8 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setInt32(a + hiOff, gpr[rs], le); dv.setInt32(a + loOff, gpr[rs + 1], le);
            idx++; continue;
          }
          case Op.stdx: {
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + (gpr[((w >>> 10) & 62) + 1])) | 0;
            const hi = ((gpr[eb] & em) + (gpr[(w >>> 10) & 62]) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 8 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setInt32(a + hiOff, gpr[rs], le); dv.setInt32(a + loOff, gpr[rs + 1], le);
            idx++; continue;
          }
          case Op.stdu: {
            if (((w >>> 15) & 62) === 0) break;
            const eb = (w >>> 15) & 62, em = ((eb + 62) << 25) >> 31; // RA|0
            const eL = gpr[eb + 1] & em, lo = (eL + ((w << 16) >> 16 & ~3)) | 0;
            const hi = ((gpr[eb] & em) + ((w << 16) >> 31) + ((lo >>> 0) < (eL >>> 0) ? 1 : 0)) & sfHi;
            const ti = stT | ((lo >>> 12) & TLB_MASK), off = lo & 0xfff;
            const p = rpn[ti];
            if (((tagLo[ti] ^ (lo & ~0xfff)) | (tagHi[ti] ^ hi) | ((4096 - 8 - off) >> 31)
              | ((codeBits[p >>> 5] >>> (p & 31)) & 1) | (ram.logDirty ? 1 : 0)) !== 0) break;
            const a = p * 4096 + off;
            const rs = (w >>> 20) & 62;
            dv.setInt32(a + hiOff, gpr[rs], le); dv.setInt32(a + loOff, gpr[rs + 1], le);
            gpr[eb] = hi; gpr[eb + 1] = lo;
            idx++; continue;
          }
          case Op.dcbt: case Op.dcbtst: case Op.dcbf: case Op.dcbst: case Op.icbi:
          case Op.sync: case Op.eieio: case Op.isync:
            idx++; continue;
          // ---------------------------------------------------------------- SPRs and CR fields
          case Op.mfspr: {
            const k = sprRd[((w >>> 16) & 31) | (((w >>> 11) & 31) << 5)];
            if (k < 0) break;
            const rt = (w >>> 20) & 62;
            gpr[rt] = spr[k]; gpr[rt + 1] = spr[k + 1];
            idx++; continue;
          }
          case Op.mtspr: {
            const k = sprWr[((w >>> 16) & 31) | (((w >>> 11) & 31) << 5)];
            if (k < 0) break;
            const rs = (w >>> 20) & 62;
            spr[k] = gpr[rs]; spr[k + 1] = gpr[rs + 1];
            idx++; continue;
          }
          case Op.mfocrf: {
            const rt = (w >>> 20) & 62, fxm = (w >>> 12) & 0xff;
            if (fxm === 0 || (fxm & (fxm - 1)) !== 0) break;
            const crn = 31 - Math.clz32(fxm);
            gpr[rt] = 0; gpr[rt + 1] = crf[7 - crn] << (crn * 4);
            idx++; continue;
          }
          case Op.mtocrf: {
            const fxm = (w >>> 12) & 0xff;
            if (fxm === 0 || (fxm & (fxm - 1)) !== 0) break;
            const crn = 31 - Math.clz32(fxm);
            crf[7 - crn] = (gpr[((w >>> 20) & 62) + 1] >>> (crn * 4)) & 0xf;
            idx++; continue;
          }
          default:
            break;
        }
        // The general path: full() executes the instruction at cia.
        const cia = (base + (idx << 2)) | 0;
        const r = this.general(id, w, pcHi, cia, sf, pr, startCount + executed);
        if (r === 0) {
          idx++;
          pcLo = (base + (idx << 2)) | 0;
          if (this.codeStale) continue outer;
          continue;
        }
        if (r === 3) { executed -= 1; continue; }
        pcHi = st.nip[0] & sfHi; pcLo = st.nip[1];
        if (r === 1) break outer;
        continue outer;
      }
    }
    st.insnCount = startCount + executed;
    this.curPage = -1;
  }

  /** Physical page of the fetch at pc (real mode: top 4 EA bits ignored); -1 on a fault. */
  private fetchPage(pcHi: number, pcLo: number, ir: boolean, pr: boolean): number {
    const ra = ir ? this.mmu.xlate(pcHi, pcLo, ACC_FETCH, pr) : (pcHi & 0x0fffffff) === 0 ? pcLo >>> 0 : -1;
    return ra === XLATE_FAULT ? -1 : ra < 0 ? 0x7fffffff : ra >>> TARGET_PAGE_BITS;
  }

  /**
   * Any instruction in its general form (the forms execute() handles inline and the rare ones,
   * through cold()). Returns 0 to go on with the next instruction, 1 to leave execute() (state.nip
   * set), 2 to continue at state.nip (a taken branch), 3 to dispatch the slot again (it was
   * undecoded, and does not count as executed). Delivers translation faults.
   */
  private general(id: number, w: number, pcHi: number, cia: number, sf: boolean, pr: boolean, count: number): number {
    const st = this.state;
    const gpr = st.gpr, crf = st.crf, spr = st.spr;
    const dv = this.dv, le = this.le;
    try {
    switch (id) {
      case Op.undecoded: {
        // First execution of this slot: fetch and decode; execute() dispatches it again.
        const i = (cia & 0xfff) >>> 2, page = this.execPage;
        const w0 = dv.getInt32(this.execPhys + (i << 2), le);
        page.words[i] = w0;
        page.ids[i] = opOf(w0);
        return 3;
      }
      case Op.fetchFault:
        this.mmuFault(pcHi, cia);
        return 1;
      // ---------------------------------------------------------------- arithmetic, compare, logical
      case Op.addi: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, si = (w << 16) >> 16;
        if (ra === 0) { gpr[rt] = si >> 31; gpr[rt + 1] = si; }
        else {
          const aL = gpr[ra + 1], lo = (aL + si) | 0;
          gpr[rt] = (gpr[ra] + (si >> 31) + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0;
          gpr[rt + 1] = lo;
        }
        return 0;
      }
      case Op.addis: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, si = w << 16;
        if (ra === 0) { gpr[rt] = si >> 31; gpr[rt + 1] = si; }
        else {
          const aL = gpr[ra + 1], lo = (aL + si) | 0;
          gpr[rt] = (gpr[ra] + (si >> 31) + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0;
          gpr[rt + 1] = lo;
        }
        return 0;
      }
      case Op.add: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const aH = gpr[ra], aL = gpr[ra + 1], bH = gpr[rb], bL = gpr[rb + 1];
        const lo = (aL + bL) | 0, hi = (aH + bH + ((lo >>> 0) < (aL >>> 0) ? 1 : 0)) | 0;
        gpr[rt] = hi; gpr[rt + 1] = lo;
        if (w & 0x400) setOv(spr, sf ? ((aH ^ hi) & (bH ^ hi)) < 0 : ((aL ^ lo) & (bL ^ lo)) < 0);
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.subf: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const aH = gpr[ra], aL = gpr[ra + 1], bH = gpr[rb], bL = gpr[rb + 1];
        const lo = (bL - aL) | 0, hi = (bH - aH - ((bL >>> 0) < (aL >>> 0) ? 1 : 0)) | 0;
        gpr[rt] = hi; gpr[rt + 1] = lo;
        if (w & 0x400) setOv(spr, sf ? ((hi ^ bH) & (aH ^ bH)) < 0 : ((lo ^ bL) & (aL ^ bL)) < 0);
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.neg: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const aH = gpr[ra], aL = gpr[ra + 1];
        const lo = -aL | 0, hi = (~aH + (aL === 0 ? 1 : 0)) | 0;
        gpr[rt] = hi; gpr[rt + 1] = lo;
        if (w & 0x400) setOv(spr, sf ? (hi & aH) < 0 : (lo & aL) < 0);
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.addic: case Op.addic_: case Op.subfic: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, si = (w << 16) >> 16;
        const sub = id === Op.subfic;
        const aH = sub ? ~gpr[ra] : gpr[ra], aL = sub ? ~gpr[ra + 1] : gpr[ra + 1];
        add64(aH, aL, si >> 31, si, sub ? 1 : 0);
        const hi = R[0], lo = R[1];
        setCa(spr, sf ? R[2] : (hi ^ aH ^ (si >> 31)) & 1);
        gpr[rt] = hi; gpr[rt + 1] = lo;
        if (id === Op.addic_) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.addc: case Op.adde: case Op.subfc: case Op.subfe:
      case Op.addze: case Op.addme: case Op.subfze: case Op.subfme: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const sub = id === Op.subfc || id === Op.subfe || id === Op.subfze || id === Op.subfme;
        const aH = sub ? ~gpr[ra] : gpr[ra], aL = sub ? ~gpr[ra + 1] : gpr[ra + 1];
        let bH: number, bL: number;
        if (id === Op.addze || id === Op.subfze) { bH = 0; bL = 0; }
        else if (id === Op.addme || id === Op.subfme) { bH = -1; bL = -1; }
        else { bH = gpr[rb]; bL = gpr[rb + 1]; }
        const cin = id === Op.addc ? 0 : id === Op.subfc ? 1 : getCa(spr);
        add64(aH, aL, bH, bL, cin);
        const hi = R[0], lo = R[1];
        setCa(spr, sf ? R[2] : (hi ^ aH ^ bH) & 1);
        if (w & 0x400) {
          // QEMU: add forms ov = (res^b) & ~(a^b); subtract forms use the un-inverted RA:
          // ov = (res^b) & (ra^b); both are "operands agree in sign, result differs".
          setOv(spr, sf ? ((hi ^ bH) & ~(aH ^ bH)) < 0 : ((lo ^ bL) & ~(aL ^ bL)) < 0);
        }
        gpr[rt] = hi; gpr[rt + 1] = lo;
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.mulli: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, si = (w << 16) >> 16;
        mul64(gpr[ra], gpr[ra + 1], si >> 31, si);
        gpr[rt] = R[0]; gpr[rt + 1] = R[1];
        return 0;
      }
      case Op.mullw: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const a = gpr[ra + 1], b = gpr[rb + 1];
        const lo = Math.imul(a, b), hi = mulhs32(a, b);
        gpr[rt] = hi; gpr[rt + 1] = lo;
        if (w & 0x400) setOv(spr, hi !== lo >> 31);
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.mulld: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const aH = gpr[ra], aL = gpr[ra + 1], bH = gpr[rb], bL = gpr[rb + 1];
        if (w & 0x400) {
          mulhs64(aH, aL, bH, bL);
          const ph = R[0], pl = R[1];
          mul64(aH, aL, bH, bL);
          setOv(spr, ph !== R[0] >> 31 || pl !== R[0] >> 31);
        } else mul64(aH, aL, bH, bL);
        gpr[rt] = R[0]; gpr[rt + 1] = R[1];
        if (w & 1) cr0(crf, spr, R[0], R[1], sf);
        return 0;
      }
      case Op.cmpi: {
        const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, si = (w << 16) >> 16;
        if (w & 0x200000) cmpS(crf, spr, bf, gpr[ra], gpr[ra + 1], si >> 31, si);
        else cmpS(crf, spr, bf, gpr[ra + 1] >> 31, gpr[ra + 1], si >> 31, si);
        return 0;
      }
      case Op.cmpli: {
        const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, ui = w & 0xffff;
        if (w & 0x200000) cmpU(crf, spr, bf, gpr[ra], gpr[ra + 1], 0, ui);
        else cmpU(crf, spr, bf, 0, gpr[ra + 1], 0, ui);
        return 0;
      }
      case Op.cmp: {
        const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        if (w & 0x200000) cmpS(crf, spr, bf, gpr[ra], gpr[ra + 1], gpr[rb], gpr[rb + 1]);
        else cmpS(crf, spr, bf, gpr[ra + 1] >> 31, gpr[ra + 1], gpr[rb + 1] >> 31, gpr[rb + 1]);
        return 0;
      }
      case Op.cmpl: {
        const bf = (w >>> 23) & 7, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        if (w & 0x200000) cmpU(crf, spr, bf, gpr[ra], gpr[ra + 1], gpr[rb], gpr[rb + 1]);
        else cmpU(crf, spr, bf, 0, gpr[ra + 1], 0, gpr[rb + 1]);
        return 0;
      }
      case Op.and: case Op.andc: case Op.or: case Op.orc: case Op.xor: case Op.nand: case Op.nor: case Op.eqv: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const sH = gpr[rs], sL = gpr[rs + 1], bH = gpr[rb], bL = gpr[rb + 1];
        let hi: number, lo: number;
        switch (id) {
          case Op.and: hi = sH & bH; lo = sL & bL; break;
          case Op.andc: hi = sH & ~bH; lo = sL & ~bL; break;
          case Op.or:
            hi = sH | bH; lo = sL | bL;
            if (rs === ra && rs === rb && (w & 1) === 0 && rs !== 0) this.orHint(rs >> 1, pr);
            break;
          case Op.orc: hi = sH | ~bH; lo = sL | ~bL; break;
          case Op.xor: hi = sH ^ bH; lo = sL ^ bL; break;
          case Op.nand: hi = ~(sH & bH); lo = ~(sL & bL); break;
          case Op.nor: hi = ~(sH | bH); lo = ~(sL | bL); break;
          default: hi = ~(sH ^ bH); lo = ~(sL ^ bL); break;
        }
        gpr[ra] = hi; gpr[ra + 1] = lo;
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.ori: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] | (w & 0xffff);
        return 0;
      }
      case Op.oris: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] | (w << 16);
        return 0;
      }
      case Op.xori: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] ^ (w & 0xffff);
        return 0;
      }
      case Op.xoris: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        gpr[ra] = gpr[rs]; gpr[ra + 1] = gpr[rs + 1] ^ (w << 16);
        return 0;
      }
      case Op.andi_: case Op.andis_: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const lo = gpr[rs + 1] & (id === Op.andi_ ? w & 0xffff : w << 16);
        gpr[ra] = 0; gpr[ra + 1] = lo;
        cr0(crf, spr, 0, lo, sf);
        return 0;
      }
      case Op.extsb: case Op.extsh: case Op.extsw: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const v = gpr[rs + 1];
        const lo = id === Op.extsb ? (v << 24) >> 24 : id === Op.extsh ? (v << 16) >> 16 : v;
        gpr[ra] = lo >> 31; gpr[ra + 1] = lo;
        if (w & 1) cr0(crf, spr, lo >> 31, lo, sf);
        return 0;
      }
      case Op.cntlzw: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const n = Math.clz32(gpr[rs + 1]);
        gpr[ra] = 0; gpr[ra + 1] = n;
        if (w & 1) cr0(crf, spr, 0, n, sf);
        return 0;
      }
      case Op.cntlzd: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const n = cntlz64(gpr[rs], gpr[rs + 1]);
        gpr[ra] = 0; gpr[ra + 1] = n;
        if (w & 1) cr0(crf, spr, 0, n, sf);
        return 0;
      }
      case Op.isel: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62, bc = (w >>> 6) & 31;
        if (crBit(crf, bc)) {
          if (ra === 0) { gpr[rt] = 0; gpr[rt + 1] = 0; } else { gpr[rt] = gpr[ra]; gpr[rt + 1] = gpr[ra + 1]; }
        } else { gpr[rt] = gpr[rb]; gpr[rt + 1] = gpr[rb + 1]; }
        return 0;
      }
      // ---------------------------------------------------------------- rotate and shift
      case Op.rlwinm: case Op.rlwnm: case Op.rlwimi: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const mb = (w >>> 6) & 31, me = (w >>> 1) & 31;
        const n = id === Op.rlwnm ? gpr[((w >>> 10) & 62) + 1] & 31 : (w >>> 11) & 31;
        const v = gpr[rs + 1];
        const rot = n === 0 ? v : (v << n) | (v >>> (32 - n));
        const m = mask32(mb, me);
        let hi: number, lo: number;
        if (id === Op.rlwimi) {
          lo = (rot & m) | (gpr[ra + 1] & ~m);
          hi = mb > me ? rot : gpr[ra];
        } else {
          lo = rot & m;
          hi = mb > me ? rot : 0;
        }
        gpr[ra] = hi; gpr[ra + 1] = lo;
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.rldicl: case Op.rldicr: case Op.rldic: case Op.rldimi: case Op.rldcl: case Op.rldcr: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const m6 = ((w >>> 6) & 31) | (w & 0x20);
        let sh: number;
        if (id === Op.rldcl || id === Op.rldcr) sh = gpr[((w >>> 10) & 62) + 1] & 63;
        else sh = ((w >>> 11) & 31) | ((w << 4) & 0x20);
        switch (id) {
          case Op.rldicl: case Op.rldcl: mask64(m6, 63); break;
          case Op.rldicr: case Op.rldcr: mask64(0, m6); break;
          default: mask64(m6, 63 - sh); break;
        }
        const mH = R[0], mL = R[1];
        rotl64(gpr[rs], gpr[rs + 1], sh);
        let hi = R[0] & mH, lo = R[1] & mL;
        if (id === Op.rldimi) { hi |= gpr[ra] & ~mH; lo |= gpr[ra + 1] & ~mL; }
        gpr[ra] = hi; gpr[ra + 1] = lo;
        if (w & 1) cr0(crf, spr, hi, lo, sf);
        return 0;
      }
      case Op.slw: case Op.srw: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const n = gpr[rb + 1] & 63;
        const v = gpr[rs + 1];
        const lo = n & 32 ? 0 : id === Op.slw ? v << n : (v >>> n) | 0;
        gpr[ra] = 0; gpr[ra + 1] = lo;
        if (w & 1) cr0(crf, spr, 0, lo, sf);
        return 0;
      }
      case Op.sraw: case Op.srawi: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const v = gpr[rs + 1];
        let lo: number, ca: number;
        const n = id === Op.srawi ? (w >>> 11) & 31 : gpr[((w >>> 10) & 62) + 1] & 63;
        if (n & 32) { lo = v >> 31; ca = lo !== 0 ? 1 : 0; }
        else if (n === 0) { lo = v; ca = 0; }
        else { lo = v >> n; ca = v < 0 && (v << (32 - n)) !== 0 ? 1 : 0; }
        setCa(spr, ca);
        gpr[ra] = lo >> 31; gpr[ra + 1] = lo;
        if (w & 1) cr0(crf, spr, lo >> 31, lo, sf);
        return 0;
      }
      case Op.sld: case Op.srd: case Op.srad: case Op.sradi: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        if (id === Op.sradi) {
          sar64(gpr[rs], gpr[rs + 1], ((w >>> 11) & 31) | ((w << 4) & 0x20));
          setCa(spr, R[2]);
        } else {
          const n = gpr[((w >>> 10) & 62) + 1] & 127;
          if (id === Op.sld) shl64(gpr[rs], gpr[rs + 1], n);
          else if (id === Op.srd) shr64(gpr[rs], gpr[rs + 1], n);
          else { sar64(gpr[rs], gpr[rs + 1], n); setCa(spr, R[2]); }
        }
        gpr[ra] = R[0]; gpr[ra + 1] = R[1];
        if (w & 1) cr0(crf, spr, R[0], R[1], sf);
        return 0;
      }
      // ---------------------------------------------------------------- branches
      case Op.b: {
        const li = (w << 6) >> 6 & ~3;
        let tHi: number, tLo: number;
        if (w & 2) { tHi = li >> 31; tLo = li; }
        else { const s = (cia >>> 0) + li; tLo = s | 0; tHi = (pcHi + (s >= TWO32 ? 1 : s < 0 ? -1 : 0)) | 0; }
        if (!sf) tHi = 0;
        if (w & 1) { spr[LR_HI] = sf ? pcHi + ((cia >>> 0) + 4 >= TWO32 ? 1 : 0) | 0 : 0; spr[LR_LO] = (cia + 4) | 0; }
        spr[CFAR_HI] = pcHi; spr[CFAR_LO] = cia;
        st.nip[0] = tHi; st.nip[1] = tLo;
        return 2;
      }
      case Op.bc: case Op.bclr: case Op.bcctr: case Op.bctar: {
        const bo = (w >>> 21) & 31, bi = (w >>> 16) & 31;
        let tHi = 0, tLo = 0;
        if (id === Op.bclr) { tHi = spr[LR_HI]; tLo = spr[LR_LO] & ~3; }
        else if (id === Op.bcctr) { tHi = spr[CTR_HI]; tLo = spr[CTR_LO] & ~3; }
        else if (id === Op.bctar) { tHi = spr[2 * SPR_TAR]; tLo = spr[2 * SPR_TAR + 1] & ~3; }
        if (w & 1) { spr[LR_HI] = sf ? pcHi + ((cia >>> 0) + 4 >= TWO32 ? 1 : 0) | 0 : 0; spr[LR_LO] = (cia + 4) | 0; }
        let taken = true;
        if ((bo & 4) === 0) {
          const cH = spr[CTR_HI], cL = spr[CTR_LO];
          if (id === Op.bcctr) {
            // Book3S 2.x "test and decrement" form (QEMU): test CTR first, then decrement.
            const z = sf ? (cH | cL) === 0 : cL === 0;
            taken = (bo & 2) ? z : !z;
            spr[CTR_LO] = (cL - 1) | 0; spr[CTR_HI] = (cH - (cL === 0 ? 1 : 0)) | 0;
          } else {
            const nL = (cL - 1) | 0, nH = (cH - (cL === 0 ? 1 : 0)) | 0;
            spr[CTR_LO] = nL; spr[CTR_HI] = nH;
            const z = sf ? (nH | nL) === 0 : nL === 0;
            taken = (bo & 2) ? z : !z;
          }
        }
        if (taken && (bo & 0x10) === 0) {
          const bit = (crf[bi >> 2] >> (3 - (bi & 3))) & 1;
          taken = (bo & 8) ? bit !== 0 : bit === 0;
        }
        if (!taken) return 0;
        spr[CFAR_HI] = pcHi; spr[CFAR_LO] = cia;
        if (id === Op.bc) {
          const bd = (w << 16) >> 16 & ~3;
          if (w & 2) { tHi = bd >> 31; tLo = bd; }
          else { const s = (cia >>> 0) + bd; tLo = s | 0; tHi = (pcHi + (s >= TWO32 ? 1 : s < 0 ? -1 : 0)) | 0; }
        }
        if (!sf) tHi = 0;
        st.nip[0] = tHi; st.nip[1] = tLo;
        return 2;
      }
      // ---------------------------------------------------------------- loads
      case Op.lwz: {
        const rt = (w >>> 20) & 62;
        eaD(gpr, (w >>> 16) & 31, (w << 16) >> 16, sf);
        gpr[rt] = 0;
        gpr[rt + 1] = this.ld32();
        return 0;
      }
      case Op.lbz: case Op.lhz: case Op.lha: {
        const rt = (w >>> 20) & 62;
        eaD(gpr, (w >>> 16) & 31, (w << 16) >> 16, sf);
        const v = id === Op.lbz ? this.ld8() : id === Op.lhz ? this.ld16() : (this.ld16() << 16) >> 16;
        gpr[rt] = id === Op.lha ? v >> 31 : 0; gpr[rt + 1] = v;
        return 0;
      }
      case Op.lbzu: case Op.lhzu: case Op.lhau: case Op.lwzu: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31;
        if (ra === 0 || ra === rt) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaD(gpr, ra, (w << 16) >> 16, sf);
        const v = id === Op.lwzu ? this.ld32() : id === Op.lbzu ? this.ld8() : id === Op.lhzu ? this.ld16() : (this.ld16() << 16) >> 16;
        gpr[2 * rt] = id === Op.lhau ? v >> 31 : 0; gpr[2 * rt + 1] = v;
        gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1];
        return 0;
      }
      case Op.lbzx: case Op.lhzx: case Op.lhax: case Op.lwzx: case Op.lwax: case Op.lhbrx: case Op.lwbrx: {
        const rt = (w >>> 20) & 62;
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        let v: number, hi = 0;
        switch (id) {
          case Op.lbzx: v = this.ld8(); break;
          case Op.lhzx: v = this.ld16(); break;
          case Op.lhax: v = (this.ld16() << 16) >> 16; hi = v >> 31; break;
          case Op.lwzx: v = this.ld32(); break;
          case Op.lwax: v = this.ld32(); hi = v >> 31; break;
          case Op.lhbrx: v = this.ld16r(); break;
          default: v = this.ld32r(); break;
        }
        gpr[rt] = hi; gpr[rt + 1] = v;
        return 0;
      }
      case Op.lbzux: case Op.lhzux: case Op.lhaux: case Op.lwzux: case Op.lwaux: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31;
        if (ra === 0 || ra === rt) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaX(gpr, ra, (w >>> 11) & 31, sf);
        let v: number, hi = 0;
        switch (id) {
          case Op.lbzux: v = this.ld8(); break;
          case Op.lhzux: v = this.ld16(); break;
          case Op.lhaux: v = (this.ld16() << 16) >> 16; hi = v >> 31; break;
          case Op.lwzux: v = this.ld32(); break;
          default: v = this.ld32(); hi = v >> 31; break;
        }
        gpr[2 * rt] = hi; gpr[2 * rt + 1] = v;
        gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1];
        return 0;
      }
      case Op.ld: case Op.lwa: {
        const rt = (w >>> 20) & 62;
        eaD(gpr, (w >>> 16) & 31, (w << 16) >> 16 & ~3, sf);
        if (id === Op.ld) this.ld64(gpr, rt, false);
        else { const v = this.ld32(); gpr[rt] = v >> 31; gpr[rt + 1] = v; }
        return 0;
      }
      case Op.ldu: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31;
        if (ra === 0 || ra === rt) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaD(gpr, ra, (w << 16) >> 16 & ~3, sf);
        this.ld64(gpr, 2 * rt, false);
        gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1];
        return 0;
      }
      case Op.ldx: case Op.ldbrx: {
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        this.ld64(gpr, (w >>> 20) & 62, id === Op.ldbrx);
        return 0;
      }
      case Op.ldux: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31;
        if (ra === 0 || ra === rt) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaX(gpr, ra, (w >>> 11) & 31, sf);
        this.ld64(gpr, 2 * rt, false);
        gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1];
        return 0;
      }
      // ---------------------------------------------------------------- stores, cache hints, barriers
      case Op.stb: case Op.sth: case Op.stw: {
        const rs = (w >>> 20) & 62;
        eaD(gpr, (w >>> 16) & 31, (w << 16) >> 16, sf);
        if (id === Op.stw) this.st32(gpr[rs + 1], false);
        else if (id === Op.stb) this.st8(gpr[rs + 1] & 0xff);
        else this.st16(gpr[rs + 1], false);
        return 0;
      }
      case Op.stbu: case Op.sthu: case Op.stwu: {
        const rs = (w >>> 20) & 62, ra = (w >>> 16) & 31;
        if (ra === 0) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaD(gpr, ra, (w << 16) >> 16, sf);
        if (id === Op.stwu) this.st32(gpr[rs + 1], false);
        else if (id === Op.stbu) this.st8(gpr[rs + 1] & 0xff);
        else this.st16(gpr[rs + 1], false);
        gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1];
        return 0;
      }
      case Op.stbx: case Op.sthx: case Op.stwx: case Op.sthbrx: case Op.stwbrx: case Op.stdx: case Op.stdbrx: {
        const rs = (w >>> 20) & 62;
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        switch (id) {
          case Op.stbx: this.st8(gpr[rs + 1] & 0xff); break;
          case Op.sthx: this.st16(gpr[rs + 1], false); break;
          case Op.stwx: this.st32(gpr[rs + 1], false); break;
          case Op.sthbrx: this.st16(gpr[rs + 1], true); break;
          case Op.stwbrx: this.st32(gpr[rs + 1], true); break;
          case Op.stdx: this.st64(gpr[rs], gpr[rs + 1], false); break;
          default: this.st64(gpr[rs], gpr[rs + 1], true); break;
        }
        return 0;
      }
      case Op.stbux: case Op.sthux: case Op.stwux: case Op.stdux: {
        const rs = (w >>> 20) & 62, ra = (w >>> 16) & 31;
        if (ra === 0) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaX(gpr, ra, (w >>> 11) & 31, sf);
        if (id === Op.stbux) this.st8(gpr[rs + 1] & 0xff);
        else if (id === Op.sthux) this.st16(gpr[rs + 1], false);
        else if (id === Op.stwux) this.st32(gpr[rs + 1], false);
        else this.st64(gpr[rs], gpr[rs + 1], false);
        gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1];
        return 0;
      }
      case Op.std: case Op.stdu: {
        const rs = (w >>> 20) & 62, ra = (w >>> 16) & 31;
        if (id === Op.stdu && ra === 0) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaD(gpr, ra, (w << 16) >> 16 & ~3, sf);
        this.st64(gpr[rs], gpr[rs + 1], false);
        if (id === Op.stdu) { gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1]; }
        return 0;
      }
      case Op.dcbt: case Op.dcbtst: case Op.dcbf: case Op.dcbst: case Op.icbi:
      case Op.sync: case Op.eieio: case Op.isync:
        return 0;
      default:
        // the vector and decimal units skip cold()'s switch (hot in vector code)
        if (id >= Op.vec) return this.vector(id - Op.vec, w, pcHi, cia, sf);
        return this.cold(id, w, pcHi, cia, sf, pr, count);
    }
    } catch (e) {
      if (e !== MMU_FAULT) throw e;
      this.mmuFault(pcHi, cia);
      return 1;
    }
  }

  /**
   * Rarely executed instructions (and illegal encodings), kept out of execute() so that its hot
   * loop stays small. `count` is the instruction count to publish before calling the virtual
   * hypervisor. Returns 0 to go on with the next instruction, 1 to leave execute() (state.nip is
   * then set, by an interrupt or by the instruction).
   */
  private cold(id: number, w: number, pcHi: number, cia: number, sf: boolean, pr: boolean, count: number): number {
    const st = this.state;
    const gpr = st.gpr, crf = st.crf, spr = st.spr, msr = st.msr;
    const le = this.le;
    switch (id) {
      // ---------------------------------------------------------------- mul high, divide, popcnt, cmpb
      case Op.mulhw: case Op.mulhwu: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const a = gpr[ra + 1], b = gpr[rb + 1];
        const h = id === Op.mulhw ? mulhs32(a, b) : mulhu32(a, b);
        gpr[rt] = 0; gpr[rt + 1] = h;
        if (w & 1) cr0(crf, spr, 0, h, sf);
        return 0;
      }
      case Op.mulhd: case Op.mulhdu: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        if (id === Op.mulhd) mulhs64(gpr[ra], gpr[ra + 1], gpr[rb], gpr[rb + 1]);
        else mulhu64(gpr[ra], gpr[ra + 1], gpr[rb], gpr[rb + 1]);
        gpr[rt] = R[0]; gpr[rt + 1] = R[1];
        if (w & 1) cr0(crf, spr, R[0], R[1], sf);
        return 0;
      }
      case Op.divw: case Op.divwu: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const a = gpr[ra + 1], b = gpr[rb + 1];
        let q: number, bad: boolean;
        if (id === Op.divw) {
          bad = b === 0 || (a === (0x80000000 | 0) && b === -1);
          q = bad ? a : (a / b) | 0;
        } else {
          bad = b === 0;
          q = bad ? a : ((a >>> 0) / (b >>> 0)) | 0;
        }
        gpr[rt] = 0; gpr[rt + 1] = q;
        if (w & 0x400) setOv(spr, bad);
        if (w & 1) cr0(crf, spr, 0, q, sf);
        return 0;
      }
      case Op.divd: case Op.divdu: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const aH = gpr[ra], aL = gpr[ra + 1], bH = gpr[rb], bL = gpr[rb + 1];
        const zero = (bH | bL) === 0;
        const bad = id === Op.divd
          ? zero || (aH === (0x80000000 | 0) && aL === 0 && bH === -1 && bL === -1)
          : zero;
        if (bad) { R[0] = aH; R[1] = aL; }
        else if (id === Op.divd) divs64(aH, aL, bH, bL);
        else divu64(aH, aL, bH, bL);
        gpr[rt] = R[0]; gpr[rt + 1] = R[1];
        if (w & 0x400) setOv(spr, bad);
        if (w & 1) cr0(crf, spr, gpr[rt], gpr[rt + 1], sf);
        return 0;
      }
      case Op.cmpb: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        let h = 0, l = 0;
        for (let k = 0; k < 32; k += 8) {
          if (((gpr[rs] ^ gpr[rb]) >>> k & 0xff) === 0) h |= 0xff << k;
          if (((gpr[rs + 1] ^ gpr[rb + 1]) >>> k & 0xff) === 0) l |= 0xff << k;
        }
        gpr[ra] = h; gpr[ra + 1] = l;
        return 0;
      }
      case Op.popcntb: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        gpr[ra] = popcntb32(gpr[rs]); gpr[ra + 1] = popcntb32(gpr[rs + 1]);
        return 0;
      }
      case Op.popcntw: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        gpr[ra] = popcnt32(gpr[rs]); gpr[ra + 1] = popcnt32(gpr[rs + 1]);
        return 0;
      }
      case Op.popcntd: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const n = popcnt32(gpr[rs]) + popcnt32(gpr[rs + 1]);
        gpr[ra] = 0; gpr[ra + 1] = n;
        return 0;
      }
      // ---------------------------------------------------------------- condition register
      case Op.crand: case Op.crandc: case Op.creqv: case Op.crnand: case Op.crnor: case Op.cror:
      case Op.crorc: case Op.crxor: {
        const a = crBit(crf, (w >>> 16) & 31), b = crBit(crf, (w >>> 11) & 31);
        let v: number;
        switch (id) {
          case Op.crand: v = a & b; break;
          case Op.crandc: v = a & ~b; break;
          case Op.creqv: v = ~(a ^ b); break;
          case Op.crnand: v = ~(a & b); break;
          case Op.crnor: v = ~(a | b); break;
          case Op.cror: v = a | b; break;
          case Op.crorc: v = a | ~b; break;
          default: v = a ^ b; break;
        }
        setCrBit(crf, (w >>> 21) & 31, v);
        return 0;
      }
      case Op.mcrf:
        crf[(w >>> 23) & 7] = crf[(w >>> 18) & 7];
        return 0;
      case Op.mfcr: {
        const rt = (w >>> 20) & 62;
        gpr[rt] = 0; gpr[rt + 1] = st.getCr() | 0;
        return 0;
      }
      case Op.mfocrf: {
        const rt = (w >>> 20) & 62, fxm = (w >>> 12) & 0xff;
        if (fxm !== 0 && (fxm & (fxm - 1)) === 0) {
          const crn = 31 - Math.clz32(fxm);
          gpr[rt] = 0; gpr[rt + 1] = crf[7 - crn] << (crn * 4);
        }
        return 0;
      }
      case Op.mtcrf: case Op.mtocrf: {
        const rs = (w >>> 20) & 62, fxm = (w >>> 12) & 0xff, v = gpr[rs + 1];
        if (id === Op.mtocrf && (fxm === 0 || (fxm & (fxm - 1)) !== 0)) { return 0; }
        for (let crn = 0; crn < 8; crn++) if (fxm & (1 << crn)) crf[7 - crn] = (v >>> (crn * 4)) & 0xf;
        return 0;
      }
      // ---------------------------------------------------------------- load/store multiple, reservations, dcbz
      case Op.lmw: case Op.stmw: {
        const r0 = (w >>> 21) & 31;
        eaD(gpr, (w >>> 16) & 31, (w << 16) >> 16, sf);
        if (le) { this.alignment(w, pcHi, cia); return 1; }
        for (let r = r0; r < 32; r++) {
          if (id === Op.lmw) { gpr[2 * r] = 0; gpr[2 * r + 1] = this.ld32(); }
          else this.st32(gpr[2 * r + 1], false);
          const s = (EA[1] >>> 0) + 4;
          EA[1] = s | 0;
          if (s >= TWO32) EA[0] = sf ? (EA[0] + 1) | 0 : 0;
        }
        return 0;
      }
      case Op.lbarx: case Op.lharx: case Op.lwarx: case Op.ldarx: {
        const rt = (w >>> 20) & 62;
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        const size = id === Op.lbarx ? 1 : id === Op.lharx ? 2 : id === Op.lwarx ? 4 : 8;
        if (EA[1] & (size - 1)) { this.alignment(w, pcHi, cia); return 1; }
        if (size === 8) this.ld64(gpr, rt, false);
        else { gpr[rt] = 0; gpr[rt + 1] = size === 4 ? this.ld32() : size === 2 ? this.ld16() : this.ld8(); }
        st.reserveAddr[0] = EA[0]; st.reserveAddr[1] = EA[1];
        st.reserveVal[0] = gpr[rt]; st.reserveVal[1] = gpr[rt + 1];
        this.reserveQuad = false;
        return 0;
      }
      case Op.stbcx_: case Op.sthcx_: case Op.stwcx_: case Op.stdcx_: {
        const rs = (w >>> 20) & 62;
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        const so = spr[XER_LO] >>> 31;
        if (EA[0] !== st.reserveAddr[0] || EA[1] !== st.reserveAddr[1]) {
          crf[0] = so;
        } else {
          const size = id === Op.stbcx_ ? 1 : id === Op.sthcx_ ? 2 : id === Op.stwcx_ ? 4 : 8;
          if (EA[1] & (size - 1)) { this.alignment(w, pcHi, cia); return 1; }
          let curH = 0, curL: number;
          if (size === 8) { this.ld64(R, 0, false); curH = R[0]; curL = R[1]; }
          else curL = size === 4 ? this.ld32() : size === 2 ? this.ld16() : this.ld8();
          if (curH === st.reserveVal[0] && curL === st.reserveVal[1]) {
            if (size === 8) this.st64(gpr[rs], gpr[rs + 1], false);
            else if (size === 4) this.st32(gpr[rs + 1], false);
            else if (size === 2) this.st16(gpr[rs + 1], false);
            else this.st8(gpr[rs + 1] & 0xff);
            crf[0] = 2 | so;
          } else crf[0] = so;
        }
        st.reserveAddr[0] = -1; st.reserveAddr[1] = -1;
        return 0;
      }
      case Op.dcbz: {
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        EA[1] &= ~127;
        const a = this.dAddr(128, ACC_STORE);
        if (a >= 0) { this.ram.u8.fill(0, a, a + 128); this.touched(a, 128); }
        if (st.reserveAddr[0] === EA[0] && (st.reserveAddr[1] & ~127) === EA[1]) { st.reserveAddr[0] = -1; st.reserveAddr[1] = -1; }
        return 0;
      }
      // ---------------------------------------------------------------- traps, sc, privileged, SPRs
      case Op.tw: case Op.twi: case Op.td: case Op.tdi: {
        const to = (w >>> 21) & 31, ra = (w >>> 15) & 62;
        let bH: number, bL: number;
        if (id === Op.twi || id === Op.tdi) { bL = (w << 16) >> 16; bH = bL >> 31; }
        else { const rb = (w >>> 10) & 62; bH = gpr[rb]; bL = gpr[rb + 1]; }
        let trap: boolean;
        if (to === 0) trap = false;
        else if (to === 31) trap = true;
        else if (id === Op.tw || id === Op.twi) trap = trapCond(to, gpr[ra + 1] >> 31, gpr[ra + 1], bL >> 31, bL);
        else trap = trapCond(to, gpr[ra], gpr[ra + 1], bH, bL);
        if (trap) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_TRAP); return 1; }
        return 0;
      }
      case Op.sc: {
        const lev = (w >>> 5) & 0x7f;
        const nia = (cia + 4) | 0;
        const niaHi = sf ? (pcHi + ((cia >>> 0) + 4 >= TWO32 ? 1 : 0)) | 0 : 0;
        if (lev === 1) {
          st.nip[0] = niaHi; st.nip[1] = nia;
          if (pr) { gpr[6] = -1; gpr[7] = H_PRIVILEGE; }
          else { st.insnCount = count; this.hypercall(); }
          st.insnCount = count;
          return 1;
        }
        this.raise(EXCP_SYSCALL, niaHi, nia, 0);
        return 1;
      }
      case Op.mfmsr: {
        if (pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        const rt = (w >>> 20) & 62;
        gpr[rt] = msr[0]; gpr[rt + 1] = msr[1];
        return 0;
      }
      case Op.mtmsr: case Op.mtmsrd: {
        if (pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        const rs = (w >>> 20) & 62;
        const vH = gpr[rs], vL = gpr[rs + 1];
        let nH: number, nL: number;
        if (w & 0x10000) { // L=1: only EE and RI
          const m = MSR_EE_BIT | MSR_RI_BIT;
          nH = msr[0]; nL = (vL & m) | (msr[1] & ~m);
        } else if (id === Op.mtmsrd) { // not LE, ME, S (bit 22) or HV (bit 60)
          const mL = ~(MSR_LE_BIT | MSR_ME_BIT | MSR_S_BIT), mH = ~(1 << 28);
          nH = (vH & mH) | (msr[0] & ~mH); nL = (vL & mL) | (msr[1] & ~mL);
        } else { // mtmsr: low word only, not LE, ME or S
          const mL = ~(MSR_LE_BIT | MSR_ME_BIT | MSR_S_BIT);
          nH = msr[0]; nL = (vL & mL) | (msr[1] & ~mL);
        }
        this.storeMsr(nH, nL);
        const s = (cia >>> 0) + 4;
        const nsf = msr[0] < 0;
        st.nip[0] = nsf ? (pcHi + (s >= TWO32 ? 1 : 0)) | 0 : 0; st.nip[1] = s | 0;
        return 1;
      }
      case Op.rfid: {
        if (pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        spr[CFAR_HI] = pcHi; spr[CFAR_LO] = cia;
        this.storeMsr(spr[2 * SPR_SRR1], spr[2 * SPR_SRR1 + 1]);
        st.nip[0] = msr[0] < 0 ? spr[2 * SPR_SRR0] : 0;
        st.nip[1] = spr[2 * SPR_SRR0 + 1] & ~3;
        st.reserveAddr[0] = -1; st.reserveAddr[1] = -1;
        return 1;
      }
      case Op.hvpriv:
        // hypervisor-privileged: a pseries guest is never in hypervisor state
        this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1;
      case Op.tlbiel:
        if (pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        return this.mmuChanged(pcHi, cia, sf);
      case Op.mfspr: case Op.mftb: {
        const n = ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
        st.insnCount = count;
        if (!this.readSpr(n, (w >>> 21) & 31, pr, pcHi, cia)) { return 1; }
        return 0;
      }
      case Op.mtspr: {
        const n = ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
        st.insnCount = count;
        if (!this.writeSpr(n, (w >>> 21) & 31, pr, pcHi, cia)) { return 1; }
        if (n === SPR_DECR) { st.nip[0] = pcHi; st.nip[1] = (cia + 4) | 0; return 1; }
        if (n === SPR_AMR || n === SPR_UAMR || n === SPR_IAMR || n === SPR_LPCR) return this.mmuChanged(pcHi, cia, sf);
        return 0;
      }
      case Op.slbmte: case Op.slbie: case Op.slbia: case Op.slbmfee: case Op.slbmfev: {
        if (pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        const rt = (w >>> 20) & 62, rb = (w >>> 10) & 62;
        const slb = st.slb;
        if (id === Op.slbmte || id === Op.slbmfee || id === Op.slbmfev) {
          if (!this.slbSlotOk(gpr[rb + 1])
            || (id === Op.slbmte && !slbEntryOk(gpr[rb + 1], gpr[rt], gpr[rt + 1]))) {
            this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1;
          }
          const e = 4 * (gpr[rb + 1] & 0xfff);
          if (id === Op.slbmte) {
            slb[e] = gpr[rb]; slb[e + 1] = gpr[rb + 1] & ~0xfff; slb[e + 2] = gpr[rt]; slb[e + 3] = gpr[rt + 1];
          } else if (id === Op.slbmfee) { gpr[rt] = slb[e]; gpr[rt + 1] = slb[e + 1]; return 0; }
          else { gpr[rt] = slb[e + 2]; gpr[rt + 1] = slb[e + 3]; return 0; }
        } else if (id === Op.slbie) this.slbInvalidate(gpr[rb], gpr[rb + 1]);
        else for (let i = 1; i < 32; i++) slb[4 * i + 1] &= ~0x08000000;
        return this.mmuChanged(pcHi, cia, sf);
      }
      case Op.slbfee_: {
        // QEMU: RT = the VSID word of the SLB entry translating RB, CR0 = SO | EQ; none: RT = 0, CR0 = SO
        if (pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        const rt = (w >>> 20) & 62, rb = (w >>> 10) & 62;
        const n = this.mmu.slbLookup(gpr[rb], gpr[rb + 1]);
        const so = spr[XER_LO] >>> 31;
        if (n < 0) { gpr[rt] = 0; gpr[rt + 1] = 0; crf[0] = so; }
        else { gpr[rt] = st.slb[4 * n + 2]; gpr[rt + 1] = st.slb[4 * n + 3]; crf[0] = so | 2; }
        return 0;
      }
      // ---------------------------------------------------------------- Book I additions
      case Op.prtyw: case Op.prtyd: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const h = gpr[rs], l = gpr[rs + 1];
        const ph = (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 1, pl = (l ^ (l >>> 8) ^ (l >>> 16) ^ (l >>> 24)) & 1;
        if (id === Op.prtyw) { gpr[ra] = ph; gpr[ra + 1] = pl; } else { gpr[ra] = 0; gpr[ra + 1] = ph ^ pl; }
        return 0;
      }
      case Op.bpermd: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        let r = 0;
        for (let i = 0; i < 8; i++) {
          const ix = (i < 4 ? gpr[rs] >>> (24 - 8 * i) : gpr[rs + 1] >>> (56 - 8 * i)) & 0xff;
          let bit = 0;
          if (ix < 64) bit = ix < 32 ? (gpr[rb] >>> (31 - ix)) & 1 : (gpr[rb + 1] >>> (63 - ix)) & 1;
          r |= bit << (7 - i);
        }
        gpr[ra] = 0; gpr[ra + 1] = r;
        return 0;
      }
      case Op.cdtbcd: case Op.cbcdtd: {
        const rs = (w >>> 20) & 62, ra = (w >>> 15) & 62;
        const f = id === Op.cdtbcd ? dpdToBcd20 : bcdToDpd24;
        gpr[ra] = f(gpr[rs]); gpr[ra + 1] = f(gpr[rs + 1]);
        return 0;
      }
      case Op.addg6s: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        const a = st.getGpr(ra >> 1), b = st.getGpr(rb >> 1);
        const c = a ^ b ^ (a + b);
        let r = 0n;
        for (let i = 0n; i < 16n; i++) if (((c >> (4n * i + 4n)) & 1n) === 0n) r |= 6n << (4n * i);
        st.setGpr(rt >> 1, r);
        return 0;
      }
      case Op.divwe: case Op.divweu: case Op.divde: case Op.divdeu: {
        const rt = (w >>> 20) & 62, ra = (w >>> 15) & 62, rb = (w >>> 10) & 62;
        let q = 0n, ov: boolean;
        if (id === Op.divwe || id === Op.divweu) {
          const a = BigInt(gpr[ra + 1] >>> 0) << 32n;
          if (id === Op.divweu) {
            const b = BigInt(gpr[rb + 1] >>> 0);
            ov = b === 0n || a / b > 0xffffffffn;
            if (!ov) q = a / b;
          } else {
            const b = BigInt(gpr[rb + 1]), sa = BigInt.asIntN(64, a);
            ov = b === 0n || (b === -1n && sa === -(1n << 63n));
            if (!ov) { q = sa / b; ov = q !== BigInt.asIntN(32, q); }
          }
        } else {
          const a = st.getGpr(ra >> 1), b = st.getGpr(rb >> 1);
          if (id === Op.divdeu) {
            ov = b === 0n || a >= b;
            if (!ov) q = (a << 64n) / b;
          } else {
            // QEMU 7.2 (divs128): the magnitude of the quotient must fit in 64 bits; the result is
            // its low 64 bits with the sign applied
            const sa = BigInt.asIntN(64, a), sb = BigInt.asIntN(64, b);
            ov = sb === 0n;
            if (!ov) {
              const mq = ((sa < 0n ? -sa : sa) << 64n) / (sb < 0n ? -sb : sb);
              ov = mq >> 64n !== 0n;
              q = BigInt.asUintN(64, (sa < 0n) !== (sb < 0n) ? -mq : mq);
            }
          }
        }
        if (ov) q = 0n;
        st.setGpr(rt >> 1, q);
        if (w & 0x400) setOv(spr, ov);
        if (w & 1) cr0(crf, spr, gpr[rt], gpr[rt + 1], sf);
        return 0;
      }
      case Op.lswi: case Op.lswx: case Op.stswi: case Op.stswx: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31, rb = (w >>> 11) & 31;
        if (le) { this.alignment(w, pcHi, cia); return 1; }
        let nb: number;
        if (id === Op.lswi || id === Op.stswi) {
          nb = rb === 0 ? 32 : rb;
          if (ra === 0) { EA[0] = 0; EA[1] = 0; } else { EA[0] = sf ? gpr[2 * ra] : 0; EA[1] = gpr[2 * ra + 1]; }
          if (id === Op.lswi && lswInRange(rt, (nb + 3) >> 2, ra)) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        } else {
          nb = spr[XER_LO] & 0x7f;
          eaX(gpr, ra, rb, sf);
          if (nb === 0) return 0;
          if (id === Op.lswx && ((ra !== 0 && lswInRange(rt, (nb + 3) >> 2, ra)) || lswInRange(rt, (nb + 3) >> 2, rb))) {
            this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1;
          }
        }
        const load = id === Op.lswi || id === Op.lswx;
        let r = rt;
        const step = (n: number) => {
          const s2 = (EA[1] >>> 0) + n;
          EA[1] = s2 | 0;
          if (s2 >= TWO32) EA[0] = sf ? (EA[0] + 1) | 0 : 0;
        };
        for (; nb > 3; nb -= 4) {
          if (load) { gpr[2 * r] = 0; gpr[2 * r + 1] = this.ld32(); } else this.st32(gpr[2 * r + 1], false);
          r = (r + 1) & 31;
          step(4);
        }
        if (nb > 0) {
          if (load) { gpr[2 * r] = 0; gpr[2 * r + 1] = 0; }
          for (let sh = 24; nb > 0; nb--, sh -= 8) {
            if (load) gpr[2 * r + 1] |= this.ld8() << sh;
            else this.st8((gpr[2 * r + 1] >>> sh) & 0xff);
            step(1);
          }
        }
        return 0;
      }
      case Op.lqarx: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31, rb = (w >>> 11) & 31;
        if ((rt & 1) || rt === ra || rt === rb) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaX(gpr, ra, rb, sf);
        if (EA[1] & 15) { this.alignment(w, pcHi, cia); return 1; }
        const eaH = EA[0], eaL = EA[1];
        this.ld64(R, 0, false);
        const h = R[0], l = R[1];
        EA[1] = eaL + 8;
        this.ld64(R, 0, false);
        // the doubleword at the lower address is the high part in BE, the low part (RT+1) in LE
        const first = le ? 2 * rt + 2 : 2 * rt, second = le ? 2 * rt : 2 * rt + 2;
        gpr[first] = h; gpr[first + 1] = l; gpr[second] = R[0]; gpr[second + 1] = R[1];
        st.reserveAddr[0] = eaH; st.reserveAddr[1] = eaL;
        st.reserveVal[0] = h; st.reserveVal[1] = l; st.reserveVal[2] = R[0]; st.reserveVal[3] = R[1];
        this.reserveQuad = true;
        return 0;
      }
      case Op.stqcx_: {
        const rs = (w >>> 21) & 31;
        if (rs & 1) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        const so = spr[XER_LO] >>> 31;
        if (EA[0] !== st.reserveAddr[0] || EA[1] !== st.reserveAddr[1] || !this.reserveQuad) crf[0] = so;
        else {
          if (EA[1] & 15) { this.alignment(w, pcHi, cia); return 1; }
          const eaL = EA[1];
          this.ld64(R, 0, false);
          const h = R[0], l = R[1];
          EA[1] = eaL + 8;
          this.ld64(R, 0, false);
          const rv = st.reserveVal;
          if (h === rv[0] && l === rv[1] && R[0] === rv[2] && R[1] === rv[3]) {
            const first = le ? 2 * rs + 2 : 2 * rs, second = le ? 2 * rs : 2 * rs + 2;
            EA[1] = eaL;
            this.st64(gpr[first], gpr[first + 1], false);
            EA[1] = eaL + 8;
            this.st64(gpr[second], gpr[second + 1], false);
            crf[0] = 2 | so;
          } else crf[0] = so;
        }
        st.reserveAddr[0] = -1; st.reserveAddr[1] = -1;
        this.reserveQuad = false;
        return 0;
      }
      case Op.lq: case Op.stq: {
        const rt = (w >>> 21) & 31, ra = (w >>> 16) & 31;
        if (id === Op.lq) {
          if ((rt & 1) || rt === ra) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
          eaD(gpr, ra, (w << 16) >> 16 & ~15, sf);
        } else {
          if (rt & 1) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
          eaD(gpr, ra, (w << 16) >> 16 & ~3, sf);
        }
        const first = le ? 2 * rt + 2 : 2 * rt, second = le ? 2 * rt : 2 * rt + 2;
        if (id === Op.lq) {
          this.ld64(R, 0, false);
          const h = R[0], l = R[1];
          const s2 = (EA[1] >>> 0) + 8; EA[1] = s2 | 0; if (s2 >= TWO32) EA[0] = sf ? (EA[0] + 1) | 0 : 0;
          this.ld64(R, 0, false);
          gpr[first] = h; gpr[first + 1] = l; gpr[second] = R[0]; gpr[second + 1] = R[1];
        } else {
          this.st64(gpr[first], gpr[first + 1], false);
          const s2 = (EA[1] >>> 0) + 8; EA[1] = s2 | 0; if (s2 >= TWO32) EA[0] = sf ? (EA[0] + 1) | 0 : 0;
          this.st64(gpr[second], gpr[second + 1], false);
        }
        return 0;
      }
      // ---------------------------------------------------------------- FP and other facilities
      case Op.lfs: case Op.lfsu: case Op.lfd: case Op.lfdu: case Op.stfs: case Op.stfsu: case Op.stfd: case Op.stfdu:
      case Op.lfsx: case Op.lfsux: case Op.lfdx: case Op.lfdux: case Op.stfsx: case Op.stfsux: case Op.stfdx: case Op.stfdux: {
        if ((msr[1] & MSR_FP_BIT) === 0) { this.raise(EXCP_FPU, pcHi, cia, 0); return 1; }
        const fr = (w >>> 21) & 31, ra = (w >>> 16) & 31;
        const upd = id === Op.lfsu || id === Op.lfdu || id === Op.stfsu || id === Op.stfdu
          || id === Op.lfsux || id === Op.lfdux || id === Op.stfsux || id === Op.stfdux;
        if (upd && ra === 0) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL); return 1; }
        const xform = id === Op.lfsx || id === Op.lfsux || id === Op.lfdx || id === Op.lfdux
          || id === Op.stfsx || id === Op.stfsux || id === Op.stfdx || id === Op.stfdux;
        if (xform) eaX(gpr, ra, (w >>> 11) & 31, sf);
        else eaD(gpr, ra, (w << 16) >> 16, sf);
        const vsr = st.vsr, f = 4 * fr;
        switch (id) {
          case Op.lfs: case Op.lfsu: case Op.lfsx: case Op.lfsux:
            toDouble(this.ld32()); vsr[f] = R[0]; vsr[f + 1] = R[1]; vsr[f + 2] = 0; vsr[f + 3] = 0; break;
          case Op.lfd: case Op.lfdu: case Op.lfdx: case Op.lfdux:
            this.ld64(R, 0, false); vsr[f] = R[0]; vsr[f + 1] = R[1]; vsr[f + 2] = 0; vsr[f + 3] = 0; break;
          case Op.stfs: case Op.stfsu: case Op.stfsx: case Op.stfsux:
            this.st32(toSingle(vsr[f], vsr[f + 1]), false); break;
          default:
            this.st64(vsr[f], vsr[f + 1], false); break;
        }
        if (upd) { gpr[2 * ra] = EA[0]; gpr[2 * ra + 1] = EA[1]; }
        return 0;
      }
      case Op.lfiwax: case Op.lfiwzx: case Op.stfiwx: {
        if ((msr[1] & MSR_FP_BIT) === 0) { this.raise(EXCP_FPU, pcHi, cia, 0); return 1; }
        const f = 4 * ((w >>> 21) & 31), vsr = st.vsr;
        eaX(gpr, (w >>> 16) & 31, (w >>> 11) & 31, sf);
        if (id === Op.stfiwx) this.st32(vsr[f + 1], false);
        else { const v = this.ld32(); vsr[f] = id === Op.lfiwax ? v >> 31 : 0; vsr[f + 1] = v; vsr[f + 2] = 0; vsr[f + 3] = 0; }
        return 0;
      }
      case Op.fmrgew: case Op.fmrgow: {
        if ((msr[1] & MSR_FP_BIT) === 0) { this.raise(EXCP_FPU, pcHi, cia, 0); return 1; }
        const vsr = st.vsr, t = 4 * ((w >>> 21) & 31), a = 4 * ((w >>> 16) & 31), b = 4 * ((w >>> 11) & 31);
        const k = id === Op.fmrgew ? 0 : 1;
        const hi = vsr[a + k], lo = vsr[b + k];
        vsr[t] = hi; vsr[t + 1] = lo; vsr[t + 2] = 0; vsr[t + 3] = 0;
        return 0;
      }
      case Op.fmr: case Op.mffs: case Op.mtfsf: {
        if ((msr[1] & MSR_FP_BIT) === 0) { this.raise(EXCP_FPU, pcHi, cia, 0); return 1; }
        const vsr = st.vsr, t = 4 * ((w >>> 21) & 31), b = 4 * ((w >>> 11) & 31);
        const fpscr = st.fpscr;
        if (id === Op.fmr) { vsr[t] = vsr[b]; vsr[t + 1] = vsr[b + 1]; vsr[t + 2] = 0; vsr[t + 3] = 0; }
        else if (id === Op.mffs) { vsr[t] = fpscr[0]; vsr[t + 1] = fpscr[1]; vsr[t + 2] = 0; vsr[t + 3] = 0; }
        else {
          // mtfsf FLM,FRB (W=0): the selected nibbles of the low word; FEX and VX are recomputed
          const flm = (w >>> 17) & 0xff;
          let m = 0;
          for (let k = 0; k < 8; k++) if (flm & (1 << k)) m |= 0xf << (4 * k);
          if (w & (1 << 25)) m = -1; // L=1: all fields
          if (this.storeFpscr((fpscr[1] & ~m) | (vsr[b + 1] & m), pcHi, cia, w)) return 1;
        }
        if (w & 1) crf[1] = (fpscr[1] >>> 28) & 0xf;
        return 0;
      }
      case Op.fadd: case Op.fsub: case Op.fmul: case Op.fdiv: case Op.fsqrt: case Op.fre: case Op.frsqrte:
      case Op.fadds: case Op.fsubs: case Op.fmuls: case Op.fdivs: case Op.fsqrts: case Op.fres: case Op.frsqrtes:
      case Op.fmadd: case Op.fmsub: case Op.fnmadd: case Op.fnmsub:
      case Op.fmadds: case Op.fmsubs: case Op.fnmadds: case Op.fnmsubs:
      case Op.fsel: case Op.fcmpu: case Op.fcmpo: case Op.fneg: case Op.fabs: case Op.fnabs: case Op.fcpsgn:
      case Op.frin: case Op.friz: case Op.frip: case Op.frim: case Op.frsp:
      case Op.fctiw: case Op.fctiwz: case Op.fctiwu: case Op.fctiwuz:
      case Op.fctid: case Op.fctidz: case Op.fctidu: case Op.fctiduz:
      case Op.fcfid: case Op.fcfidu: case Op.fcfids: case Op.fcfidus:
      case Op.mtfsb0: case Op.mtfsb1: case Op.mtfsfi: case Op.mcrfs: case Op.ftdiv: case Op.ftsqrt: {
        if ((msr[1] & MSR_FP_BIT) === 0) { this.raise(EXCP_FPU, pcHi, cia, 0); return 1; }
        return this.fpOp(id, w, pcHi, cia);
      }
      case Op.unimpl_fp: {
        this.raise(msr[1] & MSR_FP_BIT ? EXCP_PROGRAM : EXCP_FPU, pcHi, cia, msr[1] & MSR_FP_BIT ? SRR1_ILLEGAL : 0);
        return 1;
      }
      // data stream touch/stop: no-ops without a facility check; dst/dstst need RA != 0
      // transactional memory as QEMU 7.2's TCG: facility unavailable (FSCR[IC] = TM) unless
      // MSR[TM]; tbegin. always fails ("nesting overflow", persistent), so nothing is ever
      // transactional and the others only set CR0 (tcheck: CR[BF] = TDOOMED)
      case Op.treclaim_: case Op.trechkpt_:
      case Op.tbegin_: case Op.tend_: case Op.tabortwc_: case Op.tabortdc_: case Op.tabortwci_:
      case Op.tabortdci_: case Op.tabort_: case Op.tcheck: case Op.tsr_: {
        if ((id === Op.treclaim_ || id === Op.trechkpt_) && pr) { this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_PRIV); return 1; }
        if (!this.facilityOk(Acc.TM, pr, pcHi, cia)) return 1;
        if (id === Op.tbegin_) {
          const prBit = (msr[1] & MSR_PR_BIT) !== 0 ? 1 : 0;
          // TEXASR: failure persistent, nesting overflow, PR, failure summary, TFIAR exact
          spr[2 * SPR_TEXASR] = 0x01400000; spr[2 * SPR_TEXASR + 1] = 0x0c000000 | (prBit << 28);
          spr[2 * SPR_TFIAR] = pcHi; spr[2 * SPR_TFIAR + 1] = cia | prBit;
          const next = (cia >>> 0) + 4;
          spr[2 * SPR_TFHAR] = next >= TWO32 ? (pcHi + 1) | 0 : pcHi; spr[2 * SPR_TFHAR + 1] = next | 0;
          crf[0] = 0xb; // 0b1011: failure (QEMU sets SO too)
        } else if (id === Op.tcheck) crf[(w >>> 23) & 7] = 0x8;
        else crf[0] = 0;
        return 0;
      }
      case Op.dss: case Op.dssall:
        return 0;
      case Op.dst: case Op.dstt: case Op.dstst: case Op.dststt:
        if (((w >>> 16) & 31) !== 0) return 0;
        this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL);
        return 1;
      case Op.unimpl_vmx: {
        this.raise(msr[1] & MSR_VEC_BIT ? EXCP_PROGRAM : EXCP_VPU, pcHi, cia, msr[1] & MSR_VEC_BIT ? SRR1_ILLEGAL : 0);
        return 1;
      }
      case Op.unimpl_vsx: {
        this.raise(msr[1] & MSR_VSX_BIT ? EXCP_PROGRAM : EXCP_VSXU, pcHi, cia, msr[1] & MSR_VSX_BIT ? SRR1_ILLEGAL : 0);
        return 1;
      }

      default: { // the vector units, Op.invalid and anything without a handler
        if (id >= Op.vec) return this.vector(id - Op.vec, w, pcHi, cia, sf);
        this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_ILLEGAL);
        return 1;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // The vector units (vec.ts): facility check, then the row's implementation.

  private vecCtx: { pcHi: number; cia: number; sf: boolean; raised: boolean } = { pcHi: 0, cia: 0, sf: true, raised: false };
  private vecHost: VecCpu | null = null;

  private vector(k: number, w: number, pcHi: number, cia: number, sf: boolean): number {
    const msrLo = this.state.msr[1], kind = VEC_KIND[k];
    if (kind === VEC_FP) {
      if ((msrLo & MSR_FP_BIT) === 0) { this.raise(EXCP_FPU, pcHi, cia, 0); return 1; }
    } else if (kind === VEC_VSX ? (msrLo & MSR_VSX_BIT) === 0 : kind === VEC_VMX ? (msrLo & MSR_VEC_BIT) === 0
      : (w & 1) === 0 ? (msrLo & MSR_FP_BIT) === 0 : (msrLo & MSR_VEC_BIT) === 0) {
      this.raise(kind === VEC_VSX ? EXCP_VSXU : kind === VEC_VMX || (w & 1) !== 0 ? EXCP_VPU : EXCP_FPU, pcHi, cia, 0);
      return 1;
    }
    const x = this.vecCtx;
    x.pcHi = pcHi; x.cia = cia; x.sf = sf; x.raised = false;
    VEC_FN[k](this.vecHost ??= this.makeVecHost(), w);
    return x.raised ? 1 : 0;
  }

  private makeVecHost(): VecCpu {
    const cpu = this, x = this.vecCtx, gpr = this.state.gpr;
    return {
      state: this.state,
      get le() { return cpu.le; },
      ea: EA,
      eaX: (ra, rb) => eaX(gpr, ra, rb, x.sf),
      ld8: () => cpu.ld8(),
      ld16: () => cpu.ld16(),
      ld32: () => cpu.ld32(),
      ld64: (dst, i, rev) => cpu.ld64(dst, i, rev),
      st8: (v) => cpu.st8(v),
      st16: (v, rev) => cpu.st16(v, rev),
      st32: (v, rev) => cpu.st32(v, rev),
      st64: (hi, lo, rev) => cpu.st64(hi, lo, rev),
      singleToDouble: (a, dst, i) => { toDouble(a); dst[i] = R[0]; dst[i + 1] = R[1]; },
      doubleToSingle: (hi, lo) => toSingle(hi, lo),
      raise: (vector, srr1) => { x.raised = true; cpu.raise(vector, x.pcHi, x.cia, srr1); },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Floating point (QEMU 7.2 target/ppc/fpu_helper.c and translate/fp-impl.c.inc): the value
  // comes from fpu.ts, the FPSCR bits are set here in QEMU's order.

  private fpr(n: number): bigint {
    const v = this.state.vsr;
    return (BigInt(v[4 * n] >>> 0) << 32n) | BigInt(v[4 * n + 1] >>> 0);
  }

  private setFpr(n: number, x: bigint): void {
    const v = this.state.vsr;
    v[4 * n] = Number(x >> 32n) | 0;
    v[4 * n + 1] = Number(x & 0xffffffffn) | 0;
    v[4 * n + 2] = 0; v[4 * n + 3] = 0; // doubleword 1 of the VSR: 0, as QEMU's set_fpr
  }

  /** Floating-point enabled program interrupt, when MSR[FE0]/[FE1] allow it. Returns true if raised. */
  private fpTrap(pcHi: number, cia: number): boolean {
    if ((this.state.msr[1] & (MSR_FE0_BIT | MSR_FE1_BIT)) === 0) return false;
    this.raise(EXCP_PROGRAM, pcHi, cia, SRR1_FP);
    return true;
  }

  /** finish_invalid_op_excp: VX, FX, and FEX (an immediate interrupt) when VE. */
  private fpFinishInvalid(): boolean {
    const f = this.state.fpscr;
    f[1] |= FP_VX | FP_FX;
    if (f[1] & FP_VE) { f[1] |= FP_FEX; return true; }
    return false;
  }

  /** An invalid-operation exception of kind `bit` (one of FP_VX*); true if an interrupt is due now. */
  private fpInvalid(bit: number, setFpcc: boolean): boolean {
    const f = this.state.fpscr;
    f[1] |= bit;
    if (bit === FP_VXSNAN) return this.fpFinishInvalid();
    if (bit === FP_VXVC) {
      if (setFpcc) f[1] = (f[1] & ~0xf000) | 0x11000;
      f[1] |= FP_VX | FP_FX;
      if (f[1] & FP_VE) { f[1] |= FP_FEX; this.fpDeferred = true; }
      return false;
    }
    f[1] &= ~(FP_FR | FP_FI);
    if ((f[1] & FP_VE) === 0 && setFpcc) f[1] = (f[1] & ~0xf000) | 0x11000;
    return this.fpFinishInvalid();
  }

  private fpZeroDivide(): boolean {
    const f = this.state.fpscr;
    f[1] = (f[1] | FP_ZX | FP_FX) & ~(FP_FR | FP_FI);
    if (f[1] & FP_ZE) { f[1] |= FP_FEX; return true; }
    return false;
  }

  /** Invalid-operation bits for softfloat's flags (float_invalid_op_* of each helper). */
  private fpInvalidFlags(fl: number, kind: 'addsub' | 'mul' | 'div' | 'madd' | 'sqrt' | 'snan' | 'cvt'): boolean {
    if ((fl & fpu.FL_INVALID) === 0) return false;
    switch (kind) {
      case 'addsub':
        if (fl & fpu.FL_INV_ISI) return this.fpInvalid(FP_VXISI, true);
        return fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false;
      case 'mul':
        if (fl & fpu.FL_INV_IMZ) return this.fpInvalid(FP_VXIMZ, true);
        return fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false;
      case 'div':
        if (fl & fpu.FL_INV_IDI) return this.fpInvalid(FP_VXIDI, true);
        if (fl & fpu.FL_INV_ZDZ) return this.fpInvalid(FP_VXZDZ, true);
        return fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false;
      case 'madd':
        if (fl & fpu.FL_INV_IMZ) return this.fpInvalid(FP_VXIMZ, true);
        if (fl & fpu.FL_INV_ISI) return this.fpInvalid(FP_VXISI, true);
        return fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false;
      case 'sqrt':
        if (fl & fpu.FL_INV_SQRT) return this.fpInvalid(FP_VXSQRT, true);
        return fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false;
      case 'cvt':
      {
        const cv = (fl & fpu.FL_INV_CVTI) !== 0 && this.fpInvalid(FP_VXCVI, true);
        return (fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false) || cv;
      }
      default:
        return fl & fpu.FL_INV_SNAN ? this.fpInvalid(FP_VXSNAN, false) : false;
    }
  }

  /** The reservation was made by lqarx (stqcx. needs a quadword one). */
  private reserveQuad = false;

  /** Deferred enabled exception (after the target register update), from do_float_check_status. */
  private fpDeferred = false;

  /** do_float_check_status: OX/UX/XX and FI from the flags; true if an interrupt was raised. */
  private fpCheckStatus(fl: number, pcHi: number, cia: number): boolean {
    const f = this.state.fpscr;
    if (fl & fpu.FL_OVERFLOW) {
      f[1] |= FP_OX | FP_FX;
      if (f[1] & FP_OE) { f[1] |= FP_FEX; this.fpDeferred = true; } else f[1] |= FP_XX | FP_FI;
    } else if (fl & fpu.FL_UNDERFLOW) {
      f[1] |= FP_UX | FP_FX;
      if (f[1] & FP_UE) { f[1] |= FP_FEX; this.fpDeferred = true; }
    }
    if (fl & fpu.FL_INEXACT) {
      f[1] |= FP_FI | FP_XX | FP_FX;
      if (f[1] & FP_XE) { f[1] |= FP_FEX; this.fpDeferred = true; }
    }
    if ((fl & fpu.FL_INEXACT) === 0) f[1] &= ~FP_FI;
    if (this.fpDeferred) { this.fpDeferred = false; return this.fpTrap(pcHi, cia); }
    return false;
  }

  /** ppc_store_fpscr: write FPSCR (low word) recomputing VX and FEX; a newly enabled exception interrupts. */
  private storeFpscr(v: number, pcHi: number, cia: number, w: number): boolean {
    const f = this.state.fpscr;
    v = (v & ~(FP_VX | FP_FEX | 0x800)) | (f[1] & (FP_VX | FP_FEX));
    if (v & FP_IX) v |= FP_VX; else v &= ~FP_VX;
    const fex = ((v >>> 25) & (v >>> 3) & 0x1f) !== 0;
    v = fex ? v | FP_FEX : v & ~FP_FEX;
    f[1] = v;
    if (w & 1) this.state.crf[1] = (v >>> 28) & 0xf;
    return fex && this.fpTrap(pcHi, cia);
  }

  /**
   * Fast path with JavaScript doubles for the common case: round-to-nearest, no exception
   * enabled, finite operands of moderate magnitude and a normal result, where the only FPSCR
   * effects are FPRF and XX/FI/FX from inexactness (found exactly with error-free transforms).
   * Returns false to take the general path (fpu.ts), which gives the same result in these cases.
   */
  private fpFast(id: number, w: number): boolean {
    const st = this.state, fp = st.fpscr, v = st.vsr;
    if ((fp[1] & (3 | FP_VE | FP_OE | FP_UE | FP_ZE | FP_XE)) !== 0) return false;
    const t = 4 * ((w >>> 21) & 31), a = 4 * ((w >>> 16) & 31), b = 4 * ((w >>> 11) & 31), c = 4 * ((w >>> 6) & 31);
    F64I[HI] = v[a]; F64I[LO] = v[a + 1];
    const x = F64[0];
    const m = id === Op.fmul || id === Op.fmuls || id === Op.fmadd || id === Op.fmsub || id === Op.fnmadd || id === Op.fnmsub;
    F64I[HI] = v[m ? c : b]; F64I[LO] = v[m ? c + 1 : b + 1];
    const y = F64[0];
    const single = id === Op.fadds || id === Op.fsubs || id === Op.fmuls || id === Op.fdivs;
    if (single && (Math.fround(x) !== x || Math.fround(y) !== y)) return false;
    let r: number;
    switch (id) {
      case Op.fadd: case Op.fadds: r = fpu.addFast(x, y); break;
      case Op.fsub: case Op.fsubs: r = fpu.addFast(x, -y); break;
      case Op.fmul: case Op.fmuls: r = fpu.mulFast(x, y); break;
      case Op.fdiv: case Op.fdivs: r = fpu.divFast(x, y); break;
      default: { // fmadd, fmsub, fnmadd, fnmsub: (x * y) +/- z, negated for the fn forms
        F64I[HI] = v[b]; F64I[LO] = v[b + 1];
        const z = F64[0];
        r = fpu.fmaFast(x, y, id === Op.fmsub || id === Op.fnmsub ? -z : z);
        if (id === Op.fnmadd || id === Op.fnmsub) r = -r;
        break;
      }
    }
    if (r !== r) return false;
    let inexact = fpu.fast.inexact;
    if (single) {
      const r1 = Math.fround(r);
      if (r1 !== r) inexact = true;
      r = r1;
      const ar = Math.abs(r);
      if (!(ar > TWO_M126 && ar < TWO_127)) return false;
    }
    F64[0] = r;
    v[t] = F64I[HI]; v[t + 1] = F64I[LO]; v[t + 2] = 0; v[t + 3] = 0;
    let f = (fp[1] & ~0x1f000) | (r < 0 ? 0x08000 : 0x04000);
    f = inexact ? f | FP_FI | FP_XX | FP_FX : f & ~FP_FI;
    fp[1] = f;
    if (w & 1) st.crf[1] = (f >>> 28) & 0xf;
    return true;
  }

  private fpOp(id: number, w: number, pcHi: number, cia: number): number {
    const st = this.state, f = st.fpscr, crf = st.crf;
    const t = (w >>> 21) & 31, a = (w >>> 16) & 31, b = (w >>> 11) & 31, c = (w >>> 6) & 31;
    if ((id === Op.fadd || id === Op.fsub || id === Op.fmul || id === Op.fdiv || id === Op.fadds || id === Op.fsubs
      || id === Op.fmuls || id === Op.fdivs || id === Op.fmadd || id === Op.fmsub || id === Op.fnmadd
      || id === Op.fnmsub) && this.fpFast(id, w)) return 0;
    if (id === Op.fneg || id === Op.fabs || id === Op.fnabs) {
      const v = st.vsr, tt = 4 * t, bb = 4 * b;
      const hi = v[bb];
      v[tt] = id === Op.fneg ? hi ^ (0x80000000 | 0) : id === Op.fabs ? hi & 0x7fffffff : hi | (0x80000000 | 0);
      v[tt + 1] = v[bb + 1]; v[tt + 2] = 0; v[tt + 3] = 0;
      if (w & 1) crf[1] = (f[1] >>> 28) & 0xf;
      return 0;
    }
    fpu.fs.flags = 0;
    fpu.fs.mode = f[1] & 3;
    fpu.fs.rebiasOverflow = (f[1] & FP_OE) !== 0;
    fpu.fs.rebiasUnderflow = (f[1] & FP_UE) !== 0;
    let r = 0n;
    let kind: 'addsub' | 'mul' | 'div' | 'madd' | 'sqrt' | 'snan' | 'cvt' | 'none' = 'none';
    let fprf = true, check = true;
    const single = id === Op.fadds || id === Op.fsubs || id === Op.fmuls || id === Op.fdivs || id === Op.fsqrts
      || id === Op.fres || id === Op.frsqrtes || id === Op.fmadds || id === Op.fmsubs || id === Op.fnmadds
      || id === Op.fnmsubs;
    switch (id) {
      case Op.fadd: case Op.fadds: r = fpu.fadd(this.fpr(a), this.fpr(b), single); kind = 'addsub'; break;
      case Op.fsub: case Op.fsubs: r = fpu.fsub(this.fpr(a), this.fpr(b), single); kind = 'addsub'; break;
      case Op.fmul: case Op.fmuls: r = fpu.fmul(this.fpr(a), this.fpr(c), single); kind = 'mul'; break;
      case Op.fdiv: case Op.fdivs: r = fpu.fdiv(this.fpr(a), this.fpr(b), single); kind = 'div'; break;
      case Op.fsqrt: case Op.fsqrts: r = fpu.fsqrt(this.fpr(b), single); kind = 'sqrt'; break;
      case Op.fmadd: case Op.fmadds: case Op.fmsub: case Op.fmsubs:
      case Op.fnmadd: case Op.fnmadds: case Op.fnmsub: case Op.fnmsubs: {
        const negC = id === Op.fmsub || id === Op.fmsubs || id === Op.fnmsub || id === Op.fnmsubs;
        const negR = id === Op.fnmadd || id === Op.fnmadds || id === Op.fnmsub || id === Op.fnmsubs;
        r = fpu.fmadd(this.fpr(a), this.fpr(c), this.fpr(b), negC, negR, single);
        kind = 'madd';
        break;
      }
      case Op.fre: case Op.fres: {
        const x = this.fpr(b);
        r = fpu.fdiv(0x3ff0000000000000n, x, single);
        // QEMU: the reciprocal of a zero is 1/2 (with the sign of the operand), ZX set
        if (fpu.fs.flags & fpu.FL_DIVZERO) r = (x & (1n << 63n)) | 0x3fe0000000000000n;
        kind = 'div';
        break;
      }
      case Op.frsqrte: case Op.frsqrtes: {
        const x = this.fpr(b);
        const s1 = fpu.fsqrt(x, false);
        r = fpu.fdiv(0x3ff0000000000000n, s1, single);
        kind = 'sqrt';
        break;
      }
      case Op.frsp: r = fpu.frsp(this.fpr(b)); kind = 'snan'; break;
      case Op.frin: case Op.friz: case Op.frip: case Op.frim: {
        const x = this.fpr(b);
        const mode = id === Op.frin ? fpu.RM_AWAY : id === Op.friz ? fpu.RM_ZERO : id === Op.frip ? fpu.RM_UP : fpu.RM_DOWN;
        r = fpu.roundToInt(x, mode);
        fpu.fs.flags &= ~fpu.FL_INEXACT;
        kind = 'snan';
        break;
      }
      case Op.fctiw: case Op.fctiwz: case Op.fctiwu: case Op.fctiwuz:
      case Op.fctid: case Op.fctidz: case Op.fctidu: case Op.fctiduz: {
        const z = id === Op.fctiwz || id === Op.fctiwuz || id === Op.fctidz || id === Op.fctiduz;
        const wd = id === Op.fctiw || id === Op.fctiwz || id === Op.fctiwu || id === Op.fctiwuz;
        const sg = id === Op.fctiw || id === Op.fctiwz || id === Op.fctid || id === Op.fctidz;
        r = fpu.toInt(this.fpr(b), wd ? 32 : 64, sg, z ? fpu.RM_ZERO : fpu.fs.mode);
        if (fpu.isNan(this.fpr(b))) r = sg ? (wd ? 0x80000000n : 0x8000000000000000n) : 0n;
        kind = 'cvt';
        fprf = false;
        break;
      }
      case Op.fcfid: case Op.fcfidu: case Op.fcfids: case Op.fcfidus:
        r = fpu.fromInt(this.fpr(b), id === Op.fcfid || id === Op.fcfids, id === Op.fcfids || id === Op.fcfidus);
        fprf = id === Op.fcfid; // QEMU 7.2 leaves FPRF alone for the other three
        break;
      case Op.fsel: {
        const x = this.fpr(a);
        r = (!fpu.isNeg(x) || fpu.isZero(x)) && !fpu.isNan(x) ? this.fpr(c) : this.fpr(b);
        fprf = false; check = false;
        break;
      }
      case Op.fneg: case Op.fabs: case Op.fnabs: case Op.fcpsgn: {
        const x = this.fpr(b), sgn = 1n << 63n;
        r = id === Op.fneg ? x ^ sgn : id === Op.fabs ? x & ~sgn : id === Op.fnabs ? x | sgn
          : (x & ~sgn) | (this.fpr(a) & sgn);
        fprf = false; check = false;
        break;
      }
      case Op.fcmpu: case Op.fcmpo: {
        const x = this.fpr(a), y = this.fpr(b);
        const cc = fpu.compare(x, y);
        f[1] = (f[1] & ~0xf000) | (cc << 12);
        crf[(w >>> 23) & 7] = cc;
        if (cc === 1) {
          const sn = fpu.isSnan(x) || fpu.isSnan(y);
          if (id === Op.fcmpu) { if (sn && this.fpInvalid(FP_VXSNAN, false) && this.fpTrap(pcHi, cia)) return 1; }
          else {
            if (sn && this.fpInvalid(FP_VXSNAN, false) && this.fpTrap(pcHi, cia)) return 1;
            this.fpInvalid(FP_VXVC, true);
          }
        }
        return this.fpCheckStatus(0, pcHi, cia) ? 1 : 0;
      }
      case Op.ftdiv: crf[(w >>> 23) & 7] = fpu.ftdiv(this.fpr(a), this.fpr(b)); return 0;
      case Op.ftsqrt: crf[(w >>> 23) & 7] = fpu.ftsqrt(this.fpr(b)); return 0;
      case Op.mtfsb0: case Op.mtfsb1: {
        const bit = 31 - t, m = 1 << bit;
        if (id === Op.mtfsb0) {
          if (m !== FP_FEX && m !== FP_VX && (f[1] & m)) {
            f[1] &= ~m;
            if (m & FP_IX) { if ((f[1] & FP_IX) === 0) f[1] &= ~FP_VX; }
            else if (m & (FP_OX | FP_UX | FP_ZX | FP_XX | FP_VE | FP_OE | FP_UE | FP_ZE | FP_XE)) {
              if (((f[1] >>> 25) & (f[1] >>> 3) & 0x1f) === 0) f[1] &= ~FP_FEX;
            }
          }
          if (w & 1) crf[1] = (f[1] >>> 28) & 0xf;
          return 0;
        }
        // QEMU 7.2: the bit is set (not FEX, VX or NI), VX and FEX are recomputed, FX is left alone
        if (m === FP_FEX || m === FP_VX || m === FP_NI) { if (w & 1) crf[1] = (f[1] >>> 28) & 0xf; return 0; }
        return this.storeFpscr(f[1] | m, pcHi, cia, w) ? 1 : 0;
      }
      case Op.mtfsfi: {
        const bf = (w >>> 23) & 7, u = (w >>> 12) & 0xf;
        if (w & 0x10000) { // W=1: the upper word, where only FPSCR[DRN] (field 7, 3 bits) is writable
          if (bf === 7) f[0] = (f[0] & ~7) | (u & 7);
          return this.storeFpscr(f[1], pcHi, cia, w) ? 1 : 0; // the low word's VX/FEX recomputed, as QEMU
        }
        const sh = 4 * (7 - bf);
        return this.storeFpscr((f[1] & ~(0xf << sh)) | (u << sh), pcHi, cia, w) ? 1 : 0;
      }
      case Op.mcrfs: {
        const bf = (w >>> 23) & 7, bfa = (w >>> 18) & 7, sh = 4 * (7 - bfa);
        crf[bf] = (f[1] >>> sh) & 0xf;
        return this.storeFpscr(f[1] & ~((0xf << sh) & FP_EX_CLEAR), pcHi, cia, 0) ? 1 : 0;
      }
      default: break;
    }
    const fl = fpu.fs.flags;
    if (kind !== 'none' && this.fpInvalidFlags(fl, kind) && this.fpTrap(pcHi, cia)) return 1;
    if ((fl & fpu.FL_DIVZERO) && this.fpZeroDivide() && this.fpTrap(pcHi, cia)) return 1;
    this.setFpr(t, r);
    if (fprf) f[1] = (f[1] & ~0x1f000) | (fpu.fprfOf(r) << 12);
    if (check && this.fpCheckStatus(fl, pcHi, cia)) return 1;
    if (w & 1) crf[1] = (f[1] >>> 28) & 0xf;
    return 0;
  }

  /** Translations may have changed: flush the TLB and leave execute() at the next instruction. */
  private mmuChanged(pcHi: number, cia: number, sf: boolean): number {
    this.mmu.flush();
    const s = (cia >>> 0) + 4;
    this.state.nip[0] = sf ? (pcHi + (s >= TWO32 ? 1 : 0)) | 0 : 0;
    this.state.nip[1] = s | 0;
    return 1;
  }

  /** `or rX,rX,rX` priority hints: set PPR[PRI] like QEMU (the pause is a no-op here). */
  private orHint(rs: number, pr: boolean): void {
    let prio = 0;
    switch (rs) {
      case 1: prio = 2; break;
      case 6: prio = 3; break;
      case 2: prio = 4; break;
      case 31: if (!pr) prio = 1; break;
      case 5: if (!pr) prio = 5; break;
      case 3: if (!pr) prio = 6; break;
      default: break;
    }
    if (prio) {
      const i = 2 * SPR_PPR;
      this.state.spr[i] = (this.state.spr[i] & ~0x001c0000) | (prio << 18);
    }
  }
}

/** lswi/lswx: is register `rx` among the `n` registers starting at `start` (wrapping after r31)? */
function lswInRange(start: number, n: number, rx: number): boolean {
  return (start + n <= 32 && rx >= start && rx < start + n)
    || (start + n > 32 && (rx >= start || rx < start + n - 32));
}

/** One DPD declet to three BCD digits. */
function dpdDeclet(d: number): number {
  const b = (i: number) => (d >>> (9 - i)) & 1; // p=0 q=1 r=2 s=3 t=4 u=5 v=6 w=7 x=8 y=9
  const pqr = (d >>> 7) & 7, stu = (d >>> 4) & 7, y = d & 1;
  const p = b(0), q = b(1), r = b(2), s = b(3), t = b(4), u = b(5);
  let d2: number, d1: number, d0: number;
  if (!b(6)) { d2 = pqr; d1 = stu; d0 = d & 7; }
  else {
    const wx = (b(7) << 1) | b(8);
    if (wx === 0) { d2 = pqr; d1 = stu; d0 = 8 | y; }
    else if (wx === 1) { d2 = pqr; d1 = 8 | u; d0 = (s << 2) | (t << 1) | y; }
    else if (wx === 2) { d2 = 8 | r; d1 = stu; d0 = (p << 2) | (q << 1) | y; }
    else {
      const st2 = (s << 1) | t;
      if (st2 === 0) { d2 = 8 | r; d1 = 8 | u; d0 = (p << 2) | (q << 1) | y; }
      else if (st2 === 1) { d2 = 8 | r; d1 = (p << 2) | (q << 1) | u; d0 = 8 | y; }
      else if (st2 === 2) { d2 = pqr; d1 = 8 | u; d0 = 8 | y; }
      else { d2 = 8 | r; d1 = 8 | u; d0 = 8 | y; }
    }
  }
  return (d2 << 8) | (d1 << 4) | d0;
}

/** Three BCD digits (12 bits) to a DPD declet (the ISA's boolean encoding). */
function bcdDeclet(v: number): number {
  const bit = (i: number) => (v >>> (11 - i)) & 1; // a b c d e f g h i j k m
  const a = bit(0), b = bit(1), c = bit(2), d = bit(3), e = bit(4), f = bit(5), g = bit(6), h = bit(7);
  const i = bit(8), j = bit(9), k = bit(10), m = bit(11);
  const na = a ^ 1, ne = e ^ 1, ni = i ^ 1;
  const p = b | (a & j) | (a & f & i);
  const q = c | (a & k) | (a & g & i);
  const r = d;
  const s = (f & (na | ni)) | (na & e & j) | (e & i);
  const t = g | (na & e & k) | (a & i);
  const u = h;
  const vv = a | e | i;
  const ww = a | (e & i) | (ne & j);
  const x = e | (a & i) | (na & k);
  const y = m;
  return (p << 9) | (q << 8) | (r << 7) | (s << 6) | (t << 5) | (u << 4) | (vv << 3) | (ww << 2) | (x << 1) | y;
}

/** cdtbcd on one word: two declets (low 20 bits) to six BCD digits. */
function dpdToBcd20(x: number): number {
  return (dpdDeclet((x >>> 10) & 0x3ff) << 12) | dpdDeclet(x & 0x3ff);
}

/** cbcdtd on one word: six BCD digits (low 24 bits) to two declets. */
function bcdToDpd24(x: number): number {
  return (bcdDeclet((x >>> 12) & 0xfff) << 10) | bcdDeclet(x & 0xfff);
}

// Scratch double and its two words (HI/LO index the host's word order).
const F64 = new Float64Array(1);
const F64I = new Int32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const TWO_M126 = 2 ** -126, TWO_127 = 2 ** 127;
