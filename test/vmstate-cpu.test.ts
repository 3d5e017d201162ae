import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuState } from '../src/core/cpu/state';
import { register_cpu_vmstate, vmstate_cpu_common, vmstate_ppc_cpu, vmstate_ppc_cpu_for, type CpuSanityMode, type PowerPCCPUVm } from '../src/core/vmstate/cpu';
import { GlobalState, vmstate_globalstate } from '../src/core/vmstate/globalstate';
import { QEMUFileReader, QEMUFileWriter } from '../src/core/vmstate/qemufile';
import {
  LoadError, MigrationLoader, SaveVMRegistry, qemu_savevm_state_complete_precopy, qemu_savevm_state_header, vmstate_save_with_desc,
} from '../src/core/vmstate/savevm';
import { vmstate_timers } from '../src/core/vmstate/timer';
import { loadContext, qjson, vmstate_load_state, vmstate_subsections_needed } from '../src/core/vmstate/vmstate';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const STREAM = new Uint8Array(gunzipSync(readFileSync(fixture('stream-pseries-p8.bin.gz'))));
/** The cpu section's payload in the fixture (FULL header at 0x35df03, footer at 0x3608a8). */
const CPU_PAYLOAD = STREAM.subarray(0x35df03 + 1 + 4 + 1 + 3 + 4 + 4, 0x3608a8);

function cpu(pvr = 0x004d0200): PowerPCCPUVm & { calls: string[] } {
  const calls: string[] = [];
  return { state: new CpuState(), pvr, calls, preSave() { calls.push('preSave'); }, postLoad() { calls.push('postLoad'); } };
}

function decodeReal(o = cpu()): { ret: number; o: ReturnType<typeof cpu>; lines: string[] } {
  const r = new QEMUFileReader(CPU_PAYLOAD);
  r.eof = true;
  const ctx = loadContext();
  const ret = vmstate_load_state(r, vmstate_ppc_cpu, o, 5, ctx);
  expect(r.remaining).toBe(0);
  return { ret, o, lines: ctx.errors.lines };
}

describe('cpu vmstate (QEMU 7.2 layout)', () => {
  it('produces the vmdesc entry of the real stream', () => {
    const { desc } = vmstate_save_with_desc(vmstate_ppc_cpu, cpu(), 'cpu', 0);
    expect(qjson(desc)).toBe(readFileSync(fixture('vmdesc-cpu-pseries-p8.json'), 'utf8').trim());
  });

  it('decodes the real cpu section and re-encodes it byte for byte', () => {
    const { ret, o, lines } = decodeReal();
    expect(ret).toBe(0);
    expect(lines).toEqual([]);
    const s = o.state;
    expect(s.getSpr(287)).toBe(0x004d0200n);
    expect(s.getNip()).toBe(0xdb19e08n);
    expect(s.getMsr()).toBe(0x8000000000000000n);
    expect(s.getGpr(1)).toBe(0xe581e20n);
    expect(s.getSpr(8)).toBe(0xdaf1ff8n); // LR
    expect(s.getSpr(318)).toBe(0x1f008n); // LPCR
    expect(s.getCr()).toBe(0x20000008);
    expect(s.vscr).toBe(0x00010000);
    expect(Array.from(s.reserveAddr)).toEqual([-1, -1]);
    expect(o.calls).toEqual(['postLoad']);
    const again = vmstate_save_with_desc(vmstate_ppc_cpu, o, 'cpu', 0);
    expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(CPU_PAYLOAD))).toBe(0);
    expect(o.calls).toEqual(['postLoad', 'preSave']);
  });

  it('fails post_load when the PVR is not of the destination family, with no message of its own', () => {
    const { ret, lines } = decodeReal(cpu(0x004e1202));
    expect(ret).toBe(-22);
    expect(lines).toEqual([]);
    // same family, other revision: accepted
    expect(decodeReal(cpu(0x004d0100)).ret).toBe(0);
  });

  it('puts the vector registers where QEMU does: avr low doubleword first, fpr/vsr halves', () => {
    const o = cpu();
    o.state.vsr.set([0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10], 4 * 32); // v0 = vsr[32]
    o.state.vsr.set([0x11111111, 0x22222222, 0x33333333, 0x44444444], 0); // vs0
    const { bytes } = vmstate_save_with_desc(vmstate_ppc_cpu, o);
    const hex = Buffer.from(bytes).toString('hex');
    const fpu = hex.indexOf(Buffer.from('\x07cpu/fpu\0\0\0\x01', 'latin1').toString('hex'));
    expect(hex.slice(fpu + 24, fpu + 24 + 16)).toBe('1111111122222222'); // fpr[0] = VsrD(0)
    const alt = hex.indexOf(Buffer.from('\x0bcpu/altivec\0\0\0\x01', 'latin1').toString('hex'));
    expect(hex.slice(alt + 32, alt + 32 + 32)).toBe('090a0b0c0d0e0f100102030405060708');
    const vsx = hex.indexOf(Buffer.from('\x07cpu/vsx\0\0\0\x01', 'latin1').toString('hex'));
    expect(hex.slice(vsx + 24, vsx + 24 + 16)).toBe('3333333344444444'); // vsr[0] = VsrD(1)
  });

  it('sends cpu/compat only with a compat PVR and checks it like ppc_set_compat', () => {
    const o = cpu();
    expect(vmstate_subsections_needed(vmstate_ppc_cpu, o).filter((s) => s.needed).map((s) => s.name)).toEqual(['cpu/fpu', 'cpu/altivec', 'cpu/vsx', 'cpu/slb']);
    o.state.compatPvr = 0x0f000004;
    o.state.setSpr(287, 0x004e1202n); // with a compat PVR the raw PVR is not compared
    o.state.setMsr(0x8000000200000000n); // MSR[TS] set: cpu/tm too
    expect(vmstate_subsections_needed(vmstate_ppc_cpu, o).filter((s) => s.needed).map((s) => s.name)).toEqual(['cpu/fpu', 'cpu/altivec', 'cpu/vsx', 'cpu/tm', 'cpu/slb', 'cpu/compat']);
    const load = (compat: number) => {
      o.state.compatPvr = compat;
      const { bytes } = vmstate_save_with_desc(vmstate_ppc_cpu, o);
      const r = new QEMUFileReader(bytes);
      r.eof = true;
      const ctx = loadContext();
      const d = cpu();
      return { ret: vmstate_load_state(r, vmstate_ppc_cpu, d, 5, ctx), lines: ctx.errors.lines, d };
    };
    const ok = load(0x0f000004);
    expect(ok.ret).toBe(0);
    expect(ok.d.state.compatPvr).toBe(0x0f000004);
    expect(load(0x0f000005)).toMatchObject({ ret: -22, lines: ['Compatibility PVR 0x0f000005 not valid for CPU'] });
    expect(load(0x0f000001)).toMatchObject({ ret: -22, lines: ['Unknown compatibility PVR 0x0f000001'] });
  });

  it('carries the pre-2.8 and pre-3.0 fields for old machine types', () => {
    const o = { ...cpu(), pre_2_8_migration: true, pre_3_0_migration: true,
      mig: { msr_mask: 0x800000010280ff37n, insns_flags: 0x8000600fe1ff3a61n, insns_flags2: 0x23fff6n, nb_BATs: 0, slb_nr: 32 } };
    o.state.setSpr(287, 0x004d0200n);
    const { bytes, desc } = vmstate_save_with_desc(vmstate_ppc_cpu, o);
    expect(bytes.length).toBe(CPU_PAYLOAD.length + 8 * 3 + 4 + 4);
    expect((desc.fields as { name: string }[]).slice(-4).map((f) => f.name)).toEqual(['mig_msr_mask', 'mig_insns_flags', 'mig_insns_flags2', 'mig_nb_BATs']);
    const d = { ...cpu(), pre_2_8_migration: true, pre_3_0_migration: true };
    const r = new QEMUFileReader(bytes);
    r.eof = true;
    expect(vmstate_load_state(r, vmstate_ppc_cpu, d, 5, loadContext())).toBe(0);
    expect((d as typeof o).mig).toBeUndefined(); // received values go to scratch storage, as QEMU ignores them
  });

  describe('the QEMU <= 2.7 sanity fields and the 2016 thread\'s variants of them', () => {
    const P8_26 = { msr_mask: 0x800000010280ff37n, insns_flags: 0x8000600fe1ff3a21n, insns_flags2: 0x10fb6n, nb_BATs: 0, slb_nr: 32 };
    const P8_27 = { ...P8_26, insns_flags: 0x8000600fe1ff7ae1n, insns_flags2: 0x50fb6n };
    /** A section written by a 2.6 CPU and loaded by a 2.7 one declared with `mode`. */
    const load = (mode: CpuSanityMode | undefined, local = P8_27, stream = P8_26) => {
      const src = { ...cpu(), sanity_equal: 'none' as const, mig: { ...stream } };
      src.state.setSpr(287, 0x004d0200n);
      const { bytes } = vmstate_save_with_desc(vmstate_ppc_cpu, src);
      const d = { ...cpu(), sanity_equal: 'decimal' as const, mig: { ...local, sanity: mode } };
      const r = new QEMUFileReader(bytes);
      r.eof = true;
      const ctx = loadContext();
      const ret = vmstate_load_state(r, vmstate_ppc_cpu_for(mode ?? 'equal'), d, 5, ctx);
      return { ret, lines: ctx.errors.lines, remaining: r.remaining, d };
    };

    it('_EQUAL: 2.7 refuses 2.6\'s insns_flags with the thread\'s decimal line', () => {
      expect(load(undefined)).toMatchObject({ ret: -22, lines: ['9223477658187168481 != 9223477658187151905', 'Failed to load cpu:env.insns_flags'] });
      expect(load('equal', P8_26)).toMatchObject({ ret: 0, lines: [], remaining: 0 });
    });

    it('every variant reads the same 28 bytes and accepts the 2.6 stream', () => {
      for (const mode of ['unused-flags', 'post-load-compare', 'skip-insns-check'] as const) {
        expect(load(mode), mode).toMatchObject({ ret: 0, lines: [], remaining: 0 });
      }
    });

    it('names the fields as each patch declared them', () => {
      const names = (mode: CpuSanityMode) => (vmstate_save_with_desc(vmstate_ppc_cpu_for(mode), { ...cpu(), sanity_equal: 'decimal', mig: { ...P8_27, sanity: mode } }).desc.fields as { name: string }[]).map((f) => f.name).slice(-4);
      expect(names('equal')).toEqual(['env.msr_mask', 'env.insns_flags', 'env.insns_flags2', 'env.nb_BATs']);
      expect(names('unused-flags')).toEqual(['env.msr_mask', 'unused[1]', 'unused[2]', 'env.nb_BATs']);
      expect(names('post-load-compare')).toEqual(['env.msr_mask', 'env.src_insns_flags', 'env.src_insns_flags2', 'env.nb_BATs']);
      expect(names('skip-insns-check')).toEqual(['env.msr_mask', 'env.insns_flags', 'env.insns_flags2', 'env.nb_BATs']);
      // QEMU 7.2's description is untouched by the variants
      expect(vmstate_ppc_cpu_for('equal')).toBe(vmstate_ppc_cpu);
    });

    it('post-load-compare refuses a source with a flag this CPU lacks (2.7 -> 2.6)', () => {
      const r = load('post-load-compare', P8_26, P8_27);
      expect(r.ret).toBe(-22);
      expect(r.lines[0]).toBe("cpu: the source's insns_flags 8000600fe1ff7ae1 has bits this CPU lacks (00000000000040c0)");
    });

    it('msr_mask stays _EQUAL in every variant', () => {
      for (const mode of ['unused-flags', 'post-load-compare', 'skip-insns-check'] as const) {
        expect(load(mode, { ...P8_27, msr_mask: P8_27.msr_mask | (1n << 60n) }).lines[1], mode).toBe('Failed to load cpu:env.msr_mask');
      }
    });

    it('before 2.10 post_load replaced the migrated PVR with the local model\'s, unchecked', () => {
      const o = cpu(0x004b0201);
      o.mig = { ...P8_27, pvr_on_load: 'overwrite' };
      o.state.setSpr(287, 0x004d0200n);
      const { bytes } = vmstate_save_with_desc(vmstate_ppc_cpu, o);
      const r = new QEMUFileReader(bytes);
      r.eof = true;
      expect(vmstate_load_state(r, vmstate_ppc_cpu, o, 5, loadContext())).toBe(0);
      expect(o.state.getSpr(287)).toBe(0x004b0201n);
      o.mig = { ...P8_27, pvr_on_load: 'check' };
      const r2 = new QEMUFileReader(bytes);
      r2.eof = true;
      expect(vmstate_load_state(r2, vmstate_ppc_cpu, o, 5, loadContext())).toBe(-22);
    });
  });

  it('round-trips any register state', () => {
    const words = (n: number) => fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n });
    fc.assert(
      fc.property(words(64), words(2048), words(256), words(256), words(8), words(2), fc.nat(0xffff), (gpr, spr, vsr, slb, crf, nip, halted) => {
        const o = cpu();
        const s = o.state;
        s.gpr.set(gpr); s.spr.set(spr); s.vsr.set(vsr); s.slb.set(slb); s.nip.set(nip);
        s.crf.set(crf.map((c) => c & 0xf));
        s.spr[2 * 287] = 0; s.spr[2 * 287 + 1] = 0x004d0200;
        s.halted = halted & 1; s.interruptRequest = halted & 0xfe;
        const reg = new SaveVMRegistry();
        register_cpu_vmstate(reg, o);
        const w = new QEMUFileWriter();
        qemu_savevm_state_header(w, { machineName: 'pseries-7.2' });
        qemu_savevm_state_complete_precopy(w, reg);
        const d = cpu();
        const dreg = new SaveVMRegistry();
        register_cpu_vmstate(dreg, d);
        expect(new MigrationLoader(dreg, { machineName: 'pseries-7.2' }).feed(w.take())).toBe('eof');
        for (const k of ['gpr', 'spr', 'vsr', 'slb', 'nip', 'crf'] as const) expect(Array.from(d.state[k])).toEqual(Array.from(s[k]));
        expect([d.state.halted, d.state.interruptRequest]).toEqual([s.halted, s.interruptRequest]);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a cpu of another family with the two QEMU lines', () => {
    const reg = new SaveVMRegistry();
    const o = cpu();
    o.state.setSpr(287, 0x004e1202n);
    register_cpu_vmstate(reg, o);
    const w = new QEMUFileWriter();
    qemu_savevm_state_header(w, { machineName: 'pseries-7.2' });
    qemu_savevm_state_complete_precopy(w, reg);
    const dreg = new SaveVMRegistry();
    register_cpu_vmstate(dreg, cpu());
    const res = new MigrationLoader(dreg, { machineName: 'pseries-7.2' }).feed(w.take());
    expect(res).toBeInstanceOf(LoadError);
    expect((res as LoadError).format()).toEqual([
      "qemu-system-ppc64: error while loading state for instance 0x0 of device 'cpu'",
      'qemu-system-ppc64: load of migration failed: Invalid argument',
    ]);
  });
});

describe('cpu_common, timer, globalstate', () => {
  const payload = (at: number, end: number, idlen: number) => STREAM.subarray(at + 1 + 4 + 1 + idlen + 8, end);

  it('match the real sections byte for byte', () => {
    const check = <O>(vmsd: Parameters<typeof vmstate_save_with_desc<O>>[0], o: O, bytes: Uint8Array, idstr: string, version: number) => {
      const r = new QEMUFileReader(bytes);
      r.eof = true;
      expect(vmstate_load_state(r, vmsd, o, version, loadContext())).toBe(0);
      expect(r.remaining).toBe(0);
      const again = vmstate_save_with_desc(vmsd, o, idstr);
      expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(bytes))).toBe(0);
      const real = JSON.parse(new TextDecoder().decode(STREAM.subarray(0x574344 + 5))).devices.find((x: { name: string }) => x.name === idstr);
      expect(again.desc).toEqual(real);
      return o;
    };
    const t = check(vmstate_timers, { cpu_ticks_offset: 0n, cpu_clock_offset: 0n }, payload(0x355e94, 0x355ebf, 5), 'timer', 2);
    expect(t).toEqual({ cpu_ticks_offset: 13680538119n, cpu_clock_offset: 5594387005n });
    const c = check(vmstate_cpu_common, cpu(), payload(0x35dede, 0x35defe, 10), 'cpu_common', 1);
    expect([c.state.halted, c.state.interruptRequest]).toEqual([0, 0]);
    const g = check(vmstate_globalstate, new GlobalState(), payload(0x5742bd, 0x57433e, 11), 'globalstate', 1);
    expect([g.size, g.name, g.state, g.received]).toEqual([8, 'running', 'running', true]);
  });

  it('globalstate refuses a runstate name QEMU does not know', () => {
    const g = new GlobalState();
    g.store('running');
    const { bytes } = vmstate_save_with_desc(vmstate_globalstate, g);
    bytes[4] = 0x52; // "Running"
    const r = new QEMUFileReader(bytes);
    r.eof = true;
    const ctx = loadContext();
    expect(vmstate_load_state(r, vmstate_globalstate, new GlobalState(), 1, ctx)).toBe(-22);
    expect(ctx.errors.lines).toEqual(['invalid parameter value: Running']);
  });
});
