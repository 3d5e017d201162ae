// npm start: install dependencies if needed, build the app, serve it on 127.0.0.1.

import { join } from 'node:path';
import { freePort, root, run } from './proc.mjs';

const node = process.execPath;
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

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
