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
 * both ended (completed, failed, cancelled), either one failed, or `maxTurns` rounds passed.
 */
export function migrateInProcess(src: Instance, dst: Instance, maxTurns = 1_000_000): LocalMigration {
  const r: LocalMigration = { src: null, dstStatus: 'none', link: new MemoryLink(), ms: 0 };
  // the instances' own handlers still hear every report
  const srcHandler = src.onMigration, dstHandler = dst.onMigration;
  src.onMigration = (i) => { r.src = i; srcHandler(i); };
  dst.onMigration = (i) => { r.dstStatus = i.status; dstHandler(i); };
  const t0 = performance.now();
  dst.incoming(r.link.receiver);
  src.migrate(r.link.sender);
  const ended = (s: string | undefined) => s === 'completed' || s === 'failed' || s === 'cancelled';
  const over = () => (ended(r.src?.status) && ended(r.dstStatus)) || r.src?.status === 'failed' || r.dstStatus === 'failed';
  for (let n = 0; n < maxTurns && !over(); n++) {
    src.turn(); r.link.receiver.pump(); dst.turn(); r.link.sender.pump();
  }
  r.ms = performance.now() - t0;
  return r;
}
