// Differential cases of the vmx instructions against QEMU 7.2 TCG (see vec-diff.ts): the VMX
// integer, logical, permute, pack/unpack and load/store instructions of vmx.ts.

import { cases, type VecCase } from './vec-diff';

const vx3 = (...mns: string[]) => mns.map((mn) => `${mn} v0,v1,v2`);
const va4 = (...mns: string[]) => mns.map((mn) => `${mn} v0,v1,v2,v3`);
const vx2 = (...mns: string[]) => mns.map((mn) => `${mn} v0,v1`);

export const CASES: VecCase[] = cases(
  // loads and stores (EA = r4 + r5, r5 = 0..31), and their (RA|0) form
  'lvx v0,r4,r5', 'lvxl v1,r4,r5', 'stvx v1,r4,r5', 'stvxl v2,r4,r5',
  'lvebx v0,r4,r5', 'lvehx v0,r4,r5', 'lvewx v0,r4,r5',
  'stvebx v1,r4,r5', 'stvehx v1,r4,r5', 'stvewx v1,r4,r5',
  'lvsl v0,r4,r5', 'lvsr v0,r4,r5', 'lvsl v1,0,r5', 'lvsr v1,0,r5',
  'mfvscr v0', 'mtvscr v1', 'mtvscr v2',
  // logical
  ...vx3('vand', 'vandc', 'vor', 'vxor', 'vnor', 'vorc', 'vnand', 'veqv'),
  'vsel v0,v1,v2,v3', 'vsel v0,v0,v1,v0',
  // add/subtract
  ...vx3('vaddubm', 'vadduhm', 'vadduwm', 'vaddudm', 'vsububm', 'vsubuhm', 'vsubuwm', 'vsubudm',
    'vaddubs', 'vadduhs', 'vadduws', 'vaddsbs', 'vaddshs', 'vaddsws',
    'vsububs', 'vsubuhs', 'vsubuws', 'vsubsbs', 'vsubshs', 'vsubsws',
    'vaddcuw', 'vsubcuw', 'vadduqm', 'vaddcuq', 'vsubuqm', 'vsubcuq'),
  ...va4('vaddeuqm', 'vaddecuq', 'vsubeuqm', 'vsubecuq'),
  'vaddecuq v0,v1,v1,v2', 'vsubecuq v0,v1,v1,v2', 'vaddeuqm v0,v1,v2,v2',
  // multiply, multiply-add, multiply-sum, sums
  ...vx3('vmuleub', 'vmuloub', 'vmulesb', 'vmulosb', 'vmuleuh', 'vmulouh', 'vmulesh', 'vmulosh',
    'vmuleuw', 'vmulouw', 'vmulesw', 'vmulosw', 'vmuluwm'),
  ...va4('vmhaddshs', 'vmhraddshs', 'vmladduhm', 'vmsumubm', 'vmsummbm', 'vmsumuhm', 'vmsumuhs',
    'vmsumshm', 'vmsumshs'),
  'vmhaddshs v0,v1,v1,v2', 'vmsumshs v0,v1,v1,v2',
  ...vx3('vsum4ubs', 'vsum4sbs', 'vsum4shs', 'vsum2sws', 'vsumsws'),
  // average, maximum, minimum
  ...vx3('vavgub', 'vavguh', 'vavguw', 'vavgsb', 'vavgsh', 'vavgsw',
    'vmaxub', 'vmaxuh', 'vmaxuw', 'vmaxud', 'vmaxsb', 'vmaxsh', 'vmaxsw', 'vmaxsd',
    'vminub', 'vminuh', 'vminuw', 'vminud', 'vminsb', 'vminsh', 'vminsw', 'vminsd'),
  // compares, with and without CR6, and with equal operands (all true / all false)
  ...vx3('vcmpequb', 'vcmpequh', 'vcmpequw', 'vcmpequd', 'vcmpgtub', 'vcmpgtuh', 'vcmpgtuw', 'vcmpgtud',
    'vcmpgtsb', 'vcmpgtsh', 'vcmpgtsw', 'vcmpgtsd',
    'vcmpequb.', 'vcmpequh.', 'vcmpequw.', 'vcmpequd.', 'vcmpgtub.', 'vcmpgtuh.', 'vcmpgtuw.', 'vcmpgtud.',
    'vcmpgtsb.', 'vcmpgtsh.', 'vcmpgtsw.', 'vcmpgtsd.'),
  'vcmpequw. v0,v1,v1', 'vcmpgtsd. v0,v1,v1', 'vcmpequb. v3,v0,v0',
  // shifts and rotates
  ...vx3('vslb', 'vslh', 'vslw', 'vsld', 'vsrb', 'vsrh', 'vsrw', 'vsrd', 'vsrab', 'vsrah', 'vsraw', 'vsrad',
    'vrlb', 'vrlh', 'vrlw', 'vrld', 'vsl', 'vsr', 'vslo', 'vsro'),
  'vsl v0,v0,v1', 'vsr v1,v2,v1',
  // permute, merge, splat
  'vperm v0,v1,v2,v3', 'vperm v0,v1,v2,v0', 'vpermxor v0,v1,v2,v3', 'vpermxor v3,v1,v2,v3',
  'vsldoi v0,v1,v2,0', 'vsldoi v0,v1,v2,1', 'vsldoi v0,v1,v2,7', 'vsldoi v0,v1,v2,8', 'vsldoi v0,v1,v2,15',
  'vsldoi v1,v1,v1,4',
  ...vx3('vmrghb', 'vmrghh', 'vmrghw', 'vmrglb', 'vmrglh', 'vmrglw', 'vmrgew', 'vmrgow'),
  'vmrghw v1,v1,v2', 'vmrgew v2,v1,v2',
  'vspltb v0,v1,0', 'vspltb v0,v1,9', 'vspltb v0,v1,15', 'vsplth v0,v1,0', 'vsplth v0,v1,5', 'vsplth v0,v1,7',
  'vspltw v0,v1,0', 'vspltw v0,v1,2', 'vspltw v0,v1,3',
  'vspltisb v0,-16', 'vspltisb v0,15', 'vspltish v0,-1', 'vspltish v0,7', 'vspltisw v0,-9', 'vspltisw v0,0',
  // pack, unpack
  ...vx3('vpkuhum', 'vpkuwum', 'vpkudum', 'vpkuhus', 'vpkuwus', 'vpkudus', 'vpkshus', 'vpkswus', 'vpksdus',
    'vpkshss', 'vpkswss', 'vpksdss', 'vpkpx'),
  ...vx2('vupkhsb', 'vupkhsh', 'vupkhsw', 'vupklsb', 'vupklsh', 'vupklsw', 'vupkhpx', 'vupklpx'),
  // POWER8 bit manipulation
  ...vx2('vclzb', 'vclzh', 'vclzw', 'vclzd', 'vpopcntb', 'vpopcnth', 'vpopcntw', 'vpopcntd', 'vgbbd'),
  'vbpermq v0,v1,v2', 'vbpermq v0,v1,v3',
  // data stream touch/stop: no-ops, illegal with RA=0
  'dst r4,r5,1', 'dstt r4,r5,3', 'dstst r4,r5,0', 'dststt r4,r5,2', 'dss 1', 'dssall', 'dst r0,r5,0', 'dststt r0,r5,0',
  // reserved fields QEMU checks (illegal instruction) or ignores: mfvscr v1 with VRA=1, mtvscr v2
  // with VRT=1, lvx/stvx with bit 31, vupkhsb with VRA=1, dss with bit 31, dssall with STRM=3,
  // dst with bit 8, vsplth v0,v1,5 with UIM bit 1 of 5 set, vspltw v0,v1,3 with UIM bits 2:4 set
  '.long 0x10211604', '.long 0x10201644', '.long 0x7c0428cf', '.long 0x7c2429cf', '.long 0x1001120e',
  '.long 0x7c40066d', '.long 0x7e60066c', '.long 0x7c8322ac', '.long 0x100d0a4c', '.long 0x101f0a8c',
);
