// The POWER8 hash MMU as a pseries guest sees it (QEMU 7.2 target/ppc/mmu-hash64.c,
// ppc_hash64_xlate with a virtual hypervisor): SLB lookup (256M and 1T segments), the hashed page
// table owned by the machine (primary and secondary PTEG search with the AVPN compare and the
// base/actual page size), protection (pp bits with the Ks/Kp key, N and G for fetches, AMR/IAMR
// virtual page class keys), R and C updates made in the table as byte stores, and the fault
// reports (DSEG 0x380 / ISEG 0x480 without an SLB entry, DSI 0x300 / ISI 0x400 otherwise).
//
// A software TLB caches successful walks: six direct-mapped tables (fetch, load, store, each for
// MSR[PR] = 0 and 1) of 256 entries keyed by the effective 4K page. An entry is installed only in the table of the
// access that walked, so a store to a page whose C bit is clear walks again and sets C (QEMU
// installs such a page read-only for the same reason). The CPU flushes it on SLB and TLB
// management instructions, on AMR/IAMR/LPCR writes, and whenever the table changes under it.
// Three more tables hold real-mode (identity) entries that the CPU installs with fillReal(), so
// that its inline load/store path looks up both modes the same way.
//
// Page sizes are those QEMU 7.2 leaves to a TCG pseries guest with the default
// cap-hpt-max-page-size=16: 4K segments with 4K pages or 64K pages (MPSS, encoding 0x7), and
// 64K segments with 64K pages (encoding 0x1). Real addresses outside RAM are unassigned (reads
// give 0, writes are dropped), as in real mode.

import type { CpuState } from './state';
import type { GuestRam } from '../mem/ram';

/** What the MMU reads the hashed page table through (the machine's SpaprHpt). */
export interface HashPageTable {
  /** The table, big-endian, 16 bytes per HPTE. */
  readonly dv: DataView;
  /** PTEG index mask (2^(htab_shift-7) - 1). */
  readonly hptMask: number;
}

export const ACC_FETCH = 0;
export const ACC_LOAD = 1;
export const ACC_STORE = 2;

export const EXCP_DSEG = 0x380;
export const EXCP_ISEG = 0x480;
export const DSISR_NOPTE = 0x40000000;
export const DSISR_PROTFAULT = 0x08000000;
export const DSISR_ISSTORE = 0x02000000;
export const DSISR_AMR = 0x00200000;
export const SRR1_NOPTE = DSISR_NOPTE;
export const SRR1_NOEXEC_GUARD = 0x10000000;
export const SRR1_PROTFAULT = DSISR_PROTFAULT;
export const SRR1_IAMR = DSISR_AMR;

/** Result of a translation that raised a fault (the fault is described in the HashMmu fields). */
export const XLATE_FAULT = -2;
/** Result of a translation to a real address outside RAM. */
export const XLATE_UNASSIGNED = -1;

const TLB_BITS = 8;
const TLB_SIZE = 1 << TLB_BITS;
const TLB_INVALID = 1; // never a page-aligned low word
/** Mask of the table index bits of an effective page number. */
export const TLB_MASK = TLB_SIZE - 1;
/** Number of TLB tables: fetch/load/store for MSR[PR] = 0 and 1, then real mode fetch/load/store. */
const TLB_TABLES = 9;

/**
 * Base index of the TLB table the CPU looks up for an access `acc` in real mode (`real`: the
 * identity entries fillReal installs) or translated in problem state `pr`.
 */
export function tlbTable(acc: number, real: boolean, pr: boolean): number {
  return (real ? 6 + acc : (acc << 1) | (pr ? 1 : 0)) << TLB_BITS;
}

const SPR_AMR = 29;
const SPR_IAMR = 61;
const PAGE_READ = 1, PAGE_WRITE = 2, PAGE_EXEC = 4;
const NEED = [PAGE_EXEC, PAGE_READ, PAGE_WRITE];

export class HashMmu {
  hpt: HashPageTable | null = null;
  /** TLB tags (effective page, hi and lo words) and real 4K page numbers, TLB_TABLES tables of TLB_SIZE. */
  readonly tagHi = new Int32Array(TLB_TABLES * TLB_SIZE);
  readonly tagLo = new Int32Array(TLB_TABLES * TLB_SIZE).fill(TLB_INVALID);
  readonly rpn = new Int32Array(TLB_TABLES * TLB_SIZE);

  // The last fault: vector, SRR1 bits (ISI), DSISR (DSI), DAR (DSI, DSEG). SRR1, DSISR and DAR
  // start as -0, a number that is not a small integer, so that V8 stores them as doubles from
  // the first write on: with compressed pointers (Chromium) values from 2^30 up are not small
  // integers, and a field that changes representation at the guest's first DSI or ISI gives
  // this object a new map, which throws away every compiled function that holds the old one
  // (the interpreter loop among them).
  faultVector = 0;
  faultSrr1 = -0;
  faultDsisr = -0;
  faultDarHi = -0;
  faultDarLo = -0;

  /** Index (0..31) of the SLB entry found by the last slbLookup. */
  private slbIdx = -1;

  constructor(private readonly st: CpuState, private readonly ram: GuestRam) {}

  flush(): void {
    this.tagLo.fill(TLB_INVALID);
  }

  /**
   * Record a real-mode data access at EA (eaHi, eaLo), which the caller found in RAM: the real
   * page is the effective one with the top 4 bits ignored (the CPU's inline access path looks
   * these entries up).
   */
  fillReal(eaHi: number, eaLo: number, acc: number): void {
    const i = tlbTable(acc, true, false) | ((eaLo >>> 12) & TLB_MASK);
    this.tagHi[i] = eaHi;
    this.tagLo[i] = eaLo & ~0xfff;
    this.rpn[i] = eaLo >>> 12;
  }

  /**
   * Translate effective address (eaHi, eaLo) for access `acc` in problem state `pr`: the real
   * address, XLATE_UNASSIGNED, or XLATE_FAULT (with the fault recorded).
   */
  xlate(eaHi: number, eaLo: number, acc: number, pr: boolean): number {
    const i = (((acc << 1) | (pr ? 1 : 0)) << TLB_BITS) | ((eaLo >>> 12) & (TLB_SIZE - 1));
    if (this.tagLo[i] === (eaLo & ~0xfff) && this.tagHi[i] === eaHi) return this.rpn[i] * 4096 + (eaLo & 0xfff);
    return this.walk(eaHi, eaLo, acc, pr, true);
  }

  /** The SLB entry translating the EA (slb_lookup), or -1. */
  slbLookup(eaHi: number, eaLo: number): number {
    const slb = this.st.slb;
    const e256 = (eaLo & 0xf0000000) | 0x08000000;
    const hi1T = eaHi & ~0xff;
    for (let n = 0; n < 32; n++) {
      const b = slb[4 * n + 2] >>> 30;
      const eHi = slb[4 * n], eLo = slb[4 * n + 1];
      if ((b === 0 && eHi === eaHi && eLo === e256) || (b === 1 && eHi === hi1T && eLo === 0x08000000)) {
        this.slbIdx = n;
        return n;
      }
    }
    this.slbIdx = -1;
    return -1;
  }

  /** Full translation (ppc_hash64_xlate). `fill` installs a TLB entry on success. */
  walk(eaHi: number, eaLo: number, acc: number, pr: boolean, fill: boolean): number {
    const st = this.st;
    const n = this.slbLookup(eaHi, eaLo);
    if (n < 0) {
      if (acc === ACC_FETCH) { this.faultVector = EXCP_ISEG; this.faultSrr1 = 0; }
      else { this.faultVector = EXCP_DSEG; this.faultDarHi = eaHi; this.faultDarLo = eaLo; }
      return XLATE_FAULT;
    }
    const vHi = st.slb[4 * n + 2], vLo = st.slb[4 * n + 3];
    if (acc === ACC_FETCH && (vLo & 0x200) !== 0) return this.isi(SRR1_NOEXEC_GUARD);

    // Locate the PTE (ppc_hash64_htab_lookup).
    const segPs = (vLo & 0x130) === 0x110 ? 16 : 12;
    let hash: number, avpnLo: number;
    if ((vHi >>> 30) === 1) { // 1T segment
      const vsid = ((vHi & 0x3fffffff) << 8) | (vLo >>> 24);
      const epnHi = eaHi & 0xff, epnLo = eaLo & ~((1 << segPs) - 1);
      const pidx = segPs === 12 ? (epnHi << 20) | (epnLo >>> 12) : (epnHi << 16) | (epnLo >>> 16);
      hash = vsid ^ (vsid << 25) ^ pidx;
      avpnLo = ((epnHi << 16) | (epnLo >>> 16)) & ~0x7f;
    } else {
      const vsid = (vHi << 20) | (vLo >>> 12);
      const epn = eaLo & 0x0fffffff & ~((1 << segPs) - 1);
      hash = vsid ^ (epn >>> segPs);
      avpnLo = (epn >>> 16) & ~0x7f;
    }
    const ptemLo = (vLo & ~0xfff) | avpnLo | 1;
    let off = this.search(hash, vHi, ptemLo, segPs);
    if (off < 0) off = this.search(~hash, vHi, ptemLo | 2, segPs);
    if (off < 0) {
      if (acc === ACC_FETCH) return this.isi(SRR1_NOPTE);
      return this.dsi(eaHi, eaLo, acc === ACC_STORE ? DSISR_NOPTE | DSISR_ISSTORE : DSISR_NOPTE);
    }
    const dv = this.hpt!.dv;
    const ps = this.foundPs;
    const p1Hi = dv.getInt32(off + 8, false), p1Lo = dv.getInt32(off + 12, false);

    // Check access permissions.
    const execProt = (p1Lo & 0xc) !== 0 ? PAGE_READ | PAGE_WRITE : PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    const key = pr ? vLo & 0x400 : vLo & 0x800;
    const pp = (p1Lo & 3) | ((p1Hi >>> 31) << 2);
    let ppProt = 0;
    if (key === 0) {
      if (pp <= 2) ppProt = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
      else if (pp === 3 || pp === 6) ppProt = PAGE_READ | PAGE_EXEC;
    } else if (pp === 1 || pp === 3) ppProt = PAGE_READ | PAGE_EXEC;
    else if (pp === 2) ppProt = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    const vpk = ((p1Hi >>> 25) & 0x18) | ((p1Lo >>> 9) & 7);
    let amrProt = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    const amr = keyBits(st.spr, SPR_AMR, vpk);
    if (amr & 2) amrProt &= ~PAGE_WRITE;
    if (amr & 1) amrProt &= ~PAGE_READ;
    if (keyBits(st.spr, SPR_IAMR, vpk) & 1) amrProt &= ~PAGE_EXEC;
    const prot = execProt & ppProt & amrProt;
    const need = NEED[acc];
    if ((need & ~prot) !== 0) {
      if (acc === ACC_FETCH) {
        let srr1 = 0;
        if ((PAGE_EXEC & ~execProt) !== 0) srr1 |= SRR1_NOEXEC_GUARD;
        else if ((PAGE_EXEC & ~ppProt) !== 0) srr1 |= SRR1_PROTFAULT;
        if ((PAGE_EXEC & ~amrProt) !== 0) srr1 |= SRR1_IAMR;
        return this.isi(srr1);
      }
      let dsisr = 0;
      if ((need & ~ppProt) !== 0) dsisr |= DSISR_PROTFAULT;
      if (acc === ACC_STORE) dsisr |= DSISR_ISSTORE;
      if ((need & ~amrProt) !== 0) dsisr |= DSISR_AMR;
      return this.dsi(eaHi, eaLo, dsisr);
    }

    // Update R and C (the hardware's non-atomic byte updates, spapr_hpte_set_r/_c).
    if ((p1Lo & 0x100) === 0) dv.setUint8(off + 14, ((p1Lo >>> 8) & 0xff) | 0x01);
    if ((p1Lo & 0x80) === 0 && acc === ACC_STORE) dv.setUint8(off + 15, (p1Lo & 0xff) | 0x80);

    // The real address.
    const pmask = (1 << ps) - 1;
    if ((p1Hi & 0x0fffffff) !== 0) return XLATE_UNASSIGNED;
    const real = (((p1Lo & ~0xfff) & ~pmask) | (eaLo & pmask)) >>> 0;
    if (real >= this.ram.size && !this.ram.contains(real, 1)) return XLATE_UNASSIGNED;
    if (fill) {
      const i = (((acc << 1) | (pr ? 1 : 0)) << TLB_BITS) | ((eaLo >>> 12) & (TLB_SIZE - 1));
      this.tagHi[i] = eaHi;
      this.tagLo[i] = eaLo & ~0xfff;
      this.rpn[i] = real >>> 12;
    }
    return real;
  }

  /** Page shift of the HPTE found by the last search. */
  private foundPs = 0;

  /** ppc_hash64_pteg_search: byte offset of the matching HPTE, or -1. */
  private search(hash: number, ptemHi: number, ptemLo: number, segPs: number): number {
    const hpt = this.hpt;
    if (hpt === null || hpt.hptMask < 0) return -1;
    const dv = hpt.dv;
    const base = ((hash & hpt.hptMask) >>> 0) * 128;
    for (let i = 0; i < 8; i++) {
      const off = base + 16 * i;
      const p0Hi = dv.getInt32(off, false), p0Lo = dv.getInt32(off + 4, false);
      if (p0Hi !== ptemHi || ((p0Lo ^ ptemLo) & 0xffffff83) !== 0) continue;
      let ps: number;
      if ((p0Lo & 4) === 0) ps = segPs === 12 ? 12 : 0;
      else {
        const enc = (dv.getInt32(off + 12, false) >>> 12) & 0xf;
        ps = (segPs === 12 && enc === 0x7) || (segPs === 16 && enc === 0x1) ? 16 : 0;
      }
      if (ps === 0) continue;
      this.foundPs = ps;
      return off;
    }
    return -1;
  }

  private isi(srr1: number): number {
    this.faultVector = 0x400;
    this.faultSrr1 = srr1;
    return XLATE_FAULT;
  }

  private dsi(eaHi: number, eaLo: number, dsisr: number): number {
    this.faultVector = 0x300;
    this.faultDsisr = dsisr;
    this.faultDarHi = eaHi;
    this.faultDarLo = eaLo;
    return XLATE_FAULT;
  }
}

/** The 2-bit field of a class-key register (AMR/IAMR) for key `key`: (reg >> 2*(31-key)) & 3. */
function keyBits(spr: Int32Array, n: number, key: number): number {
  const s = 2 * (31 - key);
  return s >= 32 ? (spr[2 * n] >>> (s - 32)) & 3 : (spr[2 * n + 1] >>> s) & 3;
}
