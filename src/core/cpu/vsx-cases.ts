// Differential cases of the vsx instructions against QEMU 7.2 TCG (see vec-diff.ts): the VSX
// loads, stores, direct moves, logical, permute and floating-point instructions of vsx.ts.

import { cases, type VecCase } from './vec-diff';
import { dwordLines } from './qemu-diff';

const xx3 = (...mns: string[]) => mns.map((mn) => `${mn} vs0,vs1,vs2`);
const xx2 = (...mns: string[]) => mns.map((mn) => `${mn} vs0,vs1`);

export const CASES: VecCase[] = cases(
  // loads and stores (EA = r4 + r5, r5 = 0..31: unaligned too), VSRs 0-31 and 32-63
  'lxvd2x vs0,r4,r5', 'lxvd2x vs33,r4,r5', 'lxvw4x vs1,r4,r5', 'lxvw4x vs32,r4,r5', 'lxvdsx vs2,r4,r5',
  'lxsdx vs0,r4,r5', 'lxsdx vs34,r4,r5', 'lxsiwax vs1,r4,r5', 'lxsiwzx vs33,r4,r5', 'lxsspx vs2,r4,r5',
  'stxvd2x vs1,r4,r5', 'stxvd2x vs35,r4,r5', 'stxvw4x vs2,r4,r5', 'stxvw4x vs33,r4,r5',
  'stxsdx vs3,r4,r5', 'stxsiwx vs1,r4,r5', 'stxsspx vs2,r4,r5', 'stxsspx vs34,r4,r5',
  // direct moves (FPR and VR halves)
  'mfvsrd r3,vs1', 'mfvsrd r3,vs34', 'mfvsrwz r3,vs2', 'mfvsrwz r3,vs35',
  'mtvsrd vs0,r3', 'mtvsrd vs33,r3', 'mtvsrwa vs1,r3', 'mtvsrwa vs34,r3', 'mtvsrwz vs2,r3', 'mtvsrwz vs32,r3',
  // logical and permute (some with the target among the sources)
  ...xx3('xxland', 'xxlandc', 'xxlor', 'xxlxor', 'xxlnor', 'xxlorc', 'xxlnand', 'xxleqv', 'xxmrghw', 'xxmrglw'),
  'xxlor vs32,vs1,vs34', 'xxmrghw vs1,vs2,vs1', 'xxsel vs0,vs1,vs2,vs3', 'xxsel vs1,vs1,vs2,vs1',
  'xxpermdi vs0,vs1,vs2,0', 'xxpermdi vs0,vs1,vs2,1', 'xxpermdi vs0,vs1,vs2,2', 'xxpermdi vs0,vs1,vs2,3',
  'xxpermdi vs1,vs1,vs1,2', 'xxpermdi vs2,vs3,vs2,1',
  'xxsldwi vs0,vs1,vs2,0', 'xxsldwi vs0,vs1,vs2,1', 'xxsldwi vs0,vs1,vs2,2', 'xxsldwi vs0,vs1,vs2,3',
  'xxsldwi vs2,vs1,vs2,1',
  'xxspltw vs0,vs1,0', 'xxspltw vs0,vs1,1', 'xxspltw vs0,vs1,2', 'xxspltw vs33,vs1,3',
  // scalar double and single precision
  ...xx3('xsadddp', 'xssubdp', 'xsmuldp', 'xsdivdp', 'xsmaxdp', 'xsmindp', 'xscpsgndp',
    'xsaddsp', 'xssubsp', 'xsmulsp', 'xsdivsp',
    'xsmaddadp', 'xsmaddmdp', 'xsmsubadp', 'xsmsubmdp', 'xsnmaddadp', 'xsnmaddmdp', 'xsnmsubadp', 'xsnmsubmdp',
    'xsmaddasp', 'xsmaddmsp', 'xsmsubasp', 'xsmsubmsp', 'xsnmaddasp', 'xsnmaddmsp', 'xsnmsubasp', 'xsnmsubmsp'),
  'xscmpudp cr1,vs1,vs2', 'xscmpodp cr7,vs1,vs2', 'xstdivdp cr2,vs1,vs2', 'xstsqrtdp cr3,vs1',
  ...xx2('xssqrtdp', 'xsredp', 'xsrsqrtedp', 'xsabsdp', 'xsnabsdp', 'xsnegdp',
    'xsrdpi', 'xsrdpic', 'xsrdpim', 'xsrdpip', 'xsrdpiz',
    'xscvdpsp', 'xscvdpspn', 'xscvspdp', 'xscvspdpn', 'xscvdpsxds', 'xscvdpsxws', 'xscvdpuxds', 'xscvdpuxws',
    'xscvsxddp', 'xscvuxddp', 'xscvsxdsp', 'xscvuxdsp', 'xsrsp', 'xssqrtsp', 'xsresp', 'xsrsqrtesp'),
  // vector double precision
  ...xx3('xvadddp', 'xvsubdp', 'xvmuldp', 'xvdivdp', 'xvmaxdp', 'xvmindp', 'xvcpsgndp',
    'xvmaddadp', 'xvmaddmdp', 'xvmsubadp', 'xvmsubmdp', 'xvnmaddadp', 'xvnmaddmdp', 'xvnmsubadp', 'xvnmsubmdp',
    'xvcmpeqdp', 'xvcmpgtdp', 'xvcmpgedp', 'xvcmpeqdp.', 'xvcmpgtdp.', 'xvcmpgedp.'),
  'xvtdivdp cr2,vs1,vs2', 'xvtsqrtdp cr3,vs1',
  ...xx2('xvsqrtdp', 'xvredp', 'xvrsqrtedp', 'xvabsdp', 'xvnabsdp', 'xvnegdp',
    'xvrdpi', 'xvrdpic', 'xvrdpim', 'xvrdpip', 'xvrdpiz',
    'xvcvdpsp', 'xvcvspdp', 'xvcvdpsxds', 'xvcvdpsxws', 'xvcvdpuxds', 'xvcvdpuxws',
    'xvcvsxddp', 'xvcvuxddp', 'xvcvsxwdp', 'xvcvuxwdp'),
  // vector single precision
  ...xx3('xvaddsp', 'xvsubsp', 'xvmulsp', 'xvdivsp', 'xvmaxsp', 'xvminsp', 'xvcpsgnsp',
    'xvmaddasp', 'xvmaddmsp', 'xvmsubasp', 'xvmsubmsp', 'xvnmaddasp', 'xvnmaddmsp', 'xvnmsubasp', 'xvnmsubmsp',
    'xvcmpeqsp', 'xvcmpgtsp', 'xvcmpgesp', 'xvcmpeqsp.', 'xvcmpgtsp.', 'xvcmpgesp.'),
  'xvtdivsp cr2,vs1,vs2', 'xvtsqrtsp cr3,vs1',
  ...xx2('xvsqrtsp', 'xvresp', 'xvrsqrtesp', 'xvabssp', 'xvnabssp', 'xvnegsp',
    'xvrspi', 'xvrspic', 'xvrspim', 'xvrspip', 'xvrspiz',
    'xvcvspsxds', 'xvcvspsxws', 'xvcvspuxds', 'xvcvspuxws', 'xvcvsxdsp', 'xvcvuxdsp', 'xvcvsxwsp', 'xvcvuxwsp'),
  // multiply-adds with the target as an operand of the product
  'xsmaddadp vs1,vs1,vs2', 'xvmaddmdp vs2,vs1,vs2', 'xvnmsubasp vs1,vs2,vs1',
);

// ---------------------------------------------------------------------------------------------
// Two more checks against QEMU 7.2 (vsx-extra.gen.ts writes vsx-extra.fixture.json, vsx.test.ts
// compares): the floating-point cases under FPSCR images with the exceptions enabled or already
// set, with MSR[FE0]=MSR[FE1]=0 (FEX is set, no interrupt) and with both set (the enabled
// exceptions interrupt), and the loads and stores in little-endian mode.

/** The floating-point cases. */
export const FP_CASES: VecCase[] = CASES.filter((c) => /^x[sv]/.test(c.insn));

/** FPSCR images replacing the shared guest's four rounding modes: all exceptions enabled (RN 0,
 * 1, 3) and all exception bits already set (RN 2). */
export const FPSCR_IMAGES: readonly bigint[] = [0xf8n, 0xf9n, 0x9ff80702n, 0xfbn];

/** The shared guest (vecDiffSource) with its FPSCR table replaced by FPSCR_IMAGES; with `trap`,
 * MSR[FE0]=MSR[FE1]=1 too, so that enabled exceptions interrupt (the guest's handler returns
 * after the instruction with r3 = SRR1 bits | vector). */
export function withFpscrImages(src: string, trap = false): string {
  const i = src.indexOf('vec_fpscr:\n') + 'vec_fpscr:\n'.length;
  let j = i;
  for (let k = 0; k < 2 * FPSCR_IMAGES.length; k++) j = src.indexOf('\n', j) + 1;
  const msr = '    ori r0,r0,0x2000\n'; // MSR[FP] in the guest's entry
  if (i < 'vec_fpscr:\n'.length || !src.includes(msr)) throw new Error('withFpscrImages: unexpected guest source');
  const out = src.slice(0, i) + FPSCR_IMAGES.flatMap(dwordLines).join('\n') + '\n' + src.slice(j);
  return trap ? out.replace(msr, '    ori r0,r0,0x2900\n') : out;
}

// The little-endian guest: the shared vector guest runs big-endian, so this one switches to
// MSR[LE]=1 (rfid into byte-reversed code) to run the VSX loads and stores at EA offsets 0, 3, 8
// and 13 of a buffer, traps back to big-endian and prints the loaded registers and the stored
// bytes as doublewords.

/** The instructions run little-endian (r4 = buffer, r5 = offset, r13 = output area). */
export const VSX_LE_INSNS: readonly string[] = [
  'lxvd2x vs2,r4,r5', 'lxvw4x vs3,r4,r5', 'lxvdsx vs4,r4,r5', 'lxsdx vs5,r4,r5', 'lxsiwax vs6,r4,r5',
  'lxsiwzx vs7,r4,r5', 'lxsspx vs8,r4,r5', 'lxvd2x vs40,r4,r5', 'lxvw4x vs41,r4,r5',
  'stxvd2x vs1,0,r13', 'addi r13,r13,16', 'stxvw4x vs1,0,r13', 'addi r13,r13,16', 'stxsdx vs1,0,r13',
  'addi r13,r13,8', 'stxsiwx vs1,0,r13', 'addi r13,r13,4', 'stxsspx vs9,0,r13', 'addi r13,r13,4',
  'stxvw4x vs41,r13,r5', 'addi r13,r13,48', 'stxvd2x vs40,r13,r5',
];

/** The guest's source; `encode` assembles one instruction (the LE code is emitted byte-reversed). */
export function vsxLeSource(encode: (insn: string) => number, end: string[], print: string[]): string {
  const L: string[] = [];
  const e = (...s: string[]) => L.push(...s);
  const sw = (w: number) => (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
  const msr = ['    mfmsr r0', '    li r9,1', '    sldi r9,r9,63', '    or r0,r0,r9', '    oris r0,r0,0x0280',
    '    ori r0,r0,0x2000', '    mtmsrd r0', '    isync'];
  const regs = [2, 3, 4, 5, 6, 7, 8, 40, 41];
  for (const off of [0, 3, 8, 13]) {
    e(...msr);
    e('    li r9,0x700', `    lis r10,(0x48000002+back${off})@h`, `    ori r10,r10,(0x48000002+back${off})@l`,
      '    stw r10,0(r9)', '    sync', '    isync');
    e('    lis r4,buf@ha', '    addi r4,r4,buf@l', `    li r5,${off}`, '    lis r13,out@ha', '    addi r13,r13,out@l');
    e('    li r10,0', '    li r11,16');
    for (let k = 0; k < 16; k++) e(`    std r10,${8 * k}(r13)`);
    e('    lis r9,pat@ha', '    addi r9,r9,pat@l', '    lxvd2x vs1,0,r9', '    lxvd2x vs9,r9,r11');
    for (const r of regs) e(`    lxvd2x vs${r},r9,r11`);
    e('    mfmsr r9', '    ori r9,r9,1', '    mtsrr1 r9', `    lis r9,le${off}@ha`, `    addi r9,r9,le${off}@l`,
      '    mtsrr0 r9', '    rfid');
    e(`le${off}:`);
    for (const i of [...VSX_LE_INSNS, 'tw 31,0,0']) e(`    .long 0x${sw(encode(i)).toString(16)}`);
    e(`back${off}:`, ...msr, '    lis r13,dump@ha', '    addi r13,r13,dump@l');
    regs.forEach((r, k) => e(`    li r10,${16 * k}`, `    stxvd2x vs${r},r13,r10`));
    for (let k = 0; k < 2 * regs.length; k++) e(`    ld r20,${8 * k}(r13)`, '    bl print');
    e('    lis r13,out@ha', '    addi r13,r13,out@l');
    for (let k = 0; k < 16; k++) e(`    ld r20,${8 * k}(r13)`, '    bl print');
  }
  e(...end, 'hang:', '    b hang', ...print, '    .balign 16', 'pat:');
  for (const v of [0x0123456789abcdefn, 0xfedcba9876543210n, 0x3ff8000000000000n, 0x3690000000000005n]) e(...dwordLines(v));
  e('buf:');
  for (let i = 0; i < 64; i += 4) {
    e(`    .long 0x${[i, i + 1, i + 2, i + 3].map((b) => ((b * 17 + 0x80) & 0xff).toString(16).padStart(2, '0')).join('')}`);
  }
  e('dump:', ...Array.from({ length: 2 * 2 * regs.length }, () => '    .long 0'));
  e('out:', ...Array.from({ length: 32 }, () => '    .long 0'));
  return L.join('\n') + '\n';
}
