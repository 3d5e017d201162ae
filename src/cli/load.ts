// `load FILE [--max-insns N] [--input TEXT] [-m ...] [-smp ...] [-object ... -device ...]`: restore a machine from a migration stream
// (ours, or QEMU's own, raw or gzip'd) as `qemu-system-ppc64 -incoming "exec:cat FILE"`
// does, then let it run N instructions and print its console. The machine type is the
// stream's configuration section's.

import { Instance } from '../core/instance';
import { MemoryLink } from '../core/migration/transport';
import { latin1 } from '../core/vmstate/qemufile';
import { intFlag, UsageError, type ParsedArgs } from './args';
import { readStreamFile } from './analyze';
import { parseMemOption, smpOptions, takeDashOptions } from './dtb';

/** The configuration section's machine type name (QEVM v3, 0x07, be32 len, name). */
export function streamMachineType(b: Uint8Array): string | undefined {
  if (b.length < 13 || b[8] !== 0x07) return undefined;
  const n = ((b[9] << 24) | (b[10] << 16) | (b[11] << 8) | b[12]) >>> 0;
  if (n > 256 || 13 + n > b.length) return undefined;
  return latin1(b.subarray(13, 13 + n));
}

export async function loadCommand(p: ParsedArgs, out: (s: string) => void): Promise<number> {
  // -smp 1,maxcpus=N, -device <core>,core-id=K, -m ...,slots=,maxmem= and -object/-device
  // pc-dimm: the destination's cores and memory, as QEMU is started
  takeDashOptions(p);
  const smp = smpOptions(p);
  const m = p.flags.get('m');
  const mem = typeof m === 'string' ? parseMemOption(m) : undefined;
  const file = p.positional[0];
  if (!file) throw new UsageError('load needs a FILE');
  const maxInsns = intFlag(p, 'max-insns', 3_000_000)!;
  const bytes = await readStreamFile(file);
  const machineType = typeof p.flags.get('machine') === 'string' ? p.flags.get('machine') as string : streamMachineType(bytes) ?? 'pseries';
  const dst = new Instance({
    name: 'destination', deterministic: true, machineType, maxCpus: smp.maxCpus, coreIds: smp.coreIds,
    ramSize: mem?.ramSize, maxRamSize: mem?.maxRamSize, ramSlots: mem?.ramSlots, dimms: smp.dimms,
  });
  let con = '';
  const errors: string[] = [];
  let status = 'none';
  dst.onSerial = (t) => { con += t; };
  dst.onError = (m) => errors.push(m);
  dst.onMigration = (i) => { status = i.status; };
  const link = new MemoryLink(1 << 30);
  dst.incoming(link.receiver);
  for (let o = 0; o < bytes.length; o += 1 << 20) link.sender.send(bytes.slice(o, o + (1 << 20)));
  link.sender.close();
  for (let i = 0; i < 10_000 && status !== 'completed' && status !== 'failed'; i++) { link.receiver.pump(); dst.turn(); }
  for (const e of errors) out(`qemu-system-ppc64: ${e}\n`);
  if (status !== 'completed') {
    out(`load: ${status}, runstate ${dst.runstate()}\n`);
    return 1;
  }
  out(`load: ${bytes.length} bytes, machine ${machineType}, runstate ${dst.runstate()}, nip 0x${dst.machine.cpu.state.getNip().toString(16)}\n`);
  const input = p.flags.get('input');
  if (typeof input === 'string') dst.input(input.replace(/\\r/g, '\r').replace(/\\n/g, '\n'));
  const start = dst.machine.cpu.state.insnCount;
  for (let i = 0; i < 50_000_000 && dst.machine.cpu.state.insnCount - start < maxInsns && dst.runstate() === 'running' && !dst.loop.fatal; i++) {
    if (dst.turn() === Infinity && dst.machine.cpu.state.insnCount - start === 0 && i > 1000) break;
  }
  out(con);
  if (!con.endsWith('\n')) out('\n');
  out(`load: ran ${dst.machine.cpu.state.insnCount - start} instructions, runstate ${dst.runstate()}, nip 0x${dst.machine.cpu.state.getNip().toString(16)}${dst.loop.fatal ? `, stopped: ${dst.loop.fatal}` : ''}\n`);
  for (const e of errors.slice(errors.length)) out(`${e}\n`);
  return dst.loop.fatal ? 1 : 0;
}
