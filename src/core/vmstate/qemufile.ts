// QEMUFile-like byte streams for the migration format (migration/qemu-file.c): every integer
// is big-endian; strings are "counted" (u8 length + bytes, no NUL).
//
// API
//   class QEMUFileWriter        growable output buffer
//     u8(v) be16(v) be32(v) be64(v: number | bigint) bytes(b) zeros(n) countedString(s)
//     length            bytes held now (not yet taken)
//     transferred       bytes ever written (like qemu_file_transferred(); survives take())
//     take()            hands out the bytes held so far as one chunk and empties the writer
//   class QEMUFileReader        reader over buffered bytes
//     u8() be16() be32() be64() be64Words() bytes(n) skip(n) countedString()
//     peekU8(off) peekBytes(n, off) remaining pos
//     commit()          marks a resume point (the incremental loader restarts there)
//     eof               when true, a short read returns zeros and sets `error` to -EIO (how
//                       QEMU's qemu_get_* behave at the end of a file); when false it throws
//                       NeedMoreData, the signal that the loader must wait for more bytes.
//   class NeedMoreData / NEED_MORE   the "data ran out" signal (one shared instance)
//   latin1(bytes) / latin1Bytes(s)   byte <-> string without any charset interpretation

/** Thrown by QEMUFileReader when a read needs bytes that have not arrived yet. */
export class NeedMoreData extends Error {
  constructor() {
    super('migration stream: more data needed');
    this.name = 'NeedMoreData';
  }
}

/** The one instance thrown (no stack trace per short read). */
export const NEED_MORE = new NeedMoreData();

const EIO = 5;

/** Bytes to a string, one char per byte (QEMU's idstr and names are plain C strings). */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) {
    s += String.fromCharCode.apply(null, Array.from(b.subarray(i, i + 4096)));
  }
  return s;
}

/** A string to bytes, one byte per char (chars above 0xff are truncated). */
export function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export class QEMUFileWriter {
  private buf: Uint8Array;
  private len = 0;
  private taken = 0;

  constructor(initial = 65536) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }

  /** Bytes held now. */
  get length(): number { return this.len; }

  /** Bytes ever written to this writer, including those already taken. */
  get transferred(): number { return this.taken + this.len; }

  private reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
  }

  be16(v: number): void {
    this.reserve(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
  }

  be32(v: number): void {
    this.reserve(4);
    const b = this.buf;
    let p = this.len;
    b[p++] = (v >>> 24) & 0xff;
    b[p++] = (v >>> 16) & 0xff;
    b[p++] = (v >>> 8) & 0xff;
    b[p++] = v & 0xff;
    this.len = p;
  }

  /** A 64-bit value from a BigInt (truncated to 64 bits) or a safe-integer number. */
  be64(v: number | bigint): void {
    if (typeof v === 'bigint') {
      const u = BigInt.asUintN(64, v);
      this.be32(Number(u >> 32n));
      this.be32(Number(u & 0xffffffffn));
    } else {
      const hi = Math.floor(v / 0x100000000);
      this.be32(hi | 0);
      this.be32((v - hi * 0x100000000) | 0);
    }
  }

  /** A 64-bit value given as two 32-bit halves. */
  be64Words(hi: number, lo: number): void {
    this.be32(hi);
    this.be32(lo);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }

  /** u8 length + bytes (qemu_put_counted_string). */
  countedString(s: string): void {
    const b = latin1Bytes(s);
    if (b.length > 255) throw new RangeError(`counted string too long: ${s.length}`);
    this.u8(b.length);
    this.bytes(b);
  }

  /** The bytes held so far, as a fresh chunk; the writer starts empty again. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.taken += this.len;
    this.len = 0;
    return out;
  }

  /** A view of the bytes held now (valid until the next write). */
  peekAll(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

export class QEMUFileReader {
  buf: Uint8Array;
  pos = 0;
  /** Resume point: the incremental loader rewinds here when data runs out. */
  mark = 0;
  /** At end of input, short reads yield zeros and set `error` instead of throwing. */
  eof = false;
  /** Sticky stream error (negative errno), like qemu_file_get_error(). */
  error = 0;
  /** After NeedMoreData: the buffer length the failed read needed. */
  wanted = 0;

  constructor(buf: Uint8Array = new Uint8Array(0)) {
    this.buf = buf;
  }

  get remaining(): number { return this.buf.length - this.pos; }

  /** Record the current position as the resume point. */
  commit(): void { this.mark = this.pos; }

  /** True when n bytes can be read; otherwise throws NeedMoreData, or (at eof) sets error. */
  private need(n: number): boolean {
    if (this.pos + n <= this.buf.length) return true;
    if (!this.eof) { this.wanted = this.pos + n; throw NEED_MORE; }
    if (!this.error) this.error = -EIO;
    return false;
  }

  u8(): number {
    if (!this.need(1)) { this.pos = this.buf.length; return 0; }
    return this.buf[this.pos++];
  }

  be16(): number {
    if (!this.need(2)) { this.pos = this.buf.length; return 0; }
    const b = this.buf, p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  /** Unsigned 32-bit value. */
  be32(): number {
    if (!this.need(4)) { this.pos = this.buf.length; return 0; }
    const b = this.buf, p = this.pos;
    this.pos = p + 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /** Unsigned 64-bit value as a BigInt. */
  be64(): bigint {
    const hi = this.be32();
    const lo = this.be32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A 64-bit value as [hi, lo] unsigned 32-bit halves (no BigInt). */
  be64Words(): [number, number] {
    const hi = this.be32();
    const lo = this.be32();
    return [hi, lo];
  }

  /**
   * n bytes as a view into the buffer (copy it to keep it). At eof a short read gives zeros
   * (at most 64 MiB of them: a corrupt length must not exhaust memory).
   */
  bytes(n: number): Uint8Array {
    if (!this.need(n)) {
      const out = new Uint8Array(Math.min(n, Math.max(this.buf.length - this.pos, 1 << 26)));
      out.set(this.buf.subarray(this.pos));
      this.pos = this.buf.length;
      return out;
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    if (!this.need(n)) { this.pos = this.buf.length; return; }
    this.pos += n;
  }

  /** u8 length + bytes (qemu_get_counted_string). */
  countedString(): string {
    const n = this.u8();
    return latin1(this.bytes(n));
  }

  /** The byte at pos+off without consuming it (qemu_peek_byte). At eof, 0 past the end. */
  peekU8(off = 0): number {
    if (this.pos + off < this.buf.length) return this.buf[this.pos + off];
    if (!this.eof) { this.wanted = this.pos + off + 1; throw NEED_MORE; }
    return 0;
  }

  /** n bytes at pos+off without consuming them; at eof, may return fewer. */
  peekBytes(n: number, off = 0): Uint8Array {
    const start = this.pos + off;
    if (start + n > this.buf.length) {
      if (!this.eof) { this.wanted = start + n; throw NEED_MORE; }
      return this.buf.subarray(Math.min(start, this.buf.length));
    }
    return this.buf.subarray(start, start + n);
  }
}
