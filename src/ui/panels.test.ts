import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fdtParse, findNode } from '../core/spapr/fdt';
import { Instance } from '../core/instance';
import { decodeTree, type TreeNode } from './fdtView';
import { infoMigrate, infoRegisters, infoStatus, parseHmp } from './hmp';
import { hexDump, parseAddress } from './MemoryPanel';
import { formatHash, parseHash } from '../store/layout';
import { openStream } from './StreamInspector';

const QEMU_DTB = new URL('../../test/fixtures/dt-qemu-pseries-7.2-power8-vty.dtb', import.meta.url);
const GUEST = new URL('../../public/guests/hello.elf', import.meta.url);

function find(t: TreeNode, path: string): TreeNode | undefined {
  if (t.path === path) return t;
  for (const c of t.children) {
    const f = find(c, path);
    if (f) return f;
  }
  return undefined;
}

describe('device tree view', () => {
  const tree = decodeTree(fdtParse(new Uint8Array(readFileSync(QEMU_DTB))));

  it('decodes strings, cells and reg per the parent\'s cells (QEMU\'s own dtb)', () => {
    const vty = find(tree, '/vdevice/vty@71000001')!;
    expect(vty.props.find((p) => p.name === 'compatible')).toMatchObject({ kind: 'string', dts: '"hvterm1"' });
    expect(vty.props.find((p) => p.name === 'reg')).toMatchObject({ dts: '<0x71000001>', note: 'address 0x71000001' });
    const mem = find(tree, '/memory@0')!;
    expect(mem.props.find((p) => p.name === 'reg')!.note).toMatch(/^address 0x0 size 0x[0-9a-f]+ \(\d+ [MG]iB\)$/);
    const hyper = find(tree, '/rtas')!.props.find((p) => p.name === 'ibm,hypertas-functions')!;
    expect(hyper.kind).toBe('strings');
    expect(hyper.dts.startsWith('"hcall-pft", "hcall-term"')).toBe(true);
  });
});

describe('HMP', () => {
  it('parses commands and rejects unknown ones with QEMU\'s message', () => {
    expect(parseHmp('info status')).toEqual({ kind: 'info', what: 'status' });
    expect(parseHmp('  stop ')).toEqual({ kind: 'control', op: 'stop' });
    expect(parseHmp('c')).toEqual({ kind: 'control', op: 'cont' });
    expect(parseHmp('foo bar')).toEqual({ kind: 'print', lines: ["unknown command: 'foo'"] });
    expect(parseHmp('info nope')).toEqual({ kind: 'print', lines: ["unknown command: 'info nope'"] });
    expect(parseHmp('')).toBeNull();
  });

  it('prints info status as QEMU does', () => {
    expect(infoStatus('running')).toEqual(['VM status: running']);
    expect(infoStatus('paused')).toEqual(['VM status: paused']);
    expect(infoStatus('postmigrate')).toEqual(['VM status: paused (postmigrate)']);
    expect(infoStatus('inmigrate')).toEqual(['VM status: paused (inmigrate)']);
  });

  it('prints info migrate', () => {
    expect(infoMigrate(null)[0]).toBe('globals:');
    const out = infoMigrate({ status: 'completed', direction: 'outgoing', pagesSent: 10, zeroPages: 4, dirtyPerIteration: [3, 0], bandwidthPerIteration: [120, 40], bytes: 30000, downtimeMs: 12.4 });
    expect(out).toContain('Migration status: completed');
    expect(out).toContain('downtime: 12 ms');
    expect(out).toContain('normal: 6 pages');
    expect(out).toContain('duplicate: 4 pages');
  });
});

describe('instance queries and controls', () => {
  const inst = new Instance({ name: 't', deterministic: true });
  inst.boot(new Uint8Array(readFileSync(GUEST)));
  for (let i = 0; i < 50; i++) inst.turn();

  it('reports the device tree, vmstate sections, ov5 and registers', () => {
    const fdt = fdtParse(inst.fdtSnapshot().blob);
    expect(findNode(fdt, '/vdevice/vty@71000001')).toBeDefined();

    const vm = inst.vmstateSnapshot();
    const spapr = vm.sections.find((s) => s.idstr === 'spapr')!;
    expect(spapr.kind).toBe('full');
    expect(spapr.size).toBeGreaterThan(0);
    const cas = spapr.subsections.find((s) => s.name === 'spapr_option_vector_ov5_cas')!;
    expect(cas.needed).toBe(true);
    expect(cas.reason).toContain('platform ov5 has bits outside FORM1/DRCONF/DRMEM_V2');
    expect(vm.sections.find((s) => s.idstr === 'ram')?.kind).toBe('live');

    const ov5 = inst.ov5Snapshot();
    expect(ov5.bits.find((b) => b.name === 'OV5_HPT_RESIZE')).toMatchObject({ platform: true, negotiated: false });

    const cpu = inst.cpuSnapshot();
    expect(cpu.sprs.find((s) => s.name === 'PVR')!.value).toBe('00000000004d0200');
    expect(cpu.gpr).toHaveLength(32);
    expect(cpu.disasm.filter((l) => l.current)).toHaveLength(1);
    expect(infoRegisters(cpu)[0]).toMatch(/^NIP [0-9a-f]{16} {3}LR [0-9a-f]{16} CTR [0-9a-f]{16} XER [0-9a-f]{16} CPU#0$/);

    const mem = inst.memorySnapshot(0x100, 256);
    expect(mem.bytes).toHaveLength(256);
  });

  it('stop, step and cont follow QEMU\'s runstates', () => {
    const seen: string[] = [];
    const off = inst.tracer.on((ev) => { if (ev.name === 'runstate_set') seen.push(ev.args); });
    inst.stop();
    expect(inst.runstate()).toBe('paused');
    inst.stop(); // a no-op when not running
    const before = inst.machine.cpu.state.insnCount;
    const err = inst.step();
    if (err === null) expect(inst.machine.cpu.state.insnCount).toBe(before + 1);
    else expect(err).toContain('halted');
    expect(inst.cont()).toBeNull();
    expect(inst.runstate()).toBe('running');
    off();
    expect(seen).toEqual([
      'current_run_state 9 (running) new_state 4 (paused)',
      'current_run_state 4 (paused) new_state 9 (running)',
    ]);
  });
});

describe('memory view and layout hash', () => {
  it('parses addresses and dumps 16 bytes a line', () => {
    expect(parseAddress('0x100')).toBe(0x100);
    expect(parseAddress('ff')).toBe(0xff);
    expect(parseAddress('zz')).toBeNull();
    const lines = hexDump(0x10, Uint8Array.from({ length: 32 }, (_, i) => 0x41 + i));
    expect(lines[0]).toBe('0000000000000010  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|');
    expect(lines).toHaveLength(2);
  });

  it('round-trips the layout through the hash', () => {
    const s = parseHash('#left=cpu&right=dt&inspector');
    expect(s).toEqual({ tabs: { left: 'cpu', right: 'dt' }, inspector: true, timeline: false, view: 'lab' });
    expect(formatHash(s)).toBe('#left=cpu&right=dt&inspector');
    expect(formatHash(parseHash('#timeline&inspector'))).toBe('#inspector&timeline');
    expect(parseHash('#left=bogus').tabs.left).toBe('trace');
    expect(formatHash(parseHash(''))).toBe('');
  });
});

describe('stream inspector', () => {
  it('opens a gzip\'d stream QEMU 7.2 wrote', async () => {
    const gz = new Uint8Array(readFileSync(new URL('../../test/fixtures/stream-pseries-p8.bin.gz', import.meta.url)));
    const o = await openStream('s.bin.gz', gz);
    expect(o.gzip).toBe(true);
    expect(o.analysis.machine).toBe('pseries-7.2');
    expect(o.analysis.error).toBeUndefined();
    expect(o.analysis.records.some((r) => r.idstr === 'spapr' && r.type === 'FULL')).toBe(true);
  });

  it('reports a file that is not a stream', async () => {
    const o = await openStream('junk', new TextEncoder().encode('not a migration stream'));
    expect(o.analysis.error).toBeDefined();
  });
});
