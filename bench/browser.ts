// What the Chromium benchmarks share: build the app, serve it with `vite preview`, open
// Debian's Chromium on a fresh profile (nothing compiled or cached from an earlier run), and
// run a guest in a bare worker (bench/boot.ts's loop, no page, no app).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { freePort, root } from '../scripts/proc.mjs';
import type { WorkerGuestJob, WorkerGuestRun } from './boot';

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

/** A worker entry (bench/*-worker.entry.ts) bundled with esbuild into one ES module. */
export async function bundleWorker(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const bundle = await build({
    entryPoints: [join(root, entry)], bundle: true, format: 'esm', write: false, target: 'es2022', logLevel: 'error',
  });
  return bundle.outputFiles[0].text;
}

/**
 * `job.runs` runs of a guest in a bare worker (`code`: a bundled entry calling bench/boot.ts's
 * serveGuestRuns) of a fresh Chromium: an empty page on a made-up origin fetches the images,
 * starts the worker and hands them over. Returns each run's figures, the first with a cold JIT.
 */
export async function bareWorkerRuns(code: string, job: Omit<WorkerGuestJob, 'kernel' | 'initrd'>,
  images: { kernel: Uint8Array; initrd?: Uint8Array }): Promise<WorkerGuestRun[]> {
  const context = await freshBrowser();
  try {
    await context.route('http://bench.invalid/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/worker.js') return route.fulfill({ body: code, contentType: 'text/javascript' });
      if (path === '/kernel') return route.fulfill({ body: Buffer.from(images.kernel), contentType: 'application/octet-stream' });
      if (path === '/initrd' && images.initrd) return route.fulfill({ body: Buffer.from(images.initrd), contentType: 'application/octet-stream' });
      return route.fulfill({ body: '<!doctype html><title>bench</title>', contentType: 'text/html' });
    });
    const page = await context.newPage();
    await page.goto('http://bench.invalid/');
    // no named functions in here: tsx would wrap them in a helper the page does not have
    return await page.evaluate(async ({ j, withInitrd }) => {
      const kernel = await (await fetch('/kernel')).arrayBuffer();
      const initrd = withInitrd ? await (await fetch('/initrd')).arrayBuffer() : undefined;
      return new Promise<WorkerGuestRun[]>((resolve, reject) => {
        const w = new Worker('/worker.js', { type: 'module' });
        const got: WorkerGuestRun[] = [];
        w.onerror = (e) => reject(new Error(e.message));
        w.onmessage = (e) => { got.push(e.data); if (got.length === j.runs) resolve(got); };
        w.postMessage({ ...j, kernel, initrd }, initrd ? [kernel, initrd] : [kernel]);
      });
    }, { j: job, withInitrd: images.initrd !== undefined });
  } finally {
    await context.close();
  }
}
