// The POWER8 register file, laid out in typed arrays. 64-bit values are two 32-bit halves:
// element 2*i holds the high word, 2*i+1 the low word (both as signed Int32; read the low
// word with `>>> 0` for its unsigned value). Field names follow QEMU's CPUPPCState (`env.gpr`,
// `env.crf`, `env.nip`, `env.spr`, ...) so the vmstate declaration reads like target/ppc/machine.c.

export const SPR_XER = 1;
export const SPR_DSCR = 3; // POWER8 problem-state alias is 3, privileged is 17
export const SPR_LR = 8;
export const SPR_CTR = 9;
export const SPR_DSISR = 18;
export const SPR_DAR = 19;
export const SPR_DECR = 22;
export const SPR_SDR1 = 25;
export const SPR_SRR0 = 26;
export const SPR_SRR1 = 27;
export const SPR_CFAR = 28;
export const SPR_UCTRL = 136; // read-only alias of CTRL
export const SPR_CTRL = 152;
export const SPR_FSCR = 153;
export const SPR_SPRG0 = 272;
export const SPR_SPRG1 = 273;
export const SPR_SPRG2 = 274;
export const SPR_SPRG3 = 275;
export const SPR_TBL = 284; // write side (hypervisor); reads go through 268/269
export const SPR_TBU = 285;
export const SPR_PVR = 287;
export const SPR_HSRR0 = 314;
export const SPR_HSRR1 = 315;
export const SPR_LPCR = 318;
export const SPR_AMOR = 349;
export const SPR_PPR = 896;
export const SPR_PIR = 1023;

// MSR bits, numbered as QEMU's MSR_* (bit n = 1 << n, LSB 0).
export const MSR_SF = 63;
export const MSR_HV = 60;
export const MSR_TM = 32;
export const MSR_VEC = 25;
export const MSR_VSX = 23;
export const MSR_EE = 15;
export const MSR_PR = 14;
export const MSR_FP = 13;
export const MSR_ME = 12;
export const MSR_FE0 = 11;
export const MSR_SE = 10;
export const MSR_BE = 9;
export const MSR_FE1 = 8;
export const MSR_IR = 5;
export const MSR_DR = 4;
export const MSR_RI = 1;
export const MSR_LE = 0;

export class CpuState {
  /** env.gpr[32]: hi/lo pairs. */
  readonly gpr = new Int32Array(64);
  /** env.crf[8]: one 4-bit CR field per element (CR0 first). */
  readonly crf = new Int32Array(8);
  /** env.nip: hi/lo. */
  readonly nip = new Int32Array(2);
  /** env.msr: hi/lo. */
  readonly msr = new Int32Array(2);
  /**
   * env.spr[1024]: hi/lo pairs, indexed by SPR number. LR, CTR, XER and CFAR live here
   * directly (QEMU keeps them apart and copies them in pre_save; here they always are).
   */
  readonly spr = new Int32Array(2048);
  /** env.vsr[64] as 128-bit values: 4 words each, most significant first (VsrD(0) = words 0,1). */
  readonly vsr = new Int32Array(256);
  /** env.fpscr (64-bit; only the low word is architected on POWER8). */
  readonly fpscr = new Int32Array(2);
  /** env.vscr (architected value). */
  vscr = 0x00010000;
  /** env.slb[64]: esid hi, esid lo, vsid hi, vsid lo per entry. */
  readonly slb = new Int32Array(256);
  /** env.reserve_addr: hi/lo; -1 = no reservation. */
  readonly reserveAddr = new Int32Array([-1, -1]);
  /** Value loaded by the larx that made the reservation (for stcx. compare). */
  readonly reserveVal = new Int32Array(4);
  /** env.spe_acc (unused on POWER8, migrated). */
  readonly speAcc = new Int32Array(2);
  /** Architected compatibility PVR chosen by CAS (0 = raw mode); cpu/compat. */
  compatPvr = 0;
  /** cpu_common: halted (H_CEDE / stop-self). */
  halted = 0;
  /** cpu_common: interrupt_request bits (QEMU CPU_INTERRUPT_*). */
  interruptRequest = 0;
  /** Instructions retired since creation (the deterministic clock reads this). */
  insnCount = 0;

  getGpr(i: number): bigint { return pair(this.gpr, i); }
  setGpr(i: number, v: bigint): void { setPair(this.gpr, i, v); }
  getSpr(n: number): bigint { return pair(this.spr, n); }
  setSpr(n: number, v: bigint): void { setPair(this.spr, n, v); }
  getNip(): bigint { return pair(this.nip, 0); }
  setNip(v: bigint): void { setPair(this.nip, 0, v); }
  getMsr(): bigint { return pair(this.msr, 0); }
  setMsr(v: bigint): void { setPair(this.msr, 0, v); }
  /** CR as the architected 32-bit value. */
  getCr(): number {
    let v = 0;
    for (let i = 0; i < 8; i++) v = (v << 4) | (this.crf[i] & 0xf);
    return v >>> 0;
  }
  setCr(v: number): void {
    for (let i = 0; i < 8; i++) this.crf[i] = (v >>> (28 - 4 * i)) & 0xf;
  }
}

/** Read element i of a hi/lo array as an unsigned 64-bit BigInt (not for hot paths). */
export function pair(a: Int32Array, i: number): bigint {
  return (BigInt(a[2 * i] >>> 0) << 32n) | BigInt(a[2 * i + 1] >>> 0);
}

/** Write element i of a hi/lo array from a BigInt (truncated to 64 bits). */
export function setPair(a: Int32Array, i: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  a[2 * i] = Number(u >> 32n) | 0;
  a[2 * i + 1] = Number(u & 0xffffffffn) | 0;
}
