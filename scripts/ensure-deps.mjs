// Makes sure node_modules matches package-lock.json before anything else runs.
// Installs (npm ci, or npm install without a lock) when node_modules is missing, older than
// the lock or package.json, or when a required package cannot be found.
//   node scripts/ensure-deps.mjs [--quiet] [--check]
// --quiet: print nothing unless an install happens. --check: only report, exit 1 if stale.

import { existsSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const checkOnly = args.has('--check');

const lock = join(root, 'package-lock.json');
const pkg = join(root, 'package.json');
const modules = join(root, 'node_modules');
// Written after a successful install; its mtime is "when node_modules was last made right".
const sentinel = join(modules, '.pseries-lab-deps');
// Packages whose absence means the tree is broken whatever the timestamps say.
const REQUIRED = ['vite', 'vitest', 'react', 'react-dom', 'zustand', '@xterm/xterm', '@xterm/addon-fit',
  'playwright-core', '@playwright/test', 'typescript', 'tsx', 'uplot', 'monaco-editor'];

function mtime(p) {
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

function staleReason() {
  if (!existsSync(modules)) return 'node_modules is missing';
  const missing = REQUIRED.filter((name) => !existsSync(join(modules, name, 'package.json')));
  if (missing.length) return `missing packages: ${missing.join(', ')}`;
  // npm writes node_modules/.package-lock.json on every install; the sentinel is ours.
  const installed = Math.max(mtime(sentinel), mtime(join(modules, '.package-lock.json')));
  if (installed === 0) return 'no record of an install';
  if (existsSync(lock) && mtime(lock) > installed) return 'package-lock.json is newer than node_modules';
  if (mtime(pkg) > installed && !existsSync(lock)) return 'package.json is newer than node_modules';
  return null;
}

const reason = staleReason();
if (!reason) {
  if (!quiet) console.log('pseries-lab: dependencies are up to date');
  process.exit(0);
}
if (checkOnly) {
  console.error(`pseries-lab: dependencies need installing (${reason})`);
  process.exit(1);
}

const cmd = existsSync(lock) ? ['ci'] : ['install'];
console.log(`pseries-lab: ${reason}; running npm ${cmd.join(' ')}`);
let r = spawnSync('npm', [...cmd, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0 && cmd[0] === 'ci') {
  // npm ci refuses a lock whose optional platform packages the registry does not serve in the
  // locked version; npm install tolerates that and keeps the locked versions otherwise.
  console.log('pseries-lab: npm ci failed; retrying with npm install');
  r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
}
if (r.status !== 0) {
  console.error(`pseries-lab: npm ${cmd[0]} failed (exit ${r.status ?? r.signal})`);
  process.exit(r.status || 1);
}
writeFileSync(sentinel, `${new Date().toISOString()}\n`);
