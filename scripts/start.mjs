// npm start: install dependencies if needed, build the app, serve it on 127.0.0.1.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('error', (e) => { console.error(`pseries-lab: could not run ${cmd}: ${e.message}`); resolve(127); });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function fail(what, code) {
  console.error(`pseries-lab: ${what} failed (exit ${code})`);
  process.exit(code || 1);
}

let code = await run(node, [join(root, 'scripts', 'ensure-deps.mjs'), '--quiet']);
if (code !== 0) fail('installing dependencies', code);

code = await run(node, [vite, 'build']);
if (code !== 0) fail('vite build', code);

// Vite's own API serves dist/ exactly as `vite preview` does.
const { preview } = await import('vite');
const host = '127.0.0.1';
const port = Number(process.env.PORT) || (await freePort());
const server = await preview({
  root,
  logLevel: 'warn',
  preview: { host, port, strictPort: true, open: false },
});
const url = `http://${host}:${port}/`;
console.log('');
console.log(`pseries-lab: serving on ${url}`);
console.log('pseries-lab: press Ctrl+C to stop');

const stop = () => {
  server.httpServer.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
