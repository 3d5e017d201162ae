// QEMU options of `run` and `migrate` beyond the machine's own: -bios (spapr_machine_init's
// firmware lookup and load) and -rtc (softmmu/rtc.c: configure_rtc, then spapr_rtc_realize).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mktimegm } from '../core/spapr/rtas-services';
import { QemuError, UsageError } from './args';

/** QEMU's data directory (Debian's qemu-system-data), searched after the name as a path. */
export const QEMU_DATA_DIR = '/usr/share/qemu';
/** FW_MAX_SIZE of hw/ppc/spapr.c: the most -bios may load at address 0. */
export const FW_MAX_SIZE = 0x400000;

/**
 * -bios NAME: qemu_find_file(QEMU_FILE_TYPE_BIOS) (the name as a path, then in QEMU's data
 * directory) and load_image_targphys(file, 0, FW_MAX_SIZE), with spapr_machine_init's errors.
 */
export function loadFirmware(name: string, dataDir = QEMU_DATA_DIR): Uint8Array {
  const readable = (f: string) => existsSync(f);
  const file = readable(name) ? name : readable(join(dataDir, name)) ? join(dataDir, name) : null;
  if (file === null) throw new QemuError(`Could not find LPAR firmware '${name}'`);
  const st = statSync(file);
  if (!st.isFile() || st.size <= 0 || st.size > FW_MAX_SIZE) throw new QemuError(`Could not load LPAR firmware '${file}'`);
  return new Uint8Array(readFileSync(file));
}

export interface RtcOptions {
  /** utc, localtime, or the start date (seconds since the epoch, UTC) */
  base: 'utc' | 'localtime' | bigint;
  /** checked as QEMU does; a deterministic run has one clock, which all three read */
  clock: 'host' | 'rt' | 'vm';
}

/** sscanf's %d: optional blanks, an optional sign, digits. */
const D = '\\s*([+-]?\\d+)';
const DATETIME = new RegExp(`^${D}-${D}-${D}T${D}:${D}:${D}`);
const DATE = new RegExp(`^${D}-${D}-${D}`);

/** configure_rtc_base_datetime: the date as seconds since the epoch, or QEMU's error. */
export function parseRtcDate(s: string): bigint {
  const m = DATETIME.exec(s) ?? DATE.exec(s);
  const n = (i: number) => (m![i] === undefined ? 0 : Number(m![i]));
  // mktimegm's -1 (23:59:59 on 1969-12-31) is taken for a failure, as QEMU does
  const t = m ? mktimegm(n(1), n(2), n(3), n(4), n(5), n(6)) : -1n;
  if (t === -1n) throw new QemuError('invalid datetime format', ["valid formats: '2006-06-17T16:01:21' or '2006-06-17'"]);
  return t;
}

/**
 * QemuOpts parsing of `-OPTION v` (k=v,k=v): the parameters by name, QEMU's error for one
 * it does not know; a bare word is the deprecated short form of `word=on`.
 */
function parseQemuOpts(option: string, v: string, known: string[]): { opts: Map<string, string>; warned: string[] } {
  const opts = new Map<string, string>();
  const warned: string[] = [];
  for (const part of v.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0) warned.push(`qemu-system-ppc64: ${option} ${v}: warning: short-form boolean option '${k}' deprecated`, `Please use ${k}=on instead`);
    if (!known.includes(k)) throw new QemuError(`${option} ${v}: Invalid parameter '${k}'`, [], warned);
    opts.set(k, eq < 0 ? 'on' : part.slice(eq + 1));
  }
  return { opts, warned };
}

/**
 * -action panic=shutdown|exit-failure (qemu_action_opts): whether a guest panic ends the
 * process with status 1. QEMU's other actions are valid there but not modelled here.
 */
export function parseActionOption(v: string): { panicExitFailure: boolean } {
  const { opts, warned } = parseQemuOpts('-action', v, ['reboot', 'shutdown', 'panic', 'watchdog']);
  let panicExitFailure = false;
  for (const [k, val] of opts) {
    if (k === 'panic' && (val === 'shutdown' || val === 'exit-failure')) {
      panicExitFailure = val === 'exit-failure';
    } else if (k === 'panic' && val !== 'pause' && val !== 'none') {
      throw new QemuError(`-action ${v}: Parameter 'panic' does not accept value '${val}'`, [], warned);
    } else {
      throw new UsageError(`-action ${k}=${val}: not modelled (only panic=shutdown and panic=exit-failure)`);
    }
  }
  return { panicExitFailure };
}

/** -rtc [base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none|slew] (qemu_rtc_opts, configure_rtc). */
export function parseRtcOption(v: string): RtcOptions {
  const out: RtcOptions = { base: 'utc', clock: 'host' };
  const { opts } = parseQemuOpts('-rtc', v, ['base', 'clock', 'driftfix']);
  const base = opts.get('base');
  if (base !== undefined) out.base = base === 'utc' || base === 'localtime' ? base : parseRtcDate(base);
  const clock = opts.get('clock');
  if (clock !== undefined) {
    if (clock !== 'host' && clock !== 'rt' && clock !== 'vm') throw new QemuError(`invalid option value '${clock}'`);
    out.clock = clock;
  }
  const drift = opts.get('driftfix');
  if (drift !== undefined && drift !== 'slew' && drift !== 'none') throw new QemuError(`invalid option value '${drift}'`);
  return out;
}

/**
 * spapr_rtc_realize: ns_offset = (the -rtc date now, in whole seconds) - the RTC clock now.
 * `hostNs` is the RTC's clock at creation (SpaprMachine.rtcHostNs()). With base=utc the date
 * is the clock itself; localtime adds the host's zone offset; DATE starts there.
 */
export function rtcNsOffset(rtc: RtcOptions, hostNs: bigint): bigint {
  const NS = 1_000_000_000n;
  const hostS = hostNs >= 0n ? hostNs / NS : (hostNs - NS + 1n) / NS;
  let s: bigint;
  if (rtc.base === 'utc') s = hostS;
  else if (rtc.base === 'localtime') s = hostS - BigInt(new Date(Number(hostS) * 1000).getTimezoneOffset() * 60);
  else s = rtc.base;
  return s * NS - hostNs;
}
