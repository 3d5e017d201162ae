// VMX (AltiVec) as QEMU 7.2's TCG executes it for -cpu POWER8 (target/ppc/int_helper.c,
// translate/vmx-impl.c.inc): one function per ISA row, keyed by mnemonic (see vec.ts).

import { type VecFn, vr } from './vec';
import { VMX_FP_IMPL } from './vmx-fp';
import { VMX_CRYPTO_IMPL } from './vmx-crypto';

/** vor VRT,VRA,VRB */
function vor(c: Parameters<VecFn>[0], w: number): void {
  const v = c.state.vsr, t = vr((w >>> 21) & 31), a = vr((w >>> 16) & 31), b = vr((w >>> 11) & 31);
  for (let k = 0; k < 4; k++) v[t + k] = v[a + k] | v[b + k];
}

const VMX_INT_IMPL: Record<string, VecFn> = {
  vor,
};

/** Every VMX row's implementation (vmx-fp.ts and vmx-crypto.ts add theirs). */
export const VMX_IMPL: Record<string, VecFn> = { ...VMX_INT_IMPL, ...VMX_FP_IMPL, ...VMX_CRYPTO_IMPL };
