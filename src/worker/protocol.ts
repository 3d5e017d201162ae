// The one message protocol between the page and a machine worker. The page never touches
// machine state: it sends commands and receives events and snapshots.

import type { RunState } from '../core/runstate';
import type { TraceEvent } from '../core/trace';

export type InstanceRole = 'source' | 'destination';

/** QEMU's MigrationStatus names (qapi/migration.json). */
export type MigrationStatus =
  | 'none' | 'setup' | 'cancelling' | 'cancelled' | 'active' | 'completed' | 'failed';

export interface MigrationInfo {
  status: MigrationStatus;
  /** Which way this instance takes part. */
  direction: 'outgoing' | 'incoming';
  /** RAM pages transferred so far (normal + zero). */
  pagesSent: number;
  zeroPages: number;
  /** Dirty pages left after each iteration, in order. */
  dirtyPerIteration: number[];
  bytes: number;
  /** Time the VM was stopped, ms (source only, when completed). */
  downtimeMs?: number;
  error?: string;
}

/** Page → worker. */
export type ToWorker =
  | { type: 'init'; name: string; role: InstanceRole; deterministic: boolean; ramSize?: number }
  /** Load the guest ELF and start it (prelaunch -> running). */
  | { type: 'boot'; elf: ArrayBuffer }
  /** Keyboard input for the spapr-vty. */
  | { type: 'input'; data: string }
  /** Become a fresh migration destination on this port (prelaunch -> inmigrate). */
  | { type: 'incoming'; port: MessagePort }
  /** Start an outgoing migration on this port. */
  | { type: 'migrate'; port: MessagePort }
  /** Throw away the current machine and create a fresh one in prelaunch. */
  | { type: 'recreate' };

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; name: string }
  | { type: 'serial'; data: string }
  | { type: 'trace'; events: TraceEvent[] }
  | { type: 'runstate'; state: RunState }
  | { type: 'migration'; info: MigrationInfo }
  | { type: 'stats'; insns: number; mips: number }
  /** A machine-level error (invalid runstate transition, load failure...); the page stays up. */
  | { type: 'error'; message: string };
