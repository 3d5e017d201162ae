// The CLI's run and migrate commands over the core.

import { readFileSync, writeFileSync } from 'node:fs';
import { UnknownMachineError } from '../core/spapr/versions';
import { qemuBootOptions, takeDashOptions } from './dtb';
import { GUESTS, guestById, PromptDriver, type GuestSpec } from '../core/guests';
import { Instance } from '../core/instance';
import { LineSplitter } from '../core/lines';
import { MemoryLink } from '../core/migration/transport';
import { formatInfoMigrate } from '../core/migration/precopy';
import type { MigrationInfo } from '../worker/protocol';
import { formatTrace } from '../core/trace';
import { intFlag, readElf, readGuestFile, type ParsedArgs, UsageError } from './args';

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

export function runCommand(p: ParsedArgs, out: Out, err: Out = (s) => process.stderr.write(s)): number {
  takeDashOptions(p);
  const guest = applyGuestFlag(p);
  const boot = qemuBootOptions(p);
  if (boot.vof === false) throw new UsageError('x-vof=off: only the VOF firmware (x-vof=on) is available; SLOF is not');
  if (boot.kernel && !p.positional.length) p.positional.push(boot.kernel);
  const elf = readElf(p);
  // a guest with a shell runs until its last command is answered (or it stops)
  const shell = guest?.prompt !== undefined;
  const maxInsns = intFlag(p, 'max-insns', shell ? 2_000_000_000 : 3_000_000)!;
  let inst: Instance;
  try {
    inst = new Instance({ name: 'source', deterministic: true, machineType: boot.machineType, ramSize: boot.ramSize, maxCpus: boot.maxCpus, coreIds: boot.coreIds, caps: boot.caps });
  } catch (e) {
    if (e instanceof UnknownMachineError) throw new UsageError(e.message);
    if (e instanceof Error && /support CPU hotplug/.test(e.message)) throw new UsageError(e.message);
    throw e;
  }
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
  inst.boot(elf, { initrd: boot.initrd ? readGuestFile(boot.initrd) : undefined, append: boot.append });
  if (!shell && input) inst.input(input);
  const cpu = inst.machine.cpu.state;
  runUntil([inst], () => cpu.insnCount >= maxInsns || inst.loop.fatal !== null || inst.runstate() !== 'running' || !!driver?.answered);
  con.flush();
  if (shell) out('\n');
  return inst.loop.fatal ? 1 : 0;
}

const COUNT_RE = /^count (\d+) checksum [0-9a-f]+$/;

export function counters(lines: string[]): number[] {
  return lines.map((l) => COUNT_RE.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
}

export function migrateCommand(p: ParsedArgs, out: Out, err: Out = (s) => process.stderr.write(s)): number {
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
