// One live migration between two instances in the same process, over the memory transport:
// what the CLI, the tests and the benchmarks do to migrate without a page.

import type { Instance } from '../instance';
import type { MigrationInfo } from '../../worker/protocol';
import { MemoryLink } from './transport';

export interface LocalMigration {
  /** The source's last `info migrate` (null if it never reported). */
  src: MigrationInfo | null;
  /** The destination's last status. */
  dstStatus: string;
  link: MemoryLink;
  /** Wall time from the start to both ends completed (or giving up). */
  ms: number;
}

/**
 * `dst` becomes -incoming, `src` migrates to it; both are turned (and the link pumped) until
 * both report completed, either one failed, or `maxTurns` rounds passed.
 */
export function migrateInProcess(src: Instance, dst: Instance, maxTurns = 1_000_000): LocalMigration {
  const r: LocalMigration = { src: null, dstStatus: 'none', link: new MemoryLink(), ms: 0 };
  src.onMigration = (i) => { r.src = i; };
  dst.onMigration = (i) => { r.dstStatus = i.status; };
  const t0 = performance.now();
  dst.incoming(r.link.receiver);
  src.migrate(r.link.sender);
  const over = () => (r.src?.status === 'completed' && r.dstStatus === 'completed') || r.src?.status === 'failed' || r.dstStatus === 'failed';
  for (let n = 0; n < maxTurns && !over(); n++) {
    src.turn(); r.link.receiver.pump(); dst.turn(); r.link.sender.pump();
  }
  r.ms = performance.now() - t0;
  return r;
}
