// Differential cases of the decimal floating-point instructions against QEMU 7.2 TCG (see vec-diff.ts).

import type { VecCase } from './vec-diff';

export const CASES: VecCase[] = [
];
