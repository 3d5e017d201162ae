// The vector differential areas: each has its case list and its fixture file
// (src/core/cpu/vec-diff-AREA.fixture.json, written by vec-diff.gen.ts).

import type { VecCase } from './vec-diff';
import { CASES as VMX } from './vmx-cases';
import { CASES as VMX_FP } from './vmx-fp-cases';
import { CASES as VMX_CRYPTO } from './vmx-crypto-cases';
import { CASES as VSX } from './vsx-cases';
import { CASES as DFP } from './dfp-cases';
import { CASES as SCALAR } from './scalar-cases';

export const VEC_AREAS: Record<string, readonly VecCase[]> = {
  'vmx': VMX,
  'vmx-fp': VMX_FP,
  'vmx-crypto': VMX_CRYPTO,
  'vsx': VSX,
  'dfp': DFP,
  'scalar': SCALAR,
};
