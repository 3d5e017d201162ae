// The page's side of the two machines: one worker per column, their stores, and the
// commands the UI can give (boot, keyboard input, migrate). Worker events go straight into
// the stores; nothing here looks inside a machine.

import type {
  BootImages, FromWorker, MachineConfig, MigrationInfo, MigrationParamName, Snapshot, SnapshotKind, SnapshotQuery, ToWorker, VmControl,
  WatchRange,
} from '../worker/protocol';
import { createLayoutStore, type LayoutStore } from '../store/layout';
import { browserThemeEnv, createThemeStore, systemThemeChanged, type ThemeStore } from '../store/theme';
import { applyWorkerMessages, createInstanceStore, recordError, type InstanceState, type InstanceStore } from '../store/instance';
import {
  COLUMNS, cancelRequested, columnOf, createSessionStore, guestSelected, migrationEnded, migrationStarted, other,
  setGuestLoading, setMigrationParam, type Column, type SessionState, type SessionStore,
} from '../store/session';
import { guestById, guestCaps, type GuestSpec } from '../core/guests';

/** Where a bundled guest's file (a path under public/guests/) is served. */
export function guestFileUrl(file: string): string {
  return `${import.meta.env.BASE_URL}guests/${file}`;
}

/** Whether `bytes` start with gzip's magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflate a gzip'd image (DecompressionStream); anything else is returned as it is. */
export async function gunzip(buf: ArrayBuffer): Promise<ArrayBuffer> {
  // A server may already have undone the gzip (Content-Encoding): look at the bytes, not the name.
  if (!isGzip(new Uint8Array(buf))) return buf;
  const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** The machine a guest needs (-m, cap-*): both sides of a migration are created with it. */
/** The page's machines have room for this many CPU cores (-smp 1,maxcpus=N): the monitor's
 * device_add can plug a second one, as on a QEMU started that way. */
export const PAGE_MAX_CPUS = 2;

/**
 * The page's machines have memory slots: -m SIZE,slots=PAGE_RAM_SLOTS,maxmem=SIZE+PAGE_DEVICE_MEMORY,
 * so the monitor's object_add / device_add pc-dimm can plug DIMMs (mapped from 1 GiB up).
 */
export const PAGE_RAM_SLOTS = 2;
export const PAGE_DEVICE_MEMORY = 512 << 20;
/** -m when the guest names none (the machine's default, DEFAULT_RAM_SIZE) */
const DEFAULT_PAGE_RAM = 256 << 20;

/** A management layer's view of the source's devices, to start a destination with. */
export interface SourceDevices {
  coreIds?: number[];
  dimms?: MachineConfig['dimms'];
}

export function machineConfig(g: GuestSpec, devices: SourceDevices = {}): MachineConfig {
  const caps = guestCaps(g);
  const ram = g.ramSize ?? DEFAULT_PAGE_RAM;
  return {
    ramSize: ram, maxCpus: PAGE_MAX_CPUS, maxRamSize: ram + PAGE_DEVICE_MEMORY, ramSlots: PAGE_RAM_SLOTS,
    ...(caps.length ? { caps: Array.from(caps) } : {}),
    ...(devices.coreIds ? { coreIds: devices.coreIds } : {}),
    ...(devices.dimms?.length ? { dimms: devices.dimms } : {}),
  };
}

/** Fetch a guest's -kernel and -initrd (inflated) with its -append. */
export async function loadGuest(g: GuestSpec, fetchFn: typeof fetch = fetch): Promise<BootImages> {
  const get = async (file: string) => {
    const url = guestFileUrl(file);
    const res = await fetchFn(url);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
    try {
      return await gunzip(await res.arrayBuffer());
    } catch (e) {
      throw new Error(`${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const [elf, initrd] = await Promise.all([get(g.kernel), g.initrd ? get(g.initrd) : undefined]);
  return { elf, ...(initrd ? { initrd } : {}), ...(g.append !== undefined ? { append: g.append } : {}) };
}

/** A copy of the images to hand to a worker, and what to transfer with it. */
function copyImages(b: BootImages): { images: BootImages; transfer: ArrayBuffer[] } {
  const images: BootImages = { ...b, elf: b.elf.slice(0), ...(b.initrd ? { initrd: b.initrd.slice(0) } : {}) };
  return { images, transfer: images.initrd ? [images.elf, images.initrd] : [images.elf] };
}

export const INSTANCE_NAMES: Record<Column, string> = { left: 'vm-a', right: 'vm-b' };

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * How often worker progress (trace events, migration figures, stats) reaches the store: ten
 * times a second reads as live and leaves most animation frames without work.
 */
const PROGRESS_MS = 100;

/** The latest the destination column's worker starts after the source's (see Lab). */
const DESTINATION_START_MS = 2000;

/**
 * When the hosts' inboxes are drained: both columns' progress in the same animation frame
 * (one render for both), at most every PROGRESS_MS; a hidden page, which gets no frames, on
 * the timer alone.
 */
class InboxScheduler {
  private hosts = new Set<{ drain(): void }>();
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** At the next animation frame. */
  soon(host: { drain(): void }): void {
    this.hosts.add(host);
    if (this.frame) return;
    if (this.timer !== null) clearTimeout(this.timer);
    if (typeof requestAnimationFrame === 'function') this.frame = requestAnimationFrame(() => { this.frame = 0; this.run(); });
    this.timer = setTimeout(() => { this.timer = null; this.run(); }, PROGRESS_MS);
  }

  /** At the first animation frame PROGRESS_MS from now (or from the last time). */
  later(host: { drain(): void }): void {
    this.hosts.add(host);
    if (this.frame || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (typeof document !== 'undefined' && document.hidden) this.run();
      else this.soon(host);
    }, PROGRESS_MS);
  }

  private run(): void {
    if (this.frame) { cancelAnimationFrame(this.frame); this.frame = 0; }
    if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
    const hosts = [...this.hosts];
    this.hosts.clear();
    for (const h of hosts) h.drain();
  }
}

const INBOXES = new InboxScheduler();

export class MachineHost {
  readonly store: InstanceStore;
  private worker: Worker | null = null;
  /** Messages posted before the worker was started, sent in order when it starts. */
  private queued: [ToWorker, Transferable[]][] = [];

  /**
   * With `start` false the worker is created by start(); what is posted before waits for it.
   * The page starts the destination's worker after the source's, so that the two do not
   * compete for the processor while the source starts.
   */
  constructor(readonly column: Column, readonly name: string, private onMessage: (msg: FromWorker) => void, start = true) {
    this.store = createInstanceStore(name);
    if (start) this.start();
  }

  /** Create the worker (once) and send it what was posted so far. */
  start(): void {
    if (this.worker) return;
    const worker = new Worker(new URL('../worker/machine.worker.ts', import.meta.url), {
      type: 'module',
      name: `machine ${this.name}`,
    });
    this.worker = worker;
    worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      recordError(this.store, `worker: ${ev.message || 'failed to load'}`);
    };
    worker.onmessageerror = () => recordError(this.store, 'worker: a message could not be deserialized');
    for (const [msg, transfer] of this.queued) worker.postMessage(msg, transfer);
    this.queued = [];
  }

  /** Worker events not yet in the store (see receive). */
  private inbox: FromWorker[] = [];

  /**
   * Worker events go into the store in batches, each batch as one change (the page renders
   * once for it however many messages the worker posted): console output at the next
   * animation frame, progress (trace events, migration figures, stats) at most every
   * PROGRESS_MS, anything else (runstate, errors, answers, a migration's end) at once, after
   * what came before it.
   */
  private receive(msg: FromWorker): void {
    this.inbox.push(msg);
    if (msg.type === 'serial') INBOXES.soon(this);
    else if (msg.type === 'trace' || msg.type === 'stats'
      || (msg.type === 'migration' && (msg.info.status === 'setup' || msg.info.status === 'active'))) INBOXES.later(this);
    else this.drain();
  }

  /** Everything received so far into the store, then to whoever waits for it. */
  drain(): void {
    const msgs = this.inbox;
    if (!msgs.length) return;
    this.inbox = [];
    applyWorkerMessages(this.store, msgs);
    for (const msg of msgs) {
      if (msg.type === 'snapshot' || msg.type === 'control') {
        const done = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        done?.(msg);
      }
      this.onMessage(msg);
    }
  }

  post(msg: ToWorker, transfer: Transferable[] = []): void {
    if (this.worker) this.worker.postMessage(msg, transfer);
    else this.queued.push([msg, transfer]);
  }

  private nextId = 1;
  private waiting = new Map<number, (msg: Extract<FromWorker, { type: 'snapshot' | 'control' }>) => void>();
  /** Requests of each kind still unanswered: a panel that polls never queues a second one. */
  private inFlight = new Map<SnapshotKind, Promise<Snapshot | null>>();

  /** Ask the worker for a snapshot; it also lands in the store (snapshots[kind]). */
  query(q: SnapshotQuery): Promise<Snapshot | null> {
    const same = this.inFlight.get(q.kind);
    if (same && q.kind !== 'memory') return same;
    const id = this.nextId++;
    const p = new Promise<Snapshot | null>((resolve, reject) => {
      this.waiting.set(id, (msg) => {
        if (msg.type !== 'snapshot') return;
        if (msg.error) reject(new Error(msg.error));
        else resolve(msg.snapshot);
      });
    }).finally(() => { if (this.inFlight.get(q.kind) === p) this.inFlight.delete(q.kind); });
    this.inFlight.set(q.kind, p);
    this.post({ type: 'query', id, query: q });
    return p;
  }

  /** stop / cont / step / system_reset; resolves to QEMU's error message or null. */
  control(op: VmControl): Promise<string | null> {
    return this.ask((id) => ({ type: 'control', id, op }));
  }

  /** device_add DRIVER,props; resolves to QEMU's error message or null. */
  deviceAdd(driver: string, props: Record<string, string>): Promise<string | null> {
    return this.ask((id) => ({ type: 'device-add', id, driver, props }));
  }

  /** device_del ID; resolves to QEMU's error message or null. */
  deviceDel(device: string): Promise<string | null> {
    return this.ask((id) => ({ type: 'device-del', id, device }));
  }

  /** object_add TYPE,props / object_del ID; resolve to QEMU's error message or null. */
  objectAdd(qomType: string, props: Record<string, string>): Promise<string | null> {
    return this.ask((id) => ({ type: 'object-add', id, qomType, props }));
  }

  objectDel(object: string): Promise<string | null> {
    return this.ask((id) => ({ type: 'object-del', id, object }));
  }

  /** Post a request answered by `control` with the same id: its error, or null. */
  private ask(make: (id: number) => ToWorker): Promise<string | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (msg) => resolve(msg.type === 'control' ? msg.error ?? null : null));
      this.post(make(id));
    });
  }
}

/** Whether a migration from `from` to the other column makes sense right now. */
type Migratable = Pick<InstanceState, 'ready' | 'runstate'>;

export function canMigrate(session: SessionState, from: Migratable, to: Migratable): boolean {
  return session.active === null && !session.guestLoading && from.ready && to.ready && from.runstate === 'running' && to.runstate !== 'running';
}

/** Whether migrate_cancel applies now: a migration is under way and its source is in setup/active. */
export function canCancel(session: SessionState, outgoing: Pick<MigrationInfo, 'status' | 'direction'> | null): boolean {
  if (!session.active || session.cancelRequested) return false;
  if (!outgoing || outgoing.direction !== 'outgoing') return true; // not reported yet: setup
  return outgoing.status === 'setup' || outgoing.status === 'active';
}

export class Lab {
  /** Active tabs and the stream inspector (kept in the URL hash by main.tsx). */
  readonly layout: LayoutStore = createLayoutStore();
  /** Light or dark (remembered in localStorage, else the system's preference). */
  readonly theme: ThemeStore = createThemeStore(browserThemeEnv());
  readonly session: SessionStore;
  /** The images the source booted: a destination is started with the same -kernel, -initrd, -append. */
  private booted: BootImages | null = null;
  /** Each guest's images, fetched once. */
  private images = new Map<string, Promise<BootImages>>();
  /** Bumped by every boot: a boot overtaken by a newer one (another guest picked) is dropped. */
  private bootSeq = 0;
  readonly hosts: Record<Column, MachineHost>;

  constructor(opts: { deterministic?: boolean; guest?: string } = {}) {
    this.session = createSessionStore(opts.guest);
    if (typeof window !== 'undefined' && window.matchMedia) {
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener?.('change', (e) => systemThemeChanged(this.theme, e.matches));
    }
    // The source's worker starts at once, the other column's when the source's first reports
    // (its machine exists, the interpreter is warmed up) or after DESTINATION_START_MS at most.
    const source = columnOf(this.session.getState(), 'source');
    const make = (c: Column) => new MachineHost(c, INSTANCE_NAMES[c], (msg) => {
      if (c === source) this.hosts[other(c)].start();
      this.watch(c, msg);
    }, c === source);
    this.hosts = { left: make('left'), right: make('right') };
    setTimeout(() => this.hosts[other(source)].start(), DESTINATION_START_MS);
    const machine = machineConfig(this.guest());
    for (const c of COLUMNS) {
      this.hosts[c].post({
        type: 'init',
        name: INSTANCE_NAMES[c],
        role: this.session.getState().roles[c],
        deterministic: opts.deterministic ?? false,
        ...machine,
      });
    }
  }

  /** The guest both machines are configured for. */
  guest(): GuestSpec {
    return guestById(this.session.getState().guest)!;
  }

  store(c: Column): InstanceStore {
    return this.hosts[c].store;
  }

  /** Fetch the guest's images (once) and boot them in `column`. */
  async boot(column: Column): Promise<void> {
    const seq = ++this.bootSeq;
    const host = this.hosts[column];
    const g = this.guest();
    setGuestLoading(this.session, true);
    let images = this.images.get(g.id);
    if (!images) {
      images = loadGuest(g);
      this.images.set(g.id, images);
    }
    try {
      const loaded = await images;
      if (seq !== this.bootSeq) return;
      this.booted = loaded;
      const { images: copy, transfer } = copyImages(loaded);
      host.post({ type: 'boot', ...copy }, transfer);
    } catch (e) {
      if (this.images.get(g.id) === images) this.images.delete(g.id); // try again next time
      if (seq === this.bootSeq) {
        recordError(host.store, `could not load the guest ${g.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      if (seq === this.bootSeq) setGuestLoading(this.session, false);
    }
  }

  /**
   * Pick the bundled guest: the source column gets a fresh machine configured for it (its -m
   * and caps) that boots it, the other column a fresh one configured the same, waiting as a
   * destination. Refused (false) while a migration is under way or for an unknown id.
   */
  selectGuest(id: string): boolean {
    if (!guestSelected(this.session, id)) return false;
    this.booted = null;
    const machine = machineConfig(this.guest());
    const source = columnOf(this.session.getState(), 'source');
    for (const c of [source, other(source)]) this.hosts[c].post({ type: 'recreate', machine });
    void this.boot(source);
    return true;
  }

  /**
   * Boot a program (a bare ELF, e.g. from the guest editor) in `column`'s machine: a fresh
   * machine configured for the current guest, the program as its -kernel; `paused` keeps it
   * in prelaunch (QEMU's -S) so that it can be stepped from its first instruction. Refused
   * (false) while a migration is under way.
   */
  runProgram(column: Column, elf: Uint8Array, paused = false): boolean {
    if (this.session.getState().active) return false;
    ++this.bootSeq; // a guest boot still fetching its images must not replace this one
    const images: BootImages = { elf: elf.slice().buffer };
    if (this.session.getState().roles[column] === 'source') this.booted = images;
    const host = this.hosts[column];
    host.post({ type: 'recreate', machine: machineConfig(this.guest()) });
    const { images: copy, transfer } = copyImages(images);
    host.post({ type: 'boot', paused, ...copy }, transfer);
    return true;
  }

  query(column: Column, q: SnapshotQuery): Promise<Snapshot | null> {
    return this.hosts[column].query(q);
  }

  control(column: Column, op: VmControl): Promise<string | null> {
    return this.hosts[column].control(op);
  }

  /** HMP device_add; resolves to QEMU's error message or null. */
  deviceAdd(column: Column, driver: string, props: Record<string, string>): Promise<string | null> {
    return this.hosts[column].deviceAdd(driver, props);
  }

  /** HMP device_del; resolves to QEMU's error message or null. */
  deviceDel(column: Column, device: string): Promise<string | null> {
    return this.hosts[column].deviceDel(device);
  }

  /** HMP object_add / object_del; resolve to QEMU's error message or null. */
  objectAdd(column: Column, qomType: string, props: Record<string, string>): Promise<string | null> {
    return this.hosts[column].objectAdd(qomType, props);
  }

  objectDel(column: Column, object: string): Promise<string | null> {
    return this.hosts[column].objectDel(object);
  }

  /** The breakpoints of the column's vCPU 0 (hex addresses). */
  setBreakpoints(column: Column, addrs: string[]): void {
    this.hosts[column].post({ type: 'breakpoints', addrs });
  }

  /** The write watchpoints of the column's vCPU 0 (guest-physical ranges). */
  setWatchpoints(column: Column, ranges: WatchRange[]): void {
    this.hosts[column].post({ type: 'watchpoints', ranges });
  }

  input(column: Column, data: string): void {
    this.hosts[column].post({ type: 'input', data });
  }

  canMigrate(from: Column): boolean {
    return canMigrate(this.session.getState(), this.store(from).getState(), this.store(other(from)).getState());
  }

  /**
   * Live-migrate the machine in `from` to the other column. The target is replaced by a
   * fresh machine waiting for the stream; the stream itself goes worker to worker over a
   * MessageChannel and never passes through this thread.
   */
  migrate(from: Column): void {
    if (!this.canMigrate(from)) return;
    const to = other(from);
    const src = this.hosts[from];
    const dst = this.hosts[to];
    migrationStarted(this.session, from);
    // A management layer starts the destination with the source's devices: the cores present
    // now (hot-plugged ones too) become its -device ...-spapr-cpu-core,core-id=K, and the
    // DIMMs its -object memory-backend-ram + -device pc-dimm at the same addresses.
    void Promise.all([this.query(from, { kind: 'cpu' }), this.query(from, { kind: 'memory-devices' })]).then(([snap, mem]) => {
      const cores = snap && snap.kind === 'cpu' ? snap.cpus?.map((c) => c.coreId) : undefined;
      const dimms = mem && mem.kind === 'memory-devices'
        ? mem.dimms.map((d) => ({ memdev: d.memdev, size: d.size, addr: d.addr, ...(d.id !== undefined ? { id: d.id } : {}) }))
        : undefined;
      const channel = new MessageChannel();
      // a fresh machine created as the source's was (-m, caps, cores, DIMMs), otherwise the
      // stream's RAM blocks or its per-core sections would not fit
      dst.post({ type: 'recreate', machine: machineConfig(this.guest(), { ...(cores && cores.length > 1 ? { coreIds: cores } : {}), dimms }) });
      // started with the same -kernel / -initrd / -append, so that a reset there boots the guest
      if (this.booted) {
        const { images, transfer } = copyImages(this.booted);
        dst.post({ type: 'incoming', port: channel.port2, ...images }, [channel.port2, ...transfer]);
      } else {
        dst.post({ type: 'incoming', port: channel.port2 }, [channel.port2]);
      }
      const params = { ...this.session.getState().params };
      src.post({ type: 'migrate', port: channel.port1, params }, [channel.port1]);
    });
  }

  /** Whether the migration under way can be cancelled (its source is in setup or active). */
  canCancel(): boolean {
    return canCancel(this.session.getState(), this.activeOutgoing());
  }

  private activeOutgoing() {
    const active = this.session.getState().active;
    return active ? this.store(active.from).getState().migration : null;
  }

  /** migrate_cancel on the source of the migration under way; the source keeps running. */
  cancel(): void {
    const active = this.session.getState().active;
    if (!active || !this.canCancel()) return;
    cancelRequested(this.session);
    this.hosts[active.from].post({ type: 'migrate-cancel' });
  }

  /**
   * migrate_set_parameter: kept for the next migration and, while one runs, sent to its
   * source at once. downtime-limit in ms, max-bandwidth in bytes/s.
   */
  setParameter(name: MigrationParamName, value: number): boolean {
    if (!setMigrationParam(this.session, name, value)) return false;
    const active = this.session.getState().active;
    if (active) this.hosts[active.from].post({ type: 'migrate-set-parameter', name, value });
    return true;
  }

  /** Ends the session's migration when its source reports a final status. */
  private watch(column: Column, msg: FromWorker): void {
    const active = this.session.getState().active;
    if (!active) return;
    if (column === active.from) {
      if (msg.type === 'migration' && msg.info.direction === 'outgoing' && TERMINAL.has(msg.info.status)) {
        migrationEnded(this.session);
      } else if (msg.type === 'error' && this.store(column).getState().migration === null) {
        // The migrate command itself failed: nothing is under way.
        migrationEnded(this.session);
      }
    } else if (column === active.to && msg.type === 'migration' && msg.info.direction === 'incoming'
      && msg.info.status === 'failed' && this.store(active.from).getState().runstate === 'running') {
      migrationEnded(this.session);
    }
  }
}
