// RTAS events (hw/ppc/spapr_events.c): the event sources (classes), which source an event log
// entry belongs to, and the two services that hand entries out, check-exception and
// event-scan, with QEMU 7.2's argument checks, buffer layout, return codes and interrupt
// re-pulsing. The entries themselves are queued on the machine's pending_events (a hot-plug
// adds one per device; see SpaprMachine.deviceAdd).

import { RTAS_OUT_NO_ERRORS_FOUND, RTAS_OUT_PARAM_ERROR, RTAS_OUT_SUCCESS, type RtasCall } from './rtas';
import { OV5, testOvBit, type SpaprMachine } from './machine';

/** EventClassIndex */
export const EVENT_CLASS_INTERNAL_ERRORS = 0;
export const EVENT_CLASS_EPOW = 1;
export const EVENT_CLASS_RESERVED = 2;
export const EVENT_CLASS_HOT_PLUG = 3;
export const EVENT_CLASS_IO = 4;
export const EVENT_CLASS_MAX = 5;

/** EVENT_CLASS_MASK(index): the bit of a class in check-exception's event mask. */
export function EVENT_CLASS_MASK(index: number): number {
  return (1 << (31 - index)) >>> 0;
}

export const RTAS_LOG_TYPE_MASK = 0x000000ff;
export const RTAS_LOG_TYPE_EPOW = 0x00000040;
export const RTAS_LOG_TYPE_HOTPLUG = 0x000000e5;

/** sizeof(struct rtas_error_log): summary and extended_length, big-endian. */
export const RTAS_ERROR_LOG_HEADER_SIZE = 8;

export type SpaprEventLogEntry = SpaprMachine['pending_events'][number];

type EventsMachine = Pick<SpaprMachine, 'pending_events' | 'ov5_cas' | 'irqs' | 'xics' | 'ram'>;

interface SpaprEventSource { irq: number; mask: number; enabled: boolean }

/**
 * spapr_event_sources_get_source: EPOW is always registered; the hot-plug source only on
 * machine types with modern hotplug events (use_hotplug_event_source).
 */
export function spaprEventSource(m: Pick<SpaprMachine, 'irqs'>, index: number): SpaprEventSource {
  if (index === EVENT_CLASS_EPOW) return { irq: m.irqs.epow, mask: EVENT_CLASS_MASK(index), enabled: true };
  if (index === EVENT_CLASS_HOT_PLUG && m.irqs.hotplug !== undefined) {
    return { irq: m.irqs.hotplug, mask: EVENT_CLASS_MASK(index), enabled: true };
  }
  return { irq: 0, mask: 0, enabled: false };
}

/**
 * rtas_event_log_to_source: hot-plug entries go to the hot-plug source once the guest
 * negotiated OV5_HP_EVT at CAS, else (legacy hotplug notification) to EPOW. Decided when the
 * entry is looked at, not when it was queued.
 */
export function rtasEventLogToSource(m: Pick<SpaprMachine, 'irqs' | 'ov5_cas'>, logType: number): SpaprEventSource | null {
  switch (logType) {
    case RTAS_LOG_TYPE_HOTPLUG:
      if (testOvBit(m.ov5_cas, OV5.HP_EVT)) return spaprEventSource(m, EVENT_CLASS_HOT_PLUG);
      return spaprEventSource(m, EVENT_CLASS_EPOW);
    case RTAS_LOG_TYPE_EPOW:
      return spaprEventSource(m, EVENT_CLASS_EPOW);
    default:
      return null;
  }
}

/** rtas_event_log_to_irq */
export function rtasEventLogToIrq(m: Pick<SpaprMachine, 'irqs' | 'ov5_cas'>, logType: number): number {
  return rtasEventLogToSource(m, logType)!.irq;
}

function entryType(e: SpaprEventLogEntry): number {
  return e.summary & RTAS_LOG_TYPE_MASK;
}

/** rtas_event_log_dequeue: the first entry whose source is in the mask, removed. */
export function rtasEventLogDequeue(m: EventsMachine, eventMask: number): SpaprEventLogEntry | null {
  const i = m.pending_events.findIndex((e) => ((rtasEventLogToSource(m, entryType(e))?.mask ?? 0) & eventMask) !== 0);
  if (i < 0) return null;
  return m.pending_events.splice(i, 1)[0];
}

/** rtas_event_log_contains */
export function rtasEventLogContains(m: EventsMachine, eventMask: number): boolean {
  return m.pending_events.some((e) => ((rtasEventLogToSource(m, entryType(e))?.mask ?? 0) & eventMask) !== 0);
}

/** Pulse the source of every class that still has entries (edge-triggered "left asserted"). */
function pulsePendingSources(m: EventsMachine): void {
  for (let i = 0; i < EVENT_CLASS_MAX; i++) {
    if (rtasEventLogContains(m, EVENT_CLASS_MASK(i))) {
      const source = spaprEventSource(m, i);
      if (source.enabled) m.xics.pulse(source.irq);
    }
  }
}

/** physical writes (cpu_physical_memory_write): what falls outside RAM is dropped */
function physWrite(m: EventsMachine, addr: number, data: Uint8Array): void {
  for (let i = 0; i < data.length; i++) {
    if (m.ram.contains(addr + i, 1)) m.ram.st8(addr + i, data[i]);
  }
}

/**
 * check-exception(vector, info, mask, critical, buffer, length[, extended]): the first
 * pending entry of a class in `mask` goes to `buffer` as an RTAS error log header (summary,
 * extended_length) followed by the extended log; QEMU writes all of it whatever `length`
 * says. Then every class with entries left has its interrupt pulsed again.
 */
export function check_exception(m: EventsMachine, c: RtasCall): void {
  if (c.nargs < 6 || c.nargs > 7 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const mask = c.arg(2);
  const buf = c.arg(4);
  const event = rtasEventLogDequeue(m, mask);
  if (!event) return c.ret(0, RTAS_OUT_NO_ERRORS_FOUND);
  const header = new Uint8Array(RTAS_ERROR_LOG_HEADER_SIZE);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, event.summary >>> 0);
  dv.setUint32(4, event.extended_length >>> 0);
  physWrite(m, buf, header);
  physWrite(m, buf + RTAS_ERROR_LOG_HEADER_SIZE, event.extended_log.subarray(0, event.extended_length));
  c.ret(0, RTAS_OUT_SUCCESS);
  pulsePendingSources(m);
}

/** event-scan: never hands out an entry; pulses the sources that have some, answers 1. */
export function event_scan(m: EventsMachine, c: RtasCall): void {
  if (c.nargs !== 4 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  pulsePendingSources(m);
  c.ret(0, RTAS_OUT_NO_ERRORS_FOUND);
}

/**
 * The date and time spapr_init_maina stamps on an event (spapr_rtc_read: the guest RTC).
 * QEMU reads the RTC from the host clock (-rtc clock=host) plus the guest's offset; a
 * deterministic machine reads it from its virtual clock instead (ns since the epoch, so
 * 1970-01-01 plus the guest's run time) plus the same offset, so every run stamps the same
 * date. A real-time machine reads the host clock as QEMU does.
 */
export function spaprEventRtcDate(m: Pick<SpaprMachine, 'host' | 'rtcHostNs' | 'rtcNsOffset'>): Date {
  const hostNs = m.rtcHostNs();
  const s = (hostNs + m.rtcNsOffset) / 1_000_000_000n;
  return new Date(Number(s) * 1000);
}
