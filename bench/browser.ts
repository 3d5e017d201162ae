// What the Chromium benchmarks share: build the app, serve it with `vite preview`, and open
// Debian's Chromium on a fresh profile (nothing compiled or cached from an earlier run).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { freePort, root } from '../scripts/proc.mjs';

export interface PreviewServer { url: string; close(): void }

/** vite build, then vite preview on a free port. */
export async function buildAndServe(): Promise<PreviewServer> {
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`vite build failed (${build.error?.message ?? `exit ${build.status}`})`);
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: root, stdio: 'ignore' });
  return { url: `http://127.0.0.1:${port}/`, close: () => { server.kill(); } };
}

/** A headless Chromium with a fresh profile directory. */
export function freshBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'pseries-lab-bench-')), {
    executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS,
  });
}
