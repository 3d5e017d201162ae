import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { runCommand } from '../src/cli/commands';
import { EXAMPLES, programElf } from '../src/core/asm/examples';

// What QEMU 7.2 prints for the same ELFs (scripts/regen-editor-examples.ts).
const QEMU = JSON.parse(readFileSync(new URL('./fixtures/editor-examples-qemu.json', import.meta.url), 'utf8')).console as Record<string, string>;

describe('guest editor examples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editor-examples-'));
  for (const e of EXAMPLES) {
    it(`${e.id}: assembled here, the console equals QEMU 7.2's`, () => {
      const elf = join(dir, `${e.id}.elf`);
      writeFileSync(elf, programElf(e.source));
      let text = '';
      runCommand(parseArgs([elf, '--max-insns', '400000']), (s) => { text += s; }, () => {});
      expect(QEMU[e.id]).toBeTruthy();
      // the CLI prints lines with \n where the guest wrote \r\n (the fixture keeps QEMU's raw bytes)
      expect(text).toBe(QEMU[e.id].replace(/\r\n/g, '\n'));
    });
  }
});
