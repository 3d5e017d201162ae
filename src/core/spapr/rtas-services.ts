// The RTAS services a pseries machine registers (hw/ppc/spapr_rtas.c, spapr_rtc.c,
// spapr_events.c (in events.ts), spapr_drc.c, hw/nvram/spapr_nvram.c, hw/intc/xics_spapr.c),
// with QEMU 7.2's argument checks and return statuses. One line per service in
// `registerRtasServices`.

import {
  RTAS_OUT_HW_ERROR, RTAS_OUT_NOT_AUTHORIZED, RTAS_OUT_NOT_SUPPORTED,
  RTAS_OUT_PARAM_ERROR, RTAS_OUT_SUCCESS, RTAS_OUT_SYSPARM_PARAM_ERROR, type RtasCall, type RtasTable,
} from './rtas';
import {
  drcCcsRestart, drcIndex, drcIsPhysical, drcReadyState, SPAPR_DR_CONNECTOR_TYPE_CPU, SPAPR_DR_CONNECTOR_TYPE_LMB, SPAPR_DRC_STATE_LOGICAL_AVAILABLE, SPAPR_DRC_STATE_LOGICAL_CONFIGURED,
  SPAPR_DRC_STATE_LOGICAL_UNISOLATE, SPAPR_DRC_STATE_LOGICAL_UNUSABLE, SPAPR_DRC_STATE_PHYSICAL_CONFIGURED,
  SPAPR_DRC_STATE_PHYSICAL_POWERON, SPAPR_DRC_STATE_PHYSICAL_UNISOLATE, type SpaprDrc,
} from './drc';
import { LPCR_PM_POWER8, type SpaprMachine } from './machine';
import { check_exception, event_scan } from './events';
import { H_MULTI_THREADS_ACTIVE } from './hcall';
import { phbDmaReset, type SpaprTceTable } from './iommu';
import { spaprCoreDtNode, spaprLmbDtNode } from './dt';
import { fdtPack } from './fdt';
import { SPR_LPCR } from '../cpu/state';

type M = SpaprMachine;

const NS_PER_SEC = 1_000_000_000n;
const MiB = 1024 * 1024;

export function registerRtasServices(r: RtasTable<M>): void {
  r.register('display-character', rtas_display_character);
  r.register('power-off', rtas_power_off);
  r.register('system-reboot', rtas_system_reboot);
  r.register('query-cpu-stopped-state', rtas_query_cpu_stopped_state);
  r.register('start-cpu', rtas_start_cpu);
  r.register('stop-self', rtas_stop_self);
  r.register('ibm,get-system-parameter', rtas_ibm_get_system_parameter);
  r.register('ibm,set-system-parameter', rtas_ibm_set_system_parameter);
  r.register('ibm,os-term', rtas_ibm_os_term);
  r.register('ibm,suspend-me', rtas_ibm_suspend_me);
  r.register('set-power-level', rtas_set_power_level);
  r.register('get-power-level', rtas_get_power_level);
  r.register('ibm,nmi-register', rtas_ibm_nmi_register);
  r.register('ibm,nmi-interlock', rtas_ibm_nmi_interlock);
  // spapr_rtc.c
  r.register('get-time-of-day', rtas_get_time_of_day);
  r.register('set-time-of-day', rtas_set_time_of_day);
  // spapr_nvram.c
  r.register('nvram-fetch', rtas_nvram_fetch);
  r.register('nvram-store', rtas_nvram_store);
  // spapr_events.c
  r.register('check-exception', check_exception);
  r.register('event-scan', event_scan);
  // spapr_drc.c
  r.register('get-sensor-state', rtas_get_sensor_state);
  r.register('set-indicator', rtas_set_indicator);
  r.register('ibm,configure-connector', rtas_ibm_configure_connector);
  // spapr_pci.c: PHB 0 has no device on its bus, and EEH needs VFIO
  r.register('read-pci-config', pciConfig(2, 2));
  r.register('write-pci-config', pciConfig(3, 1));
  r.register('ibm,read-pci-config', pciConfig(4, 2));
  r.register('ibm,write-pci-config', pciConfig(5, 1));
  for (const name of ['ibm,set-eeh-option', 'ibm,get-config-addr-info2', 'ibm,read-slot-reset-state2',
    'ibm,set-slot-reset', 'ibm,configure-pe', 'ibm,slot-error-detail',
    'ibm,change-msi', 'ibm,query-interrupt-source-number'] as const) {
    r.register(name, noPciDevice);
  }
  // spapr_rtas_ddw.c
  r.register('ibm,query-pe-dma-window', rtas_ibm_query_pe_dma_window);
  r.register('ibm,create-pe-dma-window', rtas_ibm_create_pe_dma_window);
  r.register('ibm,remove-pe-dma-window', rtas_ibm_remove_pe_dma_window);
  r.register('ibm,reset-pe-dma-window', rtas_ibm_reset_pe_dma_window);
  // spapr_vio.c
  r.register('ibm,set-tce-bypass', rtas_set_tce_bypass);
  r.register('quiesce', rtas_quiesce);
  // xics_spapr.c
  r.register('ibm,set-xive', rtas_set_xive);
  r.register('ibm,get-xive', rtas_get_xive);
  r.register('ibm,int-off', rtas_int_off);
  r.register('ibm,int-on', rtas_int_on);
}

function rtas_display_character(m: M, c: RtasCall): void {
  m.vty.putchars(Uint8Array.of(c.arg(0) & 0xff));
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_power_off(m: M, c: RtasCall): void {
  if (c.nargs !== 2 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  m.host.shutdownRequest('guest-shutdown');
  m.cpu.requestExit();
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_system_reboot(m: M, c: RtasCall): void {
  if (c.nargs !== 0 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  m.host.resetRequest('guest-reset');
  c.ret(0, RTAS_OUT_SUCCESS);
}

/** spapr_find_cpu: the present vCPU with this id. */
function findCpu(m: M, id: number) {
  return m.findCpu(id);
}

function rtas_query_cpu_stopped_state(m: M, c: RtasCall): void {
  if (c.nargs !== 1 || c.nret !== 2) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const cpu = findCpu(m, c.arg(0));
  if (!cpu) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  c.ret(1, cpu.state.halted ? 0 : 2);
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_start_cpu(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const cpu = findCpu(m, c.arg(0));
  if (!cpu) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const s = cpu.state;
  if (!s.halted) return c.ret(0, RTAS_OUT_HW_ERROR);
  // MSR = SF | ME; LPCR[ILE] and [AIL] as the caller's
  s.setMsr((1n << 63n) | (1n << 12n));
  const ILE_AIL = (1n << 25n) | (3n << 23n);
  const caller = m.currentCpu ?? m.cpu;
  s.setSpr(SPR_LPCR, (s.getSpr(SPR_LPCR) & ~ILE_AIL) | (caller.state.getSpr(SPR_LPCR) & ILE_AIL));
  // spapr_cpu_set_entry_state(newcpu, start, 0, r3, 0)
  s.setNip(BigInt(c.arg(1) >>> 0));
  s.setGpr(1, 0n);
  s.setGpr(3, BigInt(c.arg(2) >>> 0));
  s.setGpr(4, 0n);
  s.setSpr(SPR_LPCR, s.getSpr(SPR_LPCR) | LPCR_PM_POWER8);
  s.halted = 0;
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_stop_self(m: M, _c: RtasCall): void {
  const cpu = m.currentCpu ?? m.cpu;
  const s = cpu.state;
  s.setSpr(SPR_LPCR, s.getSpr(SPR_LPCR) & ~LPCR_PM_POWER8);
  s.halted = 1;
  cpu.requestExit();
}

const RTAS_SYSPARM_SPLPAR_CHARACTERISTICS = 20;
const RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE = 42;
const RTAS_SYSPARM_UUID = 48;

function sysparmSt(m: M, addr: number, len: number, val: Uint8Array): number {
  if (len < 2) return RTAS_OUT_SYSPARM_PARAM_ERROR;
  const phys = addr & 0x0fffffff; // ppc64_phys_to_real on a 32-bit argument
  if (m.ram.contains(phys, 2)) m.ram.st16(phys, val.length, false);
  const n = Math.min(len - 2, val.length);
  if (m.ram.contains(phys + 2, n)) m.ram.write(phys + 2, val.subarray(0, n));
  return RTAS_OUT_SUCCESS;
}

function rtas_ibm_get_system_parameter(m: M, c: RtasCall): void {
  const parameter = c.arg(0);
  const buffer = c.arg(1);
  const length = c.arg(2);
  let ret: number;
  switch (parameter) {
    case RTAS_SYSPARM_SPLPAR_CHARACTERISTICS: {
      // POWER8's n_host_threads is 8
      const v = `MaxEntCap=1,DesMem=${Math.floor(m.ram.size / MiB)},DesProcs=1,MaxPlatProcs=1,HostThrs=8`;
      ret = sysparmSt(m, buffer, length, new TextEncoder().encode(v + '\0'));
      break;
    }
    case RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE:
      ret = sysparmSt(m, buffer, length, Uint8Array.of(0));
      break;
    case RTAS_SYSPARM_UUID:
      ret = sysparmSt(m, buffer, length, new Uint8Array(0)); // no -uuid given
      break;
    default:
      ret = RTAS_OUT_NOT_SUPPORTED;
  }
  c.ret(0, ret);
}

function rtas_ibm_set_system_parameter(_m: M, c: RtasCall): void {
  const p = c.arg(0);
  const known = p === RTAS_SYSPARM_SPLPAR_CHARACTERISTICS || p === RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE || p === RTAS_SYSPARM_UUID;
  c.ret(0, known ? RTAS_OUT_NOT_AUTHORIZED : RTAS_OUT_NOT_SUPPORTED);
}

/**
 * ibm,suspend-me (the guest's side of a partition migration): every other vCPU must be joined
 * (halted with MSR[EE] off, as after H_JOIN), else H_MULTI_THREADS_ACTIVE; then the machine is
 * suspended until system_wakeup.
 */
function rtas_ibm_suspend_me(m: M, c: RtasCall): void {
  if (c.nargs !== 0 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const self = m.currentCpu ?? m.cpu;
  for (const cpu of m.cpus) {
    if (cpu === self) continue;
    if (!cpu.state.halted || (cpu.state.msr[1] & (1 << 15)) !== 0) return c.ret(0, Number(H_MULTI_THREADS_ACTIVE));
  }
  m.host.suspendRequest?.();
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_ibm_os_term(m: M, c: RtasCall): void {
  const addr = c.arg(0);
  const bytes: number[] = [];
  for (let i = 0; i < 511; i++) {
    const b = m.ram.contains(addr + i, 1) ? m.ram.ld8(addr + i) : 0;
    if (b === 0) break;
    bytes.push(b);
  }
  m.host.log(`OS terminated: ${new TextDecoder().decode(Uint8Array.from(bytes))}`);
  m.guestPanicked();
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_set_power_level(_m: M, c: RtasCall): void {
  if (c.nargs !== 2 || c.nret !== 2) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  if ((c.arg(0) | 0) !== -1) return c.ret(0, RTAS_OUT_NOT_SUPPORTED);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, 100);
}

function rtas_get_power_level(_m: M, c: RtasCall): void {
  if (c.nargs !== 1 || c.nret !== 2) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  if ((c.arg(0) | 0) !== -1) return c.ret(0, RTAS_OUT_NOT_SUPPORTED);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, 100);
}

const CAP_FWNMI = 10;

function rtas_ibm_nmi_register(m: M, c: RtasCall): void {
  if (m.caps.effective(CAP_FWNMI) === 0) return c.ret(0, RTAS_OUT_NOT_SUPPORTED);
  // spapr_get_rtas_addr(): /rtas/linux,rtas-base, set once the guest instantiated RTAS
  const base = m.rtasBase();
  if (!base) return c.ret(0, RTAS_OUT_NOT_SUPPORTED);
  const sreset = c.arg(0);
  const mce = c.arg(1);
  const limit = Math.min(32 * MiB, m.rmaSize());
  if (sreset >= limit || mce >= limit) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  m.fwnmi.system_reset_addr = BigInt(sreset);
  m.fwnmi.machine_check_addr = BigInt(mce);
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_ibm_nmi_interlock(m: M, c: RtasCall): void {
  if (m.caps.effective(CAP_FWNMI) === 0) return c.ret(0, RTAS_OUT_NOT_SUPPORTED);
  if (m.fwnmi.machine_check_addr === -1n) {
    m.host.log('FWNMI: ibm,nmi-interlock RTAS called with FWNMI not registered.');
    return c.ret(0, RTAS_OUT_PARAM_ERROR);
  }
  if (m.fwnmi.interlock !== 0) return c.ret(0, RTAS_OUT_SUCCESS);
  m.fwnmi.interlock = -1;
  c.ret(0, RTAS_OUT_SUCCESS);
}

// ---- spapr_rtc.c ------------------------------------------------------------------------------

/** QEMU's mktimegm(), no range checks. */
export function mktimegm(year: number, mon: number, mday: number, hour: number, min: number, sec: number): bigint {
  let y = year;
  let m = mon;
  if (m < 3) { m += 12; y--; }
  const days = BigInt(mday + Math.trunc((153 * m - 457) / 5) + 365 * y + Math.trunc(y / 4) - Math.trunc(y / 100) + Math.trunc(y / 400) - 719469);
  return 86400n * days + BigInt(3600 * hour + 60 * min + sec);
}

function rtas_get_time_of_day(m: M, c: RtasCall): void {
  if (c.nargs !== 0 || c.nret !== 8) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const guestNs = m.rtcHostNs() + m.rtcNsOffset;
  const s = guestNs / NS_PER_SEC;
  const d = new Date(Number(s) * 1000);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, d.getUTCFullYear());
  c.ret(2, d.getUTCMonth() + 1);
  c.ret(3, d.getUTCDate());
  c.ret(4, d.getUTCHours());
  c.ret(5, d.getUTCMinutes());
  c.ret(6, d.getUTCSeconds());
  c.ret(7, Number(guestNs % NS_PER_SEC));
}

function rtas_set_time_of_day(m: M, c: RtasCall): void {
  if (c.nargs !== 7 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  // the arguments land in struct tm's int fields
  const a = (i: number): number => c.arg(i) | 0;
  const newS = mktimegm(a(0), a(1), a(2), a(3), a(4), a(5));
  m.rtcNsOffset = newS * NS_PER_SEC - m.rtcHostNs();
  c.ret(0, RTAS_OUT_SUCCESS);
}

// ---- spapr_nvram.c ----------------------------------------------------------------------------

function rtas_nvram_fetch(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || c.nret !== 2) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const offset = c.arg(0);
  const buffer = c.arg(1);
  let len = c.arg(2);
  if (offset + len > m.nvram.size) {
    c.ret(0, RTAS_OUT_PARAM_ERROR);
    c.ret(1, 0);
    return;
  }
  len = Math.max(0, Math.min(len, m.ram.extent(buffer)));
  if (len) m.ram.write(buffer, m.nvram.buf.subarray(offset, offset + len));
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, len);
}

function rtas_nvram_store(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || c.nret !== 2) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const offset = c.arg(0);
  const buffer = c.arg(1);
  let len = c.arg(2);
  if (offset + len > m.nvram.size) {
    c.ret(0, RTAS_OUT_PARAM_ERROR);
    // the store path reports only the status here

    return;
  }
  len = Math.max(0, Math.min(len, m.ram.extent(buffer)));
  if (len) m.nvram.buf.set(m.ram.read(buffer, len), offset);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, len);
}

// ---- spapr_events.c: check_exception and event_scan live in events.ts ---------------------

// ---- spapr_drc.c ------------------------------------------------------------------------------

const RTAS_SENSOR_TYPE_ISOLATION_STATE = 9001;
const RTAS_SENSOR_TYPE_DR = 9002;
const RTAS_SENSOR_TYPE_ALLOCATION_STATE = 9003;
const RTAS_SENSOR_TYPE_ENTITY_SENSE = RTAS_SENSOR_TYPE_ALLOCATION_STATE;
const SPAPR_DR_ENTITY_SENSE_EMPTY = 0;
const SPAPR_DR_ENTITY_SENSE_PRESENT = 1;
const SPAPR_DR_ENTITY_SENSE_UNUSABLE = 2;
const RTAS_OUT_NO_SUCH_INDICATOR = -3;
const SPAPR_DR_CC_RESPONSE_NOT_CONFIGURABLE = -9003;

function entitySense(d: SpaprDrc): number {
  if (drcIsPhysical(d)) return d.dev ? SPAPR_DR_ENTITY_SENSE_PRESENT : SPAPR_DR_ENTITY_SENSE_EMPTY;
  return d.state === SPAPR_DRC_STATE_LOGICAL_UNUSABLE ? SPAPR_DR_ENTITY_SENSE_UNUSABLE : SPAPR_DR_ENTITY_SENSE_PRESENT;
}

function rtas_get_sensor_state(m: M, c: RtasCall): void {
  let ret = RTAS_OUT_SUCCESS;
  let state = 0;
  if (c.nargs !== 2 || c.nret !== 2) {
    ret = RTAS_OUT_PARAM_ERROR;
  } else if (c.arg(0) !== RTAS_SENSOR_TYPE_ENTITY_SENSE) {
    ret = RTAS_OUT_NOT_SUPPORTED;
  } else {
    const drc = m.drcs.get(c.arg(1));
    if (!drc) ret = RTAS_OUT_PARAM_ERROR;
    else state = entitySense(drc);
  }
  c.ret(0, ret);
  c.ret(1, state);
}

/** drck->isolate / unisolate (no device is ever being unplugged here) */
function setIsolation(d: SpaprDrc, isolated: boolean): number {
  const st = d.state;
  if (drcIsPhysical(d)) {
    if (isolated) {
      if (st === SPAPR_DRC_STATE_PHYSICAL_POWERON) return RTAS_OUT_SUCCESS;
      if (st === SPAPR_DRC_STATE_PHYSICAL_UNISOLATE) return RTAS_OUT_PARAM_ERROR;
      d.state = SPAPR_DRC_STATE_PHYSICAL_POWERON;
      return RTAS_OUT_SUCCESS;
    }
    if (st === SPAPR_DRC_STATE_PHYSICAL_UNISOLATE || st === SPAPR_DRC_STATE_PHYSICAL_CONFIGURED) return RTAS_OUT_SUCCESS;
    if (!d.dev) return RTAS_OUT_NO_SUCH_INDICATOR;
    d.state = SPAPR_DRC_STATE_PHYSICAL_UNISOLATE;
    drcCcsRestart(d);
    return RTAS_OUT_SUCCESS;
  }
  if (isolated) {
    if (st === SPAPR_DRC_STATE_LOGICAL_AVAILABLE || st === SPAPR_DRC_STATE_LOGICAL_UNUSABLE) return RTAS_OUT_SUCCESS;
    if (st === SPAPR_DRC_STATE_LOGICAL_UNISOLATE) return RTAS_OUT_PARAM_ERROR;
    if (d.type === SPAPR_DR_CONNECTOR_TYPE_LMB && !d.unplug_requested) return RTAS_OUT_HW_ERROR;
    d.state = SPAPR_DRC_STATE_LOGICAL_AVAILABLE;
    return RTAS_OUT_SUCCESS;
  }
  if (st === SPAPR_DRC_STATE_LOGICAL_UNISOLATE || st === SPAPR_DRC_STATE_LOGICAL_CONFIGURED) return RTAS_OUT_SUCCESS;
  if (st === SPAPR_DRC_STATE_LOGICAL_UNUSABLE) return RTAS_OUT_NO_SUCH_INDICATOR;
  d.state = SPAPR_DRC_STATE_LOGICAL_UNISOLATE;
  drcCcsRestart(d);
  return RTAS_OUT_SUCCESS;
}

/** drc_set_usable / drc_set_unusable */
function setAllocation(d: SpaprDrc, usable: boolean): number {
  const st = d.state;
  if (usable) {
    if (st !== SPAPR_DRC_STATE_LOGICAL_UNUSABLE) return RTAS_OUT_SUCCESS;
    if (!d.dev || d.unplug_requested) return RTAS_OUT_NO_SUCH_INDICATOR;
    d.state = SPAPR_DRC_STATE_LOGICAL_AVAILABLE;
    return RTAS_OUT_SUCCESS;
  }
  if (st === SPAPR_DRC_STATE_LOGICAL_UNUSABLE) return RTAS_OUT_SUCCESS;
  if (st !== SPAPR_DRC_STATE_LOGICAL_AVAILABLE) return RTAS_OUT_NO_SUCH_INDICATOR;
  d.state = SPAPR_DRC_STATE_LOGICAL_UNUSABLE;
  return RTAS_OUT_SUCCESS;
}

function rtas_set_indicator(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const [type, idx, state] = [c.arg(0), c.arg(1), c.arg(2)];
  const drc = m.drcs.get(idx);
  const hex = (v: number) => (v >>> 0).toString(16);
  let ret: number;
  switch (type) {
    case RTAS_SENSOR_TYPE_ISOLATION_STATE:
      if (!drc) { ret = RTAS_OUT_NO_SUCH_INDICATOR; break; }
      m.host.trace('spapr_drc_set_isolation_state', `drc: 0x${hex(drcIndex(drc))}, state: 0x${hex(state)}`);
      if (state === 0 || state === 1) ret = setIsolation(drc, state === 0);
      else ret = RTAS_OUT_PARAM_ERROR;
      break;
    case RTAS_SENSOR_TYPE_DR:
      if (!drc || !drcIsPhysical(drc)) ret = RTAS_OUT_NO_SUCH_INDICATOR;
      else if (state > 3) ret = RTAS_OUT_PARAM_ERROR;
      else {
        m.host.trace('spapr_drc_set_dr_indicator', `drc: 0x${hex(idx)}, state: 0x${hex(state)}`);
        drc.dr_indicator = state;
        ret = RTAS_OUT_SUCCESS;
      }
      break;
    case RTAS_SENSOR_TYPE_ALLOCATION_STATE:
      if (!drc || drcIsPhysical(drc)) { ret = RTAS_OUT_NO_SUCH_INDICATOR; break; }
      m.host.trace('spapr_drc_set_allocation_state', `drc: 0x${hex(drcIndex(drc))}, state: 0x${hex(state)}`);
      if (state === 0 || state === 1) ret = setAllocation(drc, state === 1);
      else ret = RTAS_OUT_PARAM_ERROR;
      // drc_set_unusable of a DRC whose device is to go: the unplug completes
      if (ret === RTAS_OUT_SUCCESS && state === 0 && drc.unplug_requested && drc.state === SPAPR_DRC_STATE_LOGICAL_UNUSABLE) {
        m.host.trace('spapr_drc_set_allocation_state_finalizing', `drc: 0x${hex(drcIndex(drc))}`);
        m.drcRelease(drc);
      }
      break;
    default:
      ret = RTAS_OUT_NOT_SUPPORTED;
  }
  c.ret(0, ret);
}

/** SpaprDRCCResponse */
/** never answered (siblings are reached through PREV_PARENT then NEXT_CHILD) */
export const SPAPR_DR_CC_RESPONSE_NEXT_SIB = 1;
export const SPAPR_DR_CC_RESPONSE_NEXT_CHILD = 2;
export const SPAPR_DR_CC_RESPONSE_NEXT_PROPERTY = 3;
export const SPAPR_DR_CC_RESPONSE_PREV_PARENT = 4;
export const SPAPR_DR_CC_RESPONSE_SUCCESS = 0;
export const SPAPR_DR_CC_RESPONSE_ERROR = -1;
export const SPAPR_DR_CC_RESPONSE_CONTINUE = -2;

/** configure-connector work area: int32 indexes of fields, byte offsets of values (PAPR 13.5.3.5) */
const CC_IDX_NODE_NAME_OFFSET = 2;
const CC_IDX_PROP_NAME_OFFSET = 2;
const CC_IDX_PROP_LEN = 3;
const CC_IDX_PROP_DATA_OFFSET = 4;
const CC_VAL_DATA_OFFSET = (CC_IDX_PROP_DATA_OFFSET + 1) * 4;
const CC_WA_LEN = 4096;

const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;

/** ppc64_phys_to_real */
const physToReal = (a: number): number => a % 2 ** 60;

/** The fragment blob: create_device_tree's empty root with the device's node under it. */
interface DrcFragment { blob: Uint8Array; struct: number; strings: number; structSize: number }

function fragmentOf(d: { fdt?: Uint8Array | null }): DrcFragment {
  const blob = d.fdt!;
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return { blob, struct: dv.getUint32(8), strings: dv.getUint32(12), structSize: dv.getUint32(36) };
}

function cstrAt(b: Uint8Array, off: number): string {
  let e = off;
  while (e < b.length && b[e] !== 0) e++;
  return new TextDecoder().decode(b.subarray(off, e));
}

/** fdt_next_tag: the tag at `offset` (in the structure block) and the offset after it. */
function fdtNextTag(f: DrcFragment, offset: number): { tag: number; next: number } {
  if (offset < 0 || offset + 4 > f.structSize) return { tag: FDT_END, next: -1 };
  const dv = new DataView(f.blob.buffer, f.blob.byteOffset, f.blob.byteLength);
  const tag = dv.getUint32(f.struct + offset);
  let next = offset + 4;
  if (tag === FDT_BEGIN_NODE) {
    while (next < f.structSize && f.blob[f.struct + next] !== 0) next++;
    next = (next + 1 + 3) & ~3;
  } else if (tag === FDT_PROP) {
    const len = dv.getUint32(f.struct + offset + 4);
    next = (offset + 12 + len + 3) & ~3;
  } else if (tag === FDT_END) {
    next = -1;
  }
  return { tag, next };
}

/**
 * drck->dt_populate: the device's fragment, or null when this device kind's fragment is not
 * modelled (CPU cores and LMBs are; PHBs and PCI devices are not).
 */
function drcDtPopulate(m: M, d: SpaprDrc): { blob: Uint8Array; start: number } | null {
  if (d.type === SPAPR_DR_CONNECTOR_TYPE_LMB) {
    // spapr_lmb_dt_populate: the block's memory node
    return { blob: fdtPack({ name: '', props: [], children: [spaprLmbDtNode(drcIndex(d), m.ov5_cas)] }), start: 8 };
  }
  if (d.type !== SPAPR_DR_CONNECTOR_TYPE_CPU) return null;
  const core = m.cores.find((c) => c.vcpuId === d.id);
  if (!core) return null;
  const blob = fdtPack({ name: '', props: [], children: [spaprCoreDtNode(m, core.vcpuId, core.cpuIndex)] });
  // the device node follows the root's FDT_BEGIN_NODE and its empty name
  return { blob, start: 8 };
}

/**
 * ibm,configure-connector(work area, high half): the work area's first word is the DRC
 * index. Each call hands out the next step of the walk over the device's tree fragment:
 * NEXT_CHILD with the node's name at work area offset 20, NEXT_PROPERTY with the property's
 * name at 20 and its value right after the name (length in word 3, offset in word 4),
 * PREV_PARENT at the end of a child node, and SUCCESS at the end of the device's node, which
 * moves the DRC to its ready state and rewinds the walk so that it can be replayed.
 */
function rtas_ibm_configure_connector(m: M, c: RtasCall): void {
  if (c.nargs !== 2 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const wa = c.arg(1) * 2 ** 32 + c.arg(0);
  const rtasSt = (idx: number, v: number): void => {
    const a = physToReal(wa + 4 * idx);
    if (m.ram.contains(a, 4)) m.ram.st32(a, v, false);
  };
  const ccSt = (offset: number, data: Uint8Array): void => {
    const n = Math.max(0, Math.min(data.length, CC_WA_LEN - offset));
    const a = physToReal(wa + offset);
    for (let i = 0; i < n; i++) if (m.ram.contains(a + i, 1)) m.ram.st8(a + i, data[i]);
  };
  const waReal = physToReal(wa);
  const idx = m.ram.contains(waReal, 4) ? m.ram.ld32(waReal, false) >>> 0 : 0;
  const drc = m.drcs.get(idx);
  if (!drc) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const st = drc.state;
  if (st !== SPAPR_DRC_STATE_LOGICAL_UNISOLATE && st !== SPAPR_DRC_STATE_PHYSICAL_UNISOLATE
    && st !== SPAPR_DRC_STATE_LOGICAL_CONFIGURED && st !== SPAPR_DRC_STATE_PHYSICAL_CONFIGURED) {
    return c.ret(0, SPAPR_DR_CC_RESPONSE_NOT_CONFIGURABLE);
  }
  if (!drc.fdt) {
    const frag = drcDtPopulate(m, drc);
    if (!frag) {
      m.host.log(`ibm,configure-connector: tree fragment of DRC 0x${drcIndex(drc).toString(16)} not modelled`);
      return c.ret(0, SPAPR_DR_CC_RESPONSE_ERROR);
    }
    drc.fdt = frag.blob;
    drc.fdt_start_offset = frag.start;
    drcCcsRestart(drc);
  }
  const f = fragmentOf(drc);
  const enc = new TextEncoder();
  let resp = SPAPR_DR_CC_RESPONSE_CONTINUE;
  do {
    const cur = drc.ccs_offset ?? -1;
    let { tag, next } = fdtNextTag(f, cur);
    switch (tag) {
      case FDT_BEGIN_NODE: {
        drc.ccs_depth = (drc.ccs_depth ?? 0) + 1;
        const name = cstrAt(f.blob, f.struct + cur + 4);
        rtasSt(CC_IDX_NODE_NAME_OFFSET, CC_VAL_DATA_OFFSET);
        ccSt(CC_VAL_DATA_OFFSET, enc.encode(name + '\0'));
        resp = SPAPR_DR_CC_RESPONSE_NEXT_CHILD;
        break;
      }
      case FDT_END_NODE:
        drc.ccs_depth = (drc.ccs_depth ?? 0) - 1;
        if (drc.ccs_depth === 0) {
          // done sending the device tree: the DRC is configured, and the walk can be replayed
          m.host.trace('spapr_drc_set_configured', `drc: 0x${drcIndex(drc).toString(16)}`);
          drc.state = drcReadyState(drc);
          drcCcsRestart(drc);
          next = drc.fdt_start_offset ?? 0;
          resp = SPAPR_DR_CC_RESPONSE_SUCCESS;
        } else {
          resp = SPAPR_DR_CC_RESPONSE_PREV_PARENT;
        }
        break;
      case FDT_PROP: {
        const dv = new DataView(f.blob.buffer, f.blob.byteOffset, f.blob.byteLength);
        const len = dv.getUint32(f.struct + cur + 4);
        const name = cstrAt(f.blob, f.strings + dv.getUint32(f.struct + cur + 8));
        const nameBytes = enc.encode(name + '\0');
        rtasSt(CC_IDX_PROP_NAME_OFFSET, CC_VAL_DATA_OFFSET);
        ccSt(CC_VAL_DATA_OFFSET, nameBytes);
        const dataOff = CC_VAL_DATA_OFFSET + nameBytes.length;
        rtasSt(CC_IDX_PROP_LEN, len);
        rtasSt(CC_IDX_PROP_DATA_OFFSET, dataOff);
        ccSt(dataOff, f.blob.subarray(f.struct + cur + 12, f.struct + cur + 12 + len));
        resp = SPAPR_DR_CC_RESPONSE_NEXT_PROPERTY;
        break;
      }
      case FDT_END:
        resp = SPAPR_DR_CC_RESPONSE_ERROR;
        break;
      case FDT_NOP:
      default:
        // keep seeking for an actionable tag
        break;
    }
    if ((drc.ccs_offset ?? -1) >= 0) drc.ccs_offset = next;
  } while (resp === SPAPR_DR_CC_RESPONSE_CONTINUE);
  c.ret(0, resp);
}

// ---- spapr_pci.c -----------------------------------------------------------------------------

/**
 * The PCI config-space services: wrong nargs/nret, a size other than 1/2/4, or no device at
 * the address all answer RTAS_OUT_HW_ERROR, and no PCI device is ever plugged here.
 */
function pciConfig(nargs: number, nret: number) {
  return (_m: M, c: RtasCall): void => {
    if (c.nargs !== nargs || c.nret !== nret) return c.ret(0, RTAS_OUT_HW_ERROR);
    c.ret(0, RTAS_OUT_HW_ERROR);
  };
}

/**
 * The EEH services (bad arguments, an unknown PHB and "EEH not available"), and the MSI ones,
 * ibm,change-msi and ibm,query-interrupt-source-number, which find no device at any config
 * address of PHB 0 (spapr_pci_find_dev): all answer -3, as QEMU 7.2 does with an empty bus.
 */
function noPciDevice(_m: M, c: RtasCall): void {
  c.ret(0, RTAS_OUT_PARAM_ERROR);
}

// ---- spapr_rtas_ddw.c: dynamic DMA windows of PHB 0 -------------------------------------

/** PHB 0's BUID (SPAPR_PCI_BASE_BUID) and where its second DMA window goes (dma64_win_addr). */
const PHB0_BUID = 0x800000020000000n;
const DMA64_WIN_ADDR = 0x800000000000000n;
const SPAPR_PCI_DMA_MAX_WINDOWS = 2;
/** A window's TCE table beyond this many entries is not allocated here (RTAS_OUT_HW_ERROR). */
const DDW_MAX_TCES = 1 << 24;

/** The PHB at this BUID with DDW enabled (pseries-2.7 and later), or null. */
function ddwPhb(m: M, c: RtasCall, buidArg: number): SpaprTceTable[] | null {
  const buid = (BigInt(c.arg(buidArg) >>> 0) << 32n) | BigInt(c.arg(buidArg + 1) >>> 0);
  return buid === PHB0_BUID && m.compat.ddw ? m.tceTables : null;
}

/** spapr_page_mask_to_query_mask: page shifts to LoPAPR's RTAS_DDW_PGSIZE bits. */
function ddwQueryMask(pageMask: number): number {
  const bits: Array<[number, number]> = [[12, 0x01], [16, 0x02], [21, 0x100], [24, 0x04], [25, 0x08], [26, 0x10], [27, 0x20], [28, 0x40], [34, 0x80]];
  return bits.reduce((mask, [shift, bit]) => (Math.floor(pageMask / 2 ** shift) % 2 ? mask | bit : mask), 0);
}

const activeWindows = (t: SpaprTceTable[]) => t.filter((w) => w.nb_table > 0).length;

function rtas_ibm_query_pe_dma_window(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || (c.nret !== 5 && c.nret !== 6)) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const phb = ddwPhb(m, c, 1);
  if (!phb) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const pgmask = ddwQueryMask(m.compat.phbPageSizeMask);
  const avail = SPAPR_PCI_DMA_MAX_WINDOWS - activeWindows(phb);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, avail);
  if (c.nret === 6) {
    // the largest TCE count, 1 << (58 - 21), as two cells
    c.ret(2, 0x20); c.ret(3, 0); c.ret(4, pgmask); c.ret(5, 0);
  } else {
    c.ret(2, 0x80000000 | 0); c.ret(3, pgmask); c.ret(4, 0);
  }
  m.host.trace('spapr_iommu_ddw_query', `buid=0x${PHB0_BUID.toString(16)} addr=0x${(c.arg(0) >>> 0).toString(16)}, ${avail} windows available, max window size=0x80000000, mask=0x${pgmask.toString(16)}`);
}

function rtas_ibm_create_pe_dma_window(m: M, c: RtasCall): void {
  if (c.nargs !== 5 || c.nret !== 4) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const phb = ddwPhb(m, c, 1);
  if (!phb) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const pageShift = c.arg(3) >>> 0, windowShift = c.arg(4) >>> 0;
  const free = phb.find((w) => w.nb_table === 0);
  const windows = activeWindows(phb);
  if (pageShift > 63 || Math.floor(m.compat.phbPageSizeMask / 2 ** pageShift) % 2 === 0 || windowShift < pageShift) {
    return c.ret(0, RTAS_OUT_PARAM_ERROR);
  }
  if (!free || windows === SPAPR_PCI_DMA_MAX_WINDOWS) return c.ret(0, RTAS_OUT_HW_ERROR);
  const entries = windowShift - pageShift >= 31 ? Infinity : 2 ** (windowShift - pageShift);
  if (entries > DDW_MAX_TCES) return c.ret(0, RTAS_OUT_HW_ERROR);
  const winAddr = windows === 0 ? 0n : DMA64_WIN_ADDR;
  free.enable(pageShift, winAddr, entries);
  m.host.trace('spapr_iommu_ddw_create', `buid=0x${PHB0_BUID.toString(16)} addr=0x${(c.arg(0) >>> 0).toString(16)}, page size=0x${(2n ** BigInt(pageShift)).toString(16)}, requested=0x${(2n ** BigInt(windowShift)).toString(16)}, start addr=0x${winAddr.toString(16)}, liobn=0x${free.liobn.toString(16)}`);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, free.liobn | 0);
  c.ret(2, Number(winAddr >> 32n) | 0);
  c.ret(3, Number(winAddr & 0xffffffffn) | 0);
}

function rtas_ibm_remove_pe_dma_window(m: M, c: RtasCall): void {
  if (c.nargs !== 1 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const liobn = c.arg(0) >>> 0;
  const t = m.tceTables.find((w) => w.liobn === liobn);
  if (!t || !m.compat.ddw || t.nb_table === 0) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const defWin = t.def_win;
  t.disable();
  m.host.trace('spapr_iommu_ddw_remove', `liobn=0x${liobn.toString(16)}`);
  // the default window comes back when the last one, not the default, was removed
  if (activeWindows(m.tceTables) === 0 && !defWin) {
    phbDmaReset(m.tceTables);
    m.host.trace('spapr_iommu_ddw_reset', `buid=0x${PHB0_BUID.toString(16)} addr=0x0`);
  }
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_ibm_reset_pe_dma_window(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  if (!ddwPhb(m, c, 1)) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  phbDmaReset(m.tceTables);
  m.host.trace('spapr_iommu_ddw_reset', `buid=0x${PHB0_BUID.toString(16)} addr=0x${(c.arg(0) >>> 0).toString(16)}`);
  c.ret(0, RTAS_OUT_SUCCESS);
}

// ---- spapr_vio.c ---------------------------------------------------------------------------

/** Neither spapr-vty nor spapr-nvram has a TCE table, so there is nothing to bypass. */
function rtas_set_tce_bypass(m: M, c: RtasCall): void {
  if (c.nargs !== 2) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const dev = m.vioFindByReg(BigInt(c.arg(0)));
  if (!dev) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  c.ret(0, RTAS_OUT_PARAM_ERROR); // !dev->tcet
}

/** spapr_vio_quiesce_one for every VIO device: the CRQ is freed. */
function rtas_quiesce(m: M, c: RtasCall): void {
  if (c.nargs !== 0) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  for (const d of [m.nvram, m.vty]) d.crq = { qladdr: 0n, qsize: 0, qnext: 0 };
  c.ret(0, RTAS_OUT_SUCCESS);
}

// ---- xics_spapr.c -----------------------------------------------------------------------------

function rtas_set_xive(m: M, c: RtasCall): void {
  if (c.nargs !== 3 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const nr = c.arg(0);
  const server = c.arg(1);
  const priority = c.arg(2);
  if (!m.xics.validIrq(nr) || !m.xics.icpGet(server) || priority > 0xff) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  m.xics.writeXive(nr - m.xics.offset, server, priority, priority);
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_get_xive(m: M, c: RtasCall): void {
  if (c.nargs !== 1 || c.nret !== 3) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const nr = c.arg(0);
  if (!m.xics.validIrq(nr)) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const irq = m.ics.irqs[nr - m.xics.offset];
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, irq.server);
  c.ret(2, irq.priority);
}

function rtas_int_off(m: M, c: RtasCall): void {
  if (c.nargs !== 1 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const nr = c.arg(0);
  if (!m.xics.validIrq(nr)) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const srcno = nr - m.xics.offset;
  const irq = m.ics.irqs[srcno];
  m.xics.writeXive(srcno, irq.server, 0xff, irq.priority);
  c.ret(0, RTAS_OUT_SUCCESS);
}

function rtas_int_on(m: M, c: RtasCall): void {
  if (c.nargs !== 1 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const nr = c.arg(0);
  if (!m.xics.validIrq(nr)) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const srcno = nr - m.xics.offset;
  const irq = m.ics.irqs[srcno];
  m.xics.writeXive(srcno, irq.server, irq.saved_priority, irq.saved_priority);
  c.ret(0, RTAS_OUT_SUCCESS);
}
