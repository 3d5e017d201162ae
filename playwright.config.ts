// Browser tests: Playwright Test driving Debian's Chromium (never a downloaded browser).
// `npm test` builds the app and passes the port and report path; run directly
// (`npx playwright test`) the web server builds first and picks its own free port.

import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs';

/** A free port, chosen once: worker processes inherit it through the environment. */
function port(): number {
  if (!process.env.PSERIES_E2E_PORT) {
    const script =
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
    process.env.PSERIES_E2E_PORT = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
  }
  return Number(process.env.PSERIES_E2E_PORT);
}

const PORT = port();
const BASE_URL = `http://127.0.0.1:${PORT}/`;
const vite = 'node node_modules/vite/bin/vite.js';
const serve = `${vite} preview --host 127.0.0.1 --port ${PORT} --strictPort`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 180_000,
  globalTimeout: 900_000,
  expect: { timeout: 30_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PSERIES_E2E_REPORT ?? 'test-results/playwright.json' }],
  ],
  use: {
    baseURL: BASE_URL,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: process.env.PSERIES_E2E_BUILT ? serve : `${vite} build && ${serve}`,
    url: BASE_URL,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
