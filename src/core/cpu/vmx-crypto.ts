// VMX crypto (vcipher, vncipher, vsbox), SHA sigma, polynomial multiply-sum and BCD arithmetic as
// QEMU 7.2's TCG executes them for -cpu POWER8 (target/ppc/int_helper.c): one function per ISA
// row, keyed by mnemonic (vec.ts).

import type { VecFn } from './vec';

export const VMX_CRYPTO_IMPL: Record<string, VecFn> = {
};
