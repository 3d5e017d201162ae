// Precopy live migration (migration/migration.c, QEMU 7.2), as steps of the main loop.
//
// Source:  setup (header, configuration, START of ram and spapr/htab) -> active (PART
//          sections while the guest keeps running and dirtying pages) -> when what is left
//          fits in the downtime limit at the bandwidth: global_state_store, running ->
//          finish-migrate, END + FULL sections, EOF, vmdesc -> completed, finish-migrate ->
//          postmigrate. On failure the source goes back to running; nothing is lost.
// Destination: prelaunch -> inmigrate; chunks are loaded as they arrive; after EOF the
//          globalstate decides: inmigrate -> running (or the state the source was in).

import type { MainLoop } from '../mainloop';
import type { MigrationInfo, MigrationStatus } from '../../worker/protocol';
import { spaprRegisterVmstate, type SpaprMigrationState } from '../spapr/vmstate';
import { QEMUFileWriter } from '../vmstate/qemufile';
import {
  LoadError, MigrationLoader, SaveVMRegistry, qemu_savevm_state_cleanup,
  qemu_savevm_state_complete_precopy, qemu_savevm_state_header, qemu_savevm_state_iterate,
  qemu_savevm_state_pending, qemu_savevm_state_setup,
} from '../vmstate/savevm';
import { RATE_WINDOW_MS, RateLimiter } from './ratelimit';
import type { StreamReceiver, StreamSender } from './transport';

export interface MigrationParameters {
  /** downtime-limit, ms (QEMU default 300). */
  downtimeLimitMs: number;
  /** max-bandwidth, bytes/s (QEMU default 128 MiB/s). */
  maxBandwidth: number;
  /** RAM pages one main-loop turn may send. */
  pagesPerStep: number;
  /**
   * Deterministic runs: do the stop-and-copy when the source's virtual clock reaches this many
   * ns (at the first migration step from then on), whatever is left to send. This is how a
   * scenario chooses where in the guest's run the migration completes.
   */
  completeAtNs?: number;
}

export const DEFAULT_MIGRATION_PARAMETERS: MigrationParameters = {
  downtimeLimitMs: 300,
  maxBandwidth: 128 * 1024 * 1024,
  pagesPerStep: 1024,
};

abstract class MigrationBase {
  status: MigrationStatus = 'none';
  onInfo: (i: MigrationInfo) => void = () => {};
  onWake: () => void = () => {};
  protected mig!: SpaprMigrationState;
  protected readonly params: MigrationParameters;
  protected dirtyPerIteration: number[] = [];
  /** Stream bandwidth of each iteration, MiB/s (same indices as dirtyPerIteration). */
  protected bandwidthPerIteration: number[] = [];
  protected downtimeMs?: number;
  protected error?: string;

  constructor(protected loop: MainLoop, params: Partial<MigrationParameters>, private direction: 'outgoing' | 'incoming') {
    this.params = { ...DEFAULT_MIGRATION_PARAMETERS, ...params };
  }

  get active(): boolean {
    return this.status === 'setup' || this.status === 'active';
  }

  protected setStatus(s: MigrationStatus): void {
    this.status = s;
    this.loop.trace('migrate_set_state', `new state ${s}`);
    this.publish();
  }

  /** Extra `info migrate` figures; the source fills them in. */
  protected figures(): Partial<MigrationInfo> { return {}; }

  protected publish(): void {
    const st = this.mig?.ram.stats;
    this.onInfo({
      ...this.figures(),
      status: this.status,
      direction: this.direction,
      pagesSent: st ? st.normalPages + st.zeroPages : 0,
      zeroPages: st ? st.zeroPages : 0,
      dirtyPerIteration: [...this.dirtyPerIteration],
      bandwidthPerIteration: [...this.bandwidthPerIteration],
      bytes: st ? st.bytes : 0,
      downtimeMs: this.downtimeMs,
      error: this.error,
      ...(this.direction === 'outgoing' && this.mig
        ? { resentHeat: Array.from(this.mig.ram.resent), heatPagesPerCell: this.mig.ram.heatPagesPerCell }
        : {}),
    });
  }

  protected register(): void {
    this.mig = spaprRegisterVmstate(this.loop.machine, new SaveVMRegistry());
  }
}

export class OutgoingMigration extends MigrationBase {
  private w = new QEMUFileWriter();
  private wasRunning = false;
  private startMs = 0;
  private setupMs?: number;
  private endMs?: number;
  /** Dirty pages seen at each pass over RAM, and when, for dirty-pages-rate. */
  private lastRound = { rounds: 0, t: 0, dirtied: 0 };
  private dirtyRate = 0;

  /**
   * max-bandwidth paces the sending in wall time (real-time runs only: a deterministic run's
   * scenario decides itself where the stop-and-copy happens, and its virtual clock may stand
   * still while the VM is stopped).
   */
  private limiter: RateLimiter | null = null;
  /** Stream bytes written so far. */
  private sentBytes = 0;
  /** When the previous iteration (or the setup) ended, and the stream bytes written by then. */
  private iterationEnd = { t: 0, bytes: 0 };
  /**
   * migration_update_counters (real-time runs): every BUFFER_DELAY the bandwidth measured
   * since the previous update times downtime-limit gives threshold_size, 0 until then.
   */
  private counters = { t0: 0, bytes0: 0, threshold: 0 };

  /** migrate_set_parameter downtime-limit (ms) / max-bandwidth (bytes/s), also while migrating. */
  setParameter(name: 'downtime-limit' | 'max-bandwidth', value: number): void {
    if (name === 'downtime-limit') this.params.downtimeLimitMs = value;
    else {
      this.params.maxBandwidth = value;
      this.limiter?.setBandwidth(value);
      this.onWake();
    }
    this.publish();
  }

  protected override figures(): Partial<MigrationInfo> {
    if (!this.mig) return {};
    const st = this.mig.ram.stats;
    const now = this.endMs ?? nowMs();
    const total = this.mig.ram.ram_bytes_total();
    const remaining = this.status === 'completed' ? 0 : this.mig.ram.dirtyPages() * 4096;
    const elapsed = Math.max(now - this.startMs, 1e-3);
    const bps = (st.bytes * 1000) / elapsed;
    const bw = bps > 0 ? Math.min(bps, this.params.maxBandwidth) : this.params.maxBandwidth;
    return {
      ramTransferred: st.bytes,
      ramRemaining: remaining,
      ramTotal: total,
      dirtyPagesRate: Math.round(this.dirtyRate),
      iterations: st.rounds + 1,
      setupTimeMs: this.setupMs,
      totalTimeMs: now - this.startMs,
      expectedDowntimeMs: (remaining * 1000) / bw,
      mbps: (bps * 8) / 1e6,
      downtimeLimitMs: this.params.downtimeLimitMs,
      maxBandwidth: this.params.maxBandwidth,
    };
  }

  constructor(loop: MainLoop, private tx: StreamSender, params: Partial<MigrationParameters> = {}) {
    super(loop, params, 'outgoing');
    if (!loop.deterministic) this.limiter = new RateLimiter(this.params.maxBandwidth, nowMs);
    tx.onWritable = () => this.onWake();
    tx.onPeerError = (m) => this.fail(`destination: ${m}`);
  }

  start(): void {
    this.startMs = nowMs();
    this.counters = { t0: this.startMs, bytes0: 0, threshold: 0 };
    this.lastRound = { rounds: 0, t: this.startMs, dirtied: 0 };
    this.register();
    this.setStatus('setup');
    const m = this.loop.machine;
    qemu_savevm_state_header(this.w, { machineName: m.machineType });
    this.loop.trace('savevm_state_header');
    this.loop.trace('savevm_state_setup');
    const ret = qemu_savevm_state_setup(this.w, this.mig.registry);
    if (ret < 0) return this.fail(`setup failed (${ret})`);
    this.flush();
    this.setupMs = nowMs() - this.startMs;
    this.iterationEnd = { t: nowMs(), bytes: this.sentBytes };
    this.setStatus('active');
  }

  private flush(): void {
    if (!this.w.length) return;
    const chunk = this.w.take();
    this.sentBytes += chunk.length;
    this.limiter?.note(chunk.length);
    this.tx.send(chunk);
  }

  /** One migration step; returns 0 when it has more to do now, Infinity when it waits. */
  step(): number {
    if (this.status !== 'active') return Infinity;
    if (!this.tx.canSend()) return Infinity;
    const wait = this.limiter?.waitMs() ?? 0;
    if (wait > 0) return wait;
    const pending = qemu_savevm_state_pending(this.mig.registry);
    const threshold = this.thresholdSize();
    const hold = this.params.completeAtNs;
    if (hold === undefined ? pending <= threshold : this.loop.clock.ns() >= hold) {
      this.complete();
      return Infinity;
    }
    if (pending === 0) return Infinity; // held: nothing dirty to send yet
    const ret = qemu_savevm_state_iterate(this.w, this.mig.registry, this.params.pagesPerStep);
    if (ret < 0) {
      this.fail(`iterate failed (${ret})`);
      return Infinity;
    }
    // Dirty pages left after each iteration (a PART round), as the migration bar charts it.
    const dirty = this.mig.ram.dirtyPages();
    this.dirtyPerIteration.push(dirty);
    const st = this.mig.ram.stats;
    if (st.rounds !== this.lastRound.rounds) {
      // a pass over RAM ended: pages dirtied since the previous one, per second
      const t = nowMs();
      if (this.lastRound.rounds > 0 && t > this.lastRound.t) this.dirtyRate = (dirty * 1000) / (t - this.lastRound.t);
      this.lastRound = { rounds: st.rounds, t, dirtied: dirty };
    }
    this.flush();
    this.noteIterationBandwidth();
    this.publish();
    return 0;
  }

  /**
   * The bandwidth of the iteration that just ended (pushed beside its dirtyPerIteration
   * entry): the stream bytes it wrote over the wall time since the previous one ended, MiB/s.
   */
  private noteIterationBandwidth(): void {
    const t = nowMs();
    const bytes = this.sentBytes - this.iterationEnd.bytes;
    const ms = Math.max(t - this.iterationEnd.t, 1e-3);
    this.bandwidthPerIteration.push((bytes * 1000) / ms / (1024 * 1024));
    this.iterationEnd = { t, bytes: this.sentBytes };
  }

  /**
   * The pending size under which the stop-and-copy starts. Deterministic runs use
   * max-bandwidth (their virtual clock does not measure the transfer); real-time runs measure
   * the bandwidth as QEMU does.
   */
  private thresholdSize(): number {
    if (this.loop.deterministic) return (this.params.maxBandwidth * this.params.downtimeLimitMs) / 1000;
    const c = this.counters;
    const now = nowMs();
    if (now - c.t0 >= RATE_WINDOW_MS) {
      const bandwidth = (this.sentBytes - c.bytes0) / (now - c.t0); // bytes per ms
      c.threshold = bandwidth * this.params.downtimeLimitMs;
      c.t0 = now;
      c.bytes0 = this.sentBytes;
    }
    return c.threshold;
  }

  /** migration_completion() */
  private complete(): void {
    const loop = this.loop;
    const t0 = nowMs();
    this.wasRunning = loop.runstate.isRunning();
    this.mig.globalState.store(loop.runstate.current);
    loop.vmStop('finish-migrate');
    loop.trace('migration_completion_vm_stop', 'ret 0');
    loop.trace('savevm_state_complete_precopy');
    const res = qemu_savevm_state_complete_precopy(this.w, this.mig.registry);
    if (res.ret < 0) {
      for (const l of res.errors.format('')) loop.log(l);
      this.fail(`saving device state failed (${res.ret})`);
      return;
    }
    this.dirtyPerIteration.push(0);
    this.flush();
    this.tx.close();
    this.endMs = nowMs();
    this.downtimeMs = this.endMs - t0;
    // the stop-and-copy's own bandwidth: what it wrote over the downtime
    this.iterationEnd.t = t0;
    this.noteIterationBandwidth();
    this.cleanup();
    this.setStatus('completed');
    loop.setRunstate('postmigrate');
  }

  private cleanup(): void {
    qemu_savevm_state_cleanup(this.mig.registry);
    this.loop.machine.ram.logDirty = false;
    this.loop.trace('savevm_state_cleanup');
  }

  /**
   * migrate_cancel: cancelling, then cancelled; the stream is cut (the destination sees it
   * end early and fails), the source keeps its runstate: a running guest never stopped.
   */
  cancel(): void {
    if (!this.active) return;
    this.setStatus('cancelling');
    this.error = undefined;
    this.tx.fail('cancelled');
    this.cleanup();
    this.setStatus('cancelled');
  }

  /** The migration fails: the source resumes if it was running (nothing of the guest is lost). */
  fail(reason: string): void {
    if (!this.active) return;
    this.error = reason;
    this.tx.fail(reason);
    this.cleanup();
    this.setStatus('failed');
    if (this.loop.runstate.current === 'finish-migrate') {
      if (this.wasRunning) this.loop.vmStart();
      else this.loop.setRunstate('postmigrate');
    }
    this.loop.log(`migration failed: ${reason}`);
  }
}

export class IncomingMigration extends MigrationBase {
  private queue: Uint8Array[] = [];
  private closed = false;
  private peerError: string | null = null;
  private loader!: MigrationLoader;

  constructor(loop: MainLoop, private rx: StreamReceiver, params: Partial<MigrationParameters> = {}) {
    super(loop, params, 'incoming');
    rx.onChunk = (c) => { this.queue.push(c); this.onWake(); };
    rx.onClose = () => { this.closed = true; this.onWake(); };
    rx.onError = (reason) => { this.peerError = reason; this.onWake(); };
  }

  /** -incoming: a freshly reset machine waits in inmigrate. */
  start(): void {
    const loop = this.loop;
    loop.systemReset();
    loop.setRunstate('inmigrate');
    this.register();
    this.loader = new MigrationLoader(this.mig.registry, { machineName: loop.machine.machineType });
    this.setStatus('active');
    loop.trace('loadvm_state_setup');
  }

  step(): number {
    if (this.status !== 'active') return Infinity;
    while (this.queue.length) {
      const chunk = this.queue.shift()!;
      const res = this.loader.feed(chunk);
      this.rx.ack();
      if (res instanceof LoadError) return this.fail(res);
      if (res === 'eof') return this.finish();
    }
    if (this.peerError !== null) {
      this.loop.log(`source: ${this.peerError}`);
      return this.fail(this.loader.finish());
    }
    if (this.closed) {
      const res = this.loader.finish();
      return res instanceof LoadError ? this.fail(res) : this.finish();
    }
    this.publish();
    return Infinity;
  }

  /** process_incoming_migration_bh */
  private finish(): number {
    const loop = this.loop;
    loop.trace('qemu_loadvm_state_post_main', '0');
    loop.trace('loadvm_state_cleanup');
    const g = this.mig.globalState;
    if (!g.received || g.state === 'running') loop.vmStart();
    else if (g.state) loop.setRunstate(g.state);
    this.setStatus('completed');
    return 0;
  }

  private fail(res: LoadError | 'eof' | 'more'): number {
    const err = res instanceof LoadError ? res : null;
    for (const line of err ? err.format('') : ['load of migration failed: Input/output error']) this.loop.log(line);
    this.error = err ? err.message : 'load of migration failed: Input/output error';
    this.rx.reportError(this.error);
    this.setStatus('failed');
    // QEMU 7.2's destination exits here; this machine stops and keeps what it has.
    this.loop.die(this.error, false);
    return Infinity;
  }
}

function nowMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}


/** HMP `info migrate` lines for one MigrationInfo (QEMU 7.2's wording, the fields we have). */
export function formatInfoMigrate(i: MigrationInfo): string[] {
  const kb = (b: number | undefined) => `${Math.round((b ?? 0) / 1024)} kbytes`;
  const out = [`Migration status: ${i.status}`];
  if (i.totalTimeMs !== undefined) out.push(`total time: ${Math.round(i.totalTimeMs)} ms`);
  if (i.status === 'completed' && i.downtimeMs !== undefined) out.push(`downtime: ${Math.round(i.downtimeMs)} ms`);
  if (i.status === 'active' && i.expectedDowntimeMs !== undefined) out.push(`expected downtime: ${Math.round(i.expectedDowntimeMs)} ms`);
  if (i.setupTimeMs !== undefined) out.push(`setup: ${Math.round(i.setupTimeMs)} ms`);
  if (i.pagesSent > 0 || i.ramTransferred !== undefined) {
    out.push(`transferred ram: ${kb(i.ramTransferred ?? i.bytes)}`);
    out.push(`throughput: ${(i.mbps ?? 0).toFixed(2)} mbps`);
    out.push(`remaining ram: ${kb(i.ramRemaining)}`);
    out.push(`total ram: ${kb(i.ramTotal)}`);
    out.push(`duplicate: ${i.zeroPages} pages`);
    out.push(`skipped: 0 pages`);
    out.push(`normal: ${i.pagesSent - i.zeroPages} pages`);
    out.push(`normal bytes: ${kb((i.pagesSent - i.zeroPages) * 4096)}`);
    out.push(`dirty sync count: ${i.iterations ?? 0}`);
    out.push('page size: 4 kbytes');
    if (i.dirtyPagesRate) out.push(`dirty pages rate: ${i.dirtyPagesRate} pages`);
  }
  return out;
}

/** HMP `info migrate_parameters`, the lines for the parameters this migration has. */
export function formatMigrateParameters(p: { downtimeLimitMs: number; maxBandwidth: number }): string[] {
  return [`downtime-limit: ${p.downtimeLimitMs} ms`, `max-bandwidth: ${p.maxBandwidth} bytes/second`];
}
