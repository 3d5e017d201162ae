// Guest RAM: one ArrayBuffer, big-endian or little-endian accessors, a dirty-page bitmap for
// migration (one bit per 4 KiB target page, as QEMU's TARGET_PAGE_BITS = 12 on ppc64) and a
// per-page "holds decoded code" bitmap so the interpreter's decode cache is invalidated when
// a page it translated is written.
//
// The buffer spans guest-physical addresses [0, span): the machine's RAM ("ppc_spapr.ram",
// [0, size)) and, with -m ...,maxmem=, the device memory region above it, where each plugged
// pc-dimm maps its backend's RAM block. Addresses of the region no DIMM holds are unassigned:
// present() says no, and the vCPUs read zeros there and lose stores, as on QEMU. The blocks
// are kept in QEMU's ram_list order (largest first), the order a migration sends them in.

export const TARGET_PAGE_BITS = 12;
export const TARGET_PAGE_SIZE = 1 << TARGET_PAGE_BITS;

/** A RAM block: QEMU's RAMBlock idstr, where it is mapped, and its length (bytes). */
export interface RamBlock {
  readonly idstr: string;
  readonly offset: number;
  readonly length: number;
}

/** The idstr of the machine's RAM block (spapr_machine_init: memory_region_init_ram "ppc_spapr.ram"). */
export const SPAPR_RAM_IDSTR = 'ppc_spapr.ram';

export class GuestRam {
  /** Bytes of the machine's RAM block at 0 (ram_size). */
  readonly size: number;
  /** Bytes of guest-physical address space the buffer covers (RAM and device memory). */
  readonly span: number;
  /** The mapped RAM blocks, in QEMU's ram_list order. */
  readonly blocks: RamBlock[];
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly view: DataView;
  readonly pages: number;
  /** Pages written since the last `takeDirty()` (migration's dirty log). */
  readonly dirty: Uint32Array;
  /**
   * Per page, the write clock when a store last hit it while `logDirty` was on (0: none
   * since the RAM was made). Unlike `dirty`, which also holds the pages a migration has yet
   * to send, it tells whether a page changed after a given moment (see markWrites()).
   */
  readonly writeStamp: Uint32Array;
  private writeClock = 1;
  /** Pages the interpreter holds decoded instructions for. */
  readonly codePages: Uint32Array;
  /** Called when a store hits a page with decoded code (page number). */
  onCodeWrite: (page: number) => void = () => {};
  /** Whether stores mark pages dirty (on while a migration tracks RAM). */
  logDirty = false;

  constructor(size: number, opts: { span?: number; idstr?: string } = {}) {
    const span = opts.span ?? size;
    if (size % TARGET_PAGE_SIZE !== 0) throw new Error(`RAM size ${size} is not a multiple of ${TARGET_PAGE_SIZE}`);
    if (span < size || span % TARGET_PAGE_SIZE !== 0) throw new Error(`address space of ${span} bytes cannot hold ${size} bytes of RAM`);
    this.size = size;
    this.span = span;
    this.blocks = [{ idstr: opts.idstr ?? SPAPR_RAM_IDSTR, offset: 0, length: size }];
    this.buffer = new ArrayBuffer(span);
    this.u8 = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.pages = span >>> TARGET_PAGE_BITS;
    this.dirty = new Uint32Array((this.pages + 31) >>> 5);
    this.writeStamp = new Uint32Array(this.pages);
    this.codePages = new Uint32Array((this.pages + 31) >>> 5);
  }

  /** True when [addr, addr+len) lies inside one mapped RAM block. */
  contains(addr: number, len: number): boolean {
    if (addr >= 0 && addr + len <= this.size) return true;
    for (const b of this.blocks) if (addr >= b.offset && addr + len <= b.offset + b.length) return true;
    return false;
  }

  /** Bytes from `addr` to the end of the mapped block holding it (0: unassigned). */
  extent(addr: number): number {
    if (addr >= 0 && addr < this.size) return this.size - addr;
    const b = this.blocks.find((x) => addr >= x.offset && addr < x.offset + x.length);
    return b ? b.offset + b.length - addr : 0;
  }

  /**
   * Map a RAM block at [offset, offset+length) of the device memory (a pc-dimm plugged),
   * filled with `content` (its backend's bytes) or zeros. It takes its place in ram_list:
   * before the first smaller block (qemu_ram_alloc_internal keeps the list largest first).
   */
  plug(idstr: string, offset: number, length: number, content?: Uint8Array): void {
    if (offset < this.size || offset + length > this.span || offset % TARGET_PAGE_SIZE || length % TARGET_PAGE_SIZE) {
      throw new Error(`RAM block ${idstr} [0x${offset.toString(16)}, +0x${length.toString(16)}) is outside the device memory`);
    }
    if (this.blocks.some((b) => b.idstr === idstr || (offset < b.offset + b.length && b.offset < offset + length))) {
      throw new Error(`RAM block ${idstr} overlaps a mapped block`);
    }
    const at = this.blocks.findIndex((b) => b.length < length);
    this.blocks.splice(at < 0 ? this.blocks.length : at, 0, { idstr, offset, length });
    if (content) this.u8.set(content.subarray(0, length), offset);
    this.touch(offset, length);
  }

  /**
   * Unmap the block `idstr` (its pc-dimm unplugged): returns its bytes, for the backend to
   * keep, and leaves the range unassigned (zeros).
   */
  unplug(idstr: string): Uint8Array {
    const i = this.blocks.findIndex((b) => b.idstr === idstr && b.offset !== 0);
    if (i < 0) throw new Error(`no RAM block ${idstr} to unplug`);
    const b = this.blocks[i];
    this.blocks.splice(i, 1);
    const content = this.u8.slice(b.offset, b.offset + b.length);
    this.u8.fill(0, b.offset, b.offset + b.length);
    this.touch(b.offset, b.length);
    const first = b.offset >>> TARGET_PAGE_BITS, last = first + (b.length >>> TARGET_PAGE_BITS);
    for (let p = first; p < last; p++) this.dirty[p >>> 5] &= ~(1 << (p & 31));
    return content;
  }

  /** Record a store to [addr, addr+len): dirty log and code invalidation. */
  touch(addr: number, len: number): void {
    const first = addr >>> TARGET_PAGE_BITS;
    const last = (addr + len - 1) >>> TARGET_PAGE_BITS;
    for (let p = first; p <= last; p++) {
      const w = p >>> 5, b = 1 << (p & 31);
      if (this.logDirty) { this.dirty[w] |= b; this.writeStamp[p] = this.writeClock; }
      if (this.codePages[w] & b) {
        this.codePages[w] &= ~b;
        this.onCodeWrite(p);
      }
    }
  }

  ld8(a: number): number { return this.u8[a]; }
  ld16(a: number, le: boolean): number { return this.view.getUint16(a, le); }
  ld32(a: number, le: boolean): number { return this.view.getInt32(a, le); }
  st8(a: number, v: number): void { this.u8[a] = v; this.touch(a, 1); }
  st16(a: number, v: number, le: boolean): void { this.view.setUint16(a, v, le); this.touch(a, 2); }
  st32(a: number, v: number, le: boolean): void { this.view.setInt32(a, v, le); this.touch(a, 4); }

  /** Copy bytes into RAM (loaders, DMA, migration); marks pages like a store. */
  write(addr: number, data: Uint8Array): void {
    this.u8.set(data, addr);
    if (data.length) this.touch(addr, data.length);
  }

  read(addr: number, len: number): Uint8Array {
    return this.u8.subarray(addr, addr + len);
  }

  /**
   * A moment of the write clock: a page stored to afterwards (while logDirty is on) has a
   * writeStamp greater than the value returned; one not stored to since, at most it.
   */
  markWrites(): number {
    return this.writeClock++;
  }

  isDirty(page: number): boolean {
    return (this.dirty[page >>> 5] & (1 << (page & 31))) !== 0;
  }

  /** Mark every page of every mapped block dirty (the start of a migration). */
  markAllDirty(): void {
    for (const b of this.blocks) {
      let p = b.offset >>> TARGET_PAGE_BITS;
      const end = p + (b.length >>> TARGET_PAGE_BITS);
      for (; p < end && (p & 31); p++) this.dirty[p >>> 5] |= 1 << (p & 31);
      for (; p + 32 <= end; p += 32) this.dirty[p >>> 5] = 0xffffffff;
      for (; p < end; p++) this.dirty[p >>> 5] |= 1 << (p & 31);
    }
  }

  countDirty(): number {
    let n = 0;
    for (let i = 0; i < this.dirty.length; i++) {
      let v = this.dirty[i];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  clearDirty(page: number): void {
    this.dirty[page >>> 5] &= ~(1 << (page & 31));
  }

  /** True when the 4 KiB page holds only zero bytes (sent as RAM_SAVE_FLAG_ZERO). */
  isZeroPage(page: number): boolean {
    const words = new Uint32Array(this.buffer, page << TARGET_PAGE_BITS, TARGET_PAGE_SIZE >>> 2);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
}
