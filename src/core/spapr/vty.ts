// spapr-vty (hw/char/spapr_vty.c): the hypervisor console. The guest writes with
// H_PUT_TERM_CHAR and reads with H_GET_TERM_CHAR; characters travel big-endian packed in
// two registers, up to 16 per call. Input goes through a 16-byte ring (`buf`, `in`, `out`)
// like QEMU's VTY_BUFSIZE; what does not fit waits in the character backend.

export const VTY_BUFSIZE = 16;

/** Fields of the "spapr_vio" struct every VIO device carries (VMSTATE_SPAPR_VIO). */
export interface SpaprVioDevice {
  /** Node name in /vdevice, e.g. "vty@71000001"; the vmstate idstr is "<name>/<type>". */
  readonly dtName: string;
  reg: number;
  irq: number;
  signal_state: bigint;
  crq: { qladdr: bigint; qsize: number; qnext: number };
}

export class SpaprVty implements SpaprVioDevice {
  reg: number;
  irq: number;
  signal_state = 0n;
  crq = { qladdr: 0n, qsize: 0, qnext: 0 };
  in = 0;
  out = 0;
  readonly buf = new Uint8Array(VTY_BUFSIZE);
  /** The character backend: bytes typed but not yet accepted by the ring. */
  private backlog: number[] = [];
  /** spapr_vio_irq_pulse: raised when input arrives into an empty buffer. */
  onIrqPulse: () => void = () => {};
  /** Guest output sink (the chardev). */
  onOutput: (bytes: Uint8Array) => void = () => {};

  constructor(reg: number, irq: number) {
    this.reg = reg;
    this.irq = irq;
  }

  get dtName(): string { return `vty@${this.reg.toString(16)}`; }

  /** Chardev side: queue input; it enters the ring as space allows. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.backlog.push(b);
    this.acceptInput();
  }

  /** vty_can_receive + vty_receive: move backlog into the ring. */
  acceptInput(): void {
    // vty_receive: toggle the line to simulate an edge when the ring was empty
    if (this.in === this.out && this.backlog.length) this.onIrqPulse();
    while (this.backlog.length && ((this.in - this.out) >>> 0) < VTY_BUFSIZE) {
      this.buf[this.in % VTY_BUFSIZE] = this.backlog.shift()!;
      this.in = (this.in + 1) >>> 0;
    }
  }

  /** vty_putchars */
  putchars(bytes: Uint8Array): void {
    this.onOutput(bytes);
  }

  /** vty_getchars: up to `max` bytes; stops before a NUL that follows a CR. */
  getchars(max: number): Uint8Array {
    const out: number[] = [];
    while (out.length < max && this.out !== this.in) {
      const c = this.buf[this.out % VTY_BUFSIZE];
      if (c === 0 && out.length > 0 && out[out.length - 1] === 0x0d) break;
      out.push(c);
      this.out = (this.out + 1) >>> 0;
    }
    this.acceptInput();
    return Uint8Array.from(out);
  }

  pendingInput(): number {
    return ((this.in - this.out) >>> 0) + this.backlog.length;
  }

  reset(): void {
    // QEMU's vty has no reset handler: the ring survives a machine reset.
  }
}

/** Pack up to 16 bytes into two big-endian 64-bit register values. */
export function packTermChars(b: Uint8Array): [bigint, bigint] {
  const words = [0n, 0n];
  for (let i = 0; i < 16; i++) {
    const v = BigInt(i < b.length ? b[i] : 0);
    words[i >> 3] |= v << BigInt(56 - 8 * (i & 7));
  }
  return [words[0], words[1]];
}

/** Unpack `len` bytes from two big-endian 64-bit register values. */
export function unpackTermChars(hi: bigint, lo: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const w = i < 8 ? hi : lo;
    out[i] = Number((w >> BigInt(56 - 8 * (i & 7))) & 0xffn);
  }
  return out;
}
