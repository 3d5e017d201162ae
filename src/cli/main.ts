// pseries-lab command line: the same core as the page, headless.
//   run [ELF] [--max-insns N] [--input TEXT] [--trace] [QEMU boot options]
//   migrate [ELF] --after-insns N [--then-insns M] [--out FILE]
//   migrate [ELF] --when-output TEXT [--then-input TEXT] [run's options]
//   save FILE [ELF] [--after-insns N]
//   load FILE [--max-insns N] [--input TEXT]
//   analyze FILE [--dump state|desc] [--extract DIR]
//   dump-vmstate FILE.json [--machine pseries-X] [--profile qemu-X.Y] [--qdev]
//   scenario list | ID [--variant NAME] [--trace EVENTS] [--steps] [--sweep N]

import { analyze } from './analyze';
import { parseArgs, QemuError, UsageError } from './args';
import { runCommand, migrateCommand } from './commands';
import { dtbCommand } from './dtb';
import { isaCoverage } from './isa-coverage';
import { dumpVmstateCommand } from './dump-vmstate';
import { loadCommand } from './load';
import { saveCommand } from './save';
import { scenarioCommand } from './scenario';

const USAGE = `usage: npm run -s cli -- <command> [options]
  run [ELF] [--max-insns N] [--input TEXT] [--trace] [--guest hello|linux]
      [--machine|-M pseries-X[,x-vof=on][,cap-NAME=VALUE...]] [--cpu POWER8] [-m SIZE]
      [--kernel ELF] [--initrd FILE] [--append TEXT]
      [--bios FILE] [--rtc base=utc|localtime|DATE] [--action panic=shutdown|exit-failure]
      boot the guest (default public/guests/hello.elf) headless; serial output to stdout.
      --guest: a bundled guest with its machine options; for Linux, --input lines are
      typed one per prompt and the run ends once the last one is answered.
      --bios: a raw firmware image loaded at 0 and entered at 0x100 (QEMU's -bios; unless
      x-vof=on, r3 = the device tree's address; no kernel needed). --rtc: the RTC starts at
      DATE (2006-06-17T16:01:21 or 2006-06-17). The exit status is QEMU's: 0 after RTAS
      power-off or ibm,os-term (1 for os-term with --action panic=exit-failure).
      QEMU's single-dash spellings work too (-M, -m, -bios, -rtc, ...)
  migrate [ELF] --after-insns N [--then-insns M] [--out FILE]
      source and destination in one process over the memory transport
  migrate [ELF] --when-output TEXT [--then-input TEXT] [--input TEXT] [--max-insns N]
      [run's options]
      a migration each time the guest prints TEXT, from the instance it runs on to a new
      one (A -> B, B -> A, ...); --then-input is typed into each destination once it runs;
      ends when the guest stops (its exit status) or after N instructions, and prints the
      number of migrations
  dtb [--machine|-M pseries-X[,x-vof=on]] [--cpu POWER8] [-m SIZE] [--kernel ELF]
      [--initrd FILE] [--append TEXT] [--out FILE.dtb]
      the device tree of the machine: DTS text, or the blob with --out
  save FILE [ELF] [--after-insns N]
      run the guest, then write a migration stream of it (migrate "exec:cat > FILE")
  load FILE [--max-insns N] [--input TEXT]
      restore a machine from a stream (ours or QEMU's) and let it run
  analyze FILE [--dump state|desc] [--extract DIR]
      list the sections of a migration stream (raw or gzip'd), dump it as JSON, or
      write its RAM blocks and JSON into DIR (analyze-migration.py -x)
  dump-vmstate FILE.json [--machine pseries-X] [--profile qemu-X.Y] [--qdev]
      QEMU's -dump-vmstate layout for everything this machine migrates (the machine's own
      sections too, by section name); --qdev: QEMU's qdev types only, to compare with a
      dump QEMU wrote; --profile: the machine built as that QEMU release
  isa-coverage
      instruction-table rows, those with differential cases against QEMU, and the
      POWER8 mnemonics of GNU objdump the assembler does not take
  scenario list
      the guided scenarios and their variants
  scenario ID [--variant NAME] [--trace EVENT[,EVENT...]] [--steps] [--sweep N]
      run a scenario deterministically: both machines' traces (src:/dst:), guest console
      and QEMU's messages, then the outcome line; --steps adds the guided explanations,
      --sweep N runs it with the stop-and-copy at N points across its window`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest);
  const out = (s: string) => process.stdout.write(s);
  switch (cmd) {
    case 'run':
      return runCommand(p, out);
    case 'migrate':
      return migrateCommand(p, out);
    case 'dtb':
      return dtbCommand(p, out);
    case 'save':
      return saveCommand(p, out);
    case 'load':
      return loadCommand(p, out);
    case 'scenario':
      return scenarioCommand(p, out);
    case 'dump-vmstate':
      return dumpVmstateCommand(p, out);
    case 'isa-coverage':
      return isaCoverage((l) => out(l + '\n'));
    case 'analyze': {
      if (!p.positional[0]) throw new UsageError('analyze needs a FILE');
      const dump = p.flags.get('dump');
      if (dump !== undefined && dump !== 'state' && dump !== 'desc') throw new UsageError('--dump takes state or desc');
      const ex = p.flags.get('extract');
      if (ex === true) throw new UsageError('--extract needs a DIR');
      return analyze(p.positional[0], { dump: dump as 'state' | 'desc' | undefined, extract: ex }, (l) => out(l + '\n'), (b) => process.stdout.write(b));
    }
    default:
      process.stderr.write(USAGE + '\n');
      return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof QemuError) {
      process.stderr.write(e.text());
      process.exitCode = 1;
    } else if (e instanceof UsageError) {
      process.stderr.write(`pseries-lab: ${e.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`pseries-lab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
