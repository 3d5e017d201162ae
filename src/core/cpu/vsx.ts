// VSX as QEMU 7.2's TCG executes it for -cpu POWER8 (target/ppc/fpu_helper.c,
// translate/vsx-impl.c.inc): one function per ISA row, keyed by mnemonic (see vec.ts).

import { type VecFn, vs } from './vec';

/** xxlor XT,XA,XB */
function xxlor(c: Parameters<VecFn>[0], w: number): void {
  const v = c.state.vsr;
  const t = vs(((w >>> 21) & 31) | ((w & 1) << 5)), a = vs(((w >>> 16) & 31) | ((w & 4) << 3));
  const b = vs(((w >>> 11) & 31) | ((w & 2) << 4));
  for (let k = 0; k < 4; k++) v[t + k] = v[a + k] | v[b + k];
}

export const VSX_IMPL: Record<string, VecFn> = {
  xxlor,
};
