// "globalstate" (migration/global_state.c): the source's runstate, so the destination ends
// in the same one ("running" starts the guest, "paused" leaves it stopped).
//
// API
//   class GlobalState      runstate name buffer; store(state) before saving; after loading,
//                          `received` and `state` (the parsed RunState)
//   vmstate_globalstate    "globalstate" v1
//   register_global_state(reg, g)  instance 0

import { RUN_STATES, type RunState } from '../runstate';
import { latin1, latin1Bytes } from './qemufile';
import type { RegisterOpts, SaveStateEntry, SaveVMRegistry } from './savevm';
import { EINVAL, VMSTATE_BUFFER, VMSTATE_UINT32, VMStateDescription, VMStateError, prop } from './vmstate';

export class GlobalState {
  /** strlen(runstate) + 1, set by pre_save. */
  size = 0;
  /** NUL-padded runstate name (100 bytes, as QEMU's buffer). */
  readonly runstate = new Uint8Array(100);
  /** The store-global-state migration property (off for pseries-2.3 and older). */
  storeGlobalState = true;
  /** Set by a successful load. */
  received = false;
  state?: RunState;

  /** global_state_store(): remember the runstate to send. */
  store(state: RunState): void {
    this.runstate.fill(0);
    this.runstate.set(latin1Bytes(state).subarray(0, 99));
  }

  /** The runstate name in the buffer (up to the first NUL). */
  get name(): string {
    const n = this.runstate.indexOf(0);
    return latin1(this.runstate.subarray(0, n < 0 ? this.runstate.length : n));
  }
}

export const vmstate_globalstate: VMStateDescription<GlobalState> = {
  name: 'globalstate',
  version_id: 1,
  minimum_version_id: 1,
  needed: (g) => g.storeGlobalState || (g.name !== 'running' && g.name !== 'paused'),
  pre_save: (g) => {
    const n = g.runstate.indexOf(0);
    g.size = (n < 0 ? g.runstate.length : n) + 1;
  },
  post_load: (g) => {
    g.received = true;
    // a name filling the whole buffer is cut so the parse cannot run past it
    if (g.runstate.indexOf(0) < 0) g.runstate[g.runstate.length - 1] = 0;
    const name = g.name;
    const st = (RUN_STATES as readonly string[]).includes(name) ? (name as RunState) : undefined;
    if (!st) throw new VMStateError(-EINVAL, [`invalid parameter value: ${name}`]);
    g.state = st;
  },
  fields: [
    VMSTATE_UINT32('size', prop('size')),
    VMSTATE_BUFFER('runstate', 100, (g: GlobalState) => g.runstate),
  ],
};

export function register_global_state(reg: SaveVMRegistry, g: GlobalState, opts: RegisterOpts = {}): SaveStateEntry {
  return reg.vmstate_register(0, vmstate_globalstate, g, opts);
}
