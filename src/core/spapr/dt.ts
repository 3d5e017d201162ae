// spapr_build_fdt: the device tree a pseries-7.2 machine with a POWER8 CPU, -nodefaults and
// one spapr-vty gives its guest (node names and the properties of hw/ppc/spapr.c and
// spapr_vio.c; compare `-machine dumpdtb=`). PCI and DRC properties are not modelled yet.

import { bytes, cells, empty, node, str, u64cells, type FdtNode } from './fdt';
import { RTAS_TOKENS } from './rtas';
import type { SpaprMachine } from './machine';

export function spaprBuildFdt(m: SpaprMachine): FdtNode {
  const cpu = m.cpu;
  const ov5cas = ovecDtBytes(m.ov5_cas);
  return node('', [
    ['#size-cells', cells(2)],
    ['#address-cells', cells(2)],
    ['vm,uuid', str('00000000-0000-0000-0000-000000000000')],
    ['compatible', str('qemu,pseries')],
    ['model', str('IBM pSeries (emulated by qemu)')],
    ['device_type', str('chrp')],
  ], [
    node('chosen', [
      ['ibm,architecture-vec-5', ov5cas],
      ['ibm,arch-vec-5-platform-support', cells(0x17001800, 0x19001a40)],
      ['linux,pci-probe-only', cells(0)],
      ['stdout-path', str(`/vdevice/${m.vty.dtName}`)],
      ['linux,stdout-path', str(`/vdevice/${m.vty.dtName}`)],
    ]),
    node('rtas', [
      ...RTAS_TOKENS.map(([name, token]): [string, Uint8Array] => [name, cells(token)]),
      ['ibm,lrdr-capacity', cells(0, 0, 0, m.ram.size, 1)],
      ['rtas-event-scan-rate', cells(1)],
      ['rtas-error-log-max', cells(0x800)],
      ['rtas-size', cells(0x82c)],
      ['ibm,hypertas-functions', str('hcall-pft', 'hcall-term', 'hcall-dabr', 'hcall-interrupt', 'hcall-tce',
        'hcall-vio', 'hcall-splpar', 'hcall-join', 'hcall-bulk', 'hcall-set-mode', 'hcall-sprg0',
        'hcall-copy', 'hcall-debug', 'hcall-vphn', 'hcall-multi-tce', 'hcall-hpt-resize', 'hcall-watchdog')],
    ]),
    node('cpus', [
      ['#size-cells', cells(0)],
      ['#address-cells', cells(1)],
    ], [
      node(`PowerPC,${cpu.model.name}@0`, [
        ['ibm,ppc-interrupt-gserver#s', cells(0, 0)],
        ['ibm,ppc-interrupt-server#s', cells(0)],
        ['ibm,pft-size', cells(0, m.htabShift)],
        ['ibm,chip-id', cells(0)],
        ['ibm,segment-page-sizes', cells(0x0c, 0x00, 0x01, 0x0c, 0x00, 0x10, 0x110, 0x01, 0x10, 0x01)],
        ['ibm,dfp', cells(1)],
        ['ibm,vmx', cells(2)],
        ['ibm,processor-segment-sizes', cells(0x1c, 0x28, 0xffffffff, 0xffffffff)],
        ['ibm,spurr', cells(1)],
        ['ibm,purr', cells(1)],
        ['64-bit', empty],
        ['status', str('okay')],
        ['ibm,slb-size', cells(0x20)],
        ['slb-size', cells(0x20)],
        ['clock-frequency', cells(1_000_000_000)],
        ['timebase-frequency', cells(512_000_000)],
        ['i-cache-size', cells(0x8000)],
        ['d-cache-size', cells(0x8000)],
        ['i-cache-line-size', cells(0x80)],
        ['i-cache-block-size', cells(0x80)],
        ['d-cache-line-size', cells(0x80)],
        ['d-cache-block-size', cells(0x80)],
        ['cpu-version', cells(cpu.model.pvr)],
        ['device_type', str('cpu')],
        ['reg', cells(0)],
        ['ibm,my-drc-index', cells(0x10000000)],
      ]),
    ]),
    node('vdevice', [
      ['interrupt-controller', empty],
      ['#interrupt-cells', cells(2)],
      ['#size-cells', cells(0)],
      ['#address-cells', cells(1)],
      ['compatible', str('IBM,vdevice')],
      ['device_type', str('vdevice')],
    ], [
      node(m.nvram.dtName, [
        ['#bytes', cells(m.nvram.size)],
        ['interrupts', cells(m.nvram.irq, 0)],
        ['compatible', str('qemu,spapr-nvram')],
        ['device_type', str('nvram')],
        ['reg', cells(m.nvram.reg)],
      ]),
      node(m.vty.dtName, [
        ['interrupts', cells(m.vty.irq, 0)],
        ['compatible', str('hvterm1')],
        ['device_type', str('serial')],
        ['reg', cells(m.vty.reg)],
      ]),
    ]),
    node('memory@0', [
      ['ibm,associativity', cells(4, 0, 0, 0, 0)],
      ['reg', u64cells(0, m.ram.size)],
      ['device_type', str('memory')],
    ]),
    node('interrupt-controller', [
      ['phandle', cells(0x1111)],
      ['linux,phandle', cells(0x1111)],
      ['#interrupt-cells', cells(2)],
      ['ibm,interrupt-server-ranges', cells(0, 1)],
      ['interrupt-controller', empty],
      ['compatible', str('IBM,ppc-xicp')],
      ['device_type', str('PowerPC-External-Interrupt-Presentation')],
    ]),
  ]);
}

/**
 * spapr_dt_ovec: a length byte (number of bytes - 1) then the vector bytes up to the last
 * set bit, at least one byte. Bit n of the 2048-bit map is byte n/8, mask 0x80 >> (n%8).
 */
export function ovecDtBytes(ovec: Uint8Array): Uint8Array {
  let last = 0;
  for (let i = 0; i < ovec.length; i++) if (ovec[i]) last = i;
  return bytes(last, ...ovec.subarray(0, last + 1));
}
