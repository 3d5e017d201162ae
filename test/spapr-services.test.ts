import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { runCommand } from '../src/cli/commands';
import { machineForDt } from '../src/cli/dtb';
import { POWER8, type PowerPCCPU } from '../src/core/cpu/cpu';
import { HcallArgs } from '../src/core/spapr/hcall';
import { rtasToken } from '../src/core/spapr/rtas';
import type { SpaprMachine } from '../src/core/spapr/machine';
import { Xics, XICS_FLAGS_IRQ_LSI, XICS_FLAGS_IRQ_MSI, type IcpServer } from '../src/core/spapr/xics';
import { icsReset } from '../src/core/spapr/vmstate';

// What QEMU 7.2 prints for the same ELF (test/fixtures/regen-papr-services-qemu.sh).
const QEMU = readFileSync(new URL('./fixtures/papr-services-qemu-console.txt', import.meta.url), 'utf8');

describe('papr-services guest', () => {
  it('prints what QEMU 7.2 prints: hcalls, RTAS and client services with good and bad arguments', () => {
    let text = '';
    const rc = runCommand(parseArgs(['public/guests/papr-services.elf', '--max-insns', '5000000']), (s) => { text += s; }, () => {});
    expect(rc).toBe(0);
    expect(text).toBe(QEMU);
  });
});

function xicsPair(): { x: Xics; icp: IcpServer; levels: boolean[] } {
  const levels: boolean[] = [];
  const icp: IcpServer = { xirr: 0, pending_priority: 0xff, mfrr: 0xff, xirr_owner: false, output: (l) => levels.push(l) };
  const x = new Xics(icsReset(4096), [icp]);
  x.claim(0x1101, false);
  x.claim(0x1200, true);
  return { x, icp, levels };
}

describe('XICS', () => {
  it('presents an MSI at its priority, XIRR = CPPR << 24 | XISR, EOI restores CPPR', () => {
    const { x, icp, levels } = xicsPair();
    x.setCppr(icp, 0xff);
    x.writeXive(0x101, 0, 5, 5);
    x.pulse(0x1101);
    expect(icp.xirr).toBe(0xff001101);
    expect(levels.at(-1)).toBe(true);
    expect(x.accept(icp)).toBe(0xff001101);
    expect(icp.xirr).toBe(0x05000000);
    expect(levels.at(-1)).toBe(false);
    x.eoi(icp, 0xff001101);
    expect(icp.xirr).toBe(0xff000000);
  });

  it('a masked MSI stays pending until its priority is set', () => {
    const { x, icp } = xicsPair();
    x.setCppr(icp, 0xff);
    x.pulse(0x1101);
    expect(icp.xirr & 0xffffff).toBe(0);
    expect(x.ics.irqs[0x101].status).toBe(0x8); // MASKED_PENDING
    x.writeXive(0x101, 0, 4, 4);
    expect(icp.xirr).toBe(0xff001101);
  });

  it('a source rejected by a higher CPPR is resent when the CPPR drops', () => {
    const { x, icp } = xicsPair();
    x.setCppr(icp, 3);
    x.writeXive(0x101, 0, 5, 5);
    x.pulse(0x1101);
    expect(icp.xirr).toBe(0x03000000);
    expect(x.ics.irqs[0x101].status).toBe(0x4); // REJECTED
    x.setCppr(icp, 0xff);
    expect(icp.xirr).toBe(0xff001101);
  });

  it('LSIs stay asserted until EOI and the line drops', () => {
    const { x, icp } = xicsPair();
    x.setCppr(icp, 0xff);
    x.writeXive(0x200, 0, 1, 1);
    x.setIrq(0x1200, true);
    expect(x.accept(icp)).toBe(0xff001200);
    x.eoi(icp, 0xff001200);
    expect(icp.xirr).toBe(0xff001200); // still asserted: presented again
    x.accept(icp);
    x.setIrq(0x1200, false);
    x.eoi(icp, 0xff001200);
    expect(icp.xirr).toBe(0xff000000);
  });

  it('the IPI (source 2) follows MFRR against CPPR and pending priority', () => {
    const { x, icp } = xicsPair();
    x.setCppr(icp, 0xff);
    x.setMfrr(icp, 5);
    expect(icp.xirr).toBe(0xff000002);
    expect(icp.pending_priority).toBe(5);
    x.writeXive(0x101, 0, 3, 3);
    x.pulse(0x1101); // more favoured than the IPI: replaces it
    expect(icp.xirr).toBe(0xff001101);
    x.accept(icp);
    x.eoi(icp, 0xff001101);
    expect(icp.xirr).toBe(0xff000002); // IPI comes back (MFRR still 5)
  });

  it('claims set QEMU flags that survive a reset', () => {
    const { x } = xicsPair();
    x.reset();
    expect(x.ics.irqs[0x101].flags).toBe(XICS_FLAGS_IRQ_MSI);
    expect(x.ics.irqs[0x200].flags).toBe(XICS_FLAGS_IRQ_LSI);
  });
});

describe('vty interrupt and H_CEDE', () => {
  it('input into an empty vty raises 0x1101 on the ICP and the CPU line', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const levels: boolean[] = [];
    const cpu = m.cpu as PowerPCCPU & { setExternalIrq(l: boolean): void };
    const orig = cpu.setExternalIrq.bind(cpu);
    cpu.setExternalIrq = (l: boolean) => { levels.push(l); orig(l); };
    m.xics.setCppr(m.icp, 0xff);
    m.xics.writeXive(0x101, 0, 5, 5);
    m.vty.receive(new TextEncoder().encode('ab'));
    expect(m.icp.xirr).toBe(0xff001101);
    expect(levels).toEqual([true]);
    m.vty.receive(new TextEncoder().encode('c')); // not empty: no new pulse
    expect(levels).toEqual([true]);
  });

  it('H_CEDE sleeps until the vty interrupt arrives', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const s = m.cpu.state;
    m.xics.setCppr(m.icp, 0xff);
    m.xics.writeXive(0x101, 0, 5, 5);
    s.setGpr(3, 0xe0n);
    m.hypercall(m.cpu);
    expect(s.halted).toBe(1);
    expect(m.cpu.hasWork()).toBe(false);
    m.vty.receive(Uint8Array.of(0x41));
    expect(m.cpu.hasWork()).toBe(true);
  });

  it('garbage to every hcall number gives an error code, never an exception', () => {
    const m: SpaprMachine = machineForDt('pseries-7.2', POWER8);
    const s = m.cpu.state;
    const junk = [0xffffffffffffffffn, 0x8000000000000000n, 0x12345678n, 0n, 0xdeadbeefcafef00dn, 3n];
    for (let op = 0; op <= 0x450; op += 4) {
      if (op === 0x58 || op === 0xe0) continue; // console output / cede (fine, but noisy)
      for (let k = 0; k < junk.length; k++) {
        for (let i = 0; i < 8; i++) s.setGpr(4 + i, junk[(k + i) % junk.length]);
        s.setGpr(3, BigInt(op));
        expect(() => m.hypercall(m.cpu)).not.toThrow();
      }
    }
    for (const op of [0xf000, 0xf001, 0xf002, 0xf005]) {
      for (const v of junk) {
        s.setGpr(3, BigInt(op));
        s.setGpr(4, v);
        expect(() => m.hypercall(m.cpu)).not.toThrow();
      }
    }
    expect(new HcallArgs(m.cpu).get(0)).toBeTypeOf('bigint');
  });

  it('KVMPPC_H_LOGICAL_MEMOP copies and inverts like memmove, with QEMU 7.2\'s argument checks', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const s = m.cpu.state;
    const call = (...args: bigint[]) => {
      s.setGpr(3, 0xf001n);
      args.forEach((v, i) => s.setGpr(4 + i, v));
      m.hypercall(m.cpu);
      return s.getGpr(3);
    };
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    m.ram.write(0x200000, bytes);
    expect(call(0x210000n, 0x200000n, 2n, 8n, 0n)).toBe(0n); // 8 words
    expect([...m.ram.read(0x210000, 32)]).toEqual([...bytes]);
    expect(call(0x220000n, 0x200000n, 0n, 4n, 1n)).toBe(0n); // 4 bytes, inverted
    expect([...m.ram.read(0x220000, 4)]).toEqual([0xfe, 0xfd, 0xfc, 0xfb]);
    // overlapping, destination above the source: copied backwards (memmove)
    expect(call(0x200004n, 0x200000n, 2n, 4n, 0n)).toBe(0n);
    expect([...m.ram.read(0x200000, 24)]).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24]);
    expect(call(0x210004n, 0x200000n, 3n, 1n, 0n)).toBe(BigInt.asUintN(64, -4n)); // 8-byte elements need 8-byte alignment
    const H_PARAMETER = BigInt.asUintN(64, -4n);
    expect(call(0x210001n, 0x200000n, 1n, 1n, 0n)).toBe(H_PARAMETER); // unaligned destination
    expect(call(0x210000n, 0x200000n, 0n, 1n, 2n)).toBe(H_PARAMETER); // op 2
    expect(call(0x210000n, 0x200000n, 0n, 0x80000001n, 0n)).toBe(H_PARAMETER); // count
    expect(call(0x210000n, 0x200000n, 4n, 1n, 0n)).toBe(H_PARAMETER); // element size
    expect(call(0x210000n, 0x200000n, 4n, 0n, 0n)).toBe(0n); // nothing to copy
  });

  it('H_HOME_NODE_ASSOCIATIVITY gives the vCPU\'s domains, FORM1 or FORM2 as negotiated', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const s = m.cpu.state;
    const call = (flags: bigint, procno: bigint) => {
      s.setGpr(3, 0x2ecn); s.setGpr(4, flags); s.setGpr(5, procno);
      m.hypercall(m.cpu);
      return [s.getGpr(3), ...[4, 5, 6, 7, 8, 9].map((r) => s.getGpr(r))];
    };
    const ones = 0xffffffffffffffffn;
    expect(call(1n, 0n)).toEqual([0n, 0n, 0n, 0x00000000ffffffffn, ones, ones, ones]); // FORM1: 0 0 0 0 vcpu 0
    m.ov5_cas[34 >> 3] |= 0x80 >> (34 & 7);
    expect(call(1n, 0n)).toEqual([0n, 0n, ones, ones, ones, ones, ones]); // FORM2: node 0, vcpu 0
    expect(call(0n, 0n)[0]).toBe(BigInt.asUintN(64, -2n)); // H_FUNCTION: only flags 1
    expect(call(1n, 7n)[0]).toBe(BigInt.asUintN(64, -55n)); // H_P2: no such vCPU
  });

  it('ibm,change-msi and ibm,query-interrupt-source-number find no device on PHB 0: -3, as QEMU with an empty bus', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const s = m.cpu.state;
    const buf = 0x100000;
    for (const name of ['ibm,change-msi', 'ibm,query-interrupt-source-number'] as const) {
      // config address 0 on PHB 0's BUID 0x800000020000000, then the function / vector number
      const args = [0, 0x08000000, 0x20000000, 1, 1, 0];
      m.ram.st32(buf, rtasToken(name), false);
      m.ram.st32(buf + 4, args.length, false);
      m.ram.st32(buf + 8, 3, false);
      args.forEach((v, i) => m.ram.st32(buf + 12 + 4 * i, v, false));
      m.ram.st32(buf + 12 + 4 * args.length, 0x7777, false);
      s.setGpr(3, 0xf000n);
      s.setGpr(4, BigInt(buf));
      m.hypercall(m.cpu);
      expect(m.ram.ld32(buf + 12 + 4 * args.length, false), name).toBe(-3);
    }
  });

  it('dynamic DMA windows (ibm,query/create/remove/reset-pe-dma-window) as QEMU 7.2', () => {
    const call = (m: ReturnType<typeof machineForDt>, name: Parameters<typeof rtasToken>[0], args: number[], nret: number) => {
      const buf = 0x100000, s = m.cpu.state;
      m.ram.st32(buf, rtasToken(name), false);
      m.ram.st32(buf + 4, args.length, false);
      m.ram.st32(buf + 8, nret, false);
      args.forEach((v, i) => m.ram.st32(buf + 12 + 4 * i, v | 0, false));
      s.setGpr(3, 0xf000n);
      s.setGpr(4, BigInt(buf));
      m.hypercall(m.cpu);
      return Array.from({ length: nret }, (_, i) => m.ram.ld32(buf + 12 + 4 * (args.length + i), false) >>> 0);
    };
    const BUID = [0x08000000, 0x20000000]; // 0x800000020000000
    const m = machineForDt('pseries-7.2', POWER8);
    // one window free (the default one is in use); 4K|64K|2M|16M pages
    expect(call(m, 'ibm,query-pe-dma-window', [0, ...BUID], 5)).toEqual([0, 1, 0x80000000, 0x107, 0]);
    expect(call(m, 'ibm,query-pe-dma-window', [0, ...BUID], 6)).toEqual([0, 1, 0x20, 0, 0x107, 0]);
    // a 256 MiB window of 64K pages: liobn 0x80000001 at dma64_win_addr
    expect(call(m, 'ibm,create-pe-dma-window', [0, ...BUID, 16, 28], 4)).toEqual([0, 0x80000001, 0x08000000, 0]);
    expect(m.tceTables.map((t) => t.nb_table)).toEqual([0x40000, 4096]);
    expect(call(m, 'ibm,query-pe-dma-window', [0, ...BUID], 5)[1]).toBe(0);
    expect(call(m, 'ibm,create-pe-dma-window', [0, ...BUID, 16, 28], 4)[0]).toBe(0xffffffff); // no free window: -1
    // removing the default window leaves the new one; removing that restores the default
    expect(call(m, 'ibm,remove-pe-dma-window', [0x80000000], 1)).toEqual([0]);
    expect(m.tceTables.map((t) => t.nb_table)).toEqual([0, 4096]);
    expect(call(m, 'ibm,remove-pe-dma-window', [0x80000001], 1)).toEqual([0]);
    expect(m.tceTables.map((t) => t.nb_table)).toEqual([0x40000, 0]);
    expect(call(m, 'ibm,remove-pe-dma-window', [0x80000001], 1)).toEqual([0xfffffffd]); // not active: -3
    expect(call(m, 'ibm,create-pe-dma-window', [0, ...BUID, 24, 40], 4)[0]).toBe(0);
    expect(call(m, 'ibm,reset-pe-dma-window', [0, ...BUID], 1)).toEqual([0]);
    expect(m.tceTables.map((t) => t.nb_table)).toEqual([0x40000, 0]);
    // bad arguments: a page size the PHB does not offer, a window smaller than a page, a BUID, counts
    expect(call(m, 'ibm,create-pe-dma-window', [0, ...BUID, 13, 28], 4)[0]).toBe(0xfffffffd);
    expect(call(m, 'ibm,create-pe-dma-window', [0, ...BUID, 16, 12], 4)[0]).toBe(0xfffffffd);
    expect(call(m, 'ibm,query-pe-dma-window', [0, 0, 1], 5)[0]).toBe(0xfffffffd);
    expect(call(m, 'ibm,query-pe-dma-window', [0, ...BUID], 4)[0]).toBe(0xfffffffd);
    // pseries-4.1 offers 4K and 64K pages only; pseries-2.6 has no DDW
    expect(call(machineForDt('pseries-4.1', POWER8), 'ibm,query-pe-dma-window', [0, ...BUID], 5)[3]).toBe(0x3);
    expect(call(machineForDt('pseries-2.6', POWER8), 'ibm,query-pe-dma-window', [0, ...BUID], 5)[0]).toBe(0xfffffffd);
  });

  it('garbage RTAS arguments give RTAS error codes', () => {
    const m = machineForDt('pseries-7.2', POWER8);
    const s = m.cpu.state;
    const buf = 0x100000;
    for (let token = 0x2000; token < 0x202d; token++) {
      if (token === 0x2003 || token === 0x2004 || token === 0x201f || token === 0x2007) continue; // power-off, reboot, os-term, stop-self
      for (const [nargs, nret] of [[0, 0], [1, 1], [3, 2], [7, 8], [0xffffffff, 1], [2, 0xffffffff]]) {
        m.ram.st32(buf, token, false);
        m.ram.st32(buf + 4, nargs | 0, false);
        m.ram.st32(buf + 8, nret | 0, false);
        for (let i = 0; i < 10; i++) m.ram.st32(buf + 12 + 4 * i, (0xdead0000 + i * 0x1111) | 0, false);
        s.setGpr(3, 0xf000n);
        s.setGpr(4, BigInt(buf));
        expect(() => m.hypercall(m.cpu)).not.toThrow();
      }
    }
  });
});

describe('CAS', () => {
  function casMachine() {
    const traces: string[] = [];
    const resets: string[] = [];
    const m = machineForDt('pseries-7.2', POWER8, undefined, true);
    const host = m.host as { trace: (n: string, a?: string) => void; resetRequest: (c: string) => void };
    host.trace = (n, a) => traces.push(`${n} ${a ?? ''}`);
    host.resetRequest = (c) => resets.push(c);
    return { m, traces, resets };
  }

  /** {mask, pvr}, terminator, then vectors 1..5 with vector 5 = `ov5` bytes */
  function casBuffer(m: SpaprMachine, addr: number, pvr: number, mask: number, ov5: number[]): void {
    const b: number[] = [];
    const w = (v: number) => b.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    w(mask); w(pvr); w(0); w(0xffffffff);
    b.push(4, 0, 0, 0, 0, 0, 0, 0, 0, ov5.length - 1, ...ov5);
    m.ram.write(addr, Uint8Array.from(b));
  }

  it('intersects vector 5 with the platform\'s, rebuilds /chosen/ibm,architecture-vec-5, traces spapr_cas_pvr', async () => {
    const { m, traces, resets } = casMachine();
    const { vofClientArchitectureSupport } = await import('../src/core/spapr/cas');
    const { findNode, getProp } = await import('../src/core/spapr/fdt');
    casBuffer(m, 0x200000, 0x0f000004, 0xffffffff, [0, 0x20, 0, 0, 0xa0, 0x05, 0, 0, 0xff]);
    expect(vofClientArchitectureSupport(m, 0x200000)).toBe(0n);
    expect(traces).toContain('spapr_cas_pvr current=0x0, explicit_match=0, new=0xf000004');
    expect(m.cpu.state.compatPvr).toBe(0x0f000004);
    expect(Array.from(getProp(findNode(m.fdt, '/chosen')!, 'ibm,architecture-vec-5')!)).toEqual([5, 0, 0x20, 0, 0, 0xa0, 0x05]);
    expect(resets).toEqual([]); // QEMU 7.2: no CAS reboot
  });

  it('a 2.8-4.2 CAS asks for a subsystem reset when the guest drops capabilities it had negotiated', async () => {
    const { m, resets } = casMachine();
    const { vofClientArchitectureSupport } = await import('../src/core/spapr/cas');
    m.casProfile = { logic: 'cas-reboot-flag', hotplugReboot: true, migrateFlag: false };
    casBuffer(m, 0x200000, 0x004d0200, 0xffffffff, [0, 0x20, 0, 0, 0, 0x04]); // FORM1_AFFINITY, HP_EVT
    expect(vofClientArchitectureSupport(m, 0x200000)).toBe(0n);
    expect(m.cas_reboot).toBe(false);
    casBuffer(m, 0x200000, 0x004d0200, 0xffffffff, [0, 0x20]); // HP_EVT dropped
    expect(vofClientArchitectureSupport(m, 0x200000)).toBe(0n);
    expect(m.cas_reboot).toBe(true);
    expect(resets).toEqual(['subsystem-reset']);
  });

  it('KVMPPC_H_CAS copies the header and the packed tree, traces spapr_cas_continue', () => {
    const { m, traces } = casMachine();
    casBuffer(m, 0x200000, 0x004d0200, 0xffffffff, [0, 0x20]);
    const s = m.cpu.state;
    s.setGpr(3, 0xf002n); s.setGpr(4, 0x200000n); s.setGpr(5, 0x300000n); s.setGpr(6, 0x10000n);
    m.hypercall(m.cpu);
    expect(s.getGpr(3)).toBe(0n);
    expect(m.ram.ld32(0x300004, false) >>> 0).toBe(0xd00dfeed);
    expect(traces.some((t) => t.startsWith('spapr_cas_continue Copy changes to the guest: '))).toBe(true);
  });
});

describe('guests/papr-services build', () => {
  it.skipIf(spawnSync('bash', ['-c', 'command -v powerpc64le-linux-gnu-gcc']).status !== 0)('build.sh reproduces the committed ELF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'papr-'));
    const out = join(dir, 'p.elf');
    const r = spawnSync('guests/papr-services/build.sh', [out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(out).equals(readFileSync('public/guests/papr-services.elf'))).toBe(true);
  });
});

describe('cli run with QEMU-style boot options', () => {
  it('accepts -M/--machine, -m, --cpu, --kernel, --append and refuses what it cannot do', () => {
    let text = '';
    const rc = runCommand(parseArgs(['-M', 'pseries-2.6,x-vof=on', '-m', '512M', '--cpu', 'POWER8', '--kernel', 'public/guests/hello.elf',
      '--append', 'console=hvc0', '--max-insns', '300000']), (s) => { text += s; }, () => {});
    expect(rc).toBe(0);
    expect(text).toContain('pseries-lab hello guest');
    expect(() => runCommand(parseArgs(['-M', 'pseries,x-vof=off']), () => {}, () => {})).toThrow(/x-vof=off/);
    expect(() => runCommand(parseArgs(['--machine', 'pseries-1.0']), () => {}, () => {})).toThrow(/unsupported machine type 'pseries-1.0'/);
    expect(() => runCommand(parseArgs(['--cpu', 'POWER9']), () => {}, () => {})).toThrow(/unable to find CPU model 'POWER9'/);
  });
});
