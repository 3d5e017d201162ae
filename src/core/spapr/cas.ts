// ibm,client-architecture-support (hw/ppc/spapr_hcall.c do_client_architecture_support,
// spapr_ovec.c, QEMU 7.2): the guest's PVR list and option vectors, the negotiated vector 5
// (ov5_cas = spapr->ov5 AND the guest's), the device tree rebuilt with
// /chosen/ibm,architecture-vec-5, reached from VOF's call-method on "/" or KVMPPC_H_CAS.

import { drcReadyState, drcReset, type SpaprDrc } from './drc';
import {
  H_BUSY, H_HARDWARE, H_MULTI_THREADS_ACTIVE, H_PARAMETER, H_SUCCESS, type HcallArgs,
} from './hcall';
import type { PowerPCCPU } from '../cpu/cpu';
import type { SpaprMachine } from './machine';
import { OV5 } from './machine';

export const OV_MAXBYTES = 256;
/** FDT_MAX_SIZE: the budget of the VOF path */
export const FDT_MAX_SIZE = 0x200000;

/** Logical PVRs (target/ppc/cpu-models.h) in compat_table order. */
const COMPAT_TABLE = [
  { pvr: 0x0f000002, name: '2.05' },
  { pvr: 0x0f000003, name: '2.06' },
  { pvr: 0x0f100003, name: '2.06+' },
  { pvr: 0x0f000004, name: '2.07' },
  { pvr: 0x0f000005, name: '3.00' },
  { pvr: 0x0f000006, name: '3.10' },
];
/** POWER8's pcr_supported: 2.07, 2.06 (and 2.06+ which shares its PCR level), 2.05. */
const POWER8_COMPAT = new Set([0x0f000002, 0x0f000003, 0x0f100003, 0x0f000004]);

/** ppc_check_compat for a POWER8 vCPU. */
export function ppcCheckCompat(pvr: number, minPvr: number, maxPvr: number): boolean {
  const idx = (p: number) => COMPAT_TABLE.findIndex((c) => c.pvr === p);
  const c = idx(pvr);
  if (c < 0 || !POWER8_COMPAT.has(pvr >>> 0)) return false;
  if (minPvr && c < idx(minPvr)) return false;
  if (maxPvr && c > idx(maxPvr)) return false;
  return true;
}

function ldub(m: SpaprMachine, a: number): number {
  return m.ram.contains(a, 1) ? m.ram.ld8(a) : 0;
}

function ldl(m: SpaprMachine, a: number): number {
  return m.ram.contains(a, 4) ? m.ram.ld32(a, false) >>> 0 : 0;
}

/** cas_check_pvr: up to 512 {mask, pvr} pairs, ended by a pair with ~mask & pvr != 0. */
function casCheckPvr(m: SpaprMachine, cpu: PowerPCCPU, addr: number, maxCompat: number): { pvr: number; raw: boolean; next: number } {
  let explicit = false;
  let best = 0;
  const realPvr = cpu.model.pvr >>> 0;
  for (let i = 0; i < 512; i++) {
    const mask = ldl(m, addr);
    const pvr = ldl(m, addr + 4);
    addr += 8;
    if ((~mask & pvr) >>> 0) break;
    if (((realPvr & mask) >>> 0) === ((pvr & mask) >>> 0)) explicit = true;
    else if (ppcCheckCompat(pvr, best, maxCompat)) best = pvr;
  }
  m.host.trace('spapr_cas_pvr', `current=0x${(cpu.state.compatPvr >>> 0).toString(16)}, explicit_match=${explicit ? 1 : 0}, new=0x${best.toString(16)}`);
  return { pvr: best, raw: explicit, next: addr };
}

/** vector_addr: the table is {count - 1, then per vector: len - 1, bytes}; vectors from 1. */
function vectorAddr(m: SpaprMachine, table: number, vector: number): number {
  const count = ldub(m, table) + 1;
  if (vector > count) return 0;
  let a = table + 1;
  for (let i = 0; i < vector - 1; i++) a += ldub(m, a) + 1 + 1;
  return a;
}

/** spapr_ovec_parse_vector into a 2048-bit map (MSB-first bytes), or null when absent. */
export function ovecParseVector(m: SpaprMachine, table: number, vector: number): Uint8Array | null {
  const a = vectorAddr(m, table, vector);
  if (!a) return null;
  const len = ldub(m, a) + 1;
  const ov = new Uint8Array(OV_MAXBYTES);
  for (let i = 0; i < len && i < OV_MAXBYTES; i++) ov[i] = ldub(m, a + 1 + i);
  return ov;
}

const testBit = (ov: Uint8Array, bit: number): boolean => (ov[bit >> 3] & (0x80 >> (bit & 7))) !== 0;

/**
 * The decision QEMU releases took differently: whether this CAS asks for a machine reset
 * (`spapr->cas_reboot` before 5.1). A release profile installs its own policy; the default is
 * QEMU 7.2's, which never reboots at CAS.
 */
/** What a release's CAS does about reboots (profiles.ts holds one per release). */
export interface CasProfile {
  /**
   * 'reset-on-dt-failure': 2.1-2.7, no flag; 'cas-reboot-flag': 2.8-5.0, spapr->cas_reboot;
   * 'no-cas-reboot': 5.1+, never (pending hotplugs are cold-plugged at CAS).
   */
  logic: 'reset-on-dt-failure' | 'cas-reboot-flag' | 'no-cas-reboot';
  /** A device hot-plugged before CAS sets cas_reboot (2.11-4.2). */
  hotplugReboot: boolean;
  /** The unmerged 2020 patch: spapr_cas_reboot subsection + change-state handler. */
  migrateFlag: boolean;
}

/** QEMU 7.2's CAS: never reboots. */
export const CAS_PROFILE_72: CasProfile = { logic: 'no-cas-reboot', hotplugReboot: false, migrateFlag: false };

export interface CasOutcome {
  ret: bigint;
  /** The release asks for a machine reset (spapr->cas_reboot, or 2.6/2.7's direct request). */
  casReboot: boolean;
  /** The device tree was rebuilt and is given to the guest. */
  fdtUpdate: boolean;
}

/** do_client_architecture_support */
export function doClientArchitectureSupport(m: SpaprMachine, cpu: PowerPCCPU, vec: number, vofFinalize: boolean): CasOutcome {
  const fail = (ret: bigint): CasOutcome => ({ ret, casReboot: false, fdtUpdate: false });
  if (m.casBusyWhileMigrating && m.host.migrationActive?.()) {
    m.host.trace('spapr_cas_busy', 'migration active');
    return fail(H_BUSY);
  }
  const maxCompat = 0; // max-cpu-compat is not set
  const { pvr: casPvr, raw, next } = casCheckPvr(m, cpu, vec, maxCompat);
  if (!casPvr && (!raw || maxCompat)) {
    m.host.log("Couldn't negotiate a suitable PVR during CAS");
    return fail(H_HARDWARE);
  }
  if ((cpu.state.compatPvr >>> 0) !== casPvr) cpu.state.compatPvr = casPvr;

  const ov1 = ovecParseVector(m, next, 1);
  if (!ov1) {
    m.host.log('warning: guest didn\'t provide option vector 1');
    return fail(H_PARAMETER);
  }
  const ov5Guest = ovecParseVector(m, next, 5);
  if (!ov5Guest) {
    m.host.log('warning: guest didn\'t provide option vector 5');
    return fail(H_PARAMETER);
  }
  if (testBit(ov5Guest, OV5.MMU_BOTH)) return fatal(m, 'guest requested hash and radix MMU, which is invalid.');
  if (testBit(ov5Guest, OV5.XIVE_BOTH)) return fatal(m, 'guest requested an invalid interrupt mode');
  if (testBit(ov5Guest, OV5.XIVE_EXPLOIT)) {
    return fatal(m, 'Guest requested unavailable interrupt mode (XIVE), try the ic-mode=xive or ic-mode=dual machine property');
  }

  const ov5CasOld = m.ov5_cas.slice();
  for (let i = 0; i < OV_MAXBYTES; i++) m.ov5_cas[i] = m.ov5[i] & ov5Guest[i];
  const prof = m.casProfile;

  if (prof.logic === 'cas-reboot-flag') {
    // 2.8-4.2 (the code at 8deb8019^): capabilities removed since the previous CAS
    // (spapr_ovec_diff, MMU_RADIX_300 ignored) or a device hot-plugged before CAS ask for a reboot;
    // then the guest gets no device-tree update at all
    setBit(ov5CasOld, OV5.MMU_RADIX_300, false);
    let reboot = ov5CasOld.some((b, i) => (b & ~m.ov5_cas[i] & 0xff) !== 0);
    if (!reboot && prof.hotplugReboot) reboot = transientDrcs(m).length > 0;
    if (reboot) return { ret: H_SUCCESS, casReboot: true, fdtUpdate: false };
  }
  if (prof.logic === 'no-cas-reboot') {
    // 5.0+ (ad334d89a6, 7.2's spapr_drc_reset_all): devices hot-plugged before CAS become
    // cold-plugged, pending unplugs complete, queued hotplug events are dropped
    for (const d of m.drcs.list()) {
      // spapr_drc_reset: a device whose unplug was requested goes now
      if (d.unplug_requested && d.dev) m.drcRelease(d);
      drcReset(d);
    }
    clearPendingHotplugEvents(m);
  }
  // spapr_build_fdt; only the VOF path then runs spapr_vof_client_dt_finalize. The tree the
  // guest had until now is kept for the debugger's before/after view.
  m.fdtBeforeCas = m.fdtBlob.slice();
  m.rebuildFdt(true, vofFinalize);
  m.fdtInitialSize = m.fdtBlob.length;
  return { ret: H_SUCCESS, casReboot: false, fdtUpdate: true };
}

/** spapr_drc_needed over the machine's connectors: what 4.2 called "hot-plugged before CAS". */
export function transientDrcs(m: SpaprMachine): SpaprDrc[] {
  return m.drcs.list().filter((d) => d.dev && (d.state !== drcReadyState(d) || d.unplug_requested));
}

/** RTAS_LOG_TYPE_HOTPLUG, the low byte of an event's summary word. */
const RTAS_LOG_TYPE_HOTPLUG = 0xe5;

/** spapr_clear_pending_hotplug_events */
function clearPendingHotplugEvents(m: SpaprMachine): void {
  const keep = m.pending_events.filter((e) => (e.summary & 0xff) !== RTAS_LOG_TYPE_HOTPLUG);
  m.pending_events.splice(0, m.pending_events.length, ...keep);
}

function setBit(ov: Uint8Array, bit: number, on: boolean): void {
  if (on) ov[bit >> 3] |= 0x80 >> (bit & 7);
  else ov[bit >> 3] &= ~(0x80 >> (bit & 7));
}

/** What a CAS reboot keeps across the reset (2.8-5.0: ov5_cas and compat), or null. */
export function casRebootKeeps(m: SpaprMachine): { ov5_cas: Uint8Array; compatPvr: number } | null {
  if (!m.cas_reboot || m.casProfile.logic !== 'cas-reboot-flag') return null;
  return { ov5_cas: m.ov5_cas.slice(), compatPvr: m.cpu.state.compatPvr };
}

/**
 * The 2020 patch's VM change-state handler: a destination that starts running with
 * cas_reboot set (it came in the spapr_cas_reboot subsection) performs the reset the source
 * still owed.
 */
export function spaprCasChangeStateHandler(m: SpaprMachine, running: boolean): void {
  if (running && m.casRebootMigrated && m.cas_reboot) m.host.resetRequest('subsystem-reset');
}

function fatal(m: SpaprMachine, msg: string): CasOutcome {
  // QEMU: error_report + exit(EXIT_FAILURE)
  m.host.log(msg);
  m.host.shutdownRequest('host-error');
  m.cpu.requestExit();
  return { ret: H_HARDWARE, casReboot: false, fdtUpdate: false };
}

/** After CAS: the reset request a release profile asked for, through the main loop. */
function applyCasReboot(m: SpaprMachine, o: CasOutcome): void {
  if (!o.casReboot) return;
  if (m.casProfile.logic === 'reset-on-dt-failure') {
    // 2.1-2.7: no flag; the request has no cause before 2.10 (GUEST_RESET from 2.10)
    m.host.resetRequest('guest-reset');
    return;
  }
  m.cas_reboot = true;
  m.host.resetRequest('subsystem-reset');
}

/** spapr_vof_client_architecture_support: the VOF path (call-method on "/"). */
export function vofClientArchitectureSupport(m: SpaprMachine, vec: number): bigint {
  const o = doClientArchitectureSupport(m, m.cpu, vec, true);
  applyCasReboot(m, o);
  return o.ret;
}

/** KVMPPC_H_CAS: r4 = CAS buffer, r5 = FDT buffer, r6 = its size; the FDT is copied back. */
export function h_client_architecture_support(m: SpaprMachine, cpu: PowerPCCPU, _op: number, a: HcallArgs): bigint {
  const vec = Number(a.get(0) & 0x0fffffffffffffffn);
  const fdtBuf = a.get(1);
  const size = a.get(2);
  if (size < 4n) {
    m.host.log(`SLOF provided insufficient CAS buffer ${size} (min: 4)`);
    m.host.shutdownRequest('host-error');
    cpu.requestExit();
    return H_HARDWARE;
  }
  const o = doClientArchitectureSupport(m, cpu, Number.isSafeInteger(vec) ? vec : -1, false);
  if (o.ret === H_SUCCESS && o.fdtUpdate && m.casProfile.logic !== 'no-cas-reboot' && BigInt(m.fdtBlob.length + 4) > size) {
    // before 5.0 a response that did not fit in the firmware's buffer asked for a reboot
    m.host.trace('spapr_cas_failed', `buf_size=0x${size.toString(16)}`);
    o.casReboot = true;
    o.fdtUpdate = false;
  }
  if (o.ret === H_SUCCESS && o.fdtUpdate) {
    const blob = m.fdtBlob;
    const dst = Number(fdtBuf);
    // SpaprDeviceTreeUpdateHeader { version_id = 1 } in host byte order (little-endian hosts)
    const hdr = Uint8Array.of(1, 0, 0, 0);
    if (Number.isSafeInteger(dst) && m.ram.contains(dst, 4 + blob.length)) {
      m.ram.write(dst, hdr);
      m.ram.write(dst + 4, blob);
    }
    m.host.trace('spapr_cas_continue', `Copy changes to the guest: ${blob.length + 4} bytes`);
  }
  applyCasReboot(m, o);
  return o.ret;
}
