// Interrupt delivery for POWER8 under a pseries virtual hypervisor, following QEMU 7.2's
// powerpc_excp_books (target/ppc/excp_helper.c): the guest never has MSR[HV], so every interrupt
// goes to SRR0/SRR1 (the hypervisor-emulation interrupt becomes a program interrupt), and the
// new MSR keeps only ME, with SF set and LE taken from LPCR[ILE]. (A release profile can make
// the external interrupt bound for the hypervisor instead, which a pseries vCPU cannot take:
// PowerPCCPU.hvRouting and its cpu_abort, profiles.ts.)

import { CpuState, SPR_SRR0, SPR_SRR1, SPR_LPCR, SPR_FSCR } from './state';

/** Architected interrupt vectors (offsets from the interrupt base). */
export const EXCP_MCHECK = 0x200;
export const EXCP_DSI = 0x300;
export const EXCP_ISI = 0x400;
export const EXCP_EXTERNAL = 0x500;
export const EXCP_ALIGN = 0x600;
export const EXCP_PROGRAM = 0x700;
export const EXCP_FPU = 0x800;
export const EXCP_DECR = 0x900;
export const EXCP_SYSCALL = 0xc00;
export const EXCP_TRACE = 0xd00;
export const EXCP_PERFM = 0xf00;
export const EXCP_VPU = 0xf20;
export const EXCP_VSXU = 0xf40;
export const EXCP_FU = 0xf60;

/** SRR1 bits of the program interrupt (ISA "program interrupt" SRR1 33:36 / 42:47 encodings). */
export const SRR1_FP = 0x100000;
export const SRR1_ILLEGAL = 0x80000;
export const SRR1_PRIV = 0x40000;
export const SRR1_TRAP = 0x20000;

/** LPCR fields used by interrupt delivery. */
export const LPCR_ILE = 1 << (63 - 38); // 0x2000000
export const LPCR_AIL_SHIFT = 63 - 40;  // 23
export const LPCR_AIL = 3 << LPCR_AIL_SHIFT;
export const LPCR_LPES0 = 1 << (63 - 60);
export const LPCR_P8_PECE2 = 1 << (63 - 49);
export const LPCR_P8_PECE3 = 1 << (63 - 50);

/** MSR bits kept by POWER8 under a virtual hypervisor (QEMU's msr_mask without MSR_HV), low/high words. */
export const MSR_MASK_LO = 0x0280ff37;
export const MSR_MASK_HI = 0x80000007 | 0;

/** SRR1 keeps the MSR except the bits the interrupt itself reports (msr & ~0x783f0000). */
const SRR1_MSR_CLEAR = 0x783f0000;

const MSR_ME_BIT = 1 << 12;
const MSR_IR_BIT = 1 << 5;
const MSR_DR_BIT = 1 << 4;

/**
 * Where an interrupt lands and with which MSR, honouring LPCR[AIL] (ppc_excp_apply_ail for
 * POWER8): AIL applies only when the interrupted context had MSR[IR] and MSR[DR] set, never to
 * system reset or machine check; AIL=2 adds 0x18000, AIL=3 relocates to 0xc000000000004000 + vector,
 * and the handler starts with IR/DR on. Result in `out`: [vectorHi, vectorLo, msrOrLo].
 */
export function interruptTarget(vector: number, oldMsrLo: number, lpcrLo: number, out: Int32Array): void {
  out[0] = 0;
  out[1] = vector;
  out[2] = 0;
  if (vector === EXCP_MCHECK || vector === 0x100) return;
  if ((oldMsrLo & (MSR_IR_BIT | MSR_DR_BIT)) !== (MSR_IR_BIT | MSR_DR_BIT)) return;
  const ail = (lpcrLo & LPCR_AIL) >>> LPCR_AIL_SHIFT;
  if (ail < 2) return; // 0: off, 1: reserved (treated as 0)
  out[2] = MSR_IR_BIT | MSR_DR_BIT;
  if (ail === 2) out[1] = vector | 0x18000;
  else { out[0] = 0xc0000000 | 0; out[1] = vector | 0x4000; }
}

const tgt = new Int32Array(3);

/**
 * Deliver an interrupt: SRR0 = (nipHi, nipLo) (the caller passes the faulting instruction or the
 * next one, as the interrupt requires), SRR1 = MSR with the reported bits replaced by `srr1Bits`,
 * new MSR = ME | SF | (LE if LPCR[ILE]) (| IR/DR with AIL), NIP = vector, reservation cleared.
 */
export function deliverInterrupt(st: CpuState, vector: number, nipHi: number, nipLo: number, srr1Bits: number): void {
  const msrHi = st.msr[0], msrLo = st.msr[1];
  const spr = st.spr;
  spr[2 * SPR_SRR0] = nipHi;
  spr[2 * SPR_SRR0 + 1] = nipLo;
  spr[2 * SPR_SRR1] = msrHi;
  spr[2 * SPR_SRR1 + 1] = (msrLo & ~SRR1_MSR_CLEAR) | srr1Bits;
  const lpcrLo = spr[2 * SPR_LPCR + 1];
  interruptTarget(vector, msrLo, lpcrLo, tgt);
  let newLo = (msrLo & MSR_ME_BIT) | tgt[2];
  if (lpcrLo & LPCR_ILE) newLo |= 1;
  st.msr[0] = 0x80000000 | 0;
  st.msr[1] = newLo & MSR_MASK_LO;
  st.nip[0] = tgt[0];
  st.nip[1] = tgt[1];
  st.reserveAddr[0] = -1;
  st.reserveAddr[1] = -1;
}

/** Facility-unavailable interrupt: FSCR[IC] = cause, then vector 0xf60 with SRR0 = the instruction. */
export function deliverFacilityUnavailable(st: CpuState, cause: number, nipHi: number, nipLo: number): void {
  const i = 2 * SPR_FSCR;
  st.spr[i] = (st.spr[i] & 0x00ffffff) | ((cause & 0xff) << 24);
  deliverInterrupt(st, EXCP_FU, nipHi, nipLo, 0);
}
