// The page's side of the two machines: one worker per column, their stores, and the
// commands the UI can give (boot, keyboard input, migrate). Worker events go straight into
// the stores; nothing here looks inside a machine.

import type { FromWorker, ToWorker } from '../worker/protocol';
import { applyWorkerMessage, createInstanceStore, recordError, type InstanceState, type InstanceStore } from '../store/instance';
import {
  COLUMNS, createSessionStore, migrationEnded, migrationStarted, other,
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
      onMessage(ev.data);
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
}

/** Whether a migration from `from` to the other column makes sense right now. */
type Migratable = Pick<InstanceState, 'ready' | 'runstate'>;

export function canMigrate(session: SessionState, from: Migratable, to: Migratable): boolean {
  return session.active === null && from.ready && to.ready && from.runstate === 'running' && to.runstate !== 'running';
}

export class Lab {
  readonly session: SessionStore = createSessionStore();
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
      host.post({ type: 'boot', elf }, [elf]);
    } catch (e) {
      recordError(host.store, `could not load the guest image ${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
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
    dst.post({ type: 'incoming', port: channel.port2 }, [channel.port2]);
    src.post({ type: 'migrate', port: channel.port1 }, [channel.port1]);
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
