// `dtb`: the device tree a pseries machine gives its guest, as QEMU's `-machine dumpdtb=FILE`
// writes it (--out FILE), or as `dtc -I dtb -O dts` prints it.

import { readFileSync, writeFileSync } from 'node:fs';
import { POWER8, type CpuModel } from '../core/cpu/cpu';
import { VirtualClock } from '../core/clock';
import { SpaprMachine, type MachineHost } from '../core/spapr/machine';
import { fdtToDts } from '../core/spapr/dts';
import { UnknownMachineError } from '../core/spapr/versions';
import { parseCapOption } from '../core/spapr/caps';
import { checkMemoryOptions, parseQemuSize } from '../core/spapr/memory';
import { QemuError, readGuestFile, UsageError, type ParsedArgs } from './args';

const CPU_MODELS: Record<string, CpuModel> = { power8: POWER8, 'power8_v2.0': POWER8 };

export function cpuModelByName(name: string): CpuModel {
  const m = CPU_MODELS[name.toLowerCase()];
  if (!m) throw new UsageError(`unable to find CPU model '${name}'`);
  return m;
}

/** QEMU's -m SIZE: a number with an optional K/M/G/T suffix, MiB when there is none. */
export function parseRamSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmMgGtT]?)[bB]?$/.exec(v);
  if (!m) throw new UsageError(`Parameter 'size' expects a non-negative number below 2^64`);
  const mult: Record<string, number> = { '': 2 ** 20, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
  return Math.round(Number(m[1]) * mult[m[2].toLowerCase()]);
}

/** `-m [size=]SIZE[,slots=N][,maxmem=SIZE]`: RAM, maxram_size and ram_slots, checked as QEMU does. */
export interface MemOptions { ramSize: number; maxRamSize?: number; ramSlots?: number }

export function parseMemOption(v: string): MemOptions {
  let size: number | undefined;
  let maxmem: number | undefined;
  let slots: number | undefined;
  for (const [i, part] of v.split(',').entries()) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? (i === 0 ? 'size' : part) : part.slice(0, eq);
    const val = eq < 0 ? (i === 0 ? part : '') : part.slice(eq + 1);
    if (k === 'size') {
      size = parseRamSize(val);
    } else if (k === 'maxmem') {
      const n = parseQemuSize(val);
      if (n === null) throw new UsageError(`Parameter 'maxmem' expects a non-negative number below 2^64`);
      maxmem = n;
    } else if (k === 'slots') {
      const n = Number(val);
      if (val === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`Parameter 'slots' expects a number`);
      slots = n;
    } else {
      throw new UsageError(`Invalid parameter '${k}'`);
    }
  }
  const ramSize = size ?? 256 * 2 ** 20;
  const err = checkMemoryOptions(ramSize, maxmem, slots);
  if (err) throw new UsageError(err);
  return { ramSize, ...(maxmem !== undefined ? { maxRamSize: maxmem } : {}), ...(slots !== undefined ? { ramSlots: slots } : {}) };
}

/** A machine built and reset, not run, for looking at its tree. */
export interface BootFiles { kernel?: Uint8Array; initrd?: Uint8Array; append?: string; caps?: Array<number | undefined> }

export function machineForDt(machineType: string, cpu: CpuModel, ramSize?: number, vof = false, boot: BootFiles = {}, smp: SmpOptions & Partial<MemOptions> = {}): SpaprMachine {
  const clock = new VirtualClock(true, () => 0);
  const host: MachineHost = {
    clock,
    resetRequest() {}, shutdownRequest() {}, stopRequest() {}, trace() {}, log() {},
  };
  const m = new SpaprMachine(host, { machineType, cpuModel: cpu, ramSize, vof, maxCpus: smp.maxCpus, coreIds: smp.coreIds, maxRamSize: smp.maxRamSize, ramSlots: smp.ramSlots, dimms: smp.dimms });
  if (boot.kernel) m.setKernel(boot.kernel);
  if (boot.initrd) m.setInitrd(boot.initrd);
  if (boot.append) m.kernelCmdline = boot.append;
  boot.caps?.forEach((v, i) => { if (v !== undefined) m.caps.user[i] = v; });
  m.reset();
  return m;
}

/** QEMU's single-dash spellings, taken out of the positional arguments: -M X, -m X, ... */
const QEMU_DASH_OPTIONS: Record<string, string> = {
  '-M': 'machine', '-machine': 'machine', '-m': 'm', '-cpu': 'cpu', '-kernel': 'kernel',
  '-initrd': 'initrd', '-append': 'append', '-smp': 'smp', '-device': 'device',
  '-bios': 'bios', '-rtc': 'rtc', '-action': 'action', '-object': 'object',
};

/** -device may be given more than once: its values are kept joined with this separator. */
const DEVICE_SEP = '\u0000';

/** -smp and the CPU cores of -device: what SpaprOptions.maxCpus / coreIds take. */
export interface SmpOptions {
  maxCpus?: number;
  coreIds?: number[];
  /** -object memory-backend-ram + -device pc-dimm: cold-plugged DIMMs (SpaprOptions.dimms) */
  dimms?: Array<{ memdev: string; size: number; id?: string; spec: string }>;
}

/** -object memory-backend-ram,id=X,size=S: the backends by id, with QEMU's errors. */
function memoryBackends(objects: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects ? objects.split(DEVICE_SEP) : []) {
    const [type, ...props] = o.split(',');
    if (type !== 'memory-backend-ram') throw new QemuError(`-object ${o}: Parameter 'qom-type' does not accept value '${type}'`);
    const kv = new Map(props.map((pr) => { const eq = pr.indexOf('='); return [pr.slice(0, eq < 0 ? pr.length : eq), pr.slice(eq + 1)]; }));
    const id = kv.get('id');
    if (id === undefined) throw new QemuError(`-object ${o}: Parameter 'id' is missing`);
    const sz = kv.get('size');
    if (sz === undefined) throw new QemuError(`-object ${o}: Parameter 'size' is missing`);
    const size = parseQemuSize(sz);
    if (size === null) throw new QemuError(`-object ${o}: Parameter 'size' expects a non-negative number below 2^64`);
    out.set(id, size);
  }
  return out;
}

/**
 * `-smp C[,maxcpus=N]` (or `cpus=C,...`, one thread per core): C boot cores, N possible, and
 * `-device power8_v2.0-spapr-cpu-core,core-id=K[,id=X]`: more cores present at start.
 */
export function smpOptions(p: ParsedArgs): SmpOptions {
  const smp = p.flags.get('smp');
  const dev = p.flags.get('device');
  const out: SmpOptions = {};
  if (typeof smp === 'string') {
    let cpus: number | undefined;
    let maxCpus: number | undefined;
    for (const [i, part] of smp.split(',').entries()) {
      const [k, v] = part.includes('=') ? part.split('=') : [i === 0 ? 'cpus' : part, undefined];
      const n = Number(v ?? (i === 0 ? part : NaN));
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`-smp ${smp}: Parameter '${k}' expects a number`);
      if (k === 'cpus') cpus = n;
      else if (k === 'maxcpus') maxCpus = n;
      else if (k === 'threads') {
        if (n !== 1) throw new UsageError(`-smp ${smp}: only one thread per core is modelled`);
      } else if (!['cores', 'sockets', 'dies', 'clusters'].includes(k)) throw new UsageError(`-smp ${smp}: Invalid parameter '${k}'`);
    }
    if (maxCpus !== undefined && maxCpus < (cpus ?? 1)) {
      throw new UsageError(`Invalid SMP CPUs ${cpus ?? 1}. The max CPUs supported by machine '${String(p.flags.get('machine') ?? 'pseries').split(',')[0]}' is ${maxCpus}`);
    }
    out.maxCpus = maxCpus ?? cpus ?? 1;
    // spapr_init_cpus: the boot cores, one per vCPU (one thread per core)
    if ((cpus ?? 1) > 1) out.coreIds = Array.from({ length: cpus! }, (_, i) => i);
  }
  const backends = memoryBackends(p.flags.get('object') as string | undefined);
  if (typeof dev === 'string') {
    const coreIds = out.coreIds ?? [0];
    for (const d of dev.split(DEVICE_SEP)) {
      const [driver, ...props] = d.split(',');
      if (driver === 'pc-dimm') {
        const kv = new Map(props.map((pr) => { const eq = pr.indexOf('='); return [pr.slice(0, eq < 0 ? pr.length : eq), pr.slice(eq + 1)]; }));
        const memdev = kv.get('memdev');
        if (memdev === undefined) throw new QemuError(`-device ${d}: 'memdev' property must be set`);
        const size = backends.get(memdev);
        if (size === undefined) throw new QemuError(`-device ${d}: Device '${memdev}' not found`);
        const id = kv.get('id');
        (out.dimms ??= []).push({ memdev, size, ...(id !== undefined ? { id } : {}), spec: d });
        continue;
      }
      if (/^(spapr-|virtio-|usb-|pci-|nvme|scsi-|e1000)/.test(driver)) {
        throw new QemuError(`-device ${d}: '${driver}' is a QEMU device this machine does not model (CPU cores and pc-dimm are)`);
      }
      if (!/-spapr-cpu-core$/.test(driver)) throw new QemuError(`-device ${d}: '${driver}' is not a valid device model name`);
      let coreId = 0;
      for (const pr of props) {
        const [k, v] = pr.split('=');
        if (k === 'core-id') {
          coreId = Number(v);
          if (!Number.isInteger(coreId)) throw new UsageError(`-device ${d}: Parameter 'core-id' expects integer`);
        } else if (k !== 'id') throw new UsageError(`-device ${d}: Property '${driver}.${k}' not found`);
      }
      if (driver !== 'power8_v2.0-spapr-cpu-core' && driver !== 'POWER8_v2.0-spapr-cpu-core') {
        throw new UsageError(`-device ${d}: CPU core type should be power8_v2.0-spapr-cpu-core`);
      }
      if (coreId < 0) throw new UsageError(`-device ${d}: Invalid core id ${coreId}`);
      if (coreIds.includes(coreId)) throw new UsageError(`-device ${d}: core ${coreId} already populated`);
      if (coreId >= (out.maxCpus ?? 1)) throw new UsageError(`-device ${d}: core id ${coreId} out of range`);
      coreIds.push(coreId);
    }
    out.coreIds = coreIds;
  }
  return out;
}

export function takeDashOptions(p: ParsedArgs): void {
  const rest: string[] = [];
  for (let i = 0; i < p.positional.length; i++) {
    const name = QEMU_DASH_OPTIONS[p.positional[i]];
    if (name) {
      const v = p.positional[++i];
      if (v === undefined) throw new UsageError(`${p.positional[i - 1]}: requires an argument`);
      const had = p.flags.get(name);
      p.flags.set(name, (name === 'device' || name === 'object') && typeof had === 'string' ? `${had}${DEVICE_SEP}${v}` : v);
    } else {
      rest.push(p.positional[i]);
    }
  }
  p.positional.splice(0, p.positional.length, ...rest);
}

export function dtbCommand(p: ParsedArgs, out: (s: string) => void): number {
  const boot = qemuBootOptions(p);
  const cpu = cpuModelByName(String(p.flags.get('cpu') ?? 'POWER8'));
  let m: SpaprMachine;
  try {
    const file = (f: string | undefined) => (f === undefined ? undefined : readGuestFile(f));
    m = machineForDt(boot.machineType, cpu, boot.ramSize, boot.vof ?? false,
      { kernel: file(boot.kernel), initrd: file(boot.initrd), append: boot.append, caps: boot.caps }, boot);
  } catch (e) {
    if (e instanceof UnknownMachineError) throw new UsageError(e.message);
    if (e instanceof Error && /support CPU hotplug|memory size|memory slots/.test(e.message)) throw new UsageError(e.message);
    throw e;
  }
  const file = p.flags.get('out');
  if (typeof file === 'string') {
    writeFileSync(file, m.fdtBlob);
  } else {
    out(fdtToDts(m.fdt, m.memReserve));
  }
  return 0;
}

export interface QemuBootOptions extends SmpOptions {
  /** -m ...,maxmem=M */
  maxRamSize?: number;
  /** -m ...,slots=N */
  ramSlots?: number;
  machineType: string;
  /** x-vof=on|off; undefined when not given */
  vof?: boolean;
  /** cap-* machine properties by SPAPR_CAPS index */
  caps: Array<number | undefined>;
  ramSize?: number;
  kernel?: string;
  initrd?: string;
  append?: string;
}

/** `--machine pseries-X[,x-vof=on]` (or -M), `--cpu`, `-m`, `--kernel`, `--initrd`, `--append`. */
export function qemuBootOptions(p: ParsedArgs): QemuBootOptions {
  takeDashOptions(p);
  const str = (k: string): string | undefined => {
    const v = p.flags.get(k);
    if (v === true) throw new UsageError(`--${k}: requires an argument`);
    return v;
  };
  const [machineType, ...mopts] = (str('machine') ?? str('M') ?? 'pseries').split(',');
  const caps: Array<number | undefined> = [];
  let vof: boolean | undefined;
  for (const o of mopts) {
    const [k, v] = o.split('=');
    let cap: [number, number] | undefined;
    try { cap = parseCapOption(k, v ?? ''); } catch (e) { throw new UsageError((e as Error).message); }
    if (cap) {
      caps[cap[0]] = cap[1];
    } else if (k === 'x-vof') {
      if (v !== 'on' && v !== 'off') throw new UsageError(`Parameter 'x-vof' expects 'on' or 'off'`);
      vof = v === 'on';
    } else {
      throw new UsageError(`Property '${machineType}-machine.${k}' not found`);
    }
  }
  const cpu = str('cpu');
  if (cpu !== undefined) cpuModelByName(cpu);
  const smp = smpOptions(p);
  const m = str('m');
  const mem = m === undefined ? undefined : parseMemOption(m);
  return {
    ...smp,
    machineType,
    vof,
    caps,
    ramSize: mem?.ramSize,
    maxRamSize: mem?.maxRamSize,
    ramSlots: mem?.ramSlots,
    kernel: str('kernel'),
    initrd: str('initrd'),
    append: str('append'),
  };
}
