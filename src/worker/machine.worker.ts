// One machine per worker. The page drives it with ToWorker commands; the worker runs the
// main loop (Instance.turn) and reports back with FromWorker events.
//
// Scheduling: turn() runs one time slice and says when it wants to run again. 0 means "at
// once", but we still yield through a MessageChannel so that commands (keyboard input, a
// migration request) are handled between slices; Infinity means "idle until onWake".
//
// Output is batched: serial text, trace events and migration progress are posted at most
// every FLUSH_MS. Runstate changes and errors are posted at once, after the batch that
// precedes them, so the page sees everything in the order it happened.

import { Instance } from '../core/instance';
import { MessagePortTransport, type StreamReceiver, type StreamSender } from '../core/migration/transport';
import { streamFieldMap, vmstateSnapshot } from '../core/snapshots';
import type { RunState } from '../core/runstate';
import type { TraceEvent } from '../core/trace';
import type {
  BootImages, FromWorker, MachineConfig, MigrationInfo, MigrationParams, Snapshot, SnapshotQuery, ToWorker, VmControl, VmstateStreamMap,
  WatchHit, WatchRange,
} from './protocol';

const FLUSH_MS = 16;
/**
 * Wall time a turn may run guest code: short while a migration is under way (each turn does
 * one migration step), longer otherwise, which spends less on yielding between turns. Either
 * way a command from the page (a key, a migration) waits at most one turn.
 */
const TURN_MS = 8;
const TURN_MS_ALONE = 32;
const STATS_MS = 1000;

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

// ---- machine ------------------------------------------------------------------------------

interface Config extends MachineConfig { name: string; deterministic: boolean }

let config: Config | null = null;
let instance: Instance | null = null;
/** Bumped whenever the instance is replaced; callbacks of an old instance are ignored. */
let generation = 0;
/** Set when turn() threw: the machine is stopped until it is recreated. */
let halted = false;

function describe(e: unknown): string {
  if (e instanceof Error) return e.message || String(e);
  return String(e);
}

/** Runs `fn`; an exception becomes an `error` event (the worker itself keeps going). */
function guarded(what: string, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    reportError(`${what}: ${describe(e)}`);
    if (e instanceof Error && e.stack) console.error(e.stack);
    return false;
  }
}

function reportError(message: string): void {
  flush();
  post({ type: 'error', message });
}

/** The machine's part of a config (what both ends of a migration are created with). */
function machineOptions(c: MachineConfig): MachineConfig {
  return { ramSize: c.ramSize, caps: c.caps, maxCpus: c.maxCpus, coreIds: c.coreIds, maxRamSize: c.maxRamSize, ramSlots: c.ramSlots, dimms: c.dimms };
}

function createInstance(cfg: Config): void {
  const gen = ++generation;
  const mine = () => gen === generation;
  halted = false;
  cancelTurn();
  resetBatch();
  const inst = new Instance({
    name: cfg.name, deterministic: cfg.deterministic, ...machineOptions(cfg),
  });
  inst.onSerial = (text: string) => { if (mine()) queueSerial(text); };
  inst.onRunstate = (state: RunState) => { if (mine()) postRunstate(state); };
  inst.onMigration = (info: MigrationInfo) => { if (mine()) queueMigration(info); };
  inst.onError = (message: string) => { if (mine()) reportError(message); };
  inst.onAbort = (message: string) => { if (mine()) reportError(message); };
  inst.onWake = () => { if (mine()) scheduleTurn(0); };
  inst.tracer.on((ev: TraceEvent) => { if (mine()) queueTrace(ev); });
  instance = inst;
  watchHit = null;
  post({ type: 'ready', name: inst.name });
  post({ type: 'runstate', state: inst.runstate() });
}

// ---- the main loop ------------------------------------------------------------------------

const yieldChannel = new MessageChannel();
let yieldPending = false;
let timer: ReturnType<typeof setTimeout> | null = null;

yieldChannel.port1.onmessage = () => {
  yieldPending = false;
  runTurn();
};

function cancelTurn(): void {
  if (timer !== null) { clearTimeout(timer); timer = null; }
  // A pending yield message is harmless: runTurn() checks the state when it arrives.
}

/**
 * Schedule the next turn `delay` ms from now. A pending "at once" wins over any delay; a
 * delay replaces an earlier one (it comes from the turn that just ran).
 */
function scheduleTurn(delay: number): void {
  if (!instance || halted || !Number.isFinite(delay)) return;
  if (delay <= 0) {
    cancelTurn();
    if (!yieldPending) {
      yieldPending = true;
      yieldChannel.port2.postMessage(null);
    }
    return;
  }
  if (yieldPending) return;
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => { timer = null; runTurn(); }, delay);
}

function runTurn(): void {
  const inst = instance;
  if (!inst || halted) return;
  let next = Infinity;
  const ok = guarded('machine stopped', () => { next = inst.turn(inst.migrating ? TURN_MS : TURN_MS_ALONE); });
  if (!ok) {
    halted = true;
    return;
  }
  if (inst === instance) scheduleTurn(next);
}

// ---- batched output -----------------------------------------------------------------------

let serialBuf = '';
let traceBuf: TraceEvent[] = [];
let migrationBuf: MigrationInfo | null = null;
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function resetBatch(): void {
  flush();
  serialBuf = '';
  traceBuf = [];
  migrationBuf = null;
}

function armFlush(): void {
  if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_MS);
}

function queueSerial(text: string): void {
  serialBuf += text;
  armFlush();
}

function queueTrace(ev: TraceEvent): void {
  traceBuf.push({ name: ev.name, args: ev.args, clockNs: ev.clockNs, wallMs: ev.wallMs });
  armFlush();
}

function queueMigration(info: MigrationInfo): void {
  // Progress is a snapshot: only the newest one matters, but a terminal state is posted at once.
  // (Each info is a fresh object with its own arrays: it is kept as it is.)
  migrationBuf = info;
  if (info.status === 'completed' || info.status === 'failed' || info.status === 'cancelled'
    || info.status === 'cancelling') flush();
  else armFlush();
}

function postRunstate(state: RunState): void {
  flush();
  post({ type: 'runstate', state });
}

function flush(): void {
  if (flushTimer !== null) { clearTimeout(flushTimer); flushTimer = null; }
  if (traceBuf.length) { post({ type: 'trace', events: traceBuf }); traceBuf = []; }
  if (serialBuf) { post({ type: 'serial', data: serialBuf }); serialBuf = ''; }
  if (migrationBuf) { post({ type: 'migration', info: migrationBuf }); migrationBuf = null; }
}

// ---- statistics ---------------------------------------------------------------------------

setInterval(() => {
  const inst = instance;
  if (!inst) return;
  guarded('stats', () => {
    const s = inst.stats();
    post({ type: 'stats', insns: s.insns, mips: s.mips });
  });
}, STATS_MS);

// ---- the last outgoing stream (for "Save last stream") -------------------------------------

/** Copies of the chunks of the last outgoing migration, in order. */
let lastStream: Uint8Array[] = [];
/** The last stream sent or received (for the vmstate panel's "where it sits in the last stream"). */
let lastAny: { direction: VmstateStreamMap['direction']; chunks: Uint8Array[]; seq: number } | null = null;
let streamSeq = 0;
/** lastAny's field map, computed when first asked for once the stream has ended. */
let streamMap: { seq: number; chunks: number; map: VmstateStreamMap } | null = null;

/** A sender that keeps a copy of every chunk before the transport transfers it away. */
function recording(tx: StreamSender): StreamSender {
  lastStream = [];
  lastAny = { direction: 'outgoing', chunks: lastStream, seq: ++streamSeq };
  return {
    send(chunk) { lastStream.push(chunk.slice()); tx.send(chunk); },
    canSend: () => tx.canSend(),
    close: () => tx.close(),
    fail: (reason) => tx.fail(reason),
    get onWritable() { return tx.onWritable; },
    set onWritable(f) { tx.onWritable = f; },
    get onPeerError() { return tx.onPeerError; },
    set onPeerError(f) { tx.onPeerError = f; },
  };
}

function lastStreamBytes(chunks: Uint8Array[] = lastStream): Uint8Array | null {
  if (!chunks.length) return null;
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** A receiver that keeps a copy of every chunk of the incoming stream. */
function recordingIncoming(rx: MessagePortTransport): StreamReceiver {
  const chunks: Uint8Array[] = [];
  lastAny = { direction: 'incoming', chunks, seq: ++streamSeq };
  return {
    get onChunk() { return rx.onChunk; },
    set onChunk(f) { rx.onChunk = (c) => { chunks.push(c.slice()); f(c); }; },
    get onClose() { return rx.onClose; },
    set onClose(f) { rx.onClose = f; },
    get onError() { return rx.onError; },
    set onError(f) { rx.onError = f; },
    ack: () => rx.ack(),
    reportError: (m) => rx.reportError(m),
  };
}

/** Where the fields sat in the last stream (null when there is none, or it is still under way). */
function lastStreamMap(inst: Instance): VmstateStreamMap | null {
  if (!lastAny || !lastAny.chunks.length || inst.migrating) return streamMap?.map ?? null;
  if (streamMap?.seq !== lastAny.seq || streamMap.chunks !== lastAny.chunks.length) {
    const bytes = lastStreamBytes(lastAny.chunks)!;
    let map: VmstateStreamMap;
    try {
      map = streamFieldMap(bytes, lastAny.direction, lastAny.seq);
    } catch (e) {
      map = { direction: lastAny.direction, size: bytes.length, seq: lastAny.seq, sections: {}, error: describe(e) };
    }
    streamMap = { seq: lastAny.seq, chunks: lastAny.chunks.length, map };
  }
  return streamMap.map;
}

// ---- watchpoints (the gdbstub's write watchpoints, on guest-physical RAM) ------------------

/** The last watchpoint hit of the current machine (null: none since they were set). */
let watchHit: WatchHit | null = null;

const hexBytes = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** vCPU 0 watches these ranges (clipped to RAM); a change stops the VM in `debug` as a breakpoint does. */
function setWatchpoints(inst: Instance, ranges: WatchRange[]): void {
  const cpu = inst.machine.cpu;
  const u8 = inst.machine.ram.u8;
  cpu.watchpoints.length = 0;
  for (const r of ranges) {
    const addr = Math.max(0, Math.min(Math.floor(r.addr), u8.length));
    const len = Math.max(0, Math.min(Math.floor(r.len), u8.length - addr));
    if (len > 0) cpu.watchpoints.push({ addr, len, old: u8.slice(addr, addr + len) });
  }
  watchHit = null;
  cpu.onWatchpoint = (wp, now, nip) => {
    watchHit = {
      addr: wp.addr, len: wp.len, nip: nip.toString(16).padStart(16, '0'), insns: cpu.state.insnCount, old: hexBytes(wp.old), now: hexBytes(now),
    };
    cpu.onBreakpoint(nip);
  };
  inst.onWake();
}

// ---- snapshots and controls ---------------------------------------------------------------

function snapshot(inst: Instance, q: SnapshotQuery): Snapshot {
  switch (q.kind) {
    case 'fdt': return inst.fdtSnapshot();
    case 'vmstate':
      if (!q.fields) return inst.vmstateSnapshot();
      return { ...vmstateSnapshot(inst.machine, { fields: true }), stream: lastStreamMap(inst) };
    case 'cpu': return inst.cpuSnapshot();
    case 'ov5': return inst.ov5Snapshot();
    case 'memory': return {
      ...inst.memorySnapshot(q.addr ?? 0, q.len ?? 256),
      watchpoints: inst.machine.cpu.watchpoints.map((w) => ({ addr: w.addr, len: w.len })), watchHit,
    };
    case 'stream': return { kind: 'stream', bytes: lastStreamBytes() };
    case 'memory-devices': return { kind: 'memory-devices', dimms: inst.machine.dimms.map((d) => ({ ...d })) };
  }
}

function transferOf(s: Snapshot): Transferable[] {
  if (s.kind === 'fdt') return [s.blob.buffer as ArrayBuffer];
  if (s.kind === 'memory') return [s.bytes.buffer as ArrayBuffer];
  if (s.kind === 'stream' && s.bytes) return [s.bytes.buffer as ArrayBuffer];
  if (s.kind === 'vmstate') return s.sections.flatMap((x) => (x.payload ? [x.payload.buffer as ArrayBuffer] : []));
  return [];
}

function control(inst: Instance, op: VmControl): string | null {
  switch (op) {
    case 'stop': inst.stop(); return null;
    case 'cont': return inst.cont();
    case 'step': return inst.step();
    case 'system_reset': inst.systemReset(); return null;
    case 'system_wakeup': return inst.systemWakeup();
  }
}

/** The machine's -kernel / -initrd / -append from what the page sent. */
function bootImages(b: BootImages): { kernel: Uint8Array; initrd: Uint8Array | null; cmdline: string } {
  return { kernel: new Uint8Array(b.elf), initrd: b.initrd ? new Uint8Array(b.initrd) : null, cmdline: b.append ?? '' };
}

// ---- commands -----------------------------------------------------------------------------

function handle(msg: ToWorker): void {
  if (msg.type === 'init') {
    config = { name: msg.name, deterministic: msg.deterministic, ...machineOptions(msg) };
    guarded('init', () => createInstance(config!));
    return;
  }
  if (msg.type === 'recreate') {
    if (!config) { reportError('recreate before init'); return; }
    if (msg.machine) config = { ...config, ...machineOptions(msg.machine), maxCpus: msg.machine.maxCpus ?? config.maxCpus };
    guarded('recreate', () => createInstance(config!));
    return;
  }
  const inst = instance;
  if (!inst) {
    reportError(`'${msg.type}' before init`);
    return;
  }
  switch (msg.type) {
    case 'boot':
      guarded('boot', () => inst.boot(new Uint8Array(msg.elf), {
        initrd: msg.initrd && new Uint8Array(msg.initrd),
        append: msg.append,
        paused: msg.paused,
      }));
      break;
    case 'input':
      guarded('input', () => inst.input(msg.data));
      break;
    case 'incoming':
      guarded('incoming', () => {
        if (msg.elf) inst.machine.setBootImages(bootImages({ elf: msg.elf, initrd: msg.initrd, append: msg.append }));
        inst.incoming(recordingIncoming(new MessagePortTransport(msg.port)));
      });
      break;
    case 'migrate':
      guarded('migrate', () => {
        const params: Partial<MigrationParams> = { ...msg.params };
        inst.migrate(recording(new MessagePortTransport(msg.port)), params);
      });
      break;
    case 'breakpoints':
      guarded('breakpoints', () => inst.setBreakpoints(msg.addrs.map((a) => BigInt(`0x${a}`))));
      break;
    case 'watchpoints':
      guarded('watchpoints', () => setWatchpoints(inst, msg.ranges));
      break;
    case 'migrate-cancel':
      guarded('migrate_cancel', () => inst.cancel());
      break;
    case 'migrate-set-parameter':
      guarded('migrate_set_parameter', () => {
        inst.setMigrationParameter(msg.name, msg.value);
      });
      break;
    case 'query': {
      let snap: Snapshot | null = null;
      let error: string | undefined;
      try { snap = snapshot(inst, msg.query); } catch (e) { error = describe(e); }
      // Output queued before the snapshot goes first, so the page sees things in order.
      flush();
      post({ type: 'snapshot', id: msg.id, snapshot: snap, error }, snap ? transferOf(snap) : []);
      return;
    }
    case 'control': {
      let error: string | undefined;
      try { error = control(inst, msg.op) ?? undefined; } catch (e) { error = describe(e); }
      flush();
      post({ type: 'control', id: msg.id, error });
      break;
    }
    case 'device-add':
    case 'device-del':
    case 'object-add':
    case 'object-del': {
      let error: string | undefined;
      try {
        const m = inst.machine;
        error = (msg.type === 'device-add' ? inst.deviceAdd(msg.driver, msg.props)
          : msg.type === 'device-del' ? inst.deviceDel(msg.device)
            : msg.type === 'object-add' ? m.objectAdd(msg.qomType, msg.props) : m.objectDel(msg.object)) ?? undefined;
      } catch (e) { error = describe(e); }
      flush();
      post({ type: 'control', id: msg.id, error });
      break;
    }
  }
  scheduleTurn(0);
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  guarded('worker', () => handle(ev.data));
};

scope.onmessageerror = () => {
  reportError('worker: a message from the page could not be deserialized');
};

// Last resort: anything that escapes the guards above still reaches the page.
scope.onerror = (ev) => {
  const message = typeof ev === 'string' ? ev : (ev as ErrorEvent).message ?? String(ev);
  reportError(`worker: ${message}`);
  return true;
};

scope.onunhandledrejection = (ev: PromiseRejectionEvent) => {
  reportError(`worker: unhandled rejection: ${describe(ev.reason)}`);
};
