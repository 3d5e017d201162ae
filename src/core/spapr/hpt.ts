// The hashed page table of a pseries machine (spapr->htab, hw/ppc/spapr.c) and the hcalls a PAPR
// guest changes it with (hw/ppc/spapr_softmmu.c, QEMU 7.2): H_ENTER, H_REMOVE, H_PROTECT, H_READ
// (hcall-pft) and H_BULK_REMOVE (hcall-bulk). H_CLEAR_MOD and H_CLEAR_REF are not registered by
// QEMU 7.2 (they answer H_FUNCTION), so not here either.
//
// The table lives in its own ArrayBuffer of 2^htab_shift bytes, big-endian like QEMU's (stq_p on
// a big-endian target): 2^(htab_shift-7) PTE groups of 8 HPTEs of 16 bytes (pte0 = V word,
// pte1 = R word). As in QEMU, every HPTE the hcalls store carries HPTE64_V_HPTE_DIRTY (0x40) in
// pte0 for the migration's htab_save_* iteration (and a fresh table has it on every HPTE); the
// R/C updates made by translation do not.
//
// API for the machine and the "spapr/htab" migration section:
//   class SpaprHpt
//     htabShift, nEntries (= 2^htab_shift / 16), u8 / dv (the raw table)
//     setShift(shift), reset()                   allocate / clear (spapr_setup_hpt at reset)
//     readHpte(i) -> [pte0, pte1]                one 16-byte HPTE by index, as bigints
//     readHpteBytes(i, out?) / writeHpteBytes(i, bytes)   raw 16 bytes (the stream's format)
//     writeHpte(i, pte0, pte1)                   store (and flush translations cached from it)
//     isDirty(i) / clearDirty(i)                 HPTE_DIRTY / CLEAN_HPTE
//     hptMask                                    PTEG index mask (spapr_hpt_mask)
//   registerMmuHcalls(table, machine)            attaches the table to the vCPU and registers
//                                                the hcalls

import type { PowerPCCPU, HashPageTable } from '../cpu/cpu';
import {
  H_BULK_REMOVE, H_CLEAR_MOD, H_CLEAR_REF, H_ENTER, H_HARDWARE, H_NOT_FOUND, H_PARAMETER, H_PROTECT, H_PTEG_FULL, H_READ, H_REMOVE, H_SUCCESS, type HcallTable, type HcallArgs,
} from './hcall';



export const H_EXACT = 1n << (63n - 24n);
export const H_R_XLATE = 1n << (63n - 25n);
export const H_READ_4 = 1n << (63n - 26n);
export const H_AVPN = 1n << (63n - 32n);
export const H_ANDCOND = 1n << (63n - 33n);

export const HASH_PTE_SIZE_64 = 16;
export const HPTES_PER_GROUP = 8;
export const HPTE64_V_VALID = 0x1n;
export const HPTE64_V_SECONDARY = 0x2n;
export const HPTE64_V_LARGE = 0x4n;
export const HPTE64_V_BOLTED = 0x10n;
export const HPTE64_V_HPTE_DIRTY = 0x40n;
export const HPTE64_R_PP0 = 0x8000000000000000n;
export const HPTE64_R_KEY_HI = 0x3000000000000000n;
export const HPTE64_R_RPN = 0x0ffffffffffff000n;
export const HPTE64_R_PP = 0x3n;
export const HPTE64_R_N = 0x4n;
export const HPTE64_R_G = 0x8n;
export const HPTE64_R_M = 0x10n;
export const HPTE64_R_I = 0x20n;
export const HPTE64_R_W = 0x40n;
export const HPTE64_R_WIMG = 0x78n;
export const HPTE64_R_C = 0x80n;
export const HPTE64_R_R = 0x100n;
export const HPTE64_R_KEY_LO = 0xe00n;

const H_BULK_REMOVE_TYPE = 0xc000000000000000n;
const H_BULK_REMOVE_REQUEST = 0x4000000000000000n;
const H_BULK_REMOVE_RESPONSE = 0x8000000000000000n;
const H_BULK_REMOVE_END = 0xc000000000000000n;
const H_BULK_REMOVE_PARM = 0x2000000000000000n;
const H_BULK_REMOVE_FLAGS = 0x0300000000000000n;
const H_BULK_REMOVE_ANDCOND = 0x0100000000000000n;
const H_BULK_REMOVE_AVPN = 0x0200000000000000n;
const H_BULK_REMOVE_PTEX = 0x00ffffffffffffffn;
const H_BULK_REMOVE_MAX_BATCH = 4;

const M64 = 0xffffffffffffffffn;

/**
 * Page shift of an HPTE without an SLB entry (ppc_hash64_hpte_page_shift_noslb) for POWER8 under
 * the pseries default cap-hpt-max-page-size=16: 4K (L=0), or 64K (L=1 with the RPN low bits
 * encoding 0x1 or, as an MPSS page in a 4K segment, 0x7); anything else 0 (bad encoding).
 */
export function hptePageShiftNoSlb(pte0: bigint, pte1: bigint): number {
  if ((pte0 & HPTE64_V_LARGE) === 0n) return 12;
  const enc = Number((pte1 >> 12n) & 0xfn);
  return enc === 0x7 || enc === 0x1 ? 16 : 0;
}

export class SpaprHpt implements HashPageTable {
  htabShift = 0;
  buf = new ArrayBuffer(0);
  u8 = new Uint8Array(0);
  dv = new DataView(this.buf);
  hptMask = -1;
  /** Called after an HPTE changed under the vCPU's feet (software-TLB flush). */
  onInvalidate: () => void = () => {};

  /** spapr_reallocate_hpt: a zeroed table of 2^shift bytes (0 = no table). */
  setShift(shift: number): void {
    this.htabShift = shift;
    this.buf = new ArrayBuffer(shift ? 2 ** shift : 0);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
    this.hptMask = shift ? 2 ** (shift - 7) - 1 : -1;
    this.reset();
  }

  /**
   * Machine reset (spapr_reallocate_hpt): every HPTE invalid, and every one marked dirty
   * (pte0 = HPTE64_V_HPTE_DIRTY) so that a migration sends the whole table.
   */
  reset(): void {
    this.u8.fill(0);
    for (let o = 7; o < this.u8.length; o += HASH_PTE_SIZE_64) this.u8[o] = 0x40;
    this.onInvalidate();
  }

  /**
   * The table replaced by a resized one (H_RESIZE_HPT_COMMIT): `table` is 2^shift bytes,
   * taken as it is (QEMU's new table is not marked dirty).
   */
  replace(shift: number, table: Uint8Array<ArrayBuffer>): void {
    this.htabShift = shift;
    this.u8 = table;
    this.buf = table.buffer;
    this.dv = new DataView(this.buf, table.byteOffset, table.byteLength);
    this.hptMask = 2 ** (shift - 7) - 1;
    this.onInvalidate();
  }

  /** Number of HPTEs (HTAB_SIZE / HASH_PTE_SIZE_64). */
  get nEntries(): number {
    return this.htabShift ? 2 ** (this.htabShift - 4) : 0;
  }

  readHpte(i: number): [bigint, bigint] {
    const o = i * HASH_PTE_SIZE_64;
    return [this.dv.getBigUint64(o, false), this.dv.getBigUint64(o + 8, false)];
  }

  /** spapr_store_hpte. */
  writeHpte(i: number, pte0: bigint, pte1: bigint): void {
    const o = i * HASH_PTE_SIZE_64;
    this.dv.setBigUint64(o, pte0 & M64, false);
    this.dv.setBigUint64(o + 8, pte1 & M64, false);
  }

  readHpteBytes(i: number, out = new Uint8Array(HASH_PTE_SIZE_64)): Uint8Array {
    out.set(this.u8.subarray(i * HASH_PTE_SIZE_64, (i + 1) * HASH_PTE_SIZE_64));
    return out;
  }

  /** Store 16 raw bytes (a migrated HPTE) and drop cached translations. */
  writeHpteBytes(i: number, bytes: Uint8Array): void {
    this.u8.set(bytes.subarray(0, HASH_PTE_SIZE_64), i * HASH_PTE_SIZE_64);
    this.onInvalidate();
  }

  isDirty(i: number): boolean {
    return (this.u8[i * HASH_PTE_SIZE_64 + 7] & 0x40) !== 0;
  }

  clearDirty(i: number): void {
    this.u8[i * HASH_PTE_SIZE_64 + 7] &= ~0x40;
  }

  /** valid_ptex: the PTEG index must be within the table. */
  validPtex(ptex: bigint): boolean {
    if (!this.htabShift) return false;
    return (((ptex & ~7n) / 8n) & ~BigInt(this.hptMask)) === 0n;
  }
}

export interface MmuMachine {
  readonly hpt: SpaprHpt;
  readonly cpu: PowerPCCPU;
  /** every vCPU (the table is theirs too); vCPU 0 alone when absent */
  readonly cpus?: readonly PowerPCCPU[];
  readonly htabShift: number;
  /** is_ram_address: RAM or the device memory region (h_enter's WIMG check) */
  isRamAddress(addr: bigint): boolean;
}

function hEnter(m: MmuMachine, _cpu: PowerPCCPU, _op: number, args: HcallArgs): bigint {
  const hpt = m.hpt;
  const flags = args.get(0);
  let ptex = args.get(1);
  let pteh = args.get(2);
  const ptel = args.get(3);
  const apshift = hptePageShiftNoSlb(pteh, ptel);
  if (!apshift) return H_PARAMETER;
  const raddr = (ptel & HPTE64_R_RPN) & ~((1n << BigInt(apshift)) - 1n);
  if (m.isRamAddress(raddr)) {
    if ((ptel & HPTE64_R_WIMG) !== HPTE64_R_M) return H_PARAMETER;
  } else {
    const wimg = ptel & (HPTE64_R_W | HPTE64_R_I | HPTE64_R_M);
    if (wimg !== HPTE64_R_I && wimg !== (HPTE64_R_I | HPTE64_R_M)) return H_PARAMETER;
  }
  pteh &= ~0x60n;
  if (!hpt.validPtex(ptex)) return H_PARAMETER;
  let slot = Number(ptex & 7n);
  ptex &= ~7n;
  const base = Number(ptex);
  if ((flags & H_EXACT) === 0n) {
    for (slot = 0; slot < 8; slot++) {
      if ((hpt.readHpte(base + slot)[0] & HPTE64_V_VALID) === 0n) break;
    }
    if (slot === 8) return H_PTEG_FULL;
  } else if (hpt.readHpte(base + slot)[0] & HPTE64_V_VALID) {
    return H_PTEG_FULL;
  }
  hpt.writeHpte(base + slot, pteh | HPTE64_V_HPTE_DIRTY, ptel);
  args.ret(0, BigInt(base + slot));
  return H_SUCCESS;
}

const REMOVE_SUCCESS = 0, REMOVE_NOT_FOUND = 1, REMOVE_PARM = 2;

/** remove_hpte: result code, and the old pte0/pte1 in `old` on success. */
function removeHpte(m: MmuMachine, ptex: bigint, avpn: bigint, flags: bigint, old: bigint[]): number {
  const hpt = m.hpt;
  if (!hpt.validPtex(ptex)) return REMOVE_PARM;
  const i = Number(ptex);
  const [v, r] = hpt.readHpte(i);
  if ((v & HPTE64_V_VALID) === 0n
    || ((flags & H_AVPN) !== 0n && (v & ~0x7fn) !== avpn)
    || ((flags & H_ANDCOND) !== 0n && (v & avpn) !== 0n)) {
    return REMOVE_NOT_FOUND;
  }
  old[0] = v; old[1] = r;
  hpt.writeHpte(i, HPTE64_V_HPTE_DIRTY, 0n);
  flushAll(m);
  return REMOVE_SUCCESS;
}

function hRemove(m: MmuMachine, _cpu: PowerPCCPU, _op: number, args: HcallArgs): bigint {
  const old = [0n, 0n];
  const ret = removeHpte(m, args.get(1), args.get(2), args.get(0), old);
  if (ret === REMOVE_SUCCESS) { args.ret(0, old[0]); args.ret(1, old[1]); return H_SUCCESS; }
  return ret === REMOVE_NOT_FOUND ? H_NOT_FOUND : ret === REMOVE_PARM ? H_PARAMETER : H_HARDWARE;
}

function hBulkRemove(m: MmuMachine, _cpu: PowerPCCPU, _op: number, args: HcallArgs): bigint {
  const old = [0n, 0n];
  for (let i = 0; i < H_BULK_REMOVE_MAX_BATCH; i++) {
    let tsh = args.get(2 * i);
    const tsl = args.get(2 * i + 1);
    if ((tsh & H_BULK_REMOVE_TYPE) === H_BULK_REMOVE_END) break;
    if ((tsh & H_BULK_REMOVE_TYPE) !== H_BULK_REMOVE_REQUEST) return H_PARAMETER;
    tsh &= H_BULK_REMOVE_PTEX | H_BULK_REMOVE_FLAGS;
    tsh |= H_BULK_REMOVE_RESPONSE;
    if ((tsh & H_BULK_REMOVE_ANDCOND) !== 0n && (tsh & H_BULK_REMOVE_AVPN) !== 0n) {
      tsh |= H_BULK_REMOVE_PARM;
      args.ret(2 * i, tsh);
      return H_PARAMETER;
    }
    const ret = removeHpte(m, tsh & H_BULK_REMOVE_PTEX, tsl, (tsh & H_BULK_REMOVE_FLAGS) >> 26n, old);
    tsh |= BigInt(ret) << 60n;
    if (ret === REMOVE_SUCCESS) tsh |= ((old[1] & (HPTE64_R_C | HPTE64_R_R)) << 43n) & M64;
    args.ret(2 * i, tsh);
    if (ret === REMOVE_PARM) { flushAll(m); return H_PARAMETER; }
  }
  flushAll(m);
  return H_SUCCESS;
}

function hProtect(m: MmuMachine, _cpu: PowerPCCPU, _op: number, args: HcallArgs): bigint {
  const hpt = m.hpt;
  const flags = args.get(0), ptex = args.get(1), avpn = args.get(2);
  if (!hpt.validPtex(ptex)) return H_PARAMETER;
  const i = Number(ptex);
  const [v, r0] = hpt.readHpte(i);
  if ((v & HPTE64_V_VALID) === 0n || ((flags & H_AVPN) !== 0n && (v & ~0x7fn) !== avpn)) return H_NOT_FOUND;
  let r = r0 & ~(HPTE64_R_PP0 | HPTE64_R_PP | HPTE64_R_N | HPTE64_R_KEY_HI | HPTE64_R_KEY_LO);
  r |= (flags << 55n) & HPTE64_R_PP0;
  r |= (flags << 48n) & HPTE64_R_KEY_HI;
  r |= flags & (HPTE64_R_PP | HPTE64_R_N | HPTE64_R_KEY_LO);
  hpt.writeHpte(i, v | HPTE64_V_HPTE_DIRTY, r);
  flushAll(m);
  return H_SUCCESS;
}

function hRead(m: MmuMachine, _cpu: PowerPCCPU, _op: number, args: HcallArgs): bigint {
  const hpt = m.hpt;
  const flags = args.get(0);
  let ptex = args.get(1);
  if (!hpt.validPtex(ptex)) return H_PARAMETER;
  let n = 1;
  if (flags & H_READ_4) { ptex &= ~3n; n = 4; }
  // QEMU maps n HPTEs from ptex without a further bound: the last group's H_READ_4 stays inside.
  for (let k = 0; k < n; k++) {
    const [v, r] = hpt.readHpte(Number(ptex) + k);
    args.ret(2 * k, v);
    args.ret(2 * k + 1, r);
  }
  return H_SUCCESS;
}

/**
 * hypercall_register_softmmu: attach the machine's table (2^htab_shift bytes) to its vCPU and
 * register the page-table hcalls.
 */
/** tlb_flush of every vCPU (the table is shared by all of them). */
function flushAll(m: MmuMachine): void {
  for (const c of m.cpus ?? [m.cpu]) c.tlbFlush();
}

export function registerMmuHcalls<M extends MmuMachine>(h: HcallTable<M>, m: M): void {
  const hpt = m.hpt;
  hpt.onInvalidate = () => flushAll(m);
  hpt.setShift(m.htabShift);
  for (const c of m.cpus ?? [m.cpu]) c.hpt = hpt;
  h.register(H_ENTER, hEnter);
  h.register(H_REMOVE, hRemove);
  h.register(H_PROTECT, hProtect);
  h.register(H_READ, hRead);
  h.register(H_BULK_REMOVE, hBulkRemove);
}
