// The guest loop of bench/cpu.bench.ts's Node figures (bench/boot.ts's runGuest, deterministic:
// the cpu-workload guest from boot to RTAS power-off) in a bare Web Worker, no page and no
// messages while it runs. cpu.bench.ts bundles this with esbuild and runs it in Chromium.
// In: { kernel, ramSize, maxInsns, runs }. Out: one { ms, insns, console } per run, the first one
// in a fresh worker (the JIT starts cold), the next ones warmed up.

import { serveGuestRuns } from './boot';

serveGuestRuns();
