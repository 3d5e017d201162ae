// The guided scenarios, for the page's launcher and `cli scenario`.

import { casRebootScenario } from './cas-reboot';
import { insnsFlagsScenario } from './insns-flags';
import type { Scenario } from './scenario';

export const SCENARIOS: readonly Scenario[] = [casRebootScenario, insnsFlagsScenario];

export function getScenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown scenario '${id}' (known: ${SCENARIOS.map((x) => x.id).join(', ')})`);
  return s;
}
