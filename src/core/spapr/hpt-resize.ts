// HPT resizing: H_RESIZE_HPT_PREPARE and H_RESIZE_HPT_COMMIT as QEMU 7.2 answers them for a
// TCG guest (h_resize_hpt_prepare / _commit in hw/ppc/spapr_hcall.c, softmmu_resize_hpt_* in
// hw/ppc/spapr_softmmu.c). A guest that hot-plugs memory asks for a bigger table (Linux's
// resize_hpt_for_hotplug): PREPARE allocates a zeroed table of 2^shift bytes, COMMIT moves the
// bolted HPTEs into it (rehashed for the new size) and makes it the machine's table.
//
// QEMU prepares the table in a thread: the first PREPARE of a size answers
// H_LONG_BUSY_ORDER_100_MSEC and a later one the thread's result. Here the table is ready at
// once, so the second PREPARE answers H_SUCCESS and a COMMIT never finds it still being
// prepared (QEMU's H_BUSY). A bolted HPTE whose hash does not match the group it sits in
// (QEMU asserts, and aborts) is moved by its own hash; an unknown segment size gives
// H_HARDWARE, as in QEMU.
//
// API
//   registerHptResizeHcalls(table)       registers both hcalls on a machine with ResizeMachine
//   rehashHpt(old, oldShift, newShift)  the new table's bytes, or an H_* error (bigint)

import {
  H_AUTHORITY, H_CLOSED, H_HARDWARE, H_LONG_BUSY_ORDER_100_MSEC, H_NOT_AVAILABLE, H_PARAMETER, H_PTEG_FULL, H_RESOURCE, H_SUCCESS,
  type HcallArgs, type HcallTable,
} from './hcall';
import { HASH_PTE_SIZE_64, HPTE64_V_BOLTED, HPTE64_V_SECONDARY, HPTE64_V_VALID, HPTES_PER_GROUP, hptePageShiftNoSlb, type SpaprHpt } from './hpt';

export const H_RESIZE_HPT_PREPARE = 0x36c;
export const H_RESIZE_HPT_COMMIT = 0x370;

const HPTE64_V_SSIZE = 0xc000000000000000n;
const HPTE64_V_SSIZE_256M = 0n;
const HPTE64_V_SSIZE_1T = 0x4000000000000000n;
const HPTE64_V_AVPN = 0x3fffffffffffff80n;
const HASH_PTEG_SIZE_64 = HASH_PTE_SIZE_64 * HPTES_PER_GROUP;
const M64 = 0xffffffffffffffffn;

/** SpaprPendingHpt: the table PREPARE made (ready at once) for COMMIT. */
export interface PendingHpt {
  shift: number;
  table: Uint8Array<ArrayBuffer>;
}

/** What the hcalls need of the machine. */
export interface ResizeMachine {
  readonly hpt: SpaprHpt;
  /** spapr->htab_shift (0: no HPT) */
  htabShift: number;
  /** spapr->resize_hpt != SPAPR_RESIZE_HPT_DISABLED */
  readonly resizeHptEnabled: boolean;
  /** spapr_hpt_shift_for_ramsize(ram_size + get_plugged_memory_size()) */
  hptShiftForCurrentRam(): number;
  /** spapr->pending_hpt */
  pendingHpt: PendingHpt | null;
  readonly host: { trace(name: string, args?: string): void };
}

/** h_resize_hpt_prepare + softmmu_resize_hpt_prepare */
function hResizeHptPrepare(m: ResizeMachine, _cpu: unknown, _op: number, args: HcallArgs): bigint {
  const flags = args.get(0);
  // `int shift = args[1]`: the low 32 bits, signed
  const shift = Number(BigInt.asIntN(32, args.get(1)));
  if (!m.resizeHptEnabled) return H_AUTHORITY;
  if (!m.htabShift) return H_NOT_AVAILABLE;
  m.host.trace('spapr_h_resize_hpt_prepare', `flags=0x${flags.toString(16)}, shift=${BigInt.asUintN(64, BigInt(shift))}`);
  if (flags !== 0n) return H_PARAMETER;
  if (shift && (shift < 18 || shift > 46)) return H_PARAMETER;
  // at most one order above what the machine would give this much memory
  if (shift > m.hptShiftForCurrentRam() + 1) return H_RESOURCE;
  const pending = m.pendingHpt;
  if (pending) {
    if (pending.shift === shift) return H_SUCCESS; // complete: the thread's result
    m.pendingHpt = null; // cancel_hpt_prepare: not suitable, replaced
  }
  if (!shift) return H_SUCCESS;
  // hpt_prepare_thread, done at once: a zeroed table
  m.pendingHpt = { shift, table: new Uint8Array(2 ** shift) };
  return H_LONG_BUSY_ORDER_100_MSEC;
}

/** h_resize_hpt_commit + softmmu_resize_hpt_commit */
function hResizeHptCommit(m: ResizeMachine, _cpu: unknown, _op: number, args: HcallArgs): bigint {
  const flags = args.get(0);
  const shift = args.get(1);
  if (!m.resizeHptEnabled) return H_AUTHORITY;
  if (!m.htabShift) return H_NOT_AVAILABLE;
  m.host.trace('spapr_h_resize_hpt_commit', `flags=0x${flags.toString(16)}, shift=${shift}`);
  if (flags !== 0n) return H_PARAMETER;
  const pending = m.pendingHpt;
  if (!pending || BigInt(pending.shift) !== shift) return H_CLOSED;
  m.pendingHpt = null;
  const table = rehashHpt(m.hpt.u8, m.hpt.htabShift, pending.shift, pending.table);
  if (typeof table === 'bigint') return table;
  m.hpt.replace(pending.shift, table);
  m.htabShift = pending.shift;
  return H_SUCCESS;
}

/**
 * rehash_hpt: every valid bolted HPTE of the old table into `table` (2^newShift bytes), in the
 * group its hash selects for the new size and the same slot; the others are dropped.
 */
export function rehashHpt(old: Uint8Array, oldShift: number, newShift: number, table = new Uint8Array(2 ** newShift)): Uint8Array<ArrayBuffer> | bigint {
  const src = new DataView(old.buffer, old.byteOffset, old.byteLength);
  const dst = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const oldMask = BigInt(2 ** (oldShift - 7) - 1);
  const newMask = BigInt(2 ** (newShift - 7) - 1);
  const nPtegs = 2 ** (oldShift - 7);
  for (let g = 0; g < nPtegs; g++) {
    for (let slot = 0; slot < HPTES_PER_GROUP; slot++) {
      const o = g * HASH_PTEG_SIZE_64 + slot * HASH_PTE_SIZE_64;
      const pte0 = src.getBigUint64(o, false);
      if (!(pte0 & HPTE64_V_VALID) || !(pte0 & HPTE64_V_BOLTED)) continue;
      const pte1 = src.getBigUint64(o + 8, false);
      const shift = hptePageShiftNoSlb(pte0, pte1);
      if (!shift) continue; // H_ENTER never lets such an encoding in
      const bpg = BigInt(shift);
      const avpn = ((pte0 & HPTE64_V_AVPN) >> 7n) & ~(((1n << bpg) - 1n) >> 23n);
      // the hash the group index came from (a secondary HPTE sits at ~hash)
      const pteg = pte0 & HPTE64_V_SECONDARY ? ~BigInt(g) & M64 : BigInt(g);
      let hash: bigint;
      if ((pte0 & HPTE64_V_SSIZE) === HPTE64_V_SSIZE_256M) {
        const vsid = avpn >> 5n;
        let offset = (avpn & 0x1fn) << 23n;
        if (shift < 23) offset |= ((vsid ^ pteg) & oldMask) << bpg;
        hash = vsid ^ (offset >> bpg);
      } else if ((pte0 & HPTE64_V_SSIZE) === HPTE64_V_SSIZE_1T) {
        const vsid = avpn >> 17n;
        let offset = (avpn & 0x1ffffn) << 23n;
        if (shift < 23) offset |= ((vsid ^ ((vsid << 25n) & M64) ^ pteg) & oldMask) << bpg;
        hash = vsid ^ ((vsid << 25n) & M64) ^ (offset >> bpg);
      } else {
        return H_HARDWARE; // "rehash_pte: Bad segment size in HPTE"
      }
      const ng = Number(pte0 & HPTE64_V_SECONDARY ? ~hash & newMask : hash & newMask);
      const no = ng * HASH_PTEG_SIZE_64 + slot * HASH_PTE_SIZE_64;
      const replace = dst.getBigUint64(no, false);
      if (replace & HPTE64_V_VALID && replace & HPTE64_V_BOLTED) return H_PTEG_FULL; // bolted collision
      dst.setBigUint64(no, pte0, false);
      dst.setBigUint64(no + 8, pte1, false);
    }
  }
  return table;
}

export function registerHptResizeHcalls<M extends ResizeMachine>(h: HcallTable<M>): void {
  h.register(H_RESIZE_HPT_PREPARE, hResizeHptPrepare);
  h.register(H_RESIZE_HPT_COMMIT, hResizeHptCommit);
}
