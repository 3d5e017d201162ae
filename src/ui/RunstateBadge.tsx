import type { RunState } from '../core/runstate';

export function RunstateBadge({ state, testId }: { state: RunState; testId?: string }) {
  return <span className={`badge rs-${state}`} data-testid={testId} data-runstate={state}>{state}</span>;
}
