// SPR access rules for POWER8 as QEMU 7.2 registers them (target/ppc/cpu_init.c, init_proc_POWER8
// and the register_*_sprs functions it calls; list in shared/reference/qemu-7.2/cpu-spr-power8.txt).
//
// A pseries guest never runs with MSR[HV]=1, so only two of QEMU's three callback sets matter:
// the problem-state one (uea, MSR[PR]=1) and the supervisor one (oea). An SPR that QEMU registers
// as hypervisor-only (SDR1, LPCR, HSRRx, HDEC, AMOR, RPR, ...) has no oea callbacks, so a guest
// access is a privileged-instruction program interrupt.
//
// Unregistered SPR numbers follow gen_mfspr/gen_mtspr: SPRs 808-811 are no-ops (ISA 2.07); otherwise
// when SPR bit 0x10 is set, problem state gets a privileged program interrupt and supervisor state a
// no-op; when it is clear, problem state (and, for mfspr, SPRs 0/4/5/6, for mtspr SPR 0) get the
// hypervisor-emulation interrupt that a PAPR guest receives as a privileged program interrupt
// (SRR1 0x40000); other supervisor accesses are no-ops (mfspr leaves RT unchanged).

/** Access kinds; NONE raises the privileged program interrupt. */
export const enum Acc {
  NONE = 0,
  /** Plain 64-bit storage in state.spr. */
  GEN = 1,
  /** Writes keep the low 32 bits, zero-extended. */
  GEN32 = 2,
  /** XER: writes keep the low word without OV32/CA32 (ISA 3.0 bits), as QEMU 7.2 on POWER8. */
  XER = 3,
  /** DEC: read/write through the decrementer timer. */
  DEC = 4,
  /** Timebase read (full 64 bits). */
  TB = 5,
  /** Timebase upper half. */
  TBU = 6,
  /** Read of the supervisor copy at spr[n + 16] (USPRG3, UCTRL, user PMU registers). */
  UREG = 7,
  /** Problem-state access gated by FSCR[TAR]. */
  FSCR_TAR = 8,
  /** Problem-state access gated by FSCR[EBB]. */
  FSCR_EBB = 9,
  /** Access gated by MSR[TM] (facility unavailable otherwise). */
  TM = 10,
  /** Write accepted and ignored. */
  IGNORE = 11,
  /** Read of a TB-derived counter (PURR, SPURR, VTB): the timebase. */
  PURR = 12,
}

export interface SprDef {
  readonly num: number;
  /** QEMU's display name. */
  readonly name: string;
  readonly uRead: Acc;
  readonly uWrite: Acc;
  readonly sRead: Acc;
  readonly sWrite: Acc;
  /** Reset value (low/high words), when not zero. */
  readonly reset?: readonly [number, number];
}

const N = Acc.NONE, G = Acc.GEN;

function s(num: number, name: string, uRead: Acc, uWrite: Acc, sRead: Acc, sWrite: Acc,
  reset?: [number, number]): SprDef {
  return { num, name, uRead, uWrite, sRead, sWrite, reset };
}

/** Supervisor read/write, no problem-state access. */
const sv = (num: number, name: string, reset?: [number, number]) => s(num, name, N, N, G, G, reset);
/** Hypervisor-only under QEMU (no access for a pseries guest). */
const hv = (num: number, name: string, reset?: [number, number]) => s(num, name, N, N, N, N, reset);

const USER_PMU_NAMES: Record<number, string> = {
  768: 'USIER', 769: 'UMMCR2', 770: 'UMMCRA', 771: 'UPMC1', 772: 'UPMC2', 773: 'UPMC3', 774: 'UPMC4',
  775: 'UPMC5', 776: 'UPMC6', 779: 'UMMCR0', 780: 'USIAR', 781: 'USDAR', 782: 'UMMCR1',
};

export const SPRS: readonly SprDef[] = [
  s(1, 'XER', Acc.XER, Acc.XER, Acc.XER, Acc.XER),
  s(8, 'LR', G, G, G, G),
  s(9, 'CTR', G, G, G, G),
  s(13, 'UAMR', G, G, G, G),
  sv(17, 'SPR_DSCR'),
  sv(18, 'DSISR'),
  sv(19, 'DAR'),
  s(22, 'DECR', N, N, Acc.DEC, Acc.DEC),
  hv(25, 'SDR1'),
  sv(26, 'SRR0'),
  sv(27, 'SRR1'),
  sv(28, 'SPR_CFAR'),
  s(29, 'AMR', G, G, G, G),
  sv(31, 'ACOP'),
  sv(48, 'PID'),
  sv(61, 'IAMR'),
  s(128, 'TFHAR', Acc.TM, Acc.TM, Acc.TM, Acc.TM),
  s(129, 'TFIAR', Acc.TM, Acc.TM, Acc.TM, Acc.TM),
  s(130, 'TEXASR', Acc.TM, Acc.TM, Acc.TM, Acc.TM),
  s(131, 'TEXASRU', Acc.TM, Acc.TM, Acc.TM, Acc.TM),
  s(136, 'SPR_UCTRL', Acc.UREG, N, Acc.UREG, N),
  s(152, 'SPR_CTRL', N, N, N, G),
  sv(153, 'FSCR'),
  sv(157, 'UAMOR'),
  s(159, 'PSPB', N, N, G, Acc.GEN32),
  s(176, 'DPDES', N, N, G, N),
  hv(180, 'DAWR0'),
  hv(186, 'RPR', [0x070f1f3f, 0x00000103]),
  hv(187, 'CIABR'),
  hv(188, 'DAWRX0'),
  hv(190, 'HFSCR'),
  s(256, 'VRSAVE', G, G, G, G),
  s(259, 'USPRG3', Acc.UREG, N, Acc.UREG, N),
  s(268, 'TBL', Acc.TB, N, Acc.TB, N),
  s(269, 'TBU', Acc.TBU, N, Acc.TBU, N),
  sv(272, 'SPRG0'),
  sv(273, 'SPRG1'),
  sv(274, 'SPRG2'),
  sv(275, 'SPRG3'),
  sv(282, 'EAR'),
  s(284, 'TBL', Acc.TB, N, Acc.TB, Acc.IGNORE),
  s(285, 'TBU', Acc.TBU, N, Acc.TBU, Acc.IGNORE),
  hv(286, 'TBU40'),
  s(287, 'PVR', N, N, G, N),
  hv(304, 'HSPRG0'),
  hv(305, 'HSPRG1'),
  hv(306, 'HDSISR'),
  hv(307, 'HDAR'),
  s(308, 'SPURR', Acc.PURR, N, Acc.PURR, N),
  s(309, 'PURR', Acc.PURR, N, Acc.PURR, N),
  hv(310, 'HDEC'),
  hv(312, 'RMOR'),
  hv(313, 'HRMOR'),
  hv(314, 'HSRR0'),
  hv(315, 'HSRR1'),
  hv(316, 'MMCRH'),
  hv(317, 'TFMR'),
  hv(318, 'LPCR'),
  hv(319, 'LPIDR'),
  hv(336, 'HMER'),
  hv(337, 'HMEER'),
  hv(338, 'PCR'),
  hv(349, 'AMOR'),
  s(446, 'TIR', N, N, G, N),
  // user-level PMU aliases read the supervisor registers 16 above; user writes are not modelled
  ...[768, 769, 770, 771, 772, 773, 774, 775, 776, 779, 780, 781, 782].map((n) =>
    s(n, USER_PMU_NAMES[n], Acc.UREG, Acc.IGNORE, Acc.UREG, Acc.IGNORE,
      n === 779 ? [0x80000000 | 0, 0] : undefined)),
  sv(784, 'SIER'),
  sv(785, 'MMCR2'),
  sv(786, 'MMCRA'),
  sv(787, 'PMC1'), sv(788, 'PMC2'), sv(789, 'PMC3'), sv(790, 'PMC4'), sv(791, 'PMC5'), sv(792, 'PMC6'),
  sv(795, 'MMCR0', [0x80000000 | 0, 0]),
  sv(796, 'SIAR'),
  sv(797, 'SDAR'),
  sv(798, 'MMCR1'),
  s(800, 'BESCRS', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(801, 'BESCRSU', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(802, 'BESCRR', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(803, 'BESCRRU', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(804, 'EBBHR', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(805, 'EBBRR', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(806, 'BESCR', Acc.FSCR_EBB, Acc.FSCR_EBB, G, G),
  s(815, 'TAR', Acc.FSCR_TAR, Acc.FSCR_TAR, G, G),
  s(848, 'IC', N, N, G, N),
  s(849, 'VTB', N, N, Acc.PURR, N),
  hv(851, 'MMCRC'),
  sv(888, 'TACR'),
  sv(889, 'TCSCR'),
  sv(890, 'CSIGR'),
  sv(892, 'SPMC1'),
  sv(893, 'SPMC2'),
  sv(894, 'MMCRS'),
  sv(895, 'WORT'),
  s(896, 'PPR', G, G, G, G),
  hv(921, 'TSCR'),
  hv(1008, 'HID0'),
  s(1023, 'PIR', N, N, G, N),
];


/** Marker for unregistered SPR numbers in the lookup arrays. */
export const UNREG = 255;

/** Lookup arrays indexed by SPR number: access kind or UNREG. */
export const SPR_U_READ = new Uint8Array(1024).fill(UNREG);
export const SPR_U_WRITE = new Uint8Array(1024).fill(UNREG);
export const SPR_S_READ = new Uint8Array(1024).fill(UNREG);
export const SPR_S_WRITE = new Uint8Array(1024).fill(UNREG);
export const SPR_NAMES: (string | undefined)[] = new Array(1024);

for (const d of SPRS) {
  SPR_U_READ[d.num] = d.uRead;
  SPR_U_WRITE[d.num] = d.uWrite;
  SPR_S_READ[d.num] = d.sRead;
  SPR_S_WRITE[d.num] = d.sWrite;
  SPR_NAMES[d.num] = d.name;
}

/** What an access to an unregistered SPR does (gen_mfspr / gen_mtspr). */
export const enum Unreg { NOP, PRIV }

export function unregisteredAccess(spr: number, problemState: boolean, isWrite: boolean): Unreg {
  if (spr >= 808 && spr <= 811) return Unreg.NOP;
  if (spr & 0x10) return problemState ? Unreg.PRIV : Unreg.NOP;
  if (problemState) return Unreg.PRIV;
  if (isWrite) return spr === 0 ? Unreg.PRIV : Unreg.NOP;
  return spr === 0 || spr === 4 || spr === 5 || spr === 6 ? Unreg.PRIV : Unreg.NOP;
}

/** FSCR facility bits and interrupt cause codes (FSCR[IC], bits 0:7). */
export const FSCR_TAR_BIT = 8;
export const FSCR_EBB_BIT = 7;
export const FSCR_IC_TM = 5;
export const FSCR_IC_EBB = 7;
export const FSCR_IC_TAR = 8;
