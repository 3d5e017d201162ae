// The "ram" live section (migration/ram.c, QEMU 7.2) for the RAM blocks of a pseries machine
// over a GuestRam: "ppc_spapr.ram" and one block per plugged pc-dimm (named by its memdev),
// in ram_list order (largest first).
//
// Wire format: every record starts with a be64 whose low 12 bits are RAM_SAVE_FLAG_* and
// whose other bits are the page offset in the block (or a byte count for MEM_SIZE).
//   START  MEM_SIZE|total, then per block: u8 len, idstr, be64 used_length; then EOS
//   PART   dirty pages (ZERO + 1 fill byte, or PAGE + 4096 bytes), then EOS
//   END    every page still dirty, then EOS
// A page record's offset is in its block, and it carries the block idstr only when the block
// differs from the last one sent (the first page of a migration and of each next block; every
// other one has CONTINUE). A pass goes over the blocks in list order.
//
// API
//   class RamMigration implements SaveVMHandlers
//     constructor(ram)
//     save_setup / save_live_iterate(w, pages) / save_live_complete_precopy / save_live_pending
//     ram_bytes_total(): the bytes of every block (info migrate's total)
//     save_cleanup / load_state(r, version_id, errors)
//     stats: RamStats (normal and zero pages sent or received, bytes, rounds) and dirtyPages()
//   register_ram(reg, ram, opts) registers it as idstr "ram", instance 0, version 4
//   RAM_SAVE_FLAG_* constants

import type { GuestRam, RamBlock } from '../mem/ram';
import { TARGET_PAGE_BITS, TARGET_PAGE_SIZE } from '../mem/ram';
import type { QEMUFileReader, QEMUFileWriter } from '../vmstate/qemufile';
import type { RegisterOpts, SaveStateEntry, SaveVMHandlers, SaveVMRegistry } from '../vmstate/savevm';
import { EINVAL, type ErrorLog } from '../vmstate/vmstate';

export const RAM_SAVE_FLAG_FULL = 0x01;
export const RAM_SAVE_FLAG_ZERO = 0x02;
export const RAM_SAVE_FLAG_MEM_SIZE = 0x04;
export const RAM_SAVE_FLAG_PAGE = 0x08;
export const RAM_SAVE_FLAG_EOS = 0x10;
export const RAM_SAVE_FLAG_CONTINUE = 0x20;
export const RAM_SAVE_FLAG_XBZRLE = 0x40;
export const RAM_SAVE_FLAG_HOOK = 0x80;
export const RAM_SAVE_FLAG_COMPRESS_PAGE = 0x100;

const PAGE_MASK_LO = ~(TARGET_PAGE_SIZE - 1);
const ENCODING_FLAG_XBZRLE = 0x1;

export const RAM_IDSTR = 'ram';
export const RAM_VERSION = 4;

export interface RamStats {
  /** Pages sent (or received) in full. */
  normalPages: number;
  /** Pages sent (or received) as ZERO records (QEMU's "duplicate"). */
  zeroPages: number;
  /** Bytes of ram section payload written (or read). */
  bytes: number;
  /** Completed passes over RAM by save_live_iterate. */
  rounds: number;
  /** save_live_iterate calls. */
  iterations: number;
}

function hex(n: number): string {
  return n.toString(16);
}

/** Cells of the re-sent pages heat map (RAM in equal stretches). */
export const HEAT_CELLS = 256;

/** First and one-past-last guest-physical page of a block. */
function pagesOf(b: RamBlock): [number, number] {
  const first = b.offset / TARGET_PAGE_SIZE;
  return [first, first + b.length / TARGET_PAGE_SIZE];
}

export class RamMigration implements SaveVMHandlers {
  readonly stats: RamStats = { normalPages: 0, zeroPages: 0, bytes: 0, rounds: 0, iterations: 0 };
  /** The block the iteration is in (index in ram.blocks) and the page it scans from. */
  private blockIdx = 0;
  private cursor = 0;
  private lastSentBlock: RamBlock | null = null;
  private lastRecvBlock: RamBlock | null = null;
  /** RAM as 32-bit words, for the zero-page test. */
  private readonly words: Int32Array;
  /**
   * Destination: pages that may hold non-zero bytes (bit set), found by one scan when the
   * first page record arrives and kept up to date by the load, so a zero-page record for a
   * page that is zero already costs nothing (QEMU's buffer_is_zero test, done once).
   */
  private nonZero: Uint32Array | null = null;

  /** Source: pages sent at least once (a page sent again was written during the migration). */
  private sentOnce: Uint32Array;
  /**
   * Source: per page, the RAM's write clock (GuestRam.markWrites) when a look ahead of the
   * pass found it all zeros; 0 for none. While the page's writeStamp is not above it, the
   * page is still zero and goes out as a ZERO record without being read again. This moves
   * the zero-page test of the pages the stop-and-copy will send into the live phase.
   */
  private zeroSeen: Uint32Array;
  /** Source: the next page the look ahead examines (it goes over RAM once per migration). */
  private lookahead = 0;
  /**
   * Source: pages of the machine's RAM block sent again, per stretch of it (HEAT_CELLS cells
   * of `heatPagesPerCell` pages): where the guest kept writing while it was migrated.
   */
  readonly resent = new Uint32Array(HEAT_CELLS);
  readonly heatPagesPerCell: number;

  constructor(readonly ram: GuestRam) {
    this.words = new Int32Array(ram.buffer);
    this.sentOnce = new Uint32Array((ram.pages + 31) >>> 5);
    this.zeroSeen = new Uint32Array(ram.pages);
    this.heatPagesPerCell = Math.max(1, Math.ceil(ram.size / TARGET_PAGE_SIZE / HEAT_CELLS));
  }

  /** Count a page being sent; a second send means the guest wrote it again. */
  private noteSent(page: number): void {
    const w = page >>> 5, bit = 1 << (page & 31);
    if (!(this.sentOnce[w] & bit)) this.sentOnce[w] |= bit;
    else if (page < this.ram.size / TARGET_PAGE_SIZE) this.resent[Math.floor(page / this.heatPagesPerCell)]++;
  }

  /** buffer_is_zero() over one target page. */
  private pageIsZero(page: number): boolean {
    const w = this.words;
    let i = page << (TARGET_PAGE_BITS - 2);
    const end = i + (TARGET_PAGE_SIZE >>> 2);
    // a quick look at both ends first: most non-zero pages fail there
    if (w[i] | w[end - 1]) return false;
    for (; i < end; i += 8) {
      if (w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7]) return false;
    }
    return true;
  }

  private scanNonZero(): Uint32Array {
    const map = new Uint32Array((this.ram.pages + 31) >>> 5);
    for (const b of this.ram.blocks) {
      const [first, end] = pagesOf(b);
      for (let p = first; p < end; p++) if (!this.pageIsZero(p)) map[p >>> 5] |= 1 << (p & 31);
    }
    return map;
  }

  load_setup(): number {
    this.nonZero = null;
    this.lastRecvBlock = null;
    return 0;
  }

  load_cleanup(): void {
    this.nonZero = null;
  }

  /** Pages still dirty. */
  dirtyPages(): number {
    return this.ram.countDirty();
  }

  // ---- source -------------------------------------------------------------------------

  /** Start dirty logging, mark every page dirty, and send the block list. */
  save_setup(w: QEMUFileWriter): number {
    const before = w.transferred;
    const blocks = this.ram.blocks;
    this.ram.logDirty = true;
    this.ram.markAllDirty();
    this.rewind();
    this.lastSentBlock = null;
    this.zeroSeen.fill(0);
    this.lookahead = 0;
    // ram_bytes_total, then each block's idstr and used_length
    w.be64(this.ram_bytes_total() + RAM_SAVE_FLAG_MEM_SIZE);
    for (const b of blocks) {
      w.countedString(b.idstr);
      w.be64(b.length);
    }
    w.be64(RAM_SAVE_FLAG_EOS);
    this.stats.bytes += w.transferred - before;
    return 0;
  }

  /** ram_bytes_total: the bytes of every block this migration sends. */
  ram_bytes_total(): number {
    return this.ram.blocks.reduce((n, b) => n + b.length, 0);
  }

  /** Back to the first page of the first block. */
  private rewind(): void {
    this.blockIdx = 0;
    this.cursor = this.ram.blocks.length ? pagesOf(this.ram.blocks[0])[0] : 0;
  }

  /**
   * The next dirty page from the iteration's position, going on through the blocks in list
   * order (blockIdx follows); -1 past the last block.
   */
  private nextDirty(): number {
    const blocks = this.ram.blocks;
    while (this.blockIdx < blocks.length) {
      const [first, end] = pagesOf(blocks[this.blockIdx]);
      const p = this.findDirty(Math.max(this.cursor, first), end);
      if (p >= 0) return p;
      if (++this.blockIdx < blocks.length) this.cursor = pagesOf(blocks[this.blockIdx])[0];
    }
    return -1;
  }

  /** Send up to `budget` dirty pages; 1 when this pass over RAM reached its end, else 0. */
  save_live_iterate(w: QEMUFileWriter, budget: number): number {
    const before = w.transferred;
    this.stats.iterations++;
    let done = 0;
    let sent = 0;
    while (sent < budget) {
      const p = this.nextDirty();
      if (p < 0) {
        this.rewind();
        this.stats.rounds++;
        done = 1;
        break;
      }
      this.ram.clearDirty(p);
      this.savePage(w, this.ram.blocks[this.blockIdx], p);
      this.cursor = p + 1;
      sent++;
    }
    // twice the budget: the look ahead gains a budget on the pass at each step
    if (!done) this.lookAhead(2 * budget);
    w.be64(RAM_SAVE_FLAG_EOS);
    this.stats.bytes += w.transferred - before;
    return done;
  }

  /** Send every page still dirty (the guest is stopped), then EOS. */
  save_live_complete_precopy(w: QEMUFileWriter): number {
    const before = w.transferred;
    for (let wrapped = false; ;) {
      const p = this.nextDirty();
      if (p < 0) {
        if (wrapped) break;
        this.rewind();
        wrapped = true;
        continue;
      }
      this.ram.clearDirty(p);
      this.savePage(w, this.ram.blocks[this.blockIdx], p);
      this.cursor = p + 1;
    }
    w.be64(RAM_SAVE_FLAG_EOS);
    this.stats.bytes += w.transferred - before;
    return 0;
  }

  save_live_pending(): number {
    return this.ram.countDirty() * TARGET_PAGE_SIZE;
  }

  /** Stop dirty logging (end of the migration, successful or not). */
  save_cleanup(): void {
    this.ram.logDirty = false;
  }

  /**
   * Test up to `n` dirty pages past the cursor for zeros (the first pass only), and note
   * those that are: the pass sends them later, or the stop-and-copy does, without reading
   * them while the guest is stopped.
   */
  private lookAhead(n: number): void {
    const pages = this.ram.pages;
    let p = this.lookahead;
    if (p >= pages) return;
    const mark = this.ram.markWrites();
    for (let k = 0; k < n; k++) {
      p = this.findDirty(p, pages);
      if (p < 0) { p = pages; break; }
      if (this.pageIsZero(p)) this.zeroSeen[p] = mark;
      p++;
    }
    this.lookahead = p;
  }

  /** Whether the look ahead found the page zero and nothing stored to it since. */
  private stillZero(page: number): boolean {
    const seen = this.zeroSeen[page];
    return seen !== 0 && this.ram.writeStamp[page] <= seen;
  }

  private savePage(w: QEMUFileWriter, block: RamBlock, page: number): void {
    this.noteSent(page);
    const addr = page * TARGET_PAGE_SIZE;
    const zero = this.stillZero(page) || this.pageIsZero(page);
    let flags = zero ? RAM_SAVE_FLAG_ZERO : RAM_SAVE_FLAG_PAGE;
    if (this.lastSentBlock === block) flags |= RAM_SAVE_FLAG_CONTINUE;
    w.be64(addr - block.offset + flags);
    if (!(flags & RAM_SAVE_FLAG_CONTINUE)) {
      w.countedString(block.idstr);
      this.lastSentBlock = block;
    }
    if (zero) {
      w.u8(0);
      this.stats.zeroPages++;
    } else {
      w.bytes(this.ram.read(addr, TARGET_PAGE_SIZE));
      this.stats.normalPages++;
    }
  }

  /** First dirty page in [from, pages), or -1. */
  private findDirty(from: number, pages: number): number {
    const d = this.ram.dirty;
    if (from >= pages) return -1;
    let w = from >>> 5;
    let bits = d[w] & (~0 << (from & 31));
    for (;;) {
      if (bits) {
        const p = (w << 5) + (31 - Math.clz32(bits & -bits));
        return p < pages ? p : -1;
      }
      if (++w >= d.length) return -1;
      bits = d[w];
    }
  }

  // ---- destination --------------------------------------------------------------------

  /** ram_load_precopy: records until EOS; commits after each, so a resumed call continues. */
  load_state(r: QEMUFileReader, version_id: number, errors: ErrorLog): number {
    if (version_id !== RAM_VERSION) return -EINVAL;
    const ram = this.ram;
    for (;;) {
      const start = r.pos;
      const hi = r.be32();
      const lo = r.be32(); // at end of file: 0, so "Unknown combination ... 0x0" as in QEMU
      const flags = lo & (TARGET_PAGE_SIZE - 1);
      const addr = hi * 0x100000000 + ((lo & PAGE_MASK_LO) >>> 0);
      if (flags & RAM_SAVE_FLAG_COMPRESS_PAGE) {
        errors.report('Received an unexpected compressed page');
        return -EINVAL;
      }
      let host = -1;
      if (flags & (RAM_SAVE_FLAG_ZERO | RAM_SAVE_FLAG_PAGE | RAM_SAVE_FLAG_XBZRLE)) {
        const block = this.blockFromStream(r, flags, errors);
        if (block && addr < block.length) host = block.offset + addr;
        if (host < 0) {
          errors.report(`Illegal RAM offset ${hex(addr)}`);
          return -EINVAL;
        }
      }
      let ret = 0;
      switch (flags & ~RAM_SAVE_FLAG_CONTINUE) {
        case RAM_SAVE_FLAG_MEM_SIZE:
          ret = this.loadBlockList(r, BigInt(hi) << 32n | BigInt((lo & PAGE_MASK_LO) >>> 0), errors);
          break;
        case RAM_SAVE_FLAG_ZERO: {
          const ch = r.u8();
          if (r.error) break;
          const nz = this.nonZero ??= this.scanNonZero();
          const p = host >>> TARGET_PAGE_BITS, bit = 1 << (p & 31);
          if (ch !== 0 || (nz[p >>> 5] & bit)) {
            ram.u8.fill(ch, host, host + TARGET_PAGE_SIZE);
            ram.touch(host, TARGET_PAGE_SIZE);
            if (ch) nz[p >>> 5] |= bit;
            else nz[p >>> 5] &= ~bit;
          }
          this.stats.zeroPages++;
          break;
        }
        case RAM_SAVE_FLAG_PAGE: {
          const data = r.bytes(TARGET_PAGE_SIZE);
          if (r.error) break;
          ram.write(host, data);
          const nz = this.nonZero ??= this.scanNonZero();
          const p = host >>> TARGET_PAGE_BITS;
          nz[p >>> 5] |= 1 << (p & 31);
          this.stats.normalPages++;
          break;
        }
        case RAM_SAVE_FLAG_XBZRLE:
          if (this.loadXbzrle(r, host, errors) < 0) {
            errors.report(`Failed to decompress XBZRLE page at ${hex(addr)}`);
            ret = -EINVAL;
          }
          break;
        case RAM_SAVE_FLAG_EOS:
          this.stats.bytes += r.pos - start;
          r.commit();
          return 0;
        default:
          // RAM_SAVE_FLAG_HOOK needs an RDMA hook on this side: a silent -EINVAL in QEMU
          if (!(flags & RAM_SAVE_FLAG_HOOK)) errors.report(`Unknown combination of migration flags: 0x${hex(flags)}`);
          ret = -EINVAL;
      }
      if (!ret && r.error) ret = r.error;
      if (ret) return ret;
      this.stats.bytes += r.pos - start;
      r.commit();
    }
  }

  /** ram_block_from_stream: the block named by the record, or the last one for CONTINUE. */
  private blockFromStream(r: QEMUFileReader, flags: number, errors: ErrorLog): RamBlock | null {
    if (flags & RAM_SAVE_FLAG_CONTINUE) {
      if (!this.lastRecvBlock) errors.report('Ack, bad migration stream!');
      return this.lastRecvBlock;
    }
    const id = r.countedString();
    const block = this.ram.blocks.find((b) => b.idstr === id);
    if (!block) {
      errors.report(`Can't find block ${id}`);
      return null;
    }
    this.lastRecvBlock = block;
    return block;
  }

  private loadBlockList(r: QEMUFileReader, total: bigint, errors: ErrorLog): number {
    let ret = 0;
    while (!ret && total !== 0n) {
      const id = r.countedString();
      const length = r.be64();
      const block = this.ram.blocks.find((b) => b.idstr === id);
      if (block) {
        if (length !== BigInt(block.length)) {
          // qemu_ram_resize() on a block that cannot be resized
          errors.report(`Size mismatch: ${id}: 0x${length.toString(16)} != 0x${hex(block.length)}: Invalid argument`);
          ret = -EINVAL;
        }
      } else {
        errors.report(`Unknown ramblock "${id}", cannot accept migration`);
        ret = -EINVAL;
      }
      total = BigInt.asUintN(64, total - length);
    }
    return ret;
  }

  /** load_xbzrle + xbzrle_decode_buffer: zero-run/non-zero-run pairs over the current page. */
  private loadXbzrle(r: QEMUFileReader, host: number, errors: ErrorLog): number {
    const xhFlags = r.u8();
    const xhLen = r.be16();
    if (xhFlags !== ENCODING_FLAG_XBZRLE) {
      errors.report('Failed to load XBZRLE page - wrong compression!');
      return -1;
    }
    if (xhLen > TARGET_PAGE_SIZE) {
      errors.report('Failed to load XBZRLE page - len overflow!');
      return -1;
    }
    const src = r.bytes(xhLen);
    const page = this.ram.u8.subarray(host, host + TARGET_PAGE_SIZE);
    const uleb = (at: number): [number, number] => {
      if (!(src[at] & 0x80)) return [src[at], 1];
      if (src[at + 1] & 0x80) return [-1, 0];
      return [(src[at] & 0x7f) | (src[at + 1] << 7), 2];
    };
    let i = 0, d = 0;
    while (i < xhLen) {
      if (xhLen - i < 2) return this.xbzrleError(errors);
      let [count, n] = uleb(i);
      if (n === 0 || (i && !count)) return this.xbzrleError(errors);
      i += n;
      d += count;
      if (d > TARGET_PAGE_SIZE) return this.xbzrleError(errors);
      if (xhLen - i < 2) return this.xbzrleError(errors);
      [count, n] = uleb(i);
      if (n === 0 || !count) return this.xbzrleError(errors);
      i += n;
      if (d + count > TARGET_PAGE_SIZE || i + count > xhLen) return this.xbzrleError(errors);
      page.set(src.subarray(i, i + count), d);
      d += count;
      i += count;
    }
    this.ram.touch(host, TARGET_PAGE_SIZE);
    const nz = this.nonZero ??= this.scanNonZero();
    const p = host >>> TARGET_PAGE_BITS;
    nz[p >>> 5] |= 1 << (p & 31);
    this.stats.normalPages++;
    return 0;
  }

  private xbzrleError(errors: ErrorLog): number {
    errors.report('Failed to load XBZRLE page - decode error!');
    return -1;
  }
}

/** register_savevm_live("ram", 0, 4, ...) */
export function register_ram(reg: SaveVMRegistry, rm: RamMigration, opts: RegisterOpts = {}): SaveStateEntry {
  return reg.register_savevm_live(RAM_IDSTR, 0, RAM_VERSION, rm, opts);
}
