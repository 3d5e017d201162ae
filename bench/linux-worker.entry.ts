// The boot loop of bench/linux.bench.ts's Node figures (bench/boot.ts's runGuest, deterministic)
// in a bare Web Worker: no page, no React, no xterm, no messages while it runs. linux.bench.ts
// bundles this with esbuild and runs it in Chromium, to tell the JS engine's speed from the page's
// cost. In: { kernel, initrd, append, prompt, ramSize, caps, runs }. Out: one { ms, insns, console }
// per boot, the first one in a fresh worker (the JIT starts cold), the next ones warmed up.

import { serveGuestRuns } from './boot';

serveGuestRuns();
