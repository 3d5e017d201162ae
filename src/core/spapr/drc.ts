// Dynamic-reconfiguration connectors (hw/ppc/spapr_drc.c) as the device tree lists them:
// one DRC per CPU core, LMB of device memory, memory slot (PMEM), PHB slot and PCI function
// of PHB 0, named and indexed as QEMU does, and walked in the order of QEMU's "/dr-connector"
// container (see qomorder.ts).

import { GHashOrder } from './qomorder';

export const SPAPR_DR_CONNECTOR_TYPE_CPU = 1 << 0;
export const SPAPR_DR_CONNECTOR_TYPE_PHB = 1 << 1;
export const SPAPR_DR_CONNECTOR_TYPE_VIO = 1 << 2;
export const SPAPR_DR_CONNECTOR_TYPE_PCI = 1 << 3;
export const SPAPR_DR_CONNECTOR_TYPE_LMB = 1 << 8;
export const SPAPR_DR_CONNECTOR_TYPE_PMEM = 1 << 9;

const TYPE_SHIFT: Record<number, number> = { 1: 1, 2: 2, 4: 3, 8: 4, 256: 8, 512: 9 };
const NAME_PREFIX: Record<number, string> = { 1: 'CPU ', 2: 'PHB ', 8: 'C', 256: 'LMB ', 512: 'PMEM ' };
/** ibm,drc-types strings */
const TYPE_NAME: Record<number, string> = { 1: 'CPU', 2: 'PHB', 8: '28', 256: 'MEM', 512: 'PMEM' };

export type DrcOwner = 'machine' | 'phb0';

/** SpaprDrcState (include/hw/ppc/spapr_drc.h); these numbers are what "spapr_drc" carries. */
export const SPAPR_DRC_STATE_LOGICAL_UNUSABLE = 1;
export const SPAPR_DRC_STATE_LOGICAL_AVAILABLE = 2;
export const SPAPR_DRC_STATE_LOGICAL_UNISOLATE = 3;
export const SPAPR_DRC_STATE_LOGICAL_CONFIGURED = 4;
export const SPAPR_DRC_STATE_PHYSICAL_AVAILABLE = 5;
export const SPAPR_DRC_STATE_PHYSICAL_POWERON = 6;
export const SPAPR_DRC_STATE_PHYSICAL_UNISOLATE = 7;
export const SPAPR_DRC_STATE_PHYSICAL_CONFIGURED = 8;

export interface SpaprDrc {
  type: number;
  id: number;
  owner: DrcOwner;
  /** drc->state (QEMU's numbering) */
  state?: number;
  /** a device is attached (drc->dev) */
  dev?: boolean;
  unplug_requested?: boolean;
  /** physical DRCs: the DR indicator */
  dr_indicator?: number;
  /**
   * drc->fdt: the device's tree fragment (a packed blob) built by the first
   * ibm,configure-connector and kept until the device is released; not migrated.
   */
  fdt?: Uint8Array | null;
  /** drc->fdt_start_offset: the device node's offset in the fragment's structure block */
  fdt_start_offset?: number;
  /** configure-connector's walk: offset of the next tag (-1: none) and node depth */
  ccs_offset?: number;
  ccs_depth?: number;
}

/** PCI slots are physical DRCs; CPU, PHB, LMB, PMEM are logical. */
export function drcIsPhysical(d: SpaprDrc): boolean {
  return d.type === SPAPR_DR_CONNECTOR_TYPE_PCI;
}

/** drck->empty_state: what a DRC without a device is in. */
export function drcEmptyState(d: SpaprDrc): number {
  return drcIsPhysical(d) ? SPAPR_DRC_STATE_PHYSICAL_POWERON : SPAPR_DRC_STATE_LOGICAL_UNUSABLE;
}

/** The state a DRC with a device is in once the guest (or a reset) configured it. */
export function drcReadyState(d: SpaprDrc): number {
  return drcIsPhysical(d) ? SPAPR_DRC_STATE_PHYSICAL_CONFIGURED : SPAPR_DRC_STATE_LOGICAL_CONFIGURED;
}

/**
 * spapr_drc_reset: a DRC with a device becomes ready (configured), one without is empty; the
 * configure-connector walk restarts at the fragment's start (or has none without a device).
 */
export function drcReset(d: SpaprDrc): void {
  if (drcIsPhysical(d)) {
    d.state = d.dev ? SPAPR_DRC_STATE_PHYSICAL_CONFIGURED : SPAPR_DRC_STATE_PHYSICAL_POWERON;
    d.dr_indicator = d.dev ? 1 : 0;
  } else {
    d.state = d.dev ? SPAPR_DRC_STATE_LOGICAL_CONFIGURED : SPAPR_DRC_STATE_LOGICAL_UNUSABLE;
  }
  d.unplug_requested = false;
  drcCcsRestart(d, !!d.dev);
}

/** ccs_offset = fdt_start_offset, ccs_depth = 0 (or -1 / -1 for an empty DRC). */
export function drcCcsRestart(d: SpaprDrc, present = true): void {
  d.ccs_offset = present ? d.fdt_start_offset ?? 0 : -1;
  d.ccs_depth = present ? 0 : -1;
}

export function drcIndex(d: SpaprDrc): number {
  return ((TYPE_SHIFT[d.type] << 28) | d.id) >>> 0;
}

export function drcName(d: SpaprDrc): string {
  return `${NAME_PREFIX[d.type]}${d.id}`;
}

export function drcTypeName(d: SpaprDrc): string {
  return TYPE_NAME[d.type];
}

export class DrcContainer {
  private readonly order = new GHashOrder();
  private readonly byIndex = new Map<number, SpaprDrc>();

  /** spapr_dr_connector_new + realize: the alias "%x" of the index joins the container. */
  add(d: SpaprDrc): void {
    const idx = drcIndex(d);
    this.byIndex.set(idx, d);
    this.order.insert(idx.toString(16));
  }

  get(index: number): SpaprDrc | undefined {
    return this.byIndex.get(index >>> 0);
  }

  /** object_property_iter order of the container. */
  list(): SpaprDrc[] {
    return this.order.keysInOrder().map((k) => this.byIndex.get(parseInt(k, 16))!);
  }
}
