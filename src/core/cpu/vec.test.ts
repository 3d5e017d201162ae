import { describe, it, expect } from 'vitest';
import { assembleBytes } from '../asm/asm';
import { disassemble } from '../asm/disasm';
import type { PowerPCCPU } from './cpu';
import { runSnippet, SNIPPET_CODE, MSR_SF, MSR_VEC, MSR_VSX } from './snippet';

const CODE = SNIPPET_CODE;
const run = (src: string, msr: bigint) => runSnippet(src, { msr });

const word = (cpu: PowerPCCPU, vsr: number, k: number) => cpu.state.vsr[4 * vsr + k] >>> 0;

describe('vector units', () => {
  it('VX and XX3 forms assemble, disassemble and decode through the table', () => {
    const [a, b] = assembleBytes('vor v3,v1,v2\nxxlor vs35,vs1,vs62', 0n).reduce<number[]>((l, _x, i, arr) =>
      i % 4 ? l : [...l, ((arr[i] << 24) | (arr[i + 1] << 16) | (arr[i + 2] << 8) | arr[i + 3]) >>> 0], []);
    expect(a).toBe(0x10611484);  // GNU as -mpower8: vor v3,v1,v2
    expect(b).toBe(0xf061f493);  // GNU as -mpower8: xxlor vs35,vs1,vs62
    expect(disassemble(a, 0n)).toBe('vor v3,v1,v2');
    expect(disassemble(b, 0n)).toBe('xxlor vs35,vs1,vs62');
  });

  it('runs with the facility enabled', () => {
    const cpu = run('vor v3,v1,v2\nxxlor vs4,vs33,vs34', MSR_SF | MSR_VEC | MSR_VSX);
    expect(cpu.state.getGpr(22)).toBe(0n); // no interrupt
  });

  it('VMX unavailable (0xf20) with MSR[VEC]=0, VSX unavailable (0xf40) with MSR[VSX]=0', () => {
    const v = run('nop\nvor v3,v1,v2', MSR_SF | MSR_VSX);
    expect(v.state.getGpr(21)).toBe(BigInt(CODE + 4));
    expect(v.state.getSpr(27) & 0xffffn).toBe(0n); // SRR1: no cause bits
    const x = run('xxlor vs4,vs33,vs34', MSR_SF | MSR_VEC);
    expect(x.state.getGpr(21)).toBe(BigInt(CODE));
  });

  it('VR n is VSR 32+n', () => {
    const vr1 = [0, 1, 2, 3].map((k) => 0x01010101 << k), vr2 = [0, 1, 2, 3].map((k) => 0x10000000 >>> k);
    const cpu = runSnippet('vor v3,v1,v2\nxxlor vs4,vs35,vs35', { msr: MSR_SF | MSR_VEC | MSR_VSX, vsr: { 33: vr1, 34: vr2 } });
    for (let k = 0; k < 4; k++) expect(word(cpu, 4, k)).toBe(((0x01010101 << k) | (0x10000000 >>> k)) >>> 0);
  });
});
