// QEMU's RunState enum (qapi/run-state.json) and runstate_transitions_def (softmmu/runstate.c),
// QEMU 7.2. The numeric value is the enum index, as the runstate_set trace prints it.

import type { Tracer } from './trace';

export const RUN_STATES = [
  'debug', 'inmigrate', 'internal-error', 'io-error', 'paused', 'postmigrate', 'prelaunch',
  'finish-migrate', 'restore-vm', 'running', 'save-vm', 'shutdown', 'suspended', 'watchdog',
  'guest-panicked', 'colo',
] as const;

export type RunState = (typeof RUN_STATES)[number];

/** The allowed-transition table, in QEMU's order. */
export const RUNSTATE_TRANSITIONS: ReadonlyArray<readonly [RunState, RunState]> = [
  ['prelaunch', 'inmigrate'],
  ['debug', 'running'], ['debug', 'finish-migrate'], ['debug', 'prelaunch'],
  ['inmigrate', 'internal-error'], ['inmigrate', 'io-error'], ['inmigrate', 'paused'],
  ['inmigrate', 'running'], ['inmigrate', 'shutdown'], ['inmigrate', 'suspended'],
  ['inmigrate', 'watchdog'], ['inmigrate', 'guest-panicked'], ['inmigrate', 'finish-migrate'],
  ['inmigrate', 'prelaunch'], ['inmigrate', 'postmigrate'], ['inmigrate', 'colo'],
  ['internal-error', 'paused'], ['internal-error', 'finish-migrate'], ['internal-error', 'prelaunch'],
  ['io-error', 'running'], ['io-error', 'finish-migrate'], ['io-error', 'prelaunch'],
  ['paused', 'running'], ['paused', 'finish-migrate'], ['paused', 'postmigrate'],
  ['paused', 'prelaunch'], ['paused', 'colo'],
  ['postmigrate', 'running'], ['postmigrate', 'finish-migrate'], ['postmigrate', 'prelaunch'],
  ['prelaunch', 'running'], ['prelaunch', 'finish-migrate'], ['prelaunch', 'inmigrate'],
  ['finish-migrate', 'running'], ['finish-migrate', 'paused'], ['finish-migrate', 'postmigrate'],
  ['finish-migrate', 'prelaunch'], ['finish-migrate', 'colo'],
  ['restore-vm', 'running'], ['restore-vm', 'prelaunch'],
  ['colo', 'running'], ['colo', 'prelaunch'], ['colo', 'shutdown'],
  ['running', 'debug'], ['running', 'internal-error'], ['running', 'io-error'], ['running', 'paused'],
  ['running', 'finish-migrate'], ['running', 'restore-vm'], ['running', 'save-vm'],
  ['running', 'shutdown'], ['running', 'watchdog'], ['running', 'guest-panicked'], ['running', 'colo'],
  ['save-vm', 'running'],
  ['shutdown', 'paused'], ['shutdown', 'finish-migrate'], ['shutdown', 'prelaunch'], ['shutdown', 'colo'],
  ['debug', 'suspended'], ['running', 'suspended'],
  ['suspended', 'running'], ['suspended', 'finish-migrate'], ['suspended', 'prelaunch'], ['suspended', 'colo'],
  ['watchdog', 'running'], ['watchdog', 'finish-migrate'], ['watchdog', 'prelaunch'], ['watchdog', 'colo'],
  ['guest-panicked', 'running'], ['guest-panicked', 'finish-migrate'], ['guest-panicked', 'prelaunch'],
];

const allowed = new Set(RUNSTATE_TRANSITIONS.map(([a, b]) => `${a}>${b}`));

export function runstateIndex(s: RunState): number {
  return RUN_STATES.indexOf(s);
}

export function isValidTransition(from: RunState, to: RunState): boolean {
  return allowed.has(`${from}>${to}`);
}

/** QEMU's error for a transition outside the table (QEMU then aborts the process). */
export class InvalidRunstateTransition extends Error {
  constructor(readonly from: RunState, readonly to: RunState) {
    super(`invalid runstate transition: '${from}' -> '${to}'`);
  }
}

/**
 * One machine's current runstate. Like runstate_set(): every call emits the trace event,
 * setting the current state again is a no-op, an invalid transition throws
 * InvalidRunstateTransition (the owner stops that machine, where QEMU would abort()).
 */
export class RunStateMachine {
  current: RunState = 'prelaunch';

  constructor(private tracer: Tracer) {}

  set(to: RunState): void {
    const from = this.current;
    this.tracer.emit(
      'runstate_set',
      `current_run_state ${runstateIndex(from)} (${from}) new_state ${runstateIndex(to)} (${to})`,
    );
    if (from === to) return;
    if (!isValidTransition(from, to)) throw new InvalidRunstateTransition(from, to);
    this.current = to;
  }

  /** runstate_is_running() */
  isRunning(): boolean {
    return this.current === 'running';
  }

  /** runstate_needs_reset() */
  needsReset(): boolean {
    return this.current === 'internal-error' || this.current === 'shutdown';
  }
}
