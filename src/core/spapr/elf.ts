// ELF64 loader for `-kernel`, placing segments the way QEMU's pseries machine does:
// each PT_LOAD goes to (p_paddr & 0x0fffffff) + kernel_addr (KERNEL_LOAD_ADDR 0x400000),
// and the guest is started at the lowest loaded address (the ELF entry field is not used).

import type { GuestRam } from '../mem/ram';

export const KERNEL_LOAD_ADDR = 0x400000;
const EM_PPC64 = 21;
const PT_LOAD = 1;

export interface LoadedKernel {
  lowAddr: number;
  highAddr: number;
  bigEndian: boolean;
  segments: Array<{ addr: number; fileSize: number; memSize: number }>;
}

export class ElfError extends Error {}

export function loadElfKernel(image: Uint8Array, ram: GuestRam, kernelAddr = KERNEL_LOAD_ADDR): LoadedKernel {
  if (image.length < 64 || image[0] !== 0x7f || image[1] !== 0x45 || image[2] !== 0x4c || image[3] !== 0x46) {
    throw new ElfError('The image is not ELF');
  }
  if (image[4] !== 2) throw new ElfError('only ELF64 kernels are supported');
  const le = image[5] === 1;
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const u16 = (o: number) => dv.getUint16(o, le);
  const u32 = (o: number) => dv.getUint32(o, le);
  const u64 = (o: number) => Number(dv.getBigUint64(o, le));
  if (u16(18) !== EM_PPC64) throw new ElfError(`ELF machine ${u16(18)} is not PowerPC64`);
  const phoff = u64(32);
  const phentsize = u16(54);
  const phnum = u16(56);
  const segments: LoadedKernel['segments'] = [];
  let low = Infinity;
  let high = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + 56 > image.length) throw new ElfError('truncated program header table');
    if (u32(ph) !== PT_LOAD) continue;
    const offset = u64(ph + 8);
    const paddr = u64(ph + 24);
    const filesz = u64(ph + 32);
    const memsz = u64(ph + 40);
    const addr = (paddr % 0x10000000) + kernelAddr;
    if (offset + filesz > image.length) throw new ElfError('truncated segment');
    if (!ram.contains(addr, memsz)) throw new ElfError(`segment at 0x${addr.toString(16)} does not fit in RAM`);
    ram.write(addr, image.subarray(offset, offset + filesz));
    if (memsz > filesz) ram.u8.fill(0, addr + filesz, addr + memsz);
    segments.push({ addr, fileSize: filesz, memSize: memsz });
    low = Math.min(low, addr);
    high = Math.max(high, addr + memsz);
  }
  if (!segments.length) throw new ElfError('no loadable segment');
  return { lowAddr: low, highAddr: high, bigEndian: !le, segments };
}
