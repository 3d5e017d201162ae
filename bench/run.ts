// Runs the benchmarks in bench/: all of them, or the one named first, with the remaining
// arguments passed on (e.g. `npm run -s bench -- fuzz --cases 500`). Each prints its figures.
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const all = readdirSync(new URL('.', import.meta.url)).filter((n) => n.endsWith('.bench.ts')).sort();
const [name, ...rest] = process.argv.slice(2);
const chosen = name && !name.startsWith('-') ? all.filter((f) => f === `${name}.bench.ts`) : all;
if (!chosen.length) {
  console.error(`no benchmark '${name}'; have: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(2);
}
const args = name && !name.startsWith('-') ? rest : process.argv.slice(2);
for (const f of chosen) {
  console.log(`# ${f.replace('.bench.ts', '')}`);
  execFileSync(process.execPath, ['--import', 'tsx', new URL(f, import.meta.url).pathname, ...args], { stdio: 'inherit' });
}
