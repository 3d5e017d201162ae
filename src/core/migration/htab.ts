// The "spapr/htab" live section (hw/ppc/spapr.c htab_save_* / htab_load, QEMU 7.2), version 1.
// With a table, the first pass sends every valid HPTE and later passes the entries marked
// dirty (HPTE64_V_HPTE_DIRTY, 0x40 in pte0's low byte, set by every hcall that changes an
// entry), valid ones and then invalid ones, cleaning the mark as they go; without a table it
// sends the size and no entries. On load it validates the chunk structure and hands the
// entries to a callback.
//
// Wire format:
//   START     be32 htab_shift (0xffffffff: no HPT)
//   PART/END  be32 0 (0xffffffff: no HPT), then chunks
//               { be32 index, be16 n_valid, be16 n_invalid, n_valid x 16-byte HPTE }
//             ended by be32 0, be16 0, be16 0
//
// API
//   class HtabMigration implements SaveVMHandlers
//     constructor({ htabShift, onShift?, onHpte? })
//       htabShift  log2 of the HPT size (21 for 256 MiB of RAM); 0 = no HPT
//       onShift    loading: the size announced by START (0 = HPT freed)
//       onHpte     loading: entry `index` is `hpte` (16 bytes) or invalid (null)
//   register_htab(reg, h, opts) registers it as idstr "spapr/htab", instance 0, version 1

import { QEMUFileWriter, type QEMUFileReader } from '../vmstate/qemufile';
import type { RegisterOpts, SaveStateEntry, SaveVMHandlers, SaveVMRegistry } from '../vmstate/savevm';
import { EINVAL, type ErrorLog } from '../vmstate/vmstate';

export const HTAB_IDSTR = 'spapr/htab';
export const HTAB_VERSION = 1;
export const HASH_PTE_SIZE_64 = 16;
const NO_HPT = 0xffffffff;

/** What the section reads of the machine's hashed page table (SpaprHpt). */
export interface HtabTable {
  readonly htabShift: number;
  readonly nEntries: number;
  /** The raw table, big-endian, 16 bytes per HPTE. */
  readonly u8: Uint8Array;
}

const HPTE64_V_VALID = 0x01;
const HPTE64_V_HPTE_DIRTY = 0x40;
/** Chunks are at most USHRT_MAX entries (their counts are be16). */
const MAX_CHUNK = 0xffff;

export interface HtabOptions {
  htabShift: number;
  /** Source side: the table to send (entries are sent as they are in it). */
  table?: HtabTable;
  onShift?: (shift: number) => void;
  onHpte?: (index: number, hpte: Uint8Array | null) => void;
}

export class HtabMigration implements SaveVMHandlers {
  htabShift: number;
  /** Entries received so far (valid, invalid). */
  readonly loaded = { valid: 0, invalid: 0, chunks: 0 };
  private firstPass = true;
  /** Loading: the PART/END header was read and committed; chunks follow. */
  private inChunks = false;

  constructor(private opts: HtabOptions) {
    this.htabShift = opts.htabShift;
  }

  private endMarker(w: QEMUFileWriter): void {
    w.be32(0);
    w.be16(0);
    w.be16(0);
  }

  save_setup(w: QEMUFileWriter): number {
    w.be32(this.htabShift ? this.htabShift : NO_HPT);
    this.firstPass = true;
    if (this.opts.table) HtabMigration.warmUpPasses();
    return 0;
  }

  /** 0 while the first pass over the table is in progress (as QEMU), 1 afterwards. */
  save_live_iterate(w: QEMUFileWriter): number {
    if (!this.htabShift) {
      w.be32(NO_HPT);
      return 1;
    }
    w.be32(0);
    if (this.firstPass) this.sendFirstPass(w);
    else this.sendDirty(w);
    this.endMarker(w);
    const rc = this.firstPass ? 0 : 1;
    this.firstPass = false;
    return rc;
  }

  save_live_complete_precopy(w: QEMUFileWriter): number {
    if (!this.htabShift) {
      w.be32(NO_HPT);
      return 0;
    }
    w.be32(0);
    // QEMU runs the later pass after the first one too; it finds nothing then (the first
    // pass cleans every entry and the guest is stopped), so it is skipped here
    if (this.firstPass) {
      this.sendFirstPass(w);
      this.firstPass = false;
    } else {
      this.sendDirty(w);
    }
    this.endMarker(w);
    return 0;
  }

  /** htab_save_first_pass: runs of valid entries; invalid ones are only cleaned. */
  private sendFirstPass(w: QEMUFileWriter): void {
    const t = this.opts.table;
    if (t) firstPass(w, t.u8, t.nEntries);
  }

  /** htab_save_later_pass: runs of dirty valid entries followed by dirty invalid ones. */
  private sendDirty(w: QEMUFileWriter): void {
    const t = this.opts.table;
    if (t) laterPass(w, t.u8, t.nEntries);
  }

  /**
   * Both passes over a scratch table, at setup: a pass over a whole table runs once per
   * migration, often first in the stop-and-copy (the first pass waits for RAM's), where an
   * interpreted loop over 131072 entries would cost the guest milliseconds of downtime. This
   * way the JIT has seen the loops before.
   */
  private static warmUpPasses(): void {
    const entries = 4096;
    const u8 = new Uint8Array(entries * HASH_PTE_SIZE_64);
    for (let i = 0; i < entries; i++) u8[i * HASH_PTE_SIZE_64 + 7] = HPTE64_V_HPTE_DIRTY | (i % 7 === 0 ? HPTE64_V_VALID : 0);
    const w = new QEMUFileWriter(1 << 16);
    for (let k = 0; k < 2; k++) {
      firstPass(w, u8, entries);
      for (let i = 0; i < entries; i += 3) u8[i * HASH_PTE_SIZE_64 + 7] |= HPTE64_V_HPTE_DIRTY;
      laterPass(w, u8, entries);
      w.take();
    }
  }

  load_state(r: QEMUFileReader, version_id: number, errors: ErrorLog): number {
    if (version_id !== HTAB_VERSION) {
      errors.report('htab_load() bad version');
      return -EINVAL;
    }
    if (!this.inChunks) {
      const hdr = r.be32();
      if (hdr === NO_HPT) {
        this.htabShift = 0;
        this.opts.onShift?.(0);
        return 0;
      }
      if (hdr) {
        // the first section gives the size
        this.htabShift = hdr;
        this.opts.onShift?.(hdr);
        return 0;
      }
      this.inChunks = true;
      r.commit();
    }
    const entries = this.htabShift > 0 && this.htabShift < 64 ? 2 ** this.htabShift / HASH_PTE_SIZE_64 : 0;
    for (;;) {
      const index = r.be32();
      const nValid = r.be16();
      const nInvalid = r.be16();
      if (index === 0 && nValid === 0 && nInvalid === 0) break; // also what end of file reads
      if (index + nValid + nInvalid > entries) {
        this.inChunks = false;
        errors.report(`htab_load() bad index ${index | 0} (${(nValid << 16) >> 16}+${(nInvalid << 16) >> 16} entries) in htab stream (htab_shift=${this.htabShift})`);
        return -EINVAL;
      }
      const data = r.bytes(nValid * HASH_PTE_SIZE_64);
      const cb = this.opts.onHpte;
      if (cb) {
        for (let k = 0; k < nValid; k++) cb(index + k, data.slice(k * HASH_PTE_SIZE_64, (k + 1) * HASH_PTE_SIZE_64));
        for (let k = 0; k < nInvalid; k++) cb(index + nValid + k, null);
      }
      this.loaded.valid += nValid;
      this.loaded.invalid += nInvalid;
      this.loaded.chunks++;
      r.commit();
    }
    this.inChunks = false;
    r.commit();
    return 0;
  }
}

// The passes as plain functions of the table's bytes (what the JIT sees is the same for
// every table). Byte 7 of an entry holds HPTE64_V_VALID and HPTE64_V_HPTE_DIRTY.

function chunk(w: QEMUFileWriter, u8: Uint8Array, start: number, nValid: number, nInvalid: number): void {
  w.be32(start);
  w.be16(nValid);
  w.be16(nInvalid);
  w.bytes(u8.subarray(start * HASH_PTE_SIZE_64, (start + nValid) * HASH_PTE_SIZE_64));
}

function firstPass(w: QEMUFileWriter, u8: Uint8Array, nEntries: number): void {
  let i = 0;
  while (i < nEntries) {
    let o = i * HASH_PTE_SIZE_64 + 7;
    while (i < nEntries && !(u8[o] & HPTE64_V_VALID)) { u8[o] &= ~HPTE64_V_HPTE_DIRTY; i++; o += HASH_PTE_SIZE_64; }
    const start = i;
    while (i < nEntries && i - start < MAX_CHUNK && (u8[o] & HPTE64_V_VALID)) { u8[o] &= ~HPTE64_V_HPTE_DIRTY; i++; o += HASH_PTE_SIZE_64; }
    if (i > start) chunk(w, u8, start, i - start, 0);
  }
}

function laterPass(w: QEMUFileWriter, u8: Uint8Array, nEntries: number): void {
  const DIRTY = HPTE64_V_HPTE_DIRTY, VALID = HPTE64_V_VALID;
  let i = 0;
  while (i < nEntries) {
    let o = i * HASH_PTE_SIZE_64 + 7;
    while (i < nEntries && !(u8[o] & DIRTY)) { i++; o += HASH_PTE_SIZE_64; }
    const start = i;
    while (i < nEntries && i - start < MAX_CHUNK && (u8[o] & (DIRTY | VALID)) === (DIRTY | VALID)) { u8[o] &= ~DIRTY; i++; o += HASH_PTE_SIZE_64; }
    const nValid = i - start;
    const invStart = i;
    while (i < nEntries && i - invStart < MAX_CHUNK && (u8[o] & (DIRTY | VALID)) === DIRTY) { u8[o] &= ~DIRTY; i++; o += HASH_PTE_SIZE_64; }
    const nInvalid = i - invStart;
    if (nValid || nInvalid) chunk(w, u8, start, nValid, nInvalid);
  }
}

/** register_savevm_live("spapr/htab", 0, 1, ...) */
export function register_htab(reg: SaveVMRegistry, h: HtabMigration, opts: RegisterOpts = {}): SaveStateEntry {
  return reg.register_savevm_live(HTAB_IDSTR, 0, HTAB_VERSION, h, opts);
}
