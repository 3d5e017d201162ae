// Interrupt numbers of the pseries machine (hw/ppc/spapr_irq.c, spapr_events.c, spapr_vio.c,
// spapr_pci.c). From pseries-3.1 on they are fixed: EPOW 0x1000, hotplug 0x1001, VIO
// 0x1100 | (reg & 0xff), PCI LSIs 0x1200 + 4 * phb. Older machine types (legacy_irq_allocation)
// hand out numbers from 0x1000 upwards in the order the devices claim them.

import type { MachineCompat } from './versions';

export const SPAPR_IRQ_EPOW = 0x1000;
export const SPAPR_IRQ_HOTPLUG = 0x1001;
export const SPAPR_IRQ_VIO = 0x1100;
export const SPAPR_IRQ_PCI_LSI = 0x1200;
export const SPAPR_IRQ_MSI = 0x1300;
export const SPAPR_XIRQ_BASE = 0x1000;
/** smc->nr_xirqs: 0x1000 sources, 0x400 with legacy numbering. */
export const SPAPR_NR_XIRQS = 0x1000;
export const SPAPR_NR_XIRQS_LEGACY = 0x400;
export const PCI_NUM_PINS = 4;

export interface SpaprIrqLayout {
  epow: number;
  /** undefined without modern hotplug events. */
  hotplug: number | undefined;
  /** by VIO reg, in device creation order */
  vio: Map<number, number>;
  /** LSIs of PHB 0 (INTA..INTD) */
  phbLsi: number[];
  /** ibm,pe-total-#msi of the PHB */
  nrMsis: number;
}

/**
 * The numbers for the devices this machine creates: EPOW, hotplug, spapr-nvram, PHB 0, then
 * the -device VIO devices (regs in `extraVio`).
 */
export function spaprIrqLayout(c: MachineCompat, nvramReg: number, extraVio: number[]): SpaprIrqLayout {
  const vio = new Map<number, number>();
  if (c.legacyIrqAllocation) {
    let next = SPAPR_XIRQ_BASE;
    const epow = next++;
    const hotplug = c.modernHotplugEvents ? next++ : undefined;
    vio.set(nvramReg, next++);
    const phbLsi = [next++, next++, next++, next++];
    for (const r of extraVio) vio.set(r, next++);
    return { epow, hotplug, vio, phbLsi, nrMsis: SPAPR_NR_XIRQS_LEGACY };
  }
  vio.set(nvramReg, SPAPR_IRQ_VIO | (nvramReg & 0xff));
  for (const r of extraVio) vio.set(r, SPAPR_IRQ_VIO | (r & 0xff));
  return {
    epow: SPAPR_IRQ_EPOW,
    hotplug: c.modernHotplugEvents ? SPAPR_IRQ_HOTPLUG : undefined,
    vio,
    phbLsi: [0, 1, 2, 3].map((i) => SPAPR_IRQ_PCI_LSI + i),
    nrMsis: SPAPR_NR_XIRQS + SPAPR_XIRQ_BASE - SPAPR_IRQ_MSI,
  };
}
