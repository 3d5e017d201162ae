// Regenerate the pinned logs of the guided scenarios: for each scenario and each of its
// variants, the run's `session.lines()` (trace, console, error and outcome lines, as
// `cli scenario ID --variant NAME` prints them) goes to
// test/fixtures/scenarios/<scenario id>.<variant>.txt.
//
//   npx tsx scripts/regen-scenario-fixtures.ts insns-flags-2.6 [--variant NAME]
//   npx tsx scripts/regen-scenario-fixtures.ts --all
//
// The scenarios come from the registry (src/core/scenarios/index.ts): a new scenario is
// registered there and needs nothing here. Runs are deterministic, so a second run writes the
// same bytes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCENARIOS, getScenario } from '../src/core/scenarios/index';
import type { Scenario } from '../src/core/scenarios/scenario';

const FIXTURE_DIR = resolve('test/fixtures/scenarios');

function fixturePath(scenarioId: string, variant: string): string {
  return resolve(FIXTURE_DIR, `${scenarioId}.${variant}.txt`);
}

/** The text a fixture holds for one run: its lines, each ended by a newline. */
function fixtureText(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

function regen(s: Scenario, only?: string): void {
  const elf = new Uint8Array(readFileSync(resolve('public/guests', s.guest)));
  mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const v of s.variants) {
    if (only && v.name !== only) continue;
    const r = s.run(elf, { variant: v.name });
    const file = fixturePath(s.id, v.name);
    writeFileSync(file, fixtureText(r.session.lines()));
    process.stdout.write(`${file}: ${r.outcome}\n`);
  }
}

const args = process.argv.slice(2);
const vi = args.indexOf('--variant');
const only = vi >= 0 ? args[vi + 1] : undefined;
const ids = args.filter((a, i) => !a.startsWith('--') && (vi < 0 || i !== vi + 1));
if (args.includes('--all')) for (const s of SCENARIOS) regen(s, only);
else if (ids.length) for (const id of ids) regen(getScenario(id), only);
else {
  process.stderr.write(`usage: regen-scenario-fixtures.ts ID... [--variant NAME] | --all\nscenarios: ${SCENARIOS.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}
