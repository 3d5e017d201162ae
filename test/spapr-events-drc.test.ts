// RTAS events (check-exception / event-scan) and the DR connector services
// (set-indicator, get-sensor-state, ibm,configure-connector) called directly, for what the
// hotplug-client guest does not reach: the dedicated hot-plug source after CAS, the
// spapr_pending_events subsection, the walk over nested nodes, resets.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import { OV5, setOvBits, SPAPR_CPU_CORE_TYPE, type SpaprMachine } from '../src/core/spapr/machine';
import { rtasToken, type RtasName } from '../src/core/spapr/rtas';
import { SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNISOLATE } from '../src/core/spapr/drc';
import { bytes, cells, fdtPack, findNode, node, str } from '../src/core/spapr/fdt';
import { vmstate_spapr } from '../src/core/spapr/vmstate';
import { vmstate_subsections_needed } from '../src/core/vmstate/vmstate';
import { EVENT_CLASS_MASK, EVENT_CLASS_EPOW, EVENT_CLASS_HOT_PLUG } from '../src/core/spapr/events';

const elf = new Uint8Array(readFileSync(new URL('../public/guests/hello.elf', import.meta.url)));
const BUF = 0x200000;
const WA = 0x210000;
const EV = 0x220000;

function machine(maxCpus = 3): { m: SpaprMachine; logs: string[] } {
  const inst = new Instance({ name: 'source', deterministic: true, maxCpus });
  const logs: string[] = [];
  inst.onError = (s) => logs.push(s);
  inst.boot(elf);
  return { m: inst.machine, logs };
}

function rtas(m: SpaprMachine, name: RtasName, args: number[], nret = 1): number[] {
  m.ram.st32(BUF, rtasToken(name), false);
  m.ram.st32(BUF + 4, args.length, false);
  m.ram.st32(BUF + 8, nret, false);
  args.forEach((a, i) => m.ram.st32(BUF + 12 + 4 * i, a, false));
  m.rtas.call(m, m.ram, BUF);
  return Array.from({ length: nret }, (_, i) => m.ram.ld32(BUF + 12 + 4 * (args.length + i), false) | 0);
}

const checkException = (m: SpaprMachine, mask: number) => rtas(m, 'check-exception', [0x500, 0, mask >>> 0, 0, EV, 2048])[0];
const plug = (m: SpaprMachine, core: number) => expect(m.deviceAdd(SPAPR_CPU_CORE_TYPE, { 'core-id': core })).toBeNull();
const pendingNeeded = (m: SpaprMachine) => vmstate_subsections_needed(vmstate_spapr, m).find((s) => s.name === 'spapr_pending_events')!.needed;

/** One configure-connector step: [response, name, value]. */
function cc(m: SpaprMachine, idx: number): [number, string?, Uint8Array?] {
  m.ram.st32(WA, idx, false);
  const rc = rtas(m, 'ibm,configure-connector', [WA, 0])[0];
  const cstr = (o: number) => { let s = ''; for (let b; (b = m.ram.ld8(WA + o)); o++) s += String.fromCharCode(b); return s; };
  if (rc === 2) return [rc, cstr(m.ram.ld32(WA + 8, false))];
  if (rc === 3) {
    const len = m.ram.ld32(WA + 12, false);
    return [rc, cstr(m.ram.ld32(WA + 8, false)), m.ram.read(WA + m.ram.ld32(WA + 16, false), len).slice()];
  }
  return [rc];
}

describe('check-exception and event-scan', () => {
  it('before CAS a hot-plug event belongs to EPOW; after OV5_HP_EVT to the hot-plug source, re-pulsed while some remain', () => {
    const { m } = machine();
    plug(m, 1);
    expect(checkException(m, EVENT_CLASS_MASK(EVENT_CLASS_HOT_PLUG))).toBe(1);
    setOvBits(m.ov5_cas, [OV5.HP_EVT]); // what CAS negotiates with a Linux guest
    plug(m, 2);
    expect(pendingNeeded(m)).toBe(true);
    // route the hot-plug source to vCPU 0: the pulse of the second plug is delivered now
    m.xics.setCppr(m.icp, 0xff);
    m.xics.writeXive(m.irqs.hotplug! - m.xics.offset, 0, 5, 5);
    expect(m.icp.xirr).toBe(0xff001001);
    m.xics.eoi(m.icp, m.xics.accept(m.icp));
    expect(checkException(m, EVENT_CLASS_MASK(EVENT_CLASS_EPOW))).toBe(1);
    expect(checkException(m, EVENT_CLASS_MASK(EVENT_CLASS_HOT_PLUG))).toBe(0);
    expect(m.ram.ld32(EV, false) >>> 0).toBe(0x063460e5);
    expect(m.ram.ld32(EV + 8 + 88 + 12, false) >>> 0).toBe(0x10000001);
    // one entry left: its source is pulsed again
    expect(m.icp.xirr).toBe(0xff001001);
    m.xics.eoi(m.icp, m.xics.accept(m.icp));
    expect(rtas(m, 'event-scan', [0xffffffff, 0, EV, 2048])).toEqual([1]);
    expect(m.icp.xirr).toBe(0xff001001);
    m.xics.eoi(m.icp, m.xics.accept(m.icp));
    expect(checkException(m, 0xffffffff)).toBe(0);
    expect(m.ram.ld32(EV + 8 + 88 + 12, false) >>> 0).toBe(0x10000002);
    expect(m.icp.xirr & 0xffffff).toBe(0);
    expect(pendingNeeded(m)).toBe(false);
    expect(checkException(m, 0xffffffff)).toBe(1);
  });

  it('argument checks: nargs 6 or 7 and nret 1; event-scan nargs 4', () => {
    const { m } = machine();
    plug(m, 1);
    expect(rtas(m, 'check-exception', [0, 0, 0xffffffff, 0, EV])).toEqual([-3]);
    expect(rtas(m, 'check-exception', [0, 0, 0xffffffff, 0, EV, 16], 2)[0]).toBe(-3);
    expect(rtas(m, 'event-scan', [0, 0, 0, 0, 0])).toEqual([-3]);
    expect(m.pending_events.length).toBe(1);
  });
});

describe('ibm,configure-connector', () => {
  it('hands out the hot-plugged core\'s node as the cold-plugged one appears in the tree, plus "name" first', () => {
    const { m } = machine(2);
    plug(m, 1);
    expect(rtas(m, 'set-indicator', [9003, 0x10000001, 1])).toEqual([0]);
    expect(rtas(m, 'set-indicator', [9001, 0x10000001, 1])).toEqual([0]);
    expect(m.drcs.get(0x10000001)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_UNISOLATE);
    const steps: Array<[number, string?, Uint8Array?]> = [];
    for (let i = 0; i < 100; i++) {
      const s = cc(m, 0x10000001);
      steps.push(s);
      if (s[0] !== 2 && s[0] !== 3) break;
    }
    expect(steps[0]).toEqual([2, 'PowerPC,POWER8@1']);
    expect(steps.at(-1)).toEqual([0]);
    expect(m.drcs.get(0x10000001)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    // the tree of the next reset (core 1 cold-plugged from then on) has the same node, less
    // what VOF adds to every node (name, phandle)
    m.reset();
    const cpu1 = findNode(m.fdt, '/cpus/PowerPC,POWER8@1')!;
    const props = steps.slice(1, -1).map(([, n, v]) => [n, [...v!]]);
    const treeProps = cpu1.props.filter(([n]) => n !== 'name' && n !== 'phandle').map(([n, v]) => [n, [...v]]);
    expect(props).toEqual([['name', [...str('PowerPC,POWER8@1')]], ...treeProps]);
    // after the reset the DRC is configured and the walk starts over
    expect(m.drcs.get(0x10000001)!.state).toBe(SPAPR_DRC_STATE_LOGICAL_CONFIGURED);
    expect(cc(m, 0x10000001)).toEqual([2, 'PowerPC,POWER8@1']);
  });

  it('nested nodes: NEXT_CHILD, NEXT_PROPERTY, PREV_PARENT, then SUCCESS; a replay starts over', () => {
    const { m } = machine(2);
    plug(m, 1);
    rtas(m, 'set-indicator', [9003, 0x10000001, 1]);
    rtas(m, 'set-indicator', [9001, 0x10000001, 1]);
    const d = m.drcs.get(0x10000001)!;
    d.fdt = fdtPack(node('', [], [node('dev@1', [['reg', cells(1)]], [node('child', [['x', bytes(7)]])])]));
    d.fdt_start_offset = 8;
    d.ccs_offset = 8;
    d.ccs_depth = 0;
    const walk = Array.from({ length: 7 }, () => cc(m, 0x10000001));
    expect(walk).toEqual([[2, 'dev@1'], [3, 'reg', cells(1)], [2, 'child'], [3, 'x', bytes(7)], [4], [0], [2, 'dev@1']]);
  });

  it('not configurable before unisolate (-9003); unknown DRC -3; a PHB fragment is not modelled', () => {
    const { m, logs } = machine(2);
    plug(m, 1);
    expect(cc(m, 0x10000001)).toEqual([-9003]);
    expect(cc(m, 0x10000005)).toEqual([-3]);
    expect(cc(m, 0x20000000)).toEqual([-1]);
    expect(logs.join('\n')).toMatch(/ibm,configure-connector: tree fragment of DRC 0x20000000 not modelled/);
  });
});

describe('spapr_pending_events across a migration', () => {
  it('the entries left after check-exception go to the destination, which hands out the rest', () => {
    const src = new Instance({ name: 'source', deterministic: true, maxCpus: 3 });
    const dst = new Instance({ name: 'destination', deterministic: true, maxCpus: 3, coreIds: [0, 1, 2] });
    src.boot(elf);
    while (src.machine.cpu.state.insnCount < 200_000) src.turn();
    plug(src.machine, 1);
    plug(src.machine, 2);
    expect(checkException(src.machine, 0xffffffff)).toBe(0);
    expect(src.machine.pending_events.length).toBe(1);
    let st = '';
    let dt = '';
    src.onMigration = (i) => { st = i.status; };
    dst.onMigration = (i) => { dt = i.status; };
    const link = new MemoryLink(1 << 30);
    dst.incoming(link.receiver);
    src.migrate(link.sender);
    const end = (x: string) => ['completed', 'failed', 'cancelled'].includes(x);
    for (let i = 0; i < 200_000 && !(end(st) && end(dt)); i++) {
      src.turn(); link.receiver.pump(); dst.turn(); link.sender.pump();
    }
    expect([st, dt]).toEqual(['completed', 'completed']);
    const m = dst.machine;
    expect(m.pending_events.length).toBe(1);
    expect(pendingNeeded(m)).toBe(true);
    expect(checkException(m, EVENT_CLASS_MASK(EVENT_CLASS_EPOW))).toBe(0);
    expect(m.ram.ld32(EV + 8 + 88 + 12, false) >>> 0).toBe(0x10000002);
    expect(pendingNeeded(m)).toBe(false);
    expect(cc(m, 0x10000002)).toEqual([-9003]);
  });
});
