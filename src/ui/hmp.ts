// The human monitor (HMP) as far as this page has it: command parsing and QEMU 7.2's output
// formats (monitor/hmp-cmds.c, target/ppc/cpu_init.c ppc_cpu_dump_state). Pure functions over
// snapshots; the Monitor panel does the I/O.

import type { RunState } from '../core/runstate';
import { formatInfoMigrate, formatMigrateParameters } from '../core/migration/precopy';
import type { MigrationInfo, MigrationParamName, MigrationParams, Snapshot } from '../worker/protocol';

export type CpuSnapshot = Extract<Snapshot, { kind: 'cpu' }>;

export const HMP_COMMANDS: ReadonlyArray<[string, string]> = [
  ['cont|c  ', 'resume emulation'],
  ['device_add driver[,prop=value][,...]', 'add device, like -device on the command line'],
  ['device_del device', 'remove device'],
  ['help|? [cmd]', 'show the help'],
  ['info [subcommand]', 'show various information about the system state'],
  ['migrate [-d] uri', 'migrate to URI (on this page: the other column\'s machine, started with -incoming)'],
  ['migrate_cancel  ', 'cancel the current VM migration'],
  ['migrate_set_parameter parameter value', 'Set the parameter for migration (downtime-limit in ms, max-bandwidth in bytes/s, with k/M/G suffixes)'],
  ['object_add [qom-type=]type,id=str[,prop=value][,...]', 'create QOM object'],
  ['object_del id', 'destroy QOM object'],
  ['stop|s  ', 'stop emulation'],
  ['system_reset  ', 'reset the system'],
  ['system_wakeup  ', 'wakeup guest from suspend'],
];

export const HMP_INFO: ReadonlyArray<[string, string]> = [
  ['info cpus  ', 'show infos for each CPU'],
  ['info memory-devices  ', 'show memory devices'],
  ['info migrate  ', 'show migration status'],
  ['info migrate_parameters  ', 'show current migration parameters'],
  ['info registers [-a] [vcpu]', 'show the cpu registers (-a: all - show register info for all cpus; vcpu: specific vCPU to query; show the current CPU\'s registers if omitted)'],
  ['info status  ', 'show the current VM status (running|paused)'],
];

export function helpText(topic?: string): string[] {
  if (topic === 'info') return HMP_INFO.map(([c, d]) => `${c} -- ${d}`);
  const rows = topic ? HMP_COMMANDS.filter(([c]) => c.split(/[| ]/).includes(topic)) : HMP_COMMANDS;
  if (topic && rows.length === 0) return [`unknown command: '${topic}'`];
  return rows.map(([c, d]) => `${c} -- ${d}`);
}

/** What a line asks for. */
export type HmpAction =
  | { kind: 'print'; lines: string[] }
  | { kind: 'control'; op: 'stop' | 'cont' | 'system_reset' | 'system_wakeup' }
  | { kind: 'info'; what: 'status' | 'registers' | 'migrate' | 'migrate_parameters' | 'cpus' | 'memory-devices' }
  | { kind: 'device_add'; driver: string; props: Record<string, string> }
  | { kind: 'device_del'; device: string }
  | { kind: 'object_add'; qomType: string; props: Record<string, string> }
  | { kind: 'object_del'; id: string }
  | { kind: 'migrate'; uri: string }
  | { kind: 'migrate_cancel' }
  | { kind: 'migrate_set_parameter'; name: MigrationParamName; value: number };

export function parseHmp(line: string): HmpAction | null {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const [cmd, ...args] = words;
  switch (cmd) {
    case 'help': case '?': return { kind: 'print', lines: helpText(args[0]) };
    case 'stop': case 's': return { kind: 'control', op: 'stop' };
    case 'cont': case 'c': return { kind: 'control', op: 'cont' };
    case 'system_reset': return { kind: 'control', op: 'system_reset' };
    case 'system_wakeup': return { kind: 'control', op: 'system_wakeup' };
    case 'device_add': return parseDeviceAdd(args.join(' '));
    case 'device_del':
      if (args.length !== 1) return { kind: 'print', lines: ['device_del: missing or extra argument: device_del device'] };
      return { kind: 'device_del', device: args[0] };
    case 'object_add': return parseObjectAdd(args.join(' '));
    case 'object_del':
      if (args.length !== 1) return { kind: 'print', lines: ['object_del: missing or extra argument: object_del id'] };
      return { kind: 'object_del', id: args[0] };
    case 'migrate': {
      const rest = args.filter((a) => a !== '-d' && a !== '-b' && a !== '-i');
      if (rest.length !== 1) return { kind: 'print', lines: ['migrate: missing or extra argument: migrate [-d] uri'] };
      return { kind: 'migrate', uri: rest[0] };
    }
    case 'migrate_cancel': return { kind: 'migrate_cancel' };
    case 'migrate_set_parameter': return parseSetParameter(args);
    case 'info': {
      const sub = args[0];
      if (!sub) return { kind: 'print', lines: helpText('info') };
      if (sub === 'status' || sub === 'registers' || sub === 'migrate' || sub === 'migrate_parameters' || sub === 'cpus' || sub === 'memory-devices') return { kind: 'info', what: sub };
      return { kind: 'print', lines: [`unknown command: '${line.trim().replace(/\s+/g, ' ')}'`] };
    }
  }
  return { kind: 'print', lines: [`unknown command: '${cmd}'`] };
}

/** The migration parameters this page's migration has (QEMU has many more). */
const SET_PARAMETERS: readonly MigrationParamName[] = ['downtime-limit', 'max-bandwidth'];

/** hmp_migrate_set_parameter for downtime-limit (ms) and max-bandwidth (a size: k/M/G/T, default bytes). */
function parseSetParameter(args: string[]): HmpAction {
  if (args.length !== 2) return { kind: 'print', lines: ['migrate_set_parameter: missing or extra argument: migrate_set_parameter parameter value'] };
  const [param, text] = args;
  if (!(SET_PARAMETERS as readonly string[]).includes(param)) {
    return { kind: 'print', lines: [`Error: parameter '${param}' is not modelled here (this page has: ${SET_PARAMETERS.join(', ')})`] };
  }
  const name = param as MigrationParamName;
  const m = /^(\d+(?:\.\d+)?)([bkmgt]?)$/i.exec(text);
  if (!m || (name === 'downtime-limit' && m[2])) return { kind: 'print', lines: [`Error: Parameter '${name}' expects ${name === 'downtime-limit' ? 'uint64' : 'a size value'}`] };
  const mult = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'b' | 'k' | 'm' | 'g' | 't'];
  const value = Math.round(Number(m[1]) * mult);
  if (name === 'downtime-limit' && (value < 0 || value > 2000000)) {
    return { kind: 'print', lines: ["Error: Parameter 'downtime_limit' expects an integer in the range of 0 to 2000 seconds"] };
  }
  return { kind: 'migrate_set_parameter', name, value };
}

/** device_add's QemuOpts: DRIVER then `prop=value` pairs separated by commas. */
export function parseDeviceAdd(opts: string): HmpAction {
  const [driver, ...rest] = opts.trim() ? opts.trim().split(',') : [];
  if (!driver) return { kind: 'print', lines: ["Error: Parameter 'driver' is missing"] };
  const props: Record<string, string> = {};
  for (const kv of rest) {
    if (!kv) continue;
    const eq = kv.indexOf('=');
    if (eq < 0) props[kv] = 'on';
    else props[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { kind: 'device_add', driver, props };
}

/** object_add's options: `[qom-type=]TYPE,id=ID,prop=value,...` (user_creatable_add_from_str). */
export function parseObjectAdd(opts: string): HmpAction {
  const parts = opts.trim() ? opts.trim().split(',') : [];
  let qomType: string | undefined;
  const props: Record<string, string> = {};
  parts.forEach((kv, i) => {
    if (!kv) return;
    const eq = kv.indexOf('=');
    if (eq < 0 && i === 0) qomType = kv;
    else if (eq < 0) props[kv] = 'on';
    else if (kv.slice(0, eq) === 'qom-type') qomType = kv.slice(eq + 1);
    else props[kv.slice(0, eq)] = kv.slice(eq + 1);
  });
  if (qomType === undefined) return { kind: 'print', lines: ["Error: Parameter 'qom-type' is missing"] };
  return { kind: 'object_add', qomType, props };
}

/** One pc-dimm as query-memory-devices describes it. */
export interface MemoryDeviceInfo { id?: string; addr: number; slot: number; node: number; size: number; memdev: string; hotplugged: boolean }

/** hmp_info_memory_devices for pc-dimm devices. */
export function infoMemoryDevices(dimms: readonly MemoryDeviceInfo[]): string[] {
  return dimms.flatMap((d) => [
    `Memory device [dimm]: "${d.id ?? ''}"`,
    `  addr: 0x${d.addr.toString(16)}`,
    `  slot: ${d.slot}`,
    `  node: ${d.node}`,
    `  size: ${d.size}`,
    `  memdev: /objects/${d.memdev}`,
    `  hotplugged: ${d.hotplugged}`,
    '  hotpluggable: true',
  ]);
}

/** hmp_info_status */
export function infoStatus(rs: RunState): string[] {
  const running = rs === 'running';
  return [`VM status: ${running ? 'running' : 'paused'}${!running && rs !== 'paused' ? ` (${rs})` : ''}`];
}

/**
 * hmp_info_cpus: every vCPU, '*' marking the current one (vCPU 0); the thread ids are made up
 * from the worker's (not host tids).
 */
export function infoCpus(cpu: CpuSnapshot, threadId: number): string[] {
  const all = cpu.cpus ?? [{ cpuIndex: cpu.cpuIndex, coreId: cpu.cpuIndex, halted: cpu.halted }];
  return all.map((c) => `${c.cpuIndex === cpu.cpuIndex ? '*' : ' '} CPU #${c.cpuIndex}: thread_id=${threadId + c.cpuIndex}`);
}

/** hmp_info_migrate: the globals, then what query-migrate reports. */
/**
 * HMP `info migrate`: the globals, then the migration's own lines as the core formats them
 * (one formatter for the CLI and the monitor). `totalMs` replaces the page's total time.
 */
export function infoMigrate(m: MigrationInfo | null, extra: { totalMs?: number } = {}): string[] {
  const out = [
    'globals:',
    'store-global-state: on',
    'only-migratable: off',
    'send-configuration: on',
    'send-section-footer: on',
    'decompress-error-check: on',
    'clear-bitmap-shift: 18',
  ];
  if (!m || m.status === 'none') return out;
  if (m.direction === 'incoming') return [...out, `Migration status: ${m.status}${m.status === 'failed' && m.error ? ` (${m.error})` : ''}`];
  const lines = formatInfoMigrate({ ...m, totalTimeMs: extra.totalMs ?? m.totalTimeMs });
  if (m.status === 'failed' && m.error) lines[0] = `Migration status: failed (${m.error})`;
  return [...out, ...lines];
}

/** HMP `info migrate_parameters`. */
export function infoMigrateParameters(p: MigrationParams): string[] {
  return formatMigrateParameters(p);
}

const big = (h: string) => BigInt(`0x${h}`);

/** ppc_cpu_dump_state (no FPU), 64-bit target. */
export function infoRegisters(c: CpuSnapshot): string[] {
  const spr = (n: string) => c.sprs.find((s) => s.name === n)?.value ?? '0000000000000000';
  const out: string[] = [];
  out.push(`NIP ${c.nip}   LR ${c.lr} CTR ${c.ctr} XER ${c.xer} CPU#${c.cpuIndex}`);
  out.push(`MSR ${c.msr} HID0 0000000000000000  HF ${c.msr.slice(8)} iidx 3 didx 3`);
  const tb = big(spr('TB'));
  const dec = BigInt.asUintN(64, BigInt.asIntN(32, big(spr('DEC'))));
  out.push(`TB ${String(tb >> 32n).padStart(8, '0')} ${String(tb & 0xffffffffn).padStart(8, '0')} DECR ${dec}`);
  for (let i = 0; i < 32; i += 4) out.push(`GPR${String(i).padStart(2, '0')} ${c.gpr.slice(i, i + 4).join(' ')}`);
  let crf = '';
  let flags = '';
  for (let i = 0; i < 8; i++) {
    const f = (c.cr >>> (28 - 4 * i)) & 0xf;
    crf += f.toString(16);
    const a = f & 8 ? 'L' : f & 4 ? 'G' : f & 2 ? 'E' : '-';
    flags += ` ${a}${f & 1 ? 'O' : ' '}`;
  }
  out.push(`CR ${crf}  [${flags} ]             RES ${c.reserve}`);
  out.push(` SRR0 ${spr('SRR0')}  SRR1 ${spr('SRR1')}    PVR ${spr('PVR')} VRSAVE ${spr('VRSAVE')}`);
  out.push(`SPRG0 ${spr('SPRG0')} SPRG1 ${spr('SPRG1')}  SPRG2 ${spr('SPRG2')}  SPRG3 ${spr('SPRG3')}`);
  out.push(`SPRG4 ${spr('SPRG4')} SPRG5 ${spr('SPRG5')}  SPRG6 ${spr('SPRG6')}  SPRG7 ${spr('SPRG7')}`);
  out.push(`HSRR0 ${spr('HSRR0')} HSRR1 ${spr('HSRR1')}`);
  out.push(` CFAR ${spr('CFAR')}`);
  out.push(` LPCR ${spr('LPCR')}`);
  out.push(` SDR1 ${spr('SDR1')}   DAR ${spr('DAR')}  DSISR ${spr('DSISR')}`);
  return out;
}
