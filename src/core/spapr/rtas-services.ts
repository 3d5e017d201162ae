// The RTAS services a pseries machine registers (hw/ppc/spapr_rtas.c, spapr_rtc.c,
// spapr_events.c, spapr_drc.c, hw/nvram/spapr_nvram.c, hw/intc/xics_spapr.c), with QEMU
// 7.2's argument checks and return statuses. One line per service in `registerRtasServices`.

import {
  RTAS_OUT_HW_ERROR, RTAS_OUT_NO_ERRORS_FOUND, RTAS_OUT_NOT_AUTHORIZED, RTAS_OUT_NOT_SUPPORTED,
  RTAS_OUT_PARAM_ERROR, RTAS_OUT_SUCCESS, RTAS_OUT_SYSPARM_PARAM_ERROR, type RtasCall, type RtasTable,
} from './rtas';
import {
  drcIsPhysical, SPAPR_DR_CONNECTOR_TYPE_LMB, SPAPR_DRC_STATE_LOGICAL_AVAILABLE, SPAPR_DRC_STATE_LOGICAL_CONFIGURED,
  SPAPR_DRC_STATE_LOGICAL_UNISOLATE, SPAPR_DRC_STATE_LOGICAL_UNUSABLE, SPAPR_DRC_STATE_PHYSICAL_CONFIGURED,
  SPAPR_DRC_STATE_PHYSICAL_POWERON, SPAPR_DRC_STATE_PHYSICAL_UNISOLATE, type SpaprDrc,
} from './drc';
import { LPCR_PM_POWER8, type SpaprMachine } from './machine';
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
    'ibm,set-slot-reset', 'ibm,configure-pe', 'ibm,slot-error-detail'] as const) {
    r.register(name, eehUnavailable);
  }
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
function mktimegm(year: number, mon: number, mday: number, hour: number, min: number, sec: number): bigint {
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
  len = Math.max(0, Math.min(len, m.ram.size - buffer));
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
  len = Math.max(0, Math.min(len, m.ram.size - buffer));
  if (len) m.nvram.buf.set(m.ram.read(buffer, len), offset);
  c.ret(0, RTAS_OUT_SUCCESS);
  c.ret(1, len);
}

// ---- spapr_events.c (no event is ever queued yet) ---------------------------------------------

function check_exception(_m: M, c: RtasCall): void {
  if (c.nargs < 6 || c.nargs > 7 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  c.ret(0, RTAS_OUT_NO_ERRORS_FOUND);
}

function event_scan(_m: M, c: RtasCall): void {
  if (c.nargs !== 4 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  c.ret(0, RTAS_OUT_NO_ERRORS_FOUND);
}

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
  let ret: number;
  switch (type) {
    case RTAS_SENSOR_TYPE_ISOLATION_STATE:
      if (!drc) ret = RTAS_OUT_NO_SUCH_INDICATOR;
      else if (state === 0 || state === 1) ret = setIsolation(drc, state === 0);
      else ret = RTAS_OUT_PARAM_ERROR;
      break;
    case RTAS_SENSOR_TYPE_DR:
      if (!drc || !drcIsPhysical(drc)) ret = RTAS_OUT_NO_SUCH_INDICATOR;
      else if (state > 3) ret = RTAS_OUT_PARAM_ERROR;
      else { drc.dr_indicator = state; ret = RTAS_OUT_SUCCESS; }
      break;
    case RTAS_SENSOR_TYPE_ALLOCATION_STATE:
      if (!drc || drcIsPhysical(drc)) ret = RTAS_OUT_NO_SUCH_INDICATOR;
      else if (state === 0 || state === 1) ret = setAllocation(drc, state === 1);
      else ret = RTAS_OUT_PARAM_ERROR;
      break;
    default:
      ret = RTAS_OUT_NOT_SUPPORTED;
  }
  c.ret(0, ret);
}

/**
 * ibm,configure-connector: the work area's first word is the DRC index. Walking a device's
 * tree fragment (CPU core, PHB) is not modelled: a DRC that could be configured answers
 * RTAS_OUT_HW_ERROR instead of the fragment.
 */
function rtas_ibm_configure_connector(m: M, c: RtasCall): void {
  if (c.nargs !== 2 || c.nret !== 1) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const wa = c.arg(1) * 2 ** 32 + c.arg(0);
  const idx = m.ram.contains(wa, 4) ? m.ram.ld32(wa, false) >>> 0 : 0;
  const drc = m.drcs.get(idx);
  if (!drc) return c.ret(0, RTAS_OUT_PARAM_ERROR);
  const st = drc.state;
  if (st !== SPAPR_DRC_STATE_LOGICAL_UNISOLATE && st !== SPAPR_DRC_STATE_PHYSICAL_UNISOLATE
    && st !== SPAPR_DRC_STATE_LOGICAL_CONFIGURED && st !== SPAPR_DRC_STATE_PHYSICAL_CONFIGURED) {
    return c.ret(0, SPAPR_DR_CC_RESPONSE_NOT_CONFIGURABLE);
  }
  m.host.log(`ibm,configure-connector: tree fragment of DRC 0x${idx.toString(16)} not modelled`);
  c.ret(0, RTAS_OUT_HW_ERROR);
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

/** The EEH services: bad arguments, an unknown PHB and "EEH not available" all give -3. */
function eehUnavailable(_m: M, c: RtasCall): void {
  c.ret(0, RTAS_OUT_PARAM_ERROR);
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
