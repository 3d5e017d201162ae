// XICS, the POWER interrupt controller as a PAPR guest sees it (hw/intc/xics.c,
// xics_spapr.c): one source controller (ics) whose sources are numbered from
// XICS_IRQ_BASE 0x1000, and one presenter (icp/server) per vCPU. The state objects keep
// QEMU's field names because they are what the "ics" and "icp/server" sections carry.

import type { IcsState, IcpState } from './vmstate';

export const XICS_IPI = 0x2;
export const XICS_IRQ_BASE = 0x1000;
export const XISR_MASK = 0x00ffffff;
export const CPPR_MASK = 0xff000000;

export const XICS_STATUS_ASSERTED = 0x1;
export const XICS_STATUS_SENT = 0x2;
export const XICS_STATUS_REJECTED = 0x4;
export const XICS_STATUS_MASKED_PENDING = 0x8;

export const XICS_FLAGS_IRQ_LSI = 0x1;
export const XICS_FLAGS_IRQ_MSI = 0x2;
export const XICS_FLAGS_IRQ_MASK = 0x3;

/** An icp/server plus what QEMU keeps outside the migrated fields. */
export interface IcpServer extends IcpState {
  /** The source controller that presented XISR (NULL for an IPI), not migrated. */
  xirr_owner: boolean;
  /** The vCPU's external interrupt input. */
  output: (level: boolean) => void;
}

const XISR = (icp: IcpState): number => icp.xirr & XISR_MASK;
const CPPR = (icp: IcpState): number => icp.xirr >>> 24;

export class Xics {
  readonly offset = XICS_IRQ_BASE;

  /** `icps[server]`: one presenter per present vCPU, by vCPU id (holes for absent cores). */
  constructor(readonly ics: IcsState, readonly icps: Array<IcpServer | undefined>) {}

  icpGet(server: number): IcpServer | undefined {
    return server >= 0 && server < this.icps.length ? this.icps[server] : undefined;
  }

  /** The present presenters in server order. */
  presenters(): IcpServer[] {
    return this.icps.filter((i): i is IcpServer => i !== undefined);
  }

  validIrq(nr: number): boolean {
    return nr >= this.offset && nr < this.offset + this.ics.nr_irqs;
  }

  /** ics_set_irq_type, at claim time (spapr_irq_claim). */
  claim(nr: number, lsi: boolean): void {
    this.ics.irqs[nr - this.offset].flags |= lsi ? XICS_FLAGS_IRQ_LSI : XICS_FLAGS_IRQ_MSI;
  }

  // ---- presenter ------------------------------------------------------------------------

  private checkIpi(icp: IcpServer): void {
    if (XISR(icp) && icp.pending_priority <= icp.mfrr) return;
    if (XISR(icp) && icp.xirr_owner) this.reject(XISR(icp));
    icp.xirr = ((icp.xirr & ~XISR_MASK) | XICS_IPI) >>> 0;
    icp.pending_priority = icp.mfrr;
    icp.xirr_owner = false;
    icp.output(true);
  }

  private icpResend(icp: IcpServer): void {
    if (icp.mfrr < CPPR(icp)) this.checkIpi(icp);
    this.resend();
  }

  setCppr(icp: IcpServer, cppr: number): void {
    cppr &= 0xff;
    const old = CPPR(icp);
    icp.xirr = ((icp.xirr & ~CPPR_MASK) | (cppr << 24)) >>> 0;
    if (cppr < old) {
      if (XISR(icp) && cppr <= icp.pending_priority) {
        const oldXisr = XISR(icp);
        icp.xirr = (icp.xirr & ~XISR_MASK) >>> 0;
        icp.pending_priority = 0xff;
        icp.output(false);
        if (icp.xirr_owner) {
          this.reject(oldXisr);
          icp.xirr_owner = false;
        }
      }
    } else if (!XISR(icp)) {
      this.icpResend(icp);
    }
  }

  setMfrr(icp: IcpServer, mfrr: number): void {
    icp.mfrr = mfrr & 0xff;
    if (icp.mfrr < CPPR(icp)) this.checkIpi(icp);
  }

  accept(icp: IcpServer): number {
    const xirr = icp.xirr;
    icp.output(false);
    icp.xirr = (icp.pending_priority << 24) >>> 0;
    icp.pending_priority = 0xff;
    icp.xirr_owner = false;
    return xirr;
  }

  eoi(icp: IcpServer, xirr: number): void {
    icp.xirr = ((icp.xirr & ~CPPR_MASK) | (xirr & CPPR_MASK)) >>> 0;
    const irq = xirr & XISR_MASK;
    if (this.validIrq(irq)) this.icsEoi(irq);
    if (!XISR(icp)) this.icpResend(icp);
  }

  private icpIrq(server: number, nr: number, priority: number): void {
    const icp = this.icpGet(server);
    if (!icp) return;
    if (priority >= CPPR(icp) || (XISR(icp) && icp.pending_priority <= priority)) {
      this.reject(nr);
    } else {
      if (XISR(icp) && icp.xirr_owner) {
        this.reject(XISR(icp));
        icp.xirr_owner = false;
      }
      icp.xirr = ((icp.xirr & ~XISR_MASK) | (nr & XISR_MASK)) >>> 0;
      icp.xirr_owner = true;
      icp.pending_priority = priority;
      icp.output(true);
    }
  }

  // ---- source controller ----------------------------------------------------------------

  /** ics_set_irq: a device drives source `nr` (an interrupt number, not a source index). */
  setIrq(nr: number, level: boolean): void {
    if (!this.validIrq(nr)) return;
    const srcno = nr - this.offset;
    const irq = this.ics.irqs[srcno];
    if (irq.flags & XICS_FLAGS_IRQ_LSI) {
      if (level) irq.status |= XICS_STATUS_ASSERTED;
      else irq.status &= ~XICS_STATUS_ASSERTED;
      this.resendLsi(srcno);
    } else if (level) {
      if (irq.priority === 0xff) irq.status |= XICS_STATUS_MASKED_PENDING;
      else this.icpIrq(irq.server, nr, irq.priority);
    }
  }

  /** qemu_irq_pulse */
  pulse(nr: number): void {
    this.setIrq(nr, true);
    this.setIrq(nr, false);
  }

  writeXive(srcno: number, server: number, priority: number, savedPriority: number): void {
    const irq = this.ics.irqs[srcno];
    irq.server = server >>> 0;
    irq.priority = priority & 0xff;
    irq.saved_priority = savedPriority & 0xff;
    if (irq.flags & XICS_FLAGS_IRQ_LSI) {
      this.resendLsi(srcno);
    } else {
      if (!(irq.status & XICS_STATUS_MASKED_PENDING) || irq.priority === 0xff) return;
      irq.status &= ~XICS_STATUS_MASKED_PENDING;
      this.icpIrq(irq.server, srcno + this.offset, irq.priority);
    }
  }

  private resendLsi(srcno: number): void {
    const irq = this.ics.irqs[srcno];
    if (irq.priority !== 0xff && (irq.status & XICS_STATUS_ASSERTED) && !(irq.status & XICS_STATUS_SENT)) {
      irq.status |= XICS_STATUS_SENT;
      this.icpIrq(irq.server, srcno + this.offset, irq.priority);
    }
  }

  private resendMsi(srcno: number): void {
    const irq = this.ics.irqs[srcno];
    if (irq.status & XICS_STATUS_REJECTED) {
      irq.status &= ~XICS_STATUS_REJECTED;
      if (irq.priority !== 0xff) this.icpIrq(irq.server, srcno + this.offset, irq.priority);
    }
  }

  private reject(nr: number): void {
    if (!this.validIrq(nr)) return;
    const irq = this.ics.irqs[nr - this.offset];
    if (irq.flags & XICS_FLAGS_IRQ_MSI) irq.status |= XICS_STATUS_REJECTED;
    else if (irq.flags & XICS_FLAGS_IRQ_LSI) irq.status &= ~XICS_STATUS_SENT;
  }

  resend(): void {
    for (let i = 0; i < this.ics.nr_irqs; i++) {
      if (this.ics.irqs[i].flags & XICS_FLAGS_IRQ_LSI) this.resendLsi(i);
      else this.resendMsi(i);
    }
  }

  private icsEoi(nr: number): void {
    const irq = this.ics.irqs[nr - this.offset];
    if (irq.flags & XICS_FLAGS_IRQ_LSI) irq.status &= ~XICS_STATUS_SENT;
  }

  /** ics_reset (flags survive) and icp_reset of every presenter. */
  reset(): void {
    for (const irq of this.ics.irqs) {
      irq.server = 0;
      irq.status = 0;
      irq.priority = 0xff;
      irq.saved_priority = 0xff;
    }
    for (const icp of this.presenters()) {
      icp.xirr = 0;
      icp.pending_priority = 0xff;
      icp.mfrr = 0xff;
      icp.xirr_owner = false;
      icp.output(false);
    }
  }

  /** After an incoming migration: the vCPU's input follows the presenter's state. */
  postLoad(): void {
    for (const icp of this.presenters()) icp.output(XISR(icp) !== 0);
  }
}
