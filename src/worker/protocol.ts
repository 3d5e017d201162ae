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
  /** Dirty pages left after each iteration, in order (the last one: the stop-and-copy, 0 left). */
  dirtyPerIteration: number[];
  /**
   * Stream bandwidth of each iteration, MiB/s, same indices as dirtyPerIteration: the bytes
   * the iteration wrote over the wall time since the previous one ended (the stop-and-copy's:
   * over the downtime).
   */
  bandwidthPerIteration: number[];
  bytes: number;
  /** Time the VM was stopped, ms (source only, when completed). */
  downtimeMs?: number;
  error?: string;
  /** `info migrate` figures (source): RAM bytes transferred, remaining (dirty) and total. */
  ramTransferred?: number;
  ramRemaining?: number;
  ramTotal?: number;
  /** Dirty pages per second while iterating (QEMU's dirty-pages-rate). */
  dirtyPagesRate?: number;
  /** Passes over RAM (QEMU's dirty-sync-count). */
  iterations?: number;
  /** ms from the start to the end of setup, and in all. */
  setupTimeMs?: number;
  totalTimeMs?: number;
  /** What stop-and-copy would take now at the measured (or max) bandwidth, ms. */
  expectedDowntimeMs?: number;
  /** Measured throughput, Mbps. */
  mbps?: number;
  /**
   * Source: pages sent again (written by the guest after they were sent), per stretch of
   * `heatPagesPerCell` pages of RAM, in address order: the dirty-page heat map.
   */
  resentHeat?: number[];
  heatPagesPerCell?: number;
  /** The migrate_set_parameter values in force. */
  downtimeLimitMs?: number;
  maxBandwidth?: number;
}

/** QEMU's migrate_set_parameter names this machine understands. */
export type MigrationParamName = 'downtime-limit' | 'max-bandwidth';

/** Migration parameters: downtime-limit in ms, max-bandwidth in bytes/s. */
export interface MigrationParams {
  downtimeLimitMs: number;
  maxBandwidth: number;
}

/** QEMU's defaults (migration/migration.c): 300 ms, 128 MiB/s. */
export const DEFAULT_MIGRATION_PARAMS: MigrationParams = {
  downtimeLimitMs: 300,
  maxBandwidth: 128 * 1024 * 1024,
};

/**
 * What a guest needs of the machine, fixed when the machine is created: QEMU's -m (bytes;
 * undefined: the machine default) and the -M pseries,cap-*=... levels, indexed as SPAPR_CAPS
 * (SpaprMachine.caps.user). Both ends of a migration must be created with the same.
 */
export interface MachineConfig {
  ramSize?: number;
  caps?: Array<number | undefined>;
  /** -smp 1,maxcpus=N */
  maxCpus?: number;
  /** The cores present at creation (0 and cold-plugged ones: -device ...-spapr-cpu-core,core-id=K). */
  coreIds?: number[];
  /** -m ...,maxmem=M,slots=N */
  maxRamSize?: number;
  ramSlots?: number;
  /** -object memory-backend-ram,id=MEMDEV,size=S -device pc-dimm,id=ID,memdev=MEMDEV,addr=A */
  dimms?: Array<{ memdev: string; size: number; id?: string; addr?: number }>;
}

/** -kernel ELF, -initrd and -append (the images already inflated). */
export interface BootImages {
  elf: ArrayBuffer;
  initrd?: ArrayBuffer;
  append?: string;
}

/** Page → worker. */
export type ToWorker =
  | ({ type: 'init'; name: string; role: InstanceRole; deterministic: boolean } & MachineConfig)
  /** Load the guest (kernel, initrd, command line) and start it (prelaunch -> running). */
  /** Boot the images (`paused`: stay in prelaunch until cont, as QEMU's -S). */
  | ({ type: 'boot'; paused?: boolean } & BootImages)
  /** Keyboard input for the spapr-vty. */
  | { type: 'input'; data: string }
  /**
   * -incoming: become a migration destination on this port (prelaunch -> inmigrate), started
   * with the source's -kernel / -initrd / -append as a management layer starts it (a reset
   * there boots the same guest).
   */
  | ({ type: 'incoming'; port: MessagePort } & Partial<BootImages>)
  /** Start an outgoing migration on this port (with the migrate_set_parameter values to use). */
  | { type: 'migrate'; port: MessagePort; params?: MigrationParams }
  /** migrate_cancel: the outgoing migration, if any, ends as cancelled; the source keeps running. */
  | { type: 'migrate-cancel' }
  /** migrate_set_parameter for the outgoing migration in progress. */
  | { type: 'migrate-set-parameter'; name: MigrationParamName; value: number }
  /**
   * Throw away the current machine and create a fresh one in prelaunch; with `machine`, the
   * fresh one (and every later one) is created with that -m and those caps.
   */
  | { type: 'recreate'; machine?: MachineConfig }
  /** Ask for a snapshot; answered by a `snapshot` message with the same id. */
  | { type: 'query'; id: number; query: SnapshotQuery }
  /** stop / cont / step / system_reset; answered by `control` with the same id. */
  | { type: 'control'; id: number; op: VmControl }
  /** The breakpoints of vCPU 0 (hex addresses), replacing the previous set. */
  | { type: 'breakpoints'; addrs: string[] }
  /** vCPU 0's write watchpoints on guest-physical RAM, replacing the previous set. */
  | { type: 'watchpoints'; ranges: WatchRange[] }
  /** HMP device_add DRIVER,prop=value,...; answered by `control` with the same id. */
  | { type: 'device-add'; id: number; driver: string; props: Record<string, string> }
  /** HMP device_del ID; answered by `control` with the same id. */
  | { type: 'device-del'; id: number; device: string }
  /** HMP object_add TYPE,id=ID,prop=value,... / object_del ID; answered by `control` with the same id. */
  | { type: 'object-add'; id: number; qomType: string; props: Record<string, string> }
  | { type: 'object-del'; id: number; object: string };

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; name: string }
  | { type: 'serial'; data: string }
  | { type: 'trace'; events: TraceEvent[] }
  | { type: 'runstate'; state: RunState }
  | { type: 'migration'; info: MigrationInfo }
  | { type: 'stats'; insns: number; mips: number }
  /** A machine-level error (invalid runstate transition, load failure...); the page stays up. */
  | { type: 'error'; message: string }
  /** The answer to a `query` (error set when it could not be taken). */
  | { type: 'snapshot'; id: number; snapshot: Snapshot | null; error?: string }
  /** The answer to a `control`: QEMU's error message, or none. */
  | { type: 'control'; id: number; error?: string };

// ---- snapshots: what the page's panels show, requested while a panel is visible ---------

/** One subsection of a section and whether its needed() is true right now. */
export interface VmstateSubsectionInfo {
  name: string;
  needed: boolean;
  /** What needed() looked at, when it is easy to say. */
  reason?: string;
  subsections: VmstateSubsectionInfo[];
}

/** One registered section (SaveStateEntry) as a migration started now would send it. */
export interface VmstateSectionInfo {
  idstr: string;
  instanceId: number;
  version: number;
  sectionId: number;
  /** 'full': one FULL section at completion; 'live': START/PART/END (ram, spapr/htab). */
  kind: 'full' | 'live';
  /** Whether the section itself is sent (its vmsd's needed()). */
  needed: boolean;
  /** Size in bytes of the FULL payload it would send now (without header and footer). */
  size?: number;
  /** A short remark (e.g. how a live section is sent). */
  note?: string;
  subsections: VmstateSubsectionInfo[];
  /** With `fields` asked for: the payload it would send now, and where each field sits in it. */
  payload?: Uint8Array;
  fields?: VmstateFieldInfo[];
}

/** One field of a section's payload (src/core/vmstate/fields.ts). */
export interface VmstateFieldInfo {
  /** `name`, or `subsection: name` for a field of a subsection (unique within the section). */
  key: string;
  /** The vmdesc type (uint64, int32 equal, buffer, struct...). */
  type: string;
  /** In the section's payload. */
  offset: number;
  size: number;
  /** Elements (array_len), 1 for a scalar. */
  count: number;
}

/** Where the fields sat in the last migration stream this instance's worker sent or received. */
export interface VmstateStreamMap {
  direction: 'outgoing' | 'incoming';
  /** Bytes in the stream. */
  size: number;
  /** Bumped for every new stream. */
  seq: number;
  /** By `idstr/instance_id`: the section record's offset, its payload's, and each field's [offset, size] in the stream. */
  sections: Record<string, { record: number; payload: number; fields: Record<string, [number, number]> }>;
  /** Why the stream could not be walked (in part or at all). */
  error?: string;
}

export interface Ov5BitInfo {
  /** QEMU's name, e.g. OV5_HPT_RESIZE. */
  name: string;
  /** Bit number in the 2048-bit vector (OV_BIT(byte, bit)). */
  bit: number;
  platform: boolean;
  negotiated: boolean;
}

export interface CpuRegister { name: string; num?: number; value: string }

export interface DisasmLine { addr: string; word: string; text: string; current: boolean }

export type Snapshot =
  /** beforeCas: the tree the guest had until the last CAS rebuilt it (absent before any CAS). */
  | { kind: 'fdt'; blob: Uint8Array; initialSize: number; machineType: string; beforeCas?: Uint8Array }
  | {
    kind: 'vmstate'; machineType: string; sections: VmstateSectionInfo[];
    /** With `fields` asked for: vCPU 0's instruction count when it was taken, and the last stream's field map (null: none). */
    insns?: number; stream?: VmstateStreamMap | null;
  }
  | {
    kind: 'cpu'; cpuIndex: number; model: string; halted: boolean; insns: number;
    /** Every present vCPU (cpu_index, core-id, halted), vCPU 0 first; absent in older snapshots. */
    cpus?: Array<{ cpuIndex: number; coreId: number; halted: boolean }>;
    /** Breakpoint addresses on this vCPU, 16 hex digits each. */
    breakpoints?: string[];
    /** 16 hex digits each. */
    gpr: string[]; nip: string; msr: string; lr: string; ctr: string; xer: string;
    /** env->reserve_addr (ffffffffffffffff: no reservation). */
    reserve: string;
    cr: number; sprs: CpuRegister[]; disasm: DisasmLine[];
  }
  | { kind: 'ov5'; machineType: string; bits: Ov5BitInfo[]; platformBytes: number[]; negotiatedBytes: number[] }
  | {
    kind: 'memory'; addr: number; bytes: Uint8Array;
    /** The mapped RAM blocks by address: the machine's ("ppc_spapr.ram") and each plugged DIMM's. */
    blocks: Array<{ idstr: string; addr: number; size: number }>;
    /** vCPU 0's write watchpoints, and the last one that stopped the VM (since they were set). */
    watchpoints?: WatchRange[]; watchHit?: WatchHit | null;
  }
  /** The bytes of the last outgoing migration stream (null when there was none). */
  | { kind: 'stream'; bytes: Uint8Array | null }
  /** The pc-dimm devices (query-memory-devices). */
  | { kind: 'memory-devices'; dimms: Array<{ id?: string; addr: number; slot: number; node: number; size: number; memdev: string; hotplugged: boolean }> };

export type SnapshotKind = Snapshot['kind'];

/** A write watchpoint: guest-physical [addr, addr+len). */
export interface WatchRange { addr: number; len: number }

/** A watchpoint that fired: the instruction after which the bytes had changed, and how. */
export interface WatchHit extends WatchRange {
  /** NIP of the instruction that changed them (16 hex digits), and vCPU 0's count after it. */
  nip: string;
  insns: number;
  /** The bytes before and after, in hex. */
  old: string;
  now: string;
}

/** A snapshot request: `addr`/`len` for memory; `fields` for vmstate (payloads, field layout, last stream). */
export interface SnapshotQuery { kind: SnapshotKind; addr?: number; len?: number; fields?: boolean }

/** A monitor-style control of the VM (QEMU's stop, cont, system_reset; step while paused). */
export type VmControl = 'stop' | 'cont' | 'step' | 'system_reset' | 'system_wakeup';
