// Differential cases of the vmx-fp instructions against QEMU 7.2 TCG (see vec-diff.ts): the VMX
// single-precision arithmetic, estimates, rounding, conversions and compares of vmx-fp.ts. Each
// instruction is run with several register choices, so that more pool values meet.

import { cases, type VecCase } from './vec-diff';

const bin = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1,v2`, `${mn} v3,v2,v1`, `${mn} v1,v0,v3`]);
const fused = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1,v2,v3`, `${mn} v3,v2,v0,v1`,
  `${mn} v2,v0,v1,v3`, `${mn} v1,v3,v2,v0`]);
const una = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1`, `${mn} v2,v3`, `${mn} v1,v0`, `${mn} v3,v2`]);
const cvt = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1,0`, `${mn} v2,v3,1`, `${mn} v1,v0,17`,
  `${mn} v3,v2,31`]);
const cmp = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1,v2`, `${mn}. v3,v2,v1`, `${mn}. v1,v0,v3`]);

/** A case running `setup` instructions on the operands first (one line each). */
const derived = (...lines: string[]) => [lines.join('\n')];

export const CASES: VecCase[] = cases(
  ...bin('vaddfp', 'vsubfp', 'vmaxfp', 'vminfp'),
  ...fused('vmaddfp', 'vnmsubfp'),
  ...una('vrefp', 'vrsqrtefp', 'vexptefp', 'vlogefp', 'vrfin', 'vrfiz', 'vrfip', 'vrfim'),
  ...cvt('vcfux', 'vcfsx', 'vctuxs', 'vctsxs'),
  ...cmp('vcmpeqfp', 'vcmpgefp', 'vcmpgtfp', 'vcmpbfp'),
  // same register as both operands
  'vaddfp v2,v2,v2', 'vmaxfp v1,v1,v1', 'vcmpbfp. v0,v0,v0', 'vmaddfp v3,v3,v3,v3',
  // operands made from the pool's integer patterns by vcfsx/vcfux (checked above): finite values
  // with full mantissas in the ranges where rounding, the exp2 series and log2 are exercised
  ...derived('vcfsx v1,v1,28', 'vexptefp v0,v1'), ...derived('vcfsx v1,v1,31', 'vexptefp v0,v1'),
  ...derived('vcfux v1,v1,31', 'vlogefp v0,v1'), ...derived('vcfux v1,v1,16', 'vlogefp v0,v1'),
  ...derived('vcfux v1,v1,16', 'vrefp v0,v1'), ...derived('vcfux v1,v1,20', 'vrsqrtefp v0,v1'),
  ...derived('vcfsx v1,v1,4', 'vrfin v0,v1'), ...derived('vcfsx v1,v1,1', 'vrfin v0,v1'),
  ...derived('vcfsx v1,v1,4', 'vrfiz v0,v1'), ...derived('vcfsx v1,v1,4', 'vrfip v0,v1'),
  ...derived('vcfsx v1,v1,4', 'vrfim v0,v1'),
  ...derived('vcfsx v1,v1,0', 'vcfsx v2,v2,20', 'vaddfp v0,v1,v2'),
  ...derived('vcfsx v1,v1,0', 'vcfsx v2,v2,20', 'vsubfp v0,v1,v2'),
  ...derived('vcfsx v1,v1,8', 'vcfsx v2,v2,8', 'vcfsx v3,v3,8', 'vmaddfp v0,v1,v3,v2'),
  ...derived('vcfsx v1,v1,0', 'vcfsx v2,v2,31', 'vcfsx v3,v3,0', 'vmaddfp v0,v1,v3,v2'),
  ...derived('vcfsx v1,v1,8', 'vcfsx v2,v2,8', 'vcfsx v3,v3,8', 'vnmsubfp v0,v1,v3,v2'),
  ...derived('vcfsx v1,v1,0', 'vcfsx v2,v2,31', 'vcfsx v3,v3,0', 'vnmsubfp v0,v1,v3,v2'),
  ...derived('vcfux v1,v1,0', 'vctsxs v0,v1,1'), ...derived('vcfsx v1,v1,3', 'vctuxs v0,v1,3'),
  // vrefp v0,v1 and vrfim v2,v3 with a non-zero (reserved) VRA field: illegal instruction
  '.long 0x1001090a', '.long 0x105f1aca',
);
