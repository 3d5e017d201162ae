// spapr_build_fdt: the device tree a pseries machine gives its guest, node by node and
// property by property in the order QEMU 7.2's `-machine dumpdtb=` shows them (QEMU adds
// properties to existing nodes at the front, so several lists here read "newest first").
// Compat knobs of the machine type (versions.ts) select what older machine types show.

import { bytes, cells, empty, node, str, u64cells, type FdtNode } from './fdt';
import { RTAS_TOKENS, rtasToken } from './rtas';
import {
  drcIndex, drcName, drcTypeName, SPAPR_DR_CONNECTOR_TYPE_CPU, SPAPR_DR_CONNECTOR_TYPE_LMB,
  SPAPR_DR_CONNECTOR_TYPE_PCI, SPAPR_DR_CONNECTOR_TYPE_PHB, SPAPR_DR_CONNECTOR_TYPE_PMEM,
  type DrcContainer, type DrcOwner,
} from './drc';
import type { SpaprIrqLayout } from './irq';
import type { MachineCompat } from './versions';
import type { CpuModel } from '../cpu/cpu';

/** What the device tree is built from (a SpaprMachine provides all of it). */
export interface FdtSource {
  compat: MachineCompat;
  ram: { size: number };
  cpu: { model: CpuModel; state: { compatPvr: number } };
  /** -smp maxcpus (possible cores, one thread each) */
  maxCpus?: number;
  /** the present cores in creation order (default: core 0 alone) */
  cores?: ReadonlyArray<{ cpuIndex: number; vcpuId: number }>;
  htabShift: number;
  nvram: { reg: number; size: number; dtName: string };
  vty: { reg: number; dtName: string } | null;
  ov5_cas: Uint8Array;
  drcs: DrcContainer;
  irqs: SpaprIrqLayout;
  /** /chosen/rng-seed: 32 bytes */
  rngSeed: Uint8Array;
  /** -append, -initrd, -kernel as /chosen announces them */
  bootargs?: string;
  initrdRange?: { start: number; end: number };
  bootKernel?: { addr: number; size: number; le: boolean };
  /** machine->device_memory: the hot-pluggable range (base 0, size 0 without maxmem) */
  deviceMem?: { base: number; size: number };
  /** the plugged pc-dimms (qmp_memory_device_list order: by address) */
  dimms?: ReadonlyArray<{ addr: number; size: number; node: number }>;
}

export const PHANDLE_INTC = 0x1111;
/** SPAPR_MEMORY_BLOCK_SIZE */
export const LMB_SIZE = 0x10000000;
/** SPAPR_LMB_FLAGS_* of ibm,dynamic-memory(-v2) entries */
const SPAPR_LMB_FLAGS_ASSIGNED = 0x08;
const SPAPR_LMB_FLAGS_DRC_INVALID = 0x20;
const SPAPR_LMB_FLAGS_RESERVED = 0x80;
const SPAPR_LMB_FLAGS_HOTREMOVABLE = 0x100;
const SPAPR_PCI_BASE_BUID = 0x800000020000000n;

export function spaprBuildFdt(m: FdtSource): FdtNode {
  const c = m.compat;
  const rootDrcMask = SPAPR_DR_CONNECTOR_TYPE_LMB
    | (c.drPhbEnabled ? SPAPR_DR_CONNECTOR_TYPE_PHB : 0)
    | (c.nvdimmSupported ? SPAPR_DR_CONNECTOR_TYPE_PMEM : 0);
  const children: FdtNode[] = [];
  if (c.nvdimmSupported) {
    children.push(node('ibm,persistent-memory', [
      ['device_type', str('ibm,persistent-memory')],
      ['#size-cells', cells(0)],
      ['#address-cells', cells(1)],
    ]));
  }
  children.push(dtChosen(m), dtRtas(m), dtEvents(m), dtCpus(m), dtPhb(m), dtVdevice(m));
  // spapr_dt_memory: the node is added after memory@0 (so listed before it)
  const drconf = dtDynamicReconfigurationMemory(m);
  if (drconf) children.push(drconf);
  children.push(node('memory@0', [
    ['ibm,associativity', spaprNumaAssociativity(m.ov5_cas)],
    ['reg', u64cells(0, m.ram.size)],
    ['device_type', str('memory')],
  ]));
  children.push(node('interrupt-controller', [
    ['phandle', cells(PHANDLE_INTC)],
    ['linux,phandle', cells(PHANDLE_INTC)],
    ['#interrupt-cells', cells(2)],
    ['ibm,interrupt-server-ranges', cells(0, nrServers(c, m.maxCpus ?? 1))],
    ['interrupt-controller', empty],
    ['compatible', str('IBM,ppc-xicp')],
    ['device_type', str('PowerPC-External-Interrupt-Presentation')],
  ]));
  return node('', [
    ...dtDrc(m.drcs, null, rootDrcMask),
    ['#size-cells', cells(2)],
    ['#address-cells', cells(2)],
    ['vm,uuid', str('00000000-0000-0000-0000-000000000000')],
    ['compatible', str('qemu,pseries')],
    ['model', str('IBM pSeries (emulated by qemu)')],
    ['device_type', str('chrp')],
  ], children);
}

const hi32 = (x: number): number => Math.floor(x / 2 ** 32);
const lo32 = (x: number): number => x >>> 0;

/** device_memory->base + its size: the end of the hot-pluggable range (0 without maxmem). */
function maxDeviceAddr(m: FdtSource): number {
  return m.deviceMem ? m.deviceMem.base + m.deviceMem.size : 0;
}

/** OV_BIT(byte, bit) numbering: bit n is byte n/8, mask 0x80 >> (n%8). */
const ovTest = (ov: Uint8Array, bit: number): boolean => (ov[bit >> 3] & (0x80 >> (bit & 7))) !== 0;
const OV5_DRCONF_MEMORY = 10;
const OV5_FORM2_AFFINITY = 34;
const OV5_DRMEM_V2 = 168;

/** The ibm,associativity of NUMA node 0 (spapr_numa_write_associativity_dt): FORM2 once negotiated, else FORM1. */
export function spaprNumaAssociativity(ov5_cas: Uint8Array): Uint8Array {
  return ovTest(ov5_cas, OV5_FORM2_AFFINITY) ? cells(1, 0) : cells(4, 0, 0, 0, 0);
}

/**
 * spapr_lmb_dt_populate: the node ibm,configure-connector hands out for an LMB. QEMU 7.2 takes
 * the block's address as the DRC *index* times the LMB size (0x80000004 -> memory@800000040000000),
 * not its id, and so does this.
 */
export function spaprLmbDtNode(drcIdx: number, ov5_cas: Uint8Array): FdtNode {
  const addr = BigInt(drcIdx >>> 0) * BigInt(LMB_SIZE);
  return node(`memory@${addr.toString(16)}`, [
    ['ibm,associativity', spaprNumaAssociativity(ov5_cas)],
    ['reg', u64cells(addr, LMB_SIZE)],
    ['device_type', str('memory')],
  ]);
}

/**
 * spapr_dt_dynamic_reconfiguration_memory, once the guest negotiated OV5_DRCONF_MEMORY at CAS
 * and the machine has device memory (maxmem > ram): the LMB size, flags mask, preservation
 * time, the LMB list (ibm,dynamic-memory-v2 when OV5_DRMEM_V2 was negotiated too, else one
 * entry per LMB from address 0) and the associativity lookup arrays.
 */
function dtDynamicReconfigurationMemory(m: FdtSource): FdtNode | null {
  const dm = m.deviceMem;
  if (!ovTest(m.ov5_cas, OV5_DRCONF_MEMORY) || !dm || dm.size === 0) return null;
  const dimms = m.dimms ?? [];
  const lmbIndex = (addr: number): number => drcIndex({ type: SPAPR_DR_CONNECTOR_TYPE_LMB, id: addr / LMB_SIZE, owner: 'machine' });
  const end = dm.base + dm.size;
  let list: Uint8Array;
  let name: string;
  if (ovTest(m.ov5_cas, OV5_DRMEM_V2)) {
    // sPAPRDrconfCellV2: seq_lmbs, base_addr (64-bit), drc_index, aa_index, flags
    const entries: number[][] = [[dm.base / LMB_SIZE, 0, 0, 0, 0xffffffff, SPAPR_LMB_FLAGS_RESERVED | SPAPR_LMB_FLAGS_DRC_INVALID]];
    let cur = dm.base;
    for (const d of dimms) {
      if (cur < d.addr) entries.push([(d.addr - cur) / LMB_SIZE, hi32(cur), lo32(cur), lmbIndex(cur), 0xffffffff, 0]);
      entries.push([d.size / LMB_SIZE, hi32(d.addr), lo32(d.addr), lmbIndex(d.addr), d.node >>> 0, SPAPR_LMB_FLAGS_ASSIGNED | SPAPR_LMB_FLAGS_HOTREMOVABLE]);
      cur = d.addr + d.size;
    }
    if (cur < end) entries.push([(end - cur) / LMB_SIZE, hi32(cur), lo32(cur), lmbIndex(cur), 0xffffffff, 0]);
    list = cells(entries.length, ...entries.flat());
    name = 'ibm,dynamic-memory-v2';
  } else {
    // one entry per LMB: address (64-bit), DRC index, reserved, associativity index, flags
    const nr = end / LMB_SIZE;
    const out: number[] = [nr];
    for (let i = 0; i < nr; i++) {
      const addr = i * LMB_SIZE;
      if (addr >= dm.base) {
        const d = dimms.find((x) => addr >= x.addr && addr < x.addr + x.size);
        out.push(hi32(addr), lo32(addr), lmbIndex(addr), 0, d ? d.node >>> 0 : 0xffffffff, d ? SPAPR_LMB_FLAGS_ASSIGNED : 0);
      } else {
        out.push(hi32(addr), lo32(addr), 0, 0, 0xffffffff, SPAPR_LMB_FLAGS_RESERVED | SPAPR_LMB_FLAGS_DRC_INVALID);
      }
    }
    list = cells(...out);
    name = 'ibm,dynamic-memory';
  }
  // spapr_numa_write_assoc_lookup_arrays: one node, the associativity without its length
  const assoc = spaprNumaAssociativity(m.ov5_cas);
  const refPoints = new DataView(assoc.buffer, assoc.byteOffset).getUint32(0);
  const lookup = new Uint8Array(8 + assoc.length - 4);
  lookup.set(cells(1, refPoints), 0);
  lookup.set(assoc.subarray(4), 8);
  return node('ibm,dynamic-reconfiguration-memory', [
    ['ibm,associativity-lookup-arrays', lookup],
    [name, list],
    ['ibm,memory-preservation-time', cells(0)],
    ['ibm,memory-flags-mask', cells(0xff)],
    ['ibm,lmb-size', cells(0, LMB_SIZE)],
  ]);
}

/**
 * smp.cores * smp.threads for `-smp 1,maxcpus=N`: machine types before 6.2 prefer sockets
 * (N sockets of one core), later ones cores (one socket of N cores).
 */
function vcpusPerSocket(c: MachineCompat, maxCpus: number): number {
  const v = /^pseries-(\d+)\.(\d+)$/.exec(c.name);
  const preferSockets = v !== null && (Number(v[1]) < 6 || (Number(v[1]) === 6 && Number(v[2]) < 2));
  return preferSockets ? 1 : maxCpus;
}

/** spapr_max_server_number() for one vCPU, one thread: vsmt = 1, or MAX(8, threads). */
export function nrServers(c: MachineCompat, maxCpus = 1): number {
  return maxCpus * (c.smpThreadsVsmt ? 1 : 8);
}

/** spapr_dt_drc: ibm,drc-types/-names/-power-domains/-indexes of the DRCs of `owner` in `mask`. */
function dtDrc(drcs: DrcContainer, owner: DrcOwner | null, mask: number): Array<[string, Uint8Array]> {
  const list = drcs.list().filter((d) => (owner === null || d.owner === owner) && (d.type & mask));
  const n = list.length;
  const joined = (xs: string[]): Uint8Array => {
    const body = str(...xs);
    const out = new Uint8Array(4 + (xs.length ? body.length : 0));
    new DataView(out.buffer).setUint32(0, n);
    if (xs.length) out.set(body, 4);
    return out;
  };
  return [
    ['ibm,drc-types', joined(list.map(drcTypeName))],
    ['ibm,drc-names', joined(list.map(drcName))],
    ['ibm,drc-power-domains', cells(n, ...list.map(() => 0xffffffff))],
    ['ibm,drc-indexes', cells(n, ...list.map(drcIndex))],
  ];
}

function dtChosen(m: FdtSource): FdtNode {
  const props: Array<[string, Uint8Array]> = [
    ['ibm,architecture-vec-5', ovecDtBytes(m.ov5_cas)],
    ['rng-seed', m.rngSeed],
    ['ibm,arch-vec-5-platform-support', cells(...ov5PlatformSupport(m.cpu.model))],
  ];
  if (m.compat.linuxPciProbe) props.push(['linux,pci-probe-only', cells(0)]);
  if (m.vty) {
    const path = `/vdevice/${m.vty.dtName}`;
    props.push(['stdout-path', str(path)], ['linux,stdout-path', str(path)]);
  }
  props.push(
    ['qemu,graphic-depth', cells(32)],
    ['qemu,graphic-height', cells(600)],
    ['qemu,graphic-width', cells(800)],
  );
  if (m.bootKernel) {
    if (m.bootKernel.le) props.push(['qemu,boot-kernel-le', empty]);
    props.push(['qemu,boot-kernel', u64cells(m.bootKernel.addr, m.bootKernel.size)]);
  }
  if (m.initrdRange) props.push(['linux,initrd-end', cells(m.initrdRange.end)], ['linux,initrd-start', cells(m.initrdRange.start)]);
  if (m.bootargs) props.push(['bootargs', str(m.bootargs)]);
  return node('chosen', props);
}

/** spapr_dt_ov5_platform_support: {index, value} pairs; POWER9 and later add radix/XIVE options. */
function ov5PlatformSupport(model: CpuModel): number[] {
  const p9 = (model.pvr >>> 16) >= 0x004e;
  return p9 ? [0x178018c0, 0x19001a40] : [0x17001800, 0x19001a40];
}

/** The NUMA description in /rtas (spapr_numa_write_rtas_dt) for the one node this machine has.
 * FORM2 once the guest negotiated OV5_FORM2_AFFINITY: a reference point, the domain count, and
 * the lookup-index and distance tables (local distance NUMA_DISTANCE_MIN = 10), which a guest
 * asking for FORM2 reads unconditionally; else FORM1's legacy single-node arrays. */
function numaRtasProps(m: FdtSource): Array<[string, Uint8Array]> {
  if (ovTest(m.ov5_cas, OV5_FORM2_AFFINITY)) {
    return [
      ['ibm,numa-distance-table', Uint8Array.of(0, 0, 0, 1, 10)],
      ['ibm,numa-lookup-index-table', cells(1, 0)],
      ['ibm,max-associativity-domains', cells(1, 1)],
      ['ibm,associativity-reference-points', cells(1)],
    ];
  }
  return [
    ['ibm,max-associativity-domains', cells(4, 0, 0, 0, 1)],
    ['ibm,associativity-reference-points', m.compat.pre_5_1_assoc_refpoints ? cells(4, 4) : cells(4, 4, 2)],
  ];
}

function dtRtas(m: FdtSource): FdtNode {
  const c = m.compat;
  return node('rtas', [
    ...RTAS_TOKENS.map(([name, token]): [string, Uint8Array] => [name, cells(token)]),
    ['ibm,lrdr-capacity', cells(hi32(maxDeviceAddr(m)), lo32(maxDeviceAddr(m)), 0, LMB_SIZE, m.maxCpus ?? 1)],
    ['ibm,extended-os-term', empty],
    ['ibm,change-msix-capable', empty],
    ['rtas-event-scan-rate', cells(1)],
    ['rtas-error-log-max', cells(0x800)],
    // RTAS_MIN_SIZE + RTAS_ERROR_LOG_MAX + max_cpus * 16 + 8
    ['rtas-size', cells(20 + 0x800 + (m.maxCpus ?? 1) * 16 + 8)],
    ...numaRtasProps(m),
    ['qemu,hypertas-functions', str('hcall-memop1')],
    ['ibm,hypertas-functions', str('hcall-pft', 'hcall-term', 'hcall-dabr', 'hcall-interrupt', 'hcall-tce',
      'hcall-vio', 'hcall-splpar', 'hcall-join', 'hcall-bulk', 'hcall-set-mode', 'hcall-sprg0',
      'hcall-copy', 'hcall-debug', 'hcall-vphn', 'hcall-multi-tce',
      ...(c.resizeHpt ? ['hcall-hpt-resize'] : []), 'hcall-watchdog')],
  ]);
}

function dtEvents(m: FdtSource): FdtNode {
  const { epow, hotplug } = m.irqs;
  const ranges = hotplug === undefined ? cells(epow, 1) : cells(epow, 1, hotplug, 1);
  const kids: FdtNode[] = [];
  if (hotplug !== undefined) kids.push(node('hot-plug-events', [['interrupts', cells(hotplug, 0)]]));
  kids.push(node('epow-events', [['interrupts', cells(epow, 0)]]));
  return node('event-sources', [
    ['interrupt-ranges', ranges],
    ['#interrupt-cells', cells(2)],
    ['interrupt-controller', empty],
  ], kids);
}

/** POWER8 segment/page sizes: [segment shift, slb enc, [[page shift, pte enc], ...]]. */
const POWER8_SPS: Array<[number, number, Array<[number, number]>]> = [
  [12, 0x000, [[12, 0x00], [24, 0x38]]],
  [16, 0x110, [[16, 0x01], [24, 0x08]]],
  [24, 0x100, [[24, 0x00]]],
  [34, 0x120, [[34, 0x03]]],
];

/** spapr_dt_cpu's ibm,segment-page-sizes, limited by the hpt-max-page-size cap. */
function segmentPageSizes(maxShift: number): Uint8Array {
  const out: number[] = [];
  for (const [seg, enc, pages] of POWER8_SPS) {
    if (seg > maxShift) continue;
    const ok = pages.filter(([p]) => p <= maxShift);
    out.push(seg, enc, ok.length);
    for (const [p, e] of ok) out.push(p, e);
  }
  return cells(...out);
}

/** POWER8 ibm,pa-features (spapr_dt_pa_features, pa_features_207). */
const PA_FEATURES_207 = bytes(0x18, 0x00, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00);

function dtCpus(m: FdtSource): FdtNode {
  const c = m.compat;
  // spapr_dt_cpus: every present vCPU (hot-plugged ones too once the tree is rebuilt), in
  // CPU_FOREACH order
  const nodes = (m.cores ?? [{ cpuIndex: 0, vcpuId: 0 }]).map((core) => dtCpu(m, core.vcpuId, core.cpuIndex));
  return node('cpus', [
    ...(c.hotplugCpus ? dtDrc(m.drcs, null, SPAPR_DR_CONNECTOR_TYPE_CPU) : []),
    ['#size-cells', cells(0)],
    ['#address-cells', cells(1)],
  ], nodes);
}

/**
 * spapr_core_dt_populate: a core's node as ibm,configure-connector hands it out, the node
 * spapr_dt_cpu builds plus a "name" property written last (so listed first, as QEMU adds
 * properties at the front of a node).
 */
export function spaprCoreDtNode(m: FdtSource, vcpuId: number, cpuIndex: number): FdtNode {
  const n = dtCpu(m, vcpuId, cpuIndex);
  n.props.unshift(['name', str(n.name)]);
  return n;
}

/** spapr_dt_cpu for the vCPU `vcpuId` (its compat mode is the boot vCPU's: ppc_set_compat_all). */
function dtCpu(m: FdtSource, vcpuId: number, cpuIndex: number): FdtNode {
  const c = m.compat;
  const cpu = m.cpu.model;
  const cpuProps: Array<[string, Uint8Array]> = [
    ['ibm,ppc-interrupt-gserver#s', cells(vcpuId, 0)],
    ['ibm,ppc-interrupt-server#s', cells(vcpuId)],
    ['ibm,pft-size', cells(0, m.htabShift)],
    ['ibm,chip-id', cells(Math.floor(cpuIndex / vcpusPerSocket(c, m.maxCpus ?? 1)))],
    ['ibm,pa-features', PA_FEATURES_207],
    ['ibm,segment-page-sizes', segmentPageSizes(c.hptMaxPageShift)],
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
    ['cpu-version', cells(m.cpu.state.compatPvr ? m.cpu.state.compatPvr : cpu.pvr)],
    ['device_type', str('cpu')],
    ['reg', cells(vcpuId)],
  ];
  if (c.hotplugCpus) cpuProps.push(['ibm,my-drc-index', cells(drcIndex({ type: SPAPR_DR_CONNECTOR_TYPE_CPU, id: vcpuId, owner: 'machine' }))]);
  return node(`PowerPC,${cpu.name}@${vcpuId.toString(16)}`, cpuProps);
}

/** spapr_dt_phb for the default PHB 0 (spapr-pci-host-bridge, index 0). */
function dtPhb(m: FdtSource): FdtNode {
  const c = m.compat;
  const buid = SPAPR_PCI_BASE_BUID;
  const map: number[] = [];
  for (let dev = 0; dev < 32; dev++) {
    for (let pin = 0; pin < 4; pin++) {
      map.push(dev << 11, 0, 0, pin + 1, PHANDLE_INTC, m.irqs.phbLsi[(dev + pin) % 4], 1);
    }
  }
  const props: Array<[string, Uint8Array]> = [
    ...dtDrc(m.drcs, 'phb0', SPAPR_DR_CONNECTOR_TYPE_PCI),
    ['#size-cells', cells(2)],
    ['#address-cells', cells(3)],
    ['qemu,phb-enumerated', cells(1)],
  ];
  if (c.drPhbEnabled) props.push(['ibm,my-drc-index', cells(drcIndex({ type: SPAPR_DR_CONNECTOR_TYPE_PHB, id: 0, owner: 'machine' }))]);
  props.push(
    ['ibm,dma-window', cells(0x80000000, 0, 0, 0, 0x40000000)],
    ['ibm,#dma-size-cells', cells(2)],
    ['ibm,#dma-address-cells', cells(2)],
    ['interrupt-map', cells(...map)],
    ['interrupt-map-mask', cells(0xf800, 0, 0, 0xffffffff)],
  );
  if (c.ddw) {
    props.push(
      ['ibm,ddw-extensions', cells(2, rtasToken('ibm,reset-pe-dma-window'), 1)],
      ['ibm,ddw-applicable', cells(rtasToken('ibm,query-pe-dma-window'), rtasToken('ibm,create-pe-dma-window'), rtasToken('ibm,remove-pe-dma-window'))],
    );
  }
  props.push(
    ['ibm,pe-total-#msi', cells(m.irqs.nrMsis)],
    ['ibm,pci-config-space-type', cells(1)],
    ['reg', u64cells(buid, 0)],
    ['ranges', cells(...phbRanges(c, m.ram.size))],
    ['bus-range', cells(0, 0xff)],
    ['used-by-rtas', empty],
    ['#interrupt-cells', cells(1)],
    ['compatible', str('IBM,Logical_PHB')],
    ['device_type', str('pci')],
  );
  return node(`pci@${buid.toString(16)}`, props);
}

const hi = (x: bigint): number => Number(x >> 32n);
const lo = (x: bigint): number => Number(x & 0xffffffffn);

/** The PHB windows (spapr_phb_placement, or phb_placement_2_7 with a 0xf80000000 window split at 2 GiB). */
function phbRanges(c: MachineCompat, ramSize: number): number[] {
  let pio: bigint; let mmio32: bigint; let mmio64: bigint; let size64: bigint;
  if (c.phbPlacement27) {
    const tib = 0x10000000000n;
    const base = ((BigInt(ramSize) + tib - 1n) / tib) * tib;
    pio = base + 0x80000000n;
    mmio32 = base + 0xa0000000n;
    mmio64 = mmio32 + 0x80000000n;
    size64 = 0xf80000000n - 0x80000000n;
  } else {
    pio = 0x200000000000n;
    mmio32 = 0x200080000000n;
    mmio64 = 0x210000000000n;
    size64 = 0x10000000000n;
  }
  const bus64 = c.phbPlacement27 ? 0x100000000n : mmio64;
  return [
    0x1000000, 0, 0, hi(pio), lo(pio), 0, 0x10000,
    0x2000000, 0, 0x80000000, hi(mmio32), lo(mmio32), 0, 0x80000000,
    0x3000000, hi(bus64), lo(bus64), hi(mmio64), lo(mmio64), hi(size64), lo(size64),
  ];
}

function dtVdevice(m: FdtSource): FdtNode {
  const kids: FdtNode[] = [node(m.nvram.dtName, [
    ['#bytes', cells(m.nvram.size)],
    ['interrupts', cells(m.irqs.vio.get(m.nvram.reg)!, 0)],
    ['compatible', str('qemu,spapr-nvram')],
    ['device_type', str('nvram')],
    ['reg', cells(m.nvram.reg)],
  ])];
  if (m.vty) {
    kids.push(node(m.vty.dtName, [
      ['interrupts', cells(m.irqs.vio.get(m.vty.reg)!, 0)],
      ['compatible', str('hvterm1')],
      ['device_type', str('serial')],
      ['reg', cells(m.vty.reg)],
    ]));
  }
  return node('vdevice', [
    ['interrupt-controller', empty],
    ['#interrupt-cells', cells(2)],
    ['#size-cells', cells(0)],
    ['#address-cells', cells(1)],
    ['compatible', str('IBM,vdevice')],
    ['device_type', str('vdevice')],
  ], kids);
}

/** The DRCs a machine of this type creates, in QEMU's creation order. */
export function spaprCreateDrcs(c: MachineCompat, drcs: DrcContainer, maxCores = 1, mem: { lmbIds?: number[]; ramSlots?: number } = {}): void {
  // the boot core and the default PHB are attached (cold-plugged) to DRC 0 of their type
  // spapr_vcpu_id(core): core * vsmt (8 on pseries <= 4.1)
  const vsmt = c.smpThreadsVsmt ? 1 : 8;
  if (c.hotplugCpus) for (let i = 0; i < maxCores; i++) drcs.add({ type: SPAPR_DR_CONNECTOR_TYPE_CPU, id: i * vsmt, owner: 'machine', dev: i === 0 });
  // spapr_create_lmb_dr_connectors: one per LMB of device memory (id = address / LMB size)
  if (c.drLmb) for (const id of mem.lmbIds ?? []) drcs.add({ type: SPAPR_DR_CONNECTOR_TYPE_LMB, id, owner: 'machine', dev: false });
  // spapr_create_nvdimm_dr_connectors: one per memory slot
  if (c.nvdimmSupported) for (let i = 0; i < (mem.ramSlots ?? 0); i++) drcs.add({ type: SPAPR_DR_CONNECTOR_TYPE_PMEM, id: i, owner: 'machine', dev: false });
  if (c.drPhbEnabled) for (let i = 0; i < 31; i++) drcs.add({ type: SPAPR_DR_CONNECTOR_TYPE_PHB, id: i, owner: 'machine', dev: i === 0 });
  for (let i = 0; i < 256; i++) drcs.add({ type: SPAPR_DR_CONNECTOR_TYPE_PCI, id: i, owner: 'phb0', dev: false });
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
