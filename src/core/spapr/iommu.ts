// sPAPR IOMMU (hw/ppc/spapr_iommu.c): the TCE tables of the PHB's DMA windows and the
// hypercalls that fill them. No device does DMA through them here; the tables are guest
// state (Linux clears the default window at boot) and migrate as "spapr_iommu" sections.

import type { PowerPCCPU } from '../cpu/cpu';
import type { GuestRam } from '../mem/ram';
import { H_GET_TCE, H_PARAMETER, H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE, H_SUCCESS, type HcallArgs, type HcallTable } from './hcall';

/** SPAPR_PCI_LIOBN(0, 0): the default DMA window of PHB 0; the DDW window is liobn + 1. */
export const SPAPR_PCI_LIOBN = 0x80000000;
/** SPAPR_PCI_DMA32_SIZE: the default 32-bit window, 1 GiB of 4 KiB TCE pages. */
export const SPAPR_PCI_DMA32_SIZE = 0x40000000;
export const SPAPR_TCE_PAGE_SHIFT = 12;
const SPAPR_TCE_PAGE_SIZE = 1 << SPAPR_TCE_PAGE_SHIFT;

/** SpaprTceTable: one DMA window; `table` holds nb_table big-endian u64 TCEs. */
export class SpaprTceTable {
  nb_table: number;
  table: Uint8Array;
  bypass = false;
  mig_nb_table = 0;
  mig_table: Uint8Array = new Uint8Array(0);
  constructor(public liobn: number, nb_table: number, public page_shift: number, public bus_offset: bigint, public def_win: boolean) {
    this.nb_table = nb_table;
    this.table = new Uint8Array(nb_table * 8);
  }

  /** spapr_tce_table_enable */
  enable(page_shift: number, bus_offset: bigint, nb_table: number): void {
    this.page_shift = page_shift;
    this.bus_offset = bus_offset;
    this.nb_table = nb_table;
    this.table = new Uint8Array(nb_table * 8);
  }

  /** spapr_tce_table_disable */
  disable(): void {
    this.nb_table = 0;
    this.table = new Uint8Array(0);
    this.bus_offset = 0n;
    this.page_shift = 0;
  }

  private index(ioba: bigint): number {
    const size = BigInt(this.nb_table) << BigInt(this.page_shift);
    if (ioba < this.bus_offset || ioba >= this.bus_offset + size) return -1;
    return Number((ioba - this.bus_offset) >> BigInt(this.page_shift));
  }

  /** put_tce_emu */
  put(ioba: bigint, tce: bigint): bigint {
    const i = this.index(ioba);
    if (i < 0) return H_PARAMETER;
    new DataView(this.table.buffer, this.table.byteOffset).setBigUint64(8 * i, tce, false);
    return H_SUCCESS;
  }

  /** get_tce_emu */
  get(ioba: bigint): bigint | null {
    const i = this.index(ioba);
    return i < 0 ? null : new DataView(this.table.buffer, this.table.byteOffset).getBigUint64(8 * i, false);
  }

  /** IOMMU_PAGE_MASK(page_shift) applied to an I/O bus address */
  align(ioba: bigint): bigint {
    return ioba & ~((1n << BigInt(this.page_shift)) - 1n);
  }
}

/** What the hypercalls need of the machine. */
export interface IommuHost {
  tceTables: SpaprTceTable[];
  ram: GuestRam;
}

function find(m: IommuHost, liobn: bigint): SpaprTceTable | undefined {
  return m.tceTables.find((t) => BigInt(t.liobn) === liobn && t.nb_table > 0);
}

function h_put_tce(m: IommuHost, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const t = find(m, a.get(0));
  return t ? t.put(t.align(a.get(1)), a.get(2)) : H_PARAMETER;
}

function h_get_tce(m: IommuHost, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const t = find(m, a.get(0));
  const tce = t?.get(t.align(a.get(1)));
  if (tce === undefined || tce === null) return H_PARAMETER;
  a.ret(0, tce);
  return H_SUCCESS;
}

function h_stuff_tce(m: IommuHost, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const t = find(m, a.get(0));
  const npages = a.get(3);
  if (!t || npages > BigInt(t.nb_table)) return H_PARAMETER;
  let ioba = t.align(a.get(1));
  const step = 1n << BigInt(t.page_shift);
  let ret = H_PARAMETER;
  for (let i = 0n; i < npages; i++, ioba += step) {
    ret = t.put(ioba, a.get(2));
    if (ret !== H_SUCCESS) break;
  }
  return ret;
}

function h_put_tce_indirect(m: IommuHost, _cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const t = find(m, a.get(0));
  const tceList = a.get(2);
  const npages = a.get(3);
  // the list is one 4 KiB page of at most 512 TCEs
  if (!t || npages > 512n || (tceList & BigInt(SPAPR_TCE_PAGE_SIZE - 1)) !== 0n) return H_PARAMETER;
  const list = Number(tceList & 0x0fffffffffffffffn);
  if (!m.ram.contains(list, Number(npages) * 8)) return H_PARAMETER;
  let ioba = t.align(a.get(1));
  const step = 1n << BigInt(t.page_shift);
  let ret = H_SUCCESS;
  for (let i = 0; i < Number(npages); i++, ioba += step) {
    ret = t.put(ioba, m.ram.view.getBigUint64(list + 8 * i, false));
    if (ret !== H_SUCCESS) break;
  }
  return ret;
}

/** spapr_tce_table_class_init's hypercalls */
export function registerIommuHcalls<M extends IommuHost>(h: HcallTable<M>): void {
  h.register(H_PUT_TCE, h_put_tce);
  h.register(H_GET_TCE, h_get_tce);
  h.register(H_PUT_TCE_INDIRECT, h_put_tce_indirect);
  h.register(H_STUFF_TCE, h_stuff_tce);
}

/** The PHB's DMA windows at machine creation (spapr_phb_realize): default on, DDW disabled. */
export function phbTceTables(ddw: boolean): SpaprTceTable[] {
  const t = [new SpaprTceTable(SPAPR_PCI_LIOBN, SPAPR_PCI_DMA32_SIZE >> SPAPR_TCE_PAGE_SHIFT, SPAPR_TCE_PAGE_SHIFT, 0n, true)];
  if (ddw) t.push(new SpaprTceTable(SPAPR_PCI_LIOBN + 1, 0, 0, 0n, false));
  return t;
}

/** spapr_phb_dma_reset: every window disabled, then the default one enabled and cleared. */
export function phbDmaReset(tables: SpaprTceTable[]): void {
  for (const t of tables) t.disable();
  tables[0].enable(SPAPR_TCE_PAGE_SHIFT, 0n, SPAPR_PCI_DMA32_SIZE >> SPAPR_TCE_PAGE_SHIFT);
}
