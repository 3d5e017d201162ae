// `save FILE [ELF] --after-insns N`: boot the guest, run it N instructions, then write a
// migration stream of it to FILE, as QEMU's `migrate "exec:cat > FILE"` does (the source
// ends in postmigrate). `load FILE` restores it.

import { writeFileSync } from 'node:fs';
import { Instance } from '../core/instance';
import { formatInfoMigrate } from '../core/migration/precopy';
import { MemoryLink } from '../core/migration/transport';
import type { MigrationInfo } from '../worker/protocol';
import { intFlag, readElf, UsageError, type ParsedArgs } from './args';

export function saveCommand(p: ParsedArgs, out: (s: string) => void): number {
  const file = p.positional[0];
  if (!file) throw new UsageError('save needs a FILE');
  const elfArgs: ParsedArgs = { positional: p.positional.slice(1), flags: p.flags };
  const elf = readElf(elfArgs);
  const after = intFlag(p, 'after-insns', 1_000_000)!;
  const src = new Instance({ name: 'source', deterministic: true, machineType: typeof p.flags.get('machine') === 'string' ? p.flags.get('machine') as string : undefined });
  let con = '';
  src.onSerial = (t) => { con += t; };
  let info: MigrationInfo | null = null;
  src.onMigration = (i) => { info = i; };
  src.boot(elf);
  while (src.machine.cpu.state.insnCount < after && src.runstate() === 'running') src.turn();
  // the file end: takes everything at once
  const link = new MemoryLink(1 << 30);
  link.receiver.onChunk = () => link.receiver.ack();
  src.migrate(link.sender);
  const done = () => info !== null && ['completed', 'failed', 'cancelled'].includes((info as MigrationInfo).status);
  for (let i = 0; i < 1_000_000 && !done(); i++) { src.turn(); link.receiver.pump(); link.sender.pump(); }
  for (const l of con.split(/\r?\n/).filter((x) => x)) out(`src: ${l}\n`);
  if (info) for (const l of formatInfoMigrate(info)) out(`info migrate: ${l}\n`);
  const final = info as MigrationInfo | null;
  if (final?.status !== 'completed') return 1;
  const bytes = link.bytes();
  writeFileSync(file, bytes);
  out(`saved ${bytes.length} bytes to ${file}; source ${src.runstate()}\n`);
  return 0;
}
