// A bare program as QEMU's -kernel takes it: a minimal big-endian ELF64 with one PT_LOAD at
// vaddr 0 and entry 0, which QEMU's pseries (and this machine) load at 0x400000 and enter there
// through VOF. The differential guests and the page's guest editor are wrapped this way.

/** Where the -kernel loader puts an ELF linked at 0, and where execution starts. */
export const BARE_LOAD_ADDR = 0x400000;

/** A minimal big-endian ELF64 (one PT_LOAD at vaddr 0) wrapping `code`, for qemu -kernel. */
export function bareElf(code: Uint8Array): Uint8Array {
  const off = 0x78;
  const buf = new Uint8Array(off + code.length);
  const dv = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 2, 1, 0], 0); // ELFCLASS64, ELFDATA2MSB, EV_CURRENT
  dv.setUint16(16, 2); // ET_EXEC
  dv.setUint16(18, 21); // EM_PPC64
  dv.setUint32(20, 1);
  dv.setBigUint64(24, 0n); // e_entry
  dv.setBigUint64(32, 64n); // e_phoff
  dv.setBigUint64(40, 0n); // e_shoff
  dv.setUint32(48, 1); // e_flags: ELFv1
  dv.setUint16(52, 64);
  dv.setUint16(54, 56);
  dv.setUint16(56, 1);
  dv.setUint16(58, 64);
  dv.setUint16(60, 0);
  dv.setUint16(62, 0);
  // program header
  dv.setUint32(64, 1); // PT_LOAD
  dv.setUint32(68, 7); // RWX
  dv.setBigUint64(72, BigInt(off));
  dv.setBigUint64(80, 0n);
  dv.setBigUint64(88, 0n);
  dv.setBigUint64(96, BigInt(code.length));
  dv.setBigUint64(104, BigInt(code.length));
  dv.setBigUint64(112, 4n);
  buf.set(code, off);
  return buf;
}
