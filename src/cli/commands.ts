// The CLI's run and migrate commands over the core.

import { readFileSync, writeFileSync } from 'node:fs';
import { UnknownMachineError } from '../core/spapr/versions';
import { qemuBootOptions, takeDashOptions, type QemuBootOptions } from './dtb';
import { GUESTS, guestById, PromptDriver, type GuestSpec } from '../core/guests';
import { Instance } from '../core/instance';
import { LineSplitter } from '../core/lines';
import { MemoryLink } from '../core/migration/transport';
import { migrateInProcess } from '../core/migration/local';
import { formatInfoMigrate } from '../core/migration/precopy';
import type { MigrationInfo } from '../worker/protocol';
import { formatTrace } from '../core/trace';
import { intFlag, QemuError, readElf, readGuestFile, type ParsedArgs, UsageError } from './args';
import { loadFirmware, parseActionOption, parseRtcOption, rtcNsOffset, type RtcOptions } from './qemu-opts';

type Out = (s: string) => void;

/** Splits console output into lines and prints each with a prefix as soon as it is complete. */
export class LinePrinter {
  private splitter = new LineSplitter();
  readonly lines: string[] = [];
  constructor(private prefix: string, private out: Out) {}
  write(text: string): void {
    for (const line of this.splitter.push(text)) this.emit(line);
  }
  flush(): void {
    const line = this.splitter.flush();
    if (line !== null) this.emit(line);
  }
  private emit(line: string): void {
    this.lines.push(line);
    this.out(`${this.prefix}${line}\n`);
  }
}

function attach(inst: Instance, prefix: string, out: Out, err: Out, traces: boolean): LinePrinter {
  const console = new LinePrinter(prefix, out);
  inst.onSerial = (t) => console.write(t);
  inst.onError = (m) => err(`${prefix}${m}\n`);
  inst.onAbort = (m) => { for (const l of m.split('\n')) err(`${prefix}${l}\n`); };
  if (traces) inst.tracer.on((ev) => out(`${prefix}${formatTrace(ev)}\n`));
  return console;
}

/** Turn the instance until `done()` or it has nothing left to do. */
function runUntil(insts: Instance[], done: () => boolean, pump: () => void = () => {}, limit = 50_000_000): void {
  for (let turns = 0; !done() && turns < limit; turns++) {
    let idle = true;
    for (const i of insts) {
      const d = i.turn();
      pump();
      if (d !== Infinity) idle = false;
    }
    if (idle && !done()) break;
  }
}

/**
 * `--guest ID` (src/core/guests.ts): the bundled guest with its -M properties, -m, -kernel,
 * -initrd and -append, unless given on the command line.
 */
function applyGuestFlag(p: ParsedArgs): GuestSpec | undefined {
  const id = p.flags.get('guest');
  if (id === undefined) return undefined;
  const g = typeof id === 'string' ? guestById(id) : undefined;
  if (!g) throw new UsageError(`--guest: one of ${GUESTS.map((x) => x.id).join(', ')}`);
  const set = (k: string, v: string | undefined) => { if (v !== undefined && !p.flags.has(k)) p.flags.set(k, v); };
  if (!p.flags.has('M')) set('machine', ['pseries', 'x-vof=on', ...g.machineProps].join(','));
  set('m', g.ramSize ? `${g.ramSize >> 20}M` : undefined);
  set('kernel', `public/guests/${g.kernel}`);
  set('initrd', g.initrd && `public/guests/${g.initrd}`);
  set('append', g.append);
  return g;
}

/** The options `run` knows (QEMU's spellings, with one or two dashes), besides the ELF. */
const RUN_FLAGS = new Set(['max-insns', 'input', 'trace', 'guest', 'machine', 'M', 'cpu', 'm', 'kernel', 'initrd',
  'append', 'smp', 'device', 'object', 'bios', 'rtc', 'action']);

/** QEMU's `invalid option` for an option it does not have (a leftover `-x` or an unknown `--x`). */
function checkOptions(p: ParsedArgs, known: Set<string>): void {
  const bad = p.positional.find((a) => a.startsWith('-') && a.length > 1);
  if (bad) throw new QemuError(`${bad}: invalid option`);
  for (const k of p.flags.keys()) if (!known.has(k)) throw new QemuError(`--${k}: invalid option`);
}

/** The QEMU options `run` and `migrate` share: -bios, -rtc, -action panic=. */
interface PlatformOptions {
  firmware: Uint8Array | null;
  rtc: RtcOptions | null;
  /** -action panic=exit-failure: a guest panic (ibm,os-term) ends the process with status 1 */
  panicExitFailure: boolean;
}

function platformOptions(p: ParsedArgs): PlatformOptions {
  const str = (k: string): string | undefined => {
    const v = p.flags.get(k);
    if (v === true) throw new QemuError(`-${k}: requires an argument`);
    return v;
  };
  // configure_rtc comes before the machine is created, the firmware is looked for in its init
  const rtcOpt = str('rtc');
  const rtc = rtcOpt === undefined ? null : parseRtcOption(rtcOpt);
  const action = str('action');
  const { panicExitFailure } = action === undefined ? { panicExitFailure: false } : parseActionOption(action);
  const bios = str('bios');
  return { firmware: bios === undefined ? null : loadFirmware(bios), rtc, panicExitFailure };
}

/**
 * x-vof: QEMU's pseries runs its -bios (SLOF by default) unless x-vof=on; without --bios this
 * machine has only VOF, so x-vof=off needs one.
 */
function firmwareVof(boot: QemuBootOptions, plat: PlatformOptions): void {
  if (boot.vof === false && !plat.firmware) {
    throw new UsageError('x-vof=off: SLOF is not bundled; give a firmware image with --bios FILE (or use x-vof=on)');
  }
  if (plat.firmware && boot.vof === undefined) boot.vof = false;
}

/** The deterministic instance the QEMU options describe (one QEMU process). */
function newInstance(name: string, boot: QemuBootOptions): Instance {
  try {
    return new Instance({
      name, deterministic: true, machineType: boot.machineType, ramSize: boot.ramSize, maxRamSize: boot.maxRamSize,
      ramSlots: boot.ramSlots, dimms: boot.dimms, maxCpus: boot.maxCpus, coreIds: boot.coreIds, caps: boot.caps, vof: boot.vof,
    });
  } catch (e) {
    if (e instanceof UnknownMachineError) throw new UsageError(e.message);
    if (e instanceof Error && /support CPU hotplug/.test(e.message)) throw new UsageError(e.message);
    if (e instanceof Error && e.message.startsWith('-device ')) throw new QemuError(e.message);
    throw e;
  }
}

/** -rtc: spapr_rtc_realize's ns_offset for this instance's RTC clock. */
function applyRtc(inst: Instance, rtc: RtcOptions | null): void {
  if (rtc) inst.machine.rtcNsOffset = rtcNsOffset(rtc, inst.machine.rtcHostNs());
}

/**
 * Watches the instance for the end QEMU's main loop would exit on: a guest shutdown
 * (power-off: status 0) or panic (ibm,os-term: 0 with -action panic=shutdown, QEMU's default;
 * 1 with panic=exit-failure, main_loop_should_exit).
 */
function watchExit(inst: Instance, plat: PlatformOptions): () => number {
  let panicked = false;
  inst.tracer.on((ev) => { if (ev.name === 'guest_panicked') panicked = true; });
  return () => (inst.loop.fatal ? 1 : panicked && plat.panicExitFailure ? 1 : 0);
}

/**
 * Machine reset and start with -bios (entered at 0x100) and/or -kernel: Instance.boot for a
 * kernel, the same steps without one when only the firmware is given.
 */
function bootWith(inst: Instance, elf: Uint8Array | null, firmware: Uint8Array | null, extra: { initrd?: Uint8Array; append?: string }): void {
  inst.machine.firmwareImage = firmware;
  if (elf) {
    inst.boot(elf, extra);
  } else {
    inst.loop.systemReset();
    inst.loop.vmStart();
    inst.onWake();
  }
}

/**
 * The kernel to load: the ELF argument or --kernel (default the hello guest), none when
 * --bios is given without one (then -initrd and -append are refused as QEMU does).
 */
function kernelFor(p: ParsedArgs, boot: { kernel?: string; initrd?: string; append?: string }, firmware: Uint8Array | null): Uint8Array | null {
  if (boot.kernel && !p.positional.length) p.positional.push(boot.kernel);
  if (firmware && !p.positional.length) {
    if (boot.append) throw new QemuError('-append only allowed with -kernel option');
    if (boot.initrd) throw new QemuError('-initrd only allowed with -kernel option');
    return null;
  }
  return readElf(p);
}

export function runCommand(p: ParsedArgs, out: Out, err: Out = (s) => process.stderr.write(s)): number {
  takeDashOptions(p);
  checkOptions(p, RUN_FLAGS);
  const guest = applyGuestFlag(p);
  const boot = qemuBootOptions(p);
  const plat = platformOptions(p);
  firmwareVof(boot, plat);
  const elf = kernelFor(p, boot, plat.firmware);
  // a guest with a shell runs until its last command is answered (or it stops)
  const shell = guest?.prompt !== undefined;
  const maxInsns = intFlag(p, 'max-insns', shell ? 2_000_000_000 : 3_000_000)!;
  const inst = newInstance('source', boot);
  applyRtc(inst, plat.rtc);
  const status = watchExit(inst, plat);
  const con = attach(inst, '', out, err, p.flags.has('trace'));
  const raw = p.flags.get('input');
  const input = typeof raw === 'string' ? raw.replace(/\\r/g, '\r').replace(/\\n/g, '\n') : '';
  let driver: PromptDriver | null = null;
  if (shell) {
    // typed one line per prompt, as a user would
    driver = new PromptDriver(guest!.prompt!, input.split(/\r\n?|\n/).filter((l) => l !== ''), (l) => inst.input(l));
    const print = inst.onSerial;
    inst.onSerial = (t) => { print(t); driver!.output(t); };
  }
  bootWith(inst, elf, plat.firmware, { initrd: boot.initrd ? readGuestFile(boot.initrd) : undefined, append: boot.append });
  if (!shell && input) inst.input(input);
  const cpu = inst.machine.cpu.state;
  runUntil([inst], () => cpu.insnCount >= maxInsns || inst.loop.fatal !== null || inst.runstate() !== 'running' || !!driver?.answered);
  con.flush();
  if (shell) out('\n');
  return status();
}

const COUNT_RE = /^count (\d+) checksum [0-9a-f]+$/;

export function counters(lines: string[]): number[] {
  return lines.map((l) => COUNT_RE.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
}

export function migrateCommand(p: ParsedArgs, out: Out, err: Out = (s) => process.stderr.write(s)): number {
  if (p.flags.has('when-output')) return migrateWhenOutput(p, out, err);
  const elf = readElf(p);
  const after = intFlag(p, 'after-insns');
  if (after === undefined) throw new UsageError('migrate needs --after-insns N');
  const then = intFlag(p, 'then-insns', 1_000_000)!;
  const src = new Instance({ name: 'source', deterministic: true });
  const dst = new Instance({ name: 'destination', deterministic: true });
  const srcCon = attach(src, 'src: ', out, err, true);
  const dstCon = attach(dst, 'dst: ', out, err, true);
  let srcStatus = 'none';
  let dstStatus = 'none';
  let srcInfo: MigrationInfo | null = null;
  src.onMigration = (i) => { srcStatus = i.status; srcInfo = i; };
  dst.onMigration = (i) => { dstStatus = i.status; };

  src.boot(elf);
  runUntil([src], () => src.machine.cpu.state.insnCount >= after || src.runstate() !== 'running');

  const link = new MemoryLink();
  dst.incoming(link.receiver);
  src.migrate(link.sender);
  const pump = () => { link.receiver.pump(); link.sender.pump(); };
  const finished = (s: string) => s === 'completed' || s === 'failed' || s === 'cancelled';
  runUntil([src, dst], () => finished(srcStatus) && finished(dstStatus) || dst.loop.fatal !== null, pump);
  srcCon.flush();

  let rc = 0;
  if (dstStatus === 'completed' && dst.runstate() === 'running') {
    const start = dst.machine.cpu.state.insnCount;
    runUntil([dst], () => dst.machine.cpu.state.insnCount - start >= then || dst.runstate() !== 'running');
  } else {
    rc = 1;
  }
  dstCon.flush();

  const bytes = link.bytes();
  if (typeof p.flags.get('out') === 'string') writeFileSync(p.flags.get('out') as string, bytes);
  const sc = counters(srcCon.lines);
  const dc = counters(dstCon.lines);
  if (srcInfo) for (const l of formatInfoMigrate(srcInfo)) out(`info migrate: ${l}\n`);
  out(`migration: source ${srcStatus}, destination ${dstStatus}, ${bytes.length} bytes; ` +
    `source last count ${sc.length ? sc[sc.length - 1] : 'none'}, destination first count ${dc.length ? dc[0] : 'none'}\n`);
  if (srcStatus !== 'completed') rc = 1;
  return rc;
}

/** The options of `migrate --when-output`: run's, and the harness's own. */
const HARNESS_FLAGS = new Set([...RUN_FLAGS, 'when-output', 'then-input']);

/** --input / --then-input text: `\r` and `\n` typed as CR and LF. */
function typedText(v: string | true | undefined, name: string): string {
  if (v === true) throw new UsageError(`--${name} needs a TEXT`);
  return (v ?? '').replace(/\\r/g, '\r').replace(/\\n/g, '\n');
}

/**
 * Counts the occurrences of `text` in a stream that arrives in pieces (a match may straddle
 * two pieces, or two instances: the console of the guest, wherever it runs).
 */
export class OutputMatcher {
  private tail = '';
  constructor(private text: string) {}
  /** The number of new occurrences ending in `chunk`. */
  push(chunk: string): number {
    const s = this.tail + chunk;
    let n = 0;
    let from = 0;
    for (let i; (i = s.indexOf(this.text, from)) >= 0; from = i + this.text.length) n++;
    // keep what could still begin an occurrence, but never the end of a counted one
    this.tail = s.slice(Math.max(from, s.length - this.text.length + 1));
    return n;
  }
}

/**
 * `migrate --when-output TEXT [--then-input TEXT]` with run's options: QEMU driven as a test
 * harness. The guest boots on instance A; every time it prints TEXT, a migration starts from
 * the instance it runs on to a new destination started with the same options (-incoming), A
 * to B, then B to A and so on; once the destination runs, --then-input is typed into it.
 * --input goes to the first instance (for a guest with a shell: a line per prompt, wherever
 * the guest then is). The run ends when the guest stops (power-off, ibm,os-term), when a
 * migration fails, or after --max-insns instructions in all; it prints the count of completed
 * migrations and returns the exit status QEMU's last instance would have.
 */
function migrateWhenOutput(p: ParsedArgs, out: Out, err: Out): number {
  takeDashOptions(p);
  checkOptions(p, HARNESS_FLAGS);
  if (p.flags.has('after-insns')) throw new UsageError('--when-output and --after-insns: give one of them');
  const guest = applyGuestFlag(p);
  const boot = qemuBootOptions(p);
  const plat = platformOptions(p);
  firmwareVof(boot, plat);
  const when = p.flags.get('when-output');
  if (typeof when !== 'string' || when === '') throw new UsageError('--when-output needs a TEXT');
  const thenInput = typedText(p.flags.get('then-input'), 'then-input');
  const input = typedText(p.flags.get('input'), 'input');
  const elf = kernelFor(p, boot, plat.firmware);
  const initrd = boot.initrd ? readGuestFile(boot.initrd) : undefined;
  const shell = guest?.prompt !== undefined;
  const maxInsns = intFlag(p, 'max-insns', shell ? 4_000_000_000 : 50_000_000)!;
  const traces = p.flags.has('trace');

  const matcher = new OutputMatcher(when);
  let requested = 0;
  let cur: Instance;
  // lines the prompt driver types while a migration is under way wait for its destination
  let held: string[] | null = null;
  let driver: PromptDriver | null = null;
  if (shell) {
    driver = new PromptDriver(guest!.prompt!, input.split(/\r\n?|\n/).filter((l) => l !== ''), (l) => {
      if (held) held.push(l);
      else cur.input(l);
    });
  }
  const printers = new Map<Instance, LinePrinter>();
  const exits = new Map<Instance, () => number>();
  /** One QEMU process: the machine from the same options, its console printed as `NAME: `. */
  const start = (name: string): Instance => {
    const inst = newInstance(name, boot);
    applyRtc(inst, plat.rtc);
    exits.set(inst, watchExit(inst, plat));
    const con = attach(inst, `${name}: `, out, err, traces);
    printers.set(inst, con);
    inst.onSerial = (t) => {
      con.write(t);
      requested += matcher.push(t);
      driver?.output(t);
    };
    return inst;
  };

  cur = start('A');
  bootWith(cur, elf, plat.firmware, { initrd, append: boot.append });
  if (!shell && input) cur.input(input);
  let done = 0;
  let spent = 0;
  let failed = false;
  const insns = () => spent + cur.machine.cpu.state.insnCount;
  for (;;) {
    const inst = cur;
    runUntil([inst], () => requested > 0 || insns() >= maxInsns || inst.loop.fatal !== null || inst.runstate() !== 'running' || !!driver?.answered);
    // the main loop acts on a request the guest made in the same slice (power-off) first
    for (let n = 0; n < 1000 && inst.loop.hasPendingRequest && inst.loop.fatal === null; n++) inst.turn();
    if (requested === 0 || inst.runstate() !== 'running' || inst.loop.fatal !== null || insns() >= maxInsns || driver?.answered) break;
    requested--;
    // the destination is started with the same command line plus -incoming
    const dst = start(inst.name === 'A' ? 'B' : 'A');
    dst.machine.setBootImages(inst.machine.bootImages());
    dst.machine.firmwareImage = plat.firmware;
    held = [];
    const r = migrateInProcess(inst, dst);
    printers.get(inst)!.flush();
    const srcStatus = r.src?.status ?? 'none';
    if (srcStatus !== 'completed' || r.dstStatus !== 'completed') {
      out(`migration ${done + 1}: ${inst.name} -> ${dst.name}: source ${srcStatus}, destination ${r.dstStatus}\n`);
      failed = true;
      break;
    }
    done++;
    out(`migration ${done}: ${inst.name} -> ${dst.name} completed, ${r.link.bytes().length} bytes\n`);
    if (dst.runstate() !== 'running') {
      // the guest stopped on the source while its RAM was being copied: the destination
      // takes the stopped state (global state) and does not run
      out(`${dst.name}: not running (${dst.runstate()}): the guest stopped on ${inst.name}\n`);
      break;
    }
    spent += inst.machine.cpu.state.insnCount;
    cur = dst;
    const typed = held;
    held = null;
    for (const l of typed) cur.input(l);
    if (thenInput) cur.input(thenInput);
  }
  for (const c of printers.values()) c.flush();
  out(`migrations: ${done}\n`);
  if (failed) return 1;
  return exits.get(cur)!();
}
