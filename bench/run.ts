// Runs every benchmark in bench/ in turn; each prints its own figures.
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

for (const f of readdirSync(new URL('.', import.meta.url)).filter((n) => n.endsWith('.bench.ts')).sort()) {
  console.log(`# ${f}`);
  execFileSync(process.execPath, ['--import', 'tsx', new URL(f, import.meta.url).pathname], { stdio: 'inherit' });
}
