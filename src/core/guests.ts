// The bundled guests: what the page's guest picker, the CLI and the benchmarks boot, with the
// machine each one needs (QEMU's -m, -M options, -initrd, -append). Files live under
// public/guests/ (gzip'd when their name ends in .gz).

import { parseCapOption } from './spapr/caps';

export interface GuestSpec {
  id: string;
  title: string;
  /** -kernel, relative to public/guests/ */
  kernel: string;
  /** -initrd, relative to public/guests/ */
  initrd?: string;
  /** -append */
  append?: string;
  /** -m in bytes (undefined: the machine default) */
  ramSize?: number;
  /** -M pseries,<these> (cap-* properties) */
  machineProps: string[];
  /** One line for the picker */
  description: string;
  /** The shell prompt, when the guest has one */
  prompt?: string;
  /**
   * Commands whose output does not depend on time, typed one per prompt: the console
   * transcript compared with QEMU's (test/fixtures/linux/).
   */
  transcript?: string[];
}

/** The caps that keep TCG (and us) from the Spectre workarounds Linux would otherwise probe. */
const LINUX_PROPS = ['cap-cfpc=broken', 'cap-sbbc=broken', 'cap-ibs=broken', 'cap-ccf-assist=off'];

export const GUESTS: readonly GuestSpec[] = [
  {
    id: 'hello',
    title: 'hello (bare metal)',
    kernel: 'hello.elf',
    machineProps: [],
    description: 'a counter and an echo over H_PUT_TERM_CHAR / H_GET_TERM_CHAR',
  },
  {
    id: 'linux',
    title: 'Linux 6.1',
    kernel: 'linux/vmlinux.gz',
    initrd: 'linux/initramfs.cpio.gz',
    append: 'console=hvc0',
    ramSize: 256 << 20,
    machineProps: LINUX_PROPS,
    description: 'a minimal pseries kernel booted through VOF to a tiny shell on hvc0',
    prompt: 'init> ',
    transcript: ['uname -a', 'cat /proc/cpuinfo', 'ls /proc/device-tree', 'cat /proc/device-tree/model', 'poweroff'],
  },
];

export function guestById(id: string): GuestSpec | undefined {
  return GUESTS.find((g) => g.id === id);
}

/** The guest's cap-* properties as SPAPR_CAPS-indexed levels (SpaprMachine.caps.user). */
export function guestCaps(g: GuestSpec): Array<number | undefined> {
  const caps: Array<number | undefined> = [];
  for (const p of g.machineProps) {
    const [k, v] = p.split('=');
    const c = parseCapOption(k, v ?? '');
    if (c) caps[c[0]] = c[1];
  }
  return caps;
}

/** The QEMU 7.2 command line that boots the same guest (the reference the console log is compared with). */
export function qemuCommandLine(g: GuestSpec, dir = 'public/guests', smp = 1): string[] {
  const file = (f: string) => `${dir}/${f.replace(/\.gz$/, '')}`;
  return [
    'qemu-system-ppc64',
    '-M', ['pseries', 'x-vof=on', ...g.machineProps].join(','),
    '-cpu', 'POWER8',
    ...(g.ramSize ? ['-m', `${g.ramSize >> 20}M`] : []),
    ...(smp > 1 ? ['-smp', String(smp)] : []),
    '-nodefaults', '-display', 'none',
    // our machine's layout: spapr-nvram at 0x71000000, the vty at 0x71000001
    '-chardev', 'stdio,id=con', '-device', 'spapr-vty,chardev=con',
    '-kernel', file(g.kernel),
    ...(g.initrd ? ['-initrd', file(g.initrd)] : []),
    ...(g.append ? ['-append', g.append] : []),
  ];
}

/** A console log without carriage returns and printk timestamps ("[    0.004239] "). */
export function normalizeConsole(text: string): string {
  return text.replace(/\r/g, '').replace(/\[ *\d+\.\d{6}\] /g, '');
}

/**
 * Types `commands` one per prompt as the console output arrives (feed it everything the guest
 * prints); `send` gets each command line, carriage return included.
 */
export class PromptDriver {
  private seen = 0;
  private sent = 0;
  private pending = '';
  /** mark() at each prompt (e.g. the guest instruction count) */
  readonly prompts: number[] = [];
  constructor(private prompt: string, private commands: string[], private send: (line: string) => void, private mark: () => number = () => 0) {}
  /** Console output; returns true once every command has been sent. */
  output(text: string): boolean {
    this.pending = (this.pending + text).slice(-4096);
    let i: number;
    while ((i = this.pending.indexOf(this.prompt)) >= 0) {
      this.pending = this.pending.slice(i + this.prompt.length);
      this.seen++;
      this.prompts.push(this.mark());
      const c = this.commands.shift();
      if (c !== undefined) { this.sent++; this.send(`${c}\r`); }
    }
    return this.done;
  }
  /** Every command has been sent. */
  get done(): boolean { return this.commands.length === 0; }
  /** Every command has been sent and answered: a prompt came after the last one. */
  get answered(): boolean { return this.done && this.seen > this.sent; }
  get promptsSeen(): number { return this.seen; }
}
