// VMX floating point (single precision, VSCR[NJ]) as QEMU 7.2's TCG executes it for -cpu POWER8
// (target/ppc/int_helper.c, fpu_helper.c): one function per ISA row, keyed by mnemonic (vec.ts).

import type { VecFn } from './vec';

export const VMX_FP_IMPL: Record<string, VecFn> = {
};
