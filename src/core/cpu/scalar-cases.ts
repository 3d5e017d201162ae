// Differential cases of the scalar loads, stores, atomics and FP loads/stores against QEMU 7.2
// TCG, run by the vector harness (vec-diff.ts): r4 is a 64-byte buffer filled from the pool,
// r5 a small offset, r3 a pool doubleword; the harness folds r3, CR, the FPRs 0-3 and the
// buffer (update forms change r4, which the harness sets again for every sample). The FP rows
// also show that an FPR write clears doubleword 1 of its VSR, as QEMU 7.2 does.

import { cases, type VecCase } from './vec-diff';

const loads = ['lbz', 'lhz', 'lha', 'lwz'].flatMap((m) => [`${m} r3,3(r4)`, `${m}u r3,6(r4)`, `${m}x r3,r4,r5`, `${m}ux r3,r4,r5`]);
const stores = ['stb', 'sth', 'stw'].flatMap((m) => [`${m} r3,5(r4)`, `${m}u r3,10(r4)`, `${m}x r3,r4,r5`, `${m}ux r3,r4,r5`]);

export const CASES: VecCase[] = cases(
  ...loads,
  'lwa r3,8(r4)', 'lwax r3,r4,r5', 'lwaux r3,r4,r5',
  'ld r3,8(r4)', 'ldu r3,16(r4)', 'ldx r3,r4,r5', 'ldux r3,r4,r5',
  'lhbrx r3,r4,r5', 'lwbrx r3,r4,r5', 'ldbrx r3,r4,r5',
  ...stores,
  'std r3,8(r4)', 'stdu r3,16(r4)', 'stdx r3,r4,r5', 'stdux r3,r4,r5',
  'sthbrx r3,r4,r5', 'stwbrx r3,r4,r5', 'stdbrx r3,r4,r5',
  // reservations: a store-conditional without one fails, after a larx to the same place it
  // succeeds; unaligned larx takes the alignment interrupt
  'lbarx r3,r4,r5', 'lharx r3,r4,r5', 'lwarx r3,r4,r5', 'ldarx r3,r4,r5',
  'stbcx. r3,r4,r5', 'sthcx. r3,r4,r5', 'stwcx. r3,r4,r5', 'stdcx. r3,r4,r5',
  'lbarx r6,0,r4\nstbcx. r3,0,r4', 'lharx r6,0,r4\nsthcx. r3,0,r4',
  'lwarx r6,0,r4\nstwcx. r3,0,r4', 'ldarx r6,0,r4\nstdcx. r3,0,r4',
  'lwarx r6,0,r4\nstwcx. r3,r4,r5',
  // FP loads and stores through FPRs 0-3
  'lfs f1,4(r4)', 'lfsu f1,8(r4)', 'lfsx f1,r4,r5', 'lfsux f2,r4,r5',
  'lfd f1,8(r4)', 'lfdu f1,16(r4)', 'lfdx f2,r4,r5', 'lfdux f2,r4,r5',
  'stfs f1,4(r4)', 'stfsu f1,8(r4)', 'stfsx f2,r4,r5', 'stfsux f2,r4,r5',
  'stfd f1,8(r4)', 'stfdu f1,16(r4)', 'stfdx f2,r4,r5', 'stfdux f2,r4,r5',
  'lfiwax f1,r4,r5', 'lfiwzx f1,r4,r5', 'stfiwx f1,r4,r5',
  // FP results as QEMU 7.2's set_fpr writes them: doubleword 1 of the VSR becomes 0
  'fadd f1,f2,f3', 'fmul f0,f1,f2', 'fmadd f0,f1,f2,f3', 'fneg f1,f2', 'fabs f3,f0', 'fmr f3,f1',
  'mffs f2', 'fctiwz f1,f2', 'frsp f1,f2', 'fcfid f1,f2', 'fsel f0,f1,f2,f3', 'fmrgew f1,f2,f3',
  'fcpsgn f0,f1,f2', 'fres f1,f2', 'fsqrt f3,f0',
  // CR moves and isel over the harness's values
  'mtcrf 0x81,r3\nmfcr r3', 'mtocrf 0x10,r3\nmfocrf r3,0x10', 'mtcrf 0xff,r3\nmcrf cr7,cr0\nmfcr r3',
  'mtcrf 0xff,r3\nisel r3,r4,r5,2', 'mtcrf 0xff,r3\ncrand 3,5,14\nmfcr r3', 'mtcrf 0xff,r3\ncreqv 31,1,2\nmfcr r3',
  'mtcrf 0xff,r3\ncrnor 7,9,10\nmfcr r3', 'mtcrf 0xff,r3\ncrorc 12,29,30\nmfcr r3',
  'mtcrf 0xff,r3\ncrandc 0,1,2\ncrnand 4,5,6\ncror 8,9,10\ncrxor 11,12,13\nmfcr r3',
  // branches: CR and CTR from the sample's r3, the outcome in r3 (and LR/CTR read back)
  'mtcrf 0xff,r3\nli r3,0\nbeq bc_eq\nli r3,1\nbc_eq:',
  'mtcrf 0xff,r3\nli r3,0\nbc 4,29,bc_f\nli r3,2\nbc_f:',
  'mtctr r3\nli r3,0\nbdnz bc_nz\nli r3,3\nbc_nz:\nmfctr r6\nadd r3,r3,r6',
  'mtcrf 0xff,r3\nmtctr r3\nli r3,0\nbdzt 2,bc_zt\nli r3,4\nbc_zt:\nmfctr r6\nadd r3,r3,r6',
  'bl bc_l\nbc_l:\nmflr r3',
  'mtcrf 0xff,r3\nbl bc_lr0\nb bc_lr1\nbc_lr0:\nli r3,5\nbgtlr\nli r3,6\nblr\nbc_lr1:',
  'mtcrf 0xff,r3\nlis r6,bc_ctr@ha\naddi r6,r6,bc_ctr@l\nmtctr r6\nli r3,7\nbnectr\nli r3,8\nbc_ctr:',
  'mtcrf 0xff,r3\nlis r6,bc_tar@ha\naddi r6,r6,bc_tar@l\nmttar r6\nli r3,9\nbsotar\nli r3,10\nbc_tar:',
  'mtctr r3\nlis r6,bc_ctrl@ha\naddi r6,r6,bc_ctrl@l\nmtctr r6\nbctrl\nbc_ctrl:\nmflr r3',
  'li r3,0\nb bc_b\nli r3,11\nbc_b:',
);
