// Memory hot-plug of the pseries machine: `-m SIZE,slots=N,maxmem=M` (hw/core/machine.c
// machine_set_mem, spapr_machine_init's device memory and spapr_validate_node_memory),
// memory-backend-ram objects (object_add / object_del) and pc-dimm devices plugged into the
// LMB DRCs (spapr_memory_pre_plug / spapr_memory_plug / spapr_add_lmbs, and the unplug path
// spapr_memory_unplug_request / spapr_lmb_release), with QEMU 7.2's error messages.
//
// A DIMM's memory is accounted (device tree, DRCs, events, sizes) but not mapped into the
// vCPUs' address space: guest RAM is the one "ppc_spapr.ram" block at 0.

import { LMB_SIZE } from './dt';

const MiB = 1024 * 1024;
/** SPAPR_DEVICE_MEM_ALIGN: device memory starts at the next 1 GiB boundary above RAM. */
export const SPAPR_DEVICE_MEM_ALIGN = 1024 * MiB;
/** SPAPR_MAX_RAM_SLOTS (TCG) */
export const SPAPR_MAX_RAM_SLOTS = 32;

/** What `-m` gives the machine (MemorySizeConfiguration). */
export interface SpaprMemoryConfig {
  ramSize: number;
  /** maxram_size (= ramSize without maxmem) */
  maxRamSize: number;
  /** ram_slots (0 without slots=) */
  ramSlots: number;
}

const hex = (v: number): string => v.toString(16);

/**
 * machine_set_mem's checks: null, or QEMU's error. `maxmem` and `slots` undefined when not
 * given.
 */
export function checkMemoryOptions(size: number, maxmem: number | undefined, slots: number | undefined): string | null {
  if (maxmem !== undefined) {
    if (maxmem < size) {
      return `invalid value of maxmem: maximum memory size (0x${hex(maxmem)}) must be at least the initial memory size (0x${hex(size)})`;
    }
    if (slots && maxmem === size) {
      return `invalid value of maxmem: memory slots were specified but maximum memory size (0x${hex(maxmem)}) is equal to the initial memory size (0x${hex(size)})`;
    }
  } else if (slots !== undefined) {
    return 'slots specified but no max-size';
  }
  return null;
}

/**
 * spapr_machine_init's memory checks (spapr_validate_node_memory for maxmem, then the number
 * of slots): null, or QEMU's error. The RAM size itself is not checked here, nor maxmem when it
 * is the RAM size (the lab's small machines have RAM sizes QEMU would refuse).
 */
export function checkSpaprMemory(c: SpaprMemoryConfig): string | null {
  if (c.maxRamSize !== c.ramSize && c.maxRamSize % LMB_SIZE) {
    // QEMU prints ram_size in this message
    return `Maximum memory size 0x${hex(c.ramSize)} is not aligned to ${LMB_SIZE / MiB} MiB`;
  }
  if (c.ramSize < c.maxRamSize && c.ramSlots > SPAPR_MAX_RAM_SLOTS) {
    return `Specified number of memory slots ${c.ramSlots} exceeds max supported ${SPAPR_MAX_RAM_SLOTS}`;
  }
  return null;
}

/** machine->device_memory: from ROUND_UP(ram, 1 GiB), maxmem - ram bytes; base 0 and size 0 without. */
export function spaprDeviceMemory(c: SpaprMemoryConfig): { base: number; size: number } {
  if (c.ramSize >= c.maxRamSize) return { base: 0, size: 0 };
  const base = Math.ceil(c.ramSize / SPAPR_DEVICE_MEM_ALIGN) * SPAPR_DEVICE_MEM_ALIGN;
  return { base, size: c.maxRamSize - c.ramSize };
}

/** The LMB DRC ids (address / LMB size) of the device memory, in creation order. */
export function spaprLmbIds(c: SpaprMemoryConfig): number[] {
  const dm = spaprDeviceMemory(c);
  const n = Math.floor((c.maxRamSize - c.ramSize) / LMB_SIZE);
  return Array.from({ length: n }, (_, i) => dm.base / LMB_SIZE + i);
}

/** A memory-backend-ram object (object_add memory-backend-ram,id=X,size=S). */
export interface MemoryBackend {
  id: string;
  size: number;
  /** the pc-dimm using it (host_memory_backend_is_mapped) */
  usedBy?: string;
  /** its bytes while no DIMM maps it (kept from the last unplug; none: zeros) */
  content?: Uint8Array;
}

/** A pc-dimm device. */
export interface SpaprDimm {
  id?: string;
  memdev: string;
  /** guest physical address (PC_DIMM_ADDR_PROP) */
  addr: number;
  size: number;
  slot: number;
  node: number;
  /** plugged with device_add once the machine existed */
  hotplugged: boolean;
  /** SpaprDimmState: LMBs still to be released by the guest while an unplug is pending, else undefined */
  pendingLmbs?: number;
}

/** QEMU's sizes (qemu_strtosz): a number with an optional B, K, M, G, T, P or E suffix; bytes without one. */
export function parseQemuSize(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([bBkKmMgGtTpPeE]?)$/.exec(v.trim());
  if (!m) return null;
  const mult: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };
  const n = Number(m[1]) * mult[(m[2] || 'b').toLowerCase()];
  // a fraction needs a suffix
  if (!Number.isFinite(n) || (m[1].includes('.') && !m[2])) return null;
  return Math.round(n);
}
