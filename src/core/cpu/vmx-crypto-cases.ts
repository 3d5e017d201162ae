// Differential cases of the vmx-crypto instructions against QEMU 7.2 TCG (see vec-diff.ts): AES
// rounds and S-box, SHA-2 sigma functions, polynomial multiply-sum and BCD add/subtract of
// vmx-crypto.ts.

import { cases, type VecCase } from './vec-diff';

const bin = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1,v2`, `${mn} v3,v2,v1`, `${mn} v1,v0,v3`]);
const sigma = (mn: string) => [0, 1].flatMap((st) => [0, 5, 10, 15].map((six, k) => `${mn} v${k & 3},v${(k + 1) & 3},${st},${six}`));
const bcd = (...mns: string[]) => mns.flatMap((mn) => [`${mn} v0,v1,v2,0`, `${mn} v3,v2,v1,1`, `${mn} v1,v0,v3,0`,
  `${mn} v2,v3,v0,1`]);

export const CASES: VecCase[] = cases(
  ...bin('vcipher', 'vcipherlast', 'vncipher', 'vncipherlast'),
  'vsbox v0,v1', 'vsbox v2,v3',
  ...sigma('vshasigmaw'), ...sigma('vshasigmad'),
  ...bin('vpmsumb', 'vpmsumh', 'vpmsumw', 'vpmsumd'),
  ...bcd('bcdadd.', 'bcdsub.'),
  'vpmsumd v2,v2,v2', 'bcdadd. v1,v1,v1,1', 'bcdsub. v0,v0,v0,0',
  // vsbox v0,v1 with a non-zero VRB field (ignored)
  '.long 0x100115c8',
);
