// npm test: unit tests (Vitest) and browser tests (Playwright driving Debian's Chromium),
// then one summary line over both suites:
//   N passed, N failed[, N skipped]
// Counts come from each runner's JSON report. A suite that could not run, crashed, or
// exited non-zero without reporting a failed test counts as (at least) one failure, never
// as 0/0. Exit status is non-zero whenever anything failed.

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, root, run } from './proc.mjs';

const node = process.execPath;
const bin = (...p) => join(root, 'node_modules', ...p);
const reports = join(root, 'test-results');
const vitestReport = join(reports, 'vitest.json');
const e2eReport = join(reports, 'playwright.json');

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** @typedef {{ suite: string, passed: number, failed: number, skipped: number, note?: string }} Tally */

/** A suite that did not produce a usable report. */
function crashed(suite, note) {
  return { suite, passed: 0, failed: 1, skipped: 0, note };
}

/** Vitest's JSON reporter (Jest-compatible shape). */
function tallyVitest(code) {
  const r = readJson(vitestReport);
  if (!r || typeof r.numTotalTests !== 'number') return crashed('vitest', `no report (exit ${code})`);
  const t = {
    suite: 'vitest',
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
  };
  // A test file that failed to load has no failed test in it: count the file.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  if (brokenFiles) { t.failed += brokenFiles; t.note = `${brokenFiles} test file(s) failed to run`; }
  if (code !== 0 && t.failed === 0) { t.failed = 1; t.note = `vitest exited with code ${code}`; }
  if (t.passed + t.failed === 0) { t.failed = 1; t.note = 'no tests ran'; }
  return t;
}

/** Playwright's JSON reporter. */
function tallyPlaywright(code) {
  const r = readJson(e2eReport);
  if (!r || !r.stats) return crashed('e2e', `no report (exit ${code})`);
  const s = r.stats;
  const t = {
    suite: 'e2e',
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: s.unexpected ?? 0,
    skipped: s.skipped ?? 0,
  };
  const errors = r.errors ?? [];
  if (errors.length && t.failed === 0) {
    t.failed = 1;
    t.note = String(errors[0].message ?? 'global error').split('\n')[0];
  }
  if (code !== 0 && t.failed === 0) { t.failed = 1; t.note = `playwright exited with code ${code}`; }
  if (t.passed + t.failed === 0) { t.failed = 1; t.note = 'no tests ran'; }
  return t;
}

function banner(text) {
  console.log(`\n=== ${text} ===`);
}

// ---------------------------------------------------------------------------------------

/** @type {Tally[]} */
const tallies = [];

banner('dependencies');
const depsCode = await run(node, [join(root, 'scripts', 'ensure-deps.mjs')]);
if (depsCode !== 0) {
  console.error('pseries-lab: dependencies could not be installed; no suite can run');
  console.log('0 passed, 2 failed');
  process.exit(1);
}

mkdirSync(reports, { recursive: true });
rmSync(vitestReport, { force: true });
rmSync(e2eReport, { force: true });

banner('unit tests (vitest)');
const vitestCode = await run(node, [
  bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestReport}`,
]);
tallies.push(tallyVitest(vitestCode));

banner('browser tests (playwright + chromium)');
const { findChromium } = await import('./chromium.mjs');
let chromium = null;
try {
  chromium = findChromium({ onMissing: 'throw' });
  console.log(`pseries-lab: chromium at ${chromium}`);
} catch (e) {
  console.error(e.message);
}
const buildCode = chromium ? await run(node, [bin('vite', 'bin', 'vite.js'), 'build']) : -1;
if (!chromium) {
  tallies.push(crashed('e2e', 'no Chromium'));
} else if (buildCode !== 0) {
  tallies.push(crashed('e2e', `vite build failed (exit ${buildCode})`));
} else {
  const port = await freePort();
  const e2eCode = await run(node, [bin('@playwright', 'test', 'cli.js'), 'test'], {
    CHROMIUM_PATH: chromium,
    PSERIES_E2E_PORT: String(port),
    PSERIES_E2E_BUILT: '1',
    PSERIES_E2E_REPORT: e2eReport,
  });
  tallies.push(tallyPlaywright(e2eCode));
}

banner('summary');
const sum = { passed: 0, failed: 0, skipped: 0 };
for (const t of tallies) {
  sum.passed += t.passed; sum.failed += t.failed; sum.skipped += t.skipped;
  const extra = t.skipped ? `, ${t.skipped} skipped` : '';
  console.log(`${t.suite}: ${t.passed} passed, ${t.failed} failed${extra}${t.note ? `  (${t.note})` : ''}`);
}
console.log(`reports: ${vitestReport}, ${e2eReport}`);
console.log(`${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}`);
process.exit(sum.failed > 0 ? 1 : 0);
