// The boot loop of bench/linux.bench.ts's Node figures (nodeBoot, deterministic) in a bare
// Web Worker: no page, no React, no xterm, no messages while it runs. linux.bench.ts bundles
// this with esbuild and runs it in Chromium, to tell the JS engine's speed from the page's cost.
// In: { kernel, initrd, append, prompt, ramSize, caps, runs }. Out: one { ms, insns } per boot,
// the first one in a fresh worker (the JIT starts cold), the next ones warmed up.

import { Instance } from '../src/core/instance';

interface Job {
  kernel: ArrayBuffer; initrd: ArrayBuffer; append: string; prompt: string;
  ramSize: number; caps: Array<number | undefined>; runs: number;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (ev: MessageEvent<Job>) => {
  const j = ev.data;
  const kernel = new Uint8Array(j.kernel);
  const initrd = new Uint8Array(j.initrd);
  for (let r = 0; r < j.runs; r++) {
    const t0 = performance.now();
    const inst = new Instance({ name: 'source', deterministic: true, ramSize: j.ramSize, caps: j.caps });
    let out = '';
    inst.onSerial = (t) => { out = (out + t).slice(-64); };
    inst.boot(kernel, { initrd, append: j.append });
    while (!out.endsWith(j.prompt) && inst.runstate() === 'running') inst.turn();
    scope.postMessage({ ms: performance.now() - t0, insns: inst.machine.cpu.state.insnCount });
  }
};
