// QEMU_CLOCK_VIRTUAL for one machine. In deterministic mode it is the instruction count
// (1 ns per instruction, like -icount shift=0) plus the time skipped while the vCPU was
// halted; in real-time mode it is wall time accumulated while the VM runs.

export const NS_PER_INSN = 1;
/** The POWER8 timebase runs at 512 MHz (QEMU's SPAPR_TIMEBASE_FREQ). */
export const TIMEBASE_FREQ = 512_000_000;

export class VirtualClock {
  /** ns added on top of the instruction count (warps, migration hand-over). */
  private baseNs = 0;
  private runningSince: number | null = null;

  constructor(readonly deterministic: boolean, private insns: () => number, private now: () => number = defaultNow) {}

  ns(): number {
    if (this.deterministic) return this.baseNs + this.insns() * NS_PER_INSN;
    return this.baseNs + (this.runningSince === null ? 0 : (this.now() - this.runningSince) * 1e6);
  }

  /** vm_start: the virtual clock advances from now on (real-time mode). */
  start(): void {
    if (!this.deterministic && this.runningSince === null) this.runningSince = this.now();
  }

  /** vm_stop: the virtual clock freezes (real-time mode). */
  stop(): void {
    if (!this.deterministic && this.runningSince !== null) {
      this.baseNs += (this.now() - this.runningSince) * 1e6;
      this.runningSince = null;
    }
  }

  /** Deterministic mode: skip idle time up to `ns` (never backwards). */
  warpTo(ns: number): void {
    const cur = this.ns();
    if (ns > cur) this.baseNs += ns - cur;
  }

  /** Make ns() read `ns` now (the destination of a migration continues the source's clock). */
  set(ns: number): void {
    this.baseNs += ns - this.ns();
  }

  /** Nanoseconds to milliseconds of wall time until the clock reaches `ns` (real-time mode). */
  msUntil(ns: number): number {
    return Math.max(0, (ns - this.ns()) / 1e6);
  }
}

function defaultNow(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export function nsToTB(ns: number): number {
  return Math.floor((ns * TIMEBASE_FREQ) / 1e9);
}

export function tbToNs(tb: number): number {
  return (tb * 1e9) / TIMEBASE_FREQ;
}
