// pseries-lab command line: the same core as the page, headless.
//   run [ELF] [--max-insns N] [--input TEXT] [--trace]
//   migrate [ELF] --after-insns N [--then-insns M] [--out FILE]
//   analyze FILE [--dump state|desc]

import { analyze } from './analyze';
import { parseArgs, UsageError } from './args';
import { runCommand, migrateCommand } from './commands';

const USAGE = `usage: npm run -s cli -- <command> [options]
  run [ELF] [--max-insns N] [--input TEXT] [--trace]
      boot the guest (default public/guests/hello.elf) headless; serial output to stdout
  migrate [ELF] --after-insns N [--then-insns M] [--out FILE]
      source and destination in one process over the memory transport
  analyze FILE [--dump state|desc]
      list the sections of a migration stream (raw or gzip'd), or dump it as JSON`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest);
  const out = (s: string) => process.stdout.write(s);
  switch (cmd) {
    case 'run':
      return runCommand(p, out);
    case 'migrate':
      return migrateCommand(p, out);
    case 'analyze': {
      if (!p.positional[0]) throw new UsageError('analyze needs a FILE');
      const dump = p.flags.get('dump');
      if (dump !== undefined && dump !== 'state' && dump !== 'desc') throw new UsageError('--dump takes state or desc');
      return analyze(p.positional[0], { dump: dump as 'state' | 'desc' | undefined }, (l) => out(l + '\n'));
    }
    default:
      process.stderr.write(USAGE + '\n');
      return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`pseries-lab: ${e.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`pseries-lab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
