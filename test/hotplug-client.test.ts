// A guest handling CPU core hot-plug as Linux does (guests/hotplug-client): RTAS events
// through event-scan / check-exception, DRC acquisition through get-sensor-state /
// set-indicator, and the core's tree fragment through ibm,configure-connector; its console
// is compared with QEMU 7.2's (test/fixtures/regen-hotplug-client-qemu.sh).

import { mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { SPAPR_CPU_CORE_TYPE } from '../src/core/spapr/machine';
import { SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNUSABLE } from '../src/core/spapr/drc';
import { spaprEventRtcDate } from '../src/core/spapr/events';
import { formatTrace } from '../src/core/trace';

const QEMU = readFileSync(new URL('./fixtures/hotplug-client-qemu-console.txt', import.meta.url), 'utf8');
const QEMU_DRC_TRACES = readFileSync(new URL('./fixtures/hotplug-client-qemu-drc-traces.txt', import.meta.url), 'utf8');
const elf = new Uint8Array(readFileSync(new URL('../public/guests/hotplug-client.elf', import.meta.url)));

/** -smp 1,maxcpus=4 -kernel hotplug-client.elf, cores 1 and 2 plugged before it runs. */
function boot(): { inst: Instance; out: () => string; traces: string[] } {
  const inst = new Instance({ name: 'source', deterministic: true, maxCpus: 4 });
  let text = '';
  const traces: string[] = [];
  inst.onSerial = (t) => { text += t; };
  inst.tracer.on((ev) => { if (ev.name.startsWith('spapr_drc_')) traces.push(formatTrace(ev)); });
  inst.boot(elf);
  expect(inst.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 1, id: 'core1' })).toBeNull();
  expect(inst.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 2, id: 'core2' })).toBeNull();
  return { inst, out: () => text.replace(/\r/g, ''), traces };
}

/** Run to the end, plugging core 3 when the guest asks for it (after its CAS). */
function runToEnd(inst: Instance, out: () => string): void {
  let plugged = false;
  for (let i = 0; i < 100_000 && !out().endsWith('done\n') && inst.runstate() === 'running'; i++) {
    inst.turn();
    if (!plugged && out().includes('ready for device_add core-id=3\n')) {
      expect(inst.machine.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': 3, id: 'core3' })).toBeNull();
      plugged = true;
    }
  }
}

describe('hotplug-client guest', () => {
  it('prints what QEMU 7.2 prints: events fetched, DRCs acquired, fragments walked, a new vCPU started, HP_EVT after CAS', () => {
    const { inst, out, traces } = boot();
    runToEnd(inst, out);
    expect(out()).toBe(QEMU);
    // and QEMU's spapr_drc_* trace events of the same run
    expect(traces.join('\n') + '\n').toBe(QEMU_DRC_TRACES);
  });

  it('queues one event per hot-plugged core; the guest takes them and configures the DRCs', () => {
    const { inst, out } = boot();
    const m = inst.machine;
    expect(m.pending_events.length).toBe(2);
    expect(m.drcs.get(0x10000001)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_UNUSABLE);
    runToEnd(inst, out);
    expect(m.pending_events.length).toBe(0);
    expect(m.drcs.get(0x10000001)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    expect(m.drcs.get(0x10000002)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    expect(m.drcs.get(0x10000003)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
  });

  it('event dates come from the virtual clock plus the guest RTC offset in deterministic mode', () => {
    const { inst } = boot();
    const log = inst.machine.pending_events[0].extended_log;
    // Main-A creation date/time (BCD) at extended log offsets 24..31: 1970-01-01 00:00:00
    expect([...log.subarray(24, 32)]).toEqual([0x19, 0x70, 0x01, 0x01, 0, 0, 0, 0]);
    inst.machine.rtcNsOffset = 1_700_000_000n * 1_000_000_000n; // 2023-11-14 22:13:20 UTC
    expect(spaprEventRtcDate(inst.machine).toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });
});

describe('guests/hotplug-client build', () => {
  it.skipIf(spawnSync('bash', ['-c', 'command -v powerpc64le-linux-gnu-gcc']).status !== 0)('build.sh reproduces the committed ELF', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hotplug-')), 'h.elf');
    const r = spawnSync('guests/hotplug-client/build.sh', [out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(out).equals(readFileSync('public/guests/hotplug-client.elf'))).toBe(true);
  });
});
