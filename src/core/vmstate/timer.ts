// "timer" (softmmu/cpu-timers.c, vmstate_timers): the offsets of QEMU's guest clocks.
//
// API
//   interface TimersState   { cpu_ticks_offset, cpu_clock_offset, icount? }
//   vmstate_timers          "timer" v2 (min 1)
//   register_timers(reg, t) instance 0

import type { RegisterOpts, SaveStateEntry, SaveVMRegistry } from './savevm';
import { VMSTATE_INT64, VMSTATE_UNUSED, VMStateDescription, prop } from './vmstate';

export interface TimersState {
  /** Offset of the guest tick counter (ns). */
  cpu_ticks_offset: bigint;
  /** Offset of the guest virtual clock (ns). */
  cpu_clock_offset: bigint;
  /** Only with QEMU's -icount: its bias and counter (sent in the timer/icount subsection). */
  icount?: { qemu_icount_bias: bigint; qemu_icount: bigint };
}

type Icount = NonNullable<TimersState['icount']>;
const icount = (t: TimersState): Icount => (t.icount ??= { qemu_icount_bias: 0n, qemu_icount: 0n });

/**
 * timer/icount (needed with -icount). QEMU nests warp-timer, timers and shift subsections in
 * it; they are not declared here, so a QEMU -icount stream that carries them is refused.
 */
const vmstate_icount: VMStateDescription<TimersState> = {
  name: 'timer/icount',
  version_id: 1,
  minimum_version_id: 1,
  needed: (t) => t.icount !== undefined,
  fields: [
    VMSTATE_INT64('qemu_icount_bias', (t: TimersState) => icount(t).qemu_icount_bias, (t, v) => { icount(t).qemu_icount_bias = v; }),
    VMSTATE_INT64('qemu_icount', (t: TimersState) => icount(t).qemu_icount, (t, v) => { icount(t).qemu_icount = v; }),
  ],
};

export const vmstate_timers: VMStateDescription<TimersState> = {
  name: 'timer',
  version_id: 2,
  minimum_version_id: 1,
  fields: [
    VMSTATE_INT64('cpu_ticks_offset', prop('cpu_ticks_offset')),
    VMSTATE_UNUSED(8),
    VMSTATE_INT64('cpu_clock_offset', prop('cpu_clock_offset'), { version_id: 2 }),
  ],
  subsections: [vmstate_icount],
};

export function register_timers(reg: SaveVMRegistry, t: TimersState, opts: RegisterOpts = {}): SaveStateEntry {
  return reg.vmstate_register(0, vmstate_timers, t, opts);
}
