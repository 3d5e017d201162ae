// Guest RAM: one ArrayBuffer, big-endian or little-endian accessors, a dirty-page bitmap for
// migration (one bit per 4 KiB target page, as QEMU's TARGET_PAGE_BITS = 12 on ppc64) and a
// per-page "holds decoded code" bitmap so the interpreter's decode cache is invalidated when
// a page it translated is written.

export const TARGET_PAGE_BITS = 12;
export const TARGET_PAGE_SIZE = 1 << TARGET_PAGE_BITS;

export class GuestRam {
  readonly size: number;
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

  constructor(size: number) {
    if (size % TARGET_PAGE_SIZE !== 0) throw new Error(`RAM size ${size} is not a multiple of ${TARGET_PAGE_SIZE}`);
    this.size = size;
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.pages = size >>> TARGET_PAGE_BITS;
    this.dirty = new Uint32Array((this.pages + 31) >>> 5);
    this.writeStamp = new Uint32Array(this.pages);
    this.codePages = new Uint32Array((this.pages + 31) >>> 5);
  }

  /** True when [addr, addr+len) lies inside RAM. */
  contains(addr: number, len: number): boolean {
    return addr >= 0 && addr + len <= this.size;
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

  markAllDirty(): void {
    this.dirty.fill(0xffffffff);
    const extra = this.dirty.length * 32 - this.pages;
    if (extra) this.dirty[this.dirty.length - 1] >>>= extra;
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
