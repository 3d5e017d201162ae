// The guest run the CPU-speed benchmarks time, shared by Node and the bare Chromium worker
// (bench/*-worker.entry.ts, bundled by bench/browser.ts's bundleWorker): boot an ELF in a
// deterministic Instance and turn the main loop until the console ends with a prompt or, with
// no prompt, until the guest stops running (power-off). Nothing here may use Node's modules.

import { Instance } from '../src/core/instance';

export interface GuestJob {
  kernel: Uint8Array;
  initrd?: Uint8Array;
  append?: string;
  /** Stop when the console ends with this; without it, when the guest leaves 'running'. */
  prompt?: string;
  ramSize?: number;
  caps?: Array<number | undefined>;
  /** Give up after this many guest instructions (a guest that never gets there). */
  maxInsns?: number;
}

export interface GuestRun {
  inst: Instance;
  /** Guest instructions (machine.cpu.state.insnCount), wall time from boot() to the end. */
  insns: number;
  ms: number;
  console: string;
}

/** One run of `job` (deterministic: the same instructions every time, whatever the host). */
export function runGuest(job: GuestJob, deterministic = true, name = 'source'): GuestRun {
  const inst = new Instance({ name, deterministic, ramSize: job.ramSize, caps: job.caps });
  const chunks: string[] = [];
  let tail = '';
  inst.onSerial = (t) => { chunks.push(t); tail = (tail + t).slice(-64); };
  const t0 = performance.now();
  inst.boot(job.kernel, { initrd: job.initrd, append: job.append });
  const cpu = inst.machine.cpu.state;
  const max = job.maxInsns ?? Infinity;
  const prompt = job.prompt;
  while (inst.runstate() === 'running' && !(prompt !== undefined && tail.endsWith(prompt)) && cpu.insnCount < max) inst.turn();
  return { inst, insns: cpu.insnCount, ms: performance.now() - t0, console: chunks.join('') };
}

/** What a bare worker is sent: a GuestJob with the images as ArrayBuffers, and how many runs. */
export interface WorkerGuestJob extends Omit<GuestJob, 'kernel' | 'initrd'> {
  kernel: ArrayBuffer;
  initrd?: ArrayBuffer;
  runs: number;
}

/** What a bare worker posts back, once per run. */
export interface WorkerGuestRun { ms: number; insns: number; console: string }

/**
 * A bare worker's body: on its message, `runs` runs of the job, each posted as a
 * WorkerGuestRun (the first with the JIT cold, the next ones warmed up), nothing while they run.
 */
export function serveGuestRuns(): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  scope.onmessage = (ev: MessageEvent<WorkerGuestJob>) => {
    const { kernel, initrd, runs, ...rest } = ev.data;
    const job: GuestJob = { ...rest, kernel: new Uint8Array(kernel), initrd: initrd && new Uint8Array(initrd) };
    for (let r = 0; r < runs; r++) {
      const { ms, insns, console } = runGuest(job);
      scope.postMessage({ ms, insns, console } satisfies WorkerGuestRun);
    }
  };
}
