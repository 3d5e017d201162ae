// Transports carry the migration stream from a source to a destination as chunks. A chunk
// holds whole top-level stream records (the source flushes at record boundaries), but the
// destination's loader does not rely on it: it buffers and resumes.
//
// Flow control: the sender may have at most `window` chunks unacknowledged; the receiver
// acknowledges each chunk after it has loaded it.

export interface StreamSender {
  /** Queue a chunk; ownership of its buffer passes to the transport. */
  send(chunk: Uint8Array): void;
  /** True when another chunk may be sent now (the window is not full). */
  canSend(): boolean;
  /** Signal the end of the stream (after EOF and the vmdesc). */
  close(): void;
  /** Abort: the receiver sees an error. */
  fail(reason: string): void;
  /** Called when acknowledgements open the window again. */
  onWritable: () => void;
  /** Called when the receiver reports a failed load. */
  onPeerError: (message: string) => void;
}

export interface StreamReceiver {
  onChunk: (chunk: Uint8Array) => void;
  onClose: () => void;
  onError: (reason: string) => void;
  /** Acknowledge one chunk (called after it was consumed). */
  ack(): void;
  /** Tell the sender the load failed. */
  reportError(message: string): void;
}

export const DEFAULT_WINDOW = 8;

type Wire =
  | { t: 'chunk'; buf: ArrayBuffer; off: number; len: number }
  | { t: 'close' }
  | { t: 'fail'; reason: string }
  | { t: 'ack' }
  | { t: 'error'; message: string };

interface PortLike {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  start?: () => void;
}

/** One end of a MessagePort link; used as sender or as receiver. */
export class MessagePortTransport implements StreamSender, StreamReceiver {
  private unacked = 0;
  onWritable: () => void = () => {};
  onPeerError: (message: string) => void = () => {};
  onChunk: (chunk: Uint8Array) => void = () => {};
  onClose: () => void = () => {};
  onError: (reason: string) => void = () => {};

  constructor(private port: PortLike, private window = DEFAULT_WINDOW) {
    port.onmessage = (ev: MessageEvent) => this.receive(ev.data as Wire);
    port.start?.();
  }

  private receive(m: Wire): void {
    switch (m.t) {
      case 'chunk': this.onChunk(new Uint8Array(m.buf, m.off, m.len)); break;
      case 'close': this.onClose(); break;
      case 'fail': this.onError(m.reason); break;
      case 'ack':
        this.unacked--;
        if (this.unacked < this.window) this.onWritable();
        break;
      case 'error': this.onPeerError(m.message); break;
    }
  }

  send(chunk: Uint8Array): void {
    this.unacked++;
    // Transfer the chunk's buffer: the stream does not get copied on its way.
    const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
    const buf = own.buffer as ArrayBuffer;
    this.port.postMessage({ t: 'chunk', buf, off: 0, len: own.byteLength } satisfies Wire, [buf]);
  }
  canSend(): boolean { return this.unacked < this.window; }
  close(): void { this.port.postMessage({ t: 'close' } satisfies Wire); }
  fail(reason: string): void { this.port.postMessage({ t: 'fail', reason } satisfies Wire); }
  ack(): void { this.port.postMessage({ t: 'ack' } satisfies Wire); }
  reportError(message: string): void { this.port.postMessage({ t: 'error', message } satisfies Wire); }
}

/**
 * In-process link for the CLI and tests: delivery happens when the receiving side calls
 * `pump()`, so a single-threaded main loop decides the interleaving deterministically.
 */
export class MemoryLink {
  private toDst: Wire[] = [];
  private toSrc: Wire[] = [];
  readonly sender: StreamSender & { pump(): void };
  readonly receiver: StreamReceiver & { pump(): void };
  /** Every chunk sent, in order (the whole stream when the migration is over). */
  readonly recorded: Uint8Array[] = [];

  constructor(window = DEFAULT_WINDOW) {
    let unacked = 0;
    const link = this;
    this.sender = {
      onWritable: () => {},
      onPeerError: () => {},
      send(chunk) { unacked++; link.recorded.push(chunk); link.toDst.push({ t: 'chunk', buf: chunk.buffer as ArrayBuffer, off: chunk.byteOffset, len: chunk.byteLength }); },
      canSend() { return unacked < window; },
      close() { link.toDst.push({ t: 'close' }); },
      fail(reason) { link.toDst.push({ t: 'fail', reason }); },
      pump() {
        for (const m of link.toSrc.splice(0)) {
          if (m.t === 'ack') { unacked--; if (unacked < window) this.onWritable(); }
          else if (m.t === 'error') this.onPeerError(m.message);
        }
      },
    };
    this.receiver = {
      onChunk: () => {},
      onClose: () => {},
      onError: () => {},
      ack() { link.toSrc.push({ t: 'ack' }); },
      reportError(message) { link.toSrc.push({ t: 'error', message }); },
      pump() {
        for (const m of link.toDst.splice(0)) {
          if (m.t === 'chunk') this.onChunk(new Uint8Array(m.buf, m.off, m.len));
          else if (m.t === 'close') this.onClose();
          else if (m.t === 'fail') this.onError(m.reason);
        }
      },
    };
  }

  /** The whole stream sent so far, concatenated. */
  bytes(): Uint8Array {
    const n = this.recorded.reduce((a, c) => a + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.recorded) { out.set(c, o); o += c.length; }
    return out;
  }
}
