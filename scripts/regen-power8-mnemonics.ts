// Regenerate src/core/cpu/power8-mnemonics.json: every mnemonic GNU objdump -M power8 prints
// (Debian's binutils-powerpc64le-linux-gnu), found by disassembling each primary opcode with all
// 2048 values of the low 11 bits (where the extended opcodes of every POWER8 form sit), once with
// zero operand fields and once with RT/RA/RB = 4/5/6. `npm run -s cli -- isa-coverage` compares
// the list with what the assembler takes.
//
//   npx tsx scripts/regen-power8-mnemonics.ts

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'power8-mnemonics-'));
const lines: string[] = [];
for (const ops of [0, (4 << 21) | (5 << 16) | (6 << 11)]) {
  for (let p = 0; p < 64; p++) {
    for (let k = 0; k < 2048; k++) lines.push(`.long 0x${(((p << 26) | ops | k) >>> 0).toString(16)}`);
  }
}
writeFileSync(join(dir, 'all.s'), lines.join('\n') + '\n');
execFileSync('powerpc64le-linux-gnu-as', ['-mpower8', '-mbig', '-a64', '-o', join(dir, 'all.o'), join(dir, 'all.s')]);
const out = execFileSync('powerpc64le-linux-gnu-objdump', ['-d', '-M', 'power8', join(dir, 'all.o')], { maxBuffer: 1 << 28 }).toString();
const names = new Set<string>();
for (const line of out.split('\n')) {
  const m = /^\s*[0-9a-f]+:\s+(?:[0-9a-f]{2} ){4}\s*(\S+)/.exec(line);
  if (m && m[1] !== '.long') names.add(m[1]);
}
const version = execFileSync('powerpc64le-linux-gnu-objdump', ['--version']).toString().split('\n')[0];
writeFileSync('src/core/cpu/power8-mnemonics.json', JSON.stringify({
  generator: 'scripts/regen-power8-mnemonics.ts', objdump: version, mnemonics: [...names].sort(),
}, null, 1) + '\n');
console.log(`${names.size} mnemonics from ${version}`);
