// Finds the Chromium that Playwright drives. The e2e suite uses Debian's `chromium` package
// (Playwright's own browser downloads are not used): set CHROMIUM_PATH to use another build.

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Flags for a headless, quiet, self-contained Chromium. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const MISSING_MESSAGE =
  'pseries-lab: Chromium not found. Install Debian\'s chromium (`sudo apt-get install -y chromium`) or set CHROMIUM_PATH.';

function lookup() {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * The path of a Chromium executable: $CHROMIUM_PATH, else Debian's. When none is installed
 * and we run as root, installs Debian's `chromium` package. When there still is none, exits
 * with instructions (or throws, with `{ onMissing: 'throw' }`).
 */
export function findChromium({ onMissing = 'exit' } = {}) {
  let found = lookup();
  if (found) return found;
  if (!process.env.CHROMIUM_PATH && process.getuid?.() === 0) {
    console.log('pseries-lab: Chromium not found; installing Debian\'s chromium package');
    const r = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y chromium'], { stdio: 'inherit' });
    if (r.status === 0) found = lookup();
    if (found) return found;
  }
  const message = process.env.CHROMIUM_PATH
    ? `pseries-lab: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist. ${MISSING_MESSAGE.replace('pseries-lab: Chromium not found. ', '')}`
    : MISSING_MESSAGE;
  if (onMissing === 'throw') throw new Error(message);
  console.error(message);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(findChromium());
}
