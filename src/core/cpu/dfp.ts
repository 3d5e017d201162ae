// Decimal floating point (DFP) as QEMU 7.2's TCG executes it for -cpu POWER8
// (target/ppc/dfp_helper.c over libdecnumber): one function per ISA row, keyed by mnemonic.

import type { VecFn } from './vec';

export const DFP_IMPL: Record<string, VecFn> = {
};
