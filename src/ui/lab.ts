// The page's side of the two machines: one worker per column, their stores, and the
// commands the UI can give (boot, keyboard input, migrate). Worker events go straight into
// the stores; nothing here looks inside a machine.

import type { FromWorker, MigrationInfo, MigrationParamName, Snapshot, SnapshotKind, SnapshotQuery, ToWorker, VmControl } from '../worker/protocol';
import { createLayoutStore, type LayoutStore } from '../store/layout';
import { applyWorkerMessage, createInstanceStore, recordError, type InstanceState, type InstanceStore } from '../store/instance';
import {
  COLUMNS, cancelRequested, createSessionStore, migrationEnded, migrationStarted, other, setMigrationParam,
  type Column, type SessionState, type SessionStore,
} from '../store/session';

export const GUEST_URL = `${import.meta.env.BASE_URL}guests/hello.elf`;

export const INSTANCE_NAMES: Record<Column, string> = { left: 'vm-a', right: 'vm-b' };

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export class MachineHost {
  readonly store: InstanceStore;
  private worker: Worker;

  constructor(readonly column: Column, readonly name: string, onMessage: (msg: FromWorker) => void) {
    this.store = createInstanceStore(name);
    this.worker = new Worker(new URL('../worker/machine.worker.ts', import.meta.url), {
      type: 'module',
      name: `machine ${name}`,
    });
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      applyWorkerMessage(this.store, ev.data);
      const msg = ev.data;
      if (msg.type === 'snapshot' || msg.type === 'control') {
        const done = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        done?.(msg);
      }
      onMessage(msg);
    };
    this.worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      recordError(this.store, `worker: ${ev.message || 'failed to load'}`);
    };
    this.worker.onmessageerror = () => recordError(this.store, 'worker: a message could not be deserialized');
  }

  post(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
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
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (msg) => resolve(msg.type === 'control' ? msg.error ?? null : null));
      this.post({ type: 'control', id, op });
    });
  }

  /** device_add DRIVER,props; resolves to QEMU's error message or null. */
  deviceAdd(driver: string, props: Record<string, string>): Promise<string | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (msg) => resolve(msg.type === 'control' ? msg.error ?? null : null));
      this.post({ type: 'device-add', id, driver, props });
    });
  }
}

/** Whether a migration from `from` to the other column makes sense right now. */
type Migratable = Pick<InstanceState, 'ready' | 'runstate'>;

export function canMigrate(session: SessionState, from: Migratable, to: Migratable): boolean {
  return session.active === null && from.ready && to.ready && from.runstate === 'running' && to.runstate !== 'running';
}

/** Whether migrate_cancel applies now: a migration is under way and its source is in setup/active. */
export function canCancel(session: SessionState, outgoing: Pick<MigrationInfo, 'status' | 'direction'> | null): boolean {
  if (!session.active || session.cancelRequested) return false;
  if (!outgoing || outgoing.direction !== 'outgoing') return true; // not reported yet: setup
  return outgoing.status === 'setup' || outgoing.status === 'active';
}

export class Lab {
  readonly session: SessionStore = createSessionStore();
  /** Active tabs and the stream inspector (kept in the URL hash by main.tsx). */
  readonly layout: LayoutStore = createLayoutStore();
  /** The bundled guest the page booted: a destination is started with the same -kernel. */
  private guestElf: ArrayBuffer | null = null;
  readonly hosts: Record<Column, MachineHost>;

  constructor(opts: { deterministic?: boolean } = {}) {
    const make = (c: Column) => new MachineHost(c, INSTANCE_NAMES[c], (msg) => this.watch(c, msg));
    this.hosts = { left: make('left'), right: make('right') };
    for (const c of COLUMNS) {
      this.hosts[c].post({
        type: 'init',
        name: INSTANCE_NAMES[c],
        role: this.session.getState().roles[c],
        deterministic: opts.deterministic ?? false,
      });
    }
  }

  store(c: Column): InstanceStore {
    return this.hosts[c].store;
  }

  /** Fetch the guest and boot it in `column`. */
  async boot(column: Column, url = GUEST_URL): Promise<void> {
    const host = this.hosts[column];
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      const elf = await res.arrayBuffer();
      this.guestElf = elf.slice(0);
      host.post({ type: 'boot', elf }, [elf]);
    } catch (e) {
      recordError(host.store, `could not load the guest image ${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
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

  /** The breakpoints of the column's vCPU 0 (hex addresses). */
  setBreakpoints(column: Column, addrs: string[]): void {
    this.hosts[column].post({ type: 'breakpoints', addrs });
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
    const channel = new MessageChannel();
    dst.post({ type: 'recreate' });
    // the destination is started with the same -kernel, so that a reset there boots the guest
    const elf = this.guestElf?.slice(0);
    dst.post({ type: 'incoming', port: channel.port2, elf }, elf ? [channel.port2, elf] : [channel.port2]);
    const params = { ...this.session.getState().params };
    src.post({ type: 'migrate', port: channel.port1, params }, [channel.port1]);
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
