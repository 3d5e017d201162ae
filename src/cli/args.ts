// Command-line argument parsing shared by the CLI commands.

import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(a.slice(2), argv[++i]);
      else flags.set(a.slice(2), true);
    } else positional.push(a);
  }
  return { positional, flags };
}

export function intFlag(p: ParsedArgs, name: string, dflt?: number): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} needs a non-negative number`);
  return n;
}

export class UsageError extends Error {}

export const DEFAULT_ELF = 'public/guests/hello.elf';

export function readElf(p: ParsedArgs): Uint8Array {
  return readGuestFile(p.positional[0] ?? DEFAULT_ELF);
}

/** A kernel, initrd or ELF file; gzip'd files (public/guests/linux/*.gz) are inflated. */
export function readGuestFile(path: string): Uint8Array {
  const data = readFileSync(resolve(path));
  return new Uint8Array(data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data);
}

/**
 * An error QEMU reports on stderr before exiting with status 1: `qemu-system-ppc64: MESSAGE`
 * (error_report), after the `before` lines and followed by the `more` lines (error_printf),
 * both as they are.
 */
export class QemuError extends Error {
  constructor(message: string, readonly more: string[] = [], readonly before: string[] = []) {
    super(message);
  }

  /** What QEMU writes on stderr. */
  text(): string {
    return [...this.before, `qemu-system-ppc64: ${this.message}`, ...this.more].map((l) => l + '\n').join('');
  }
}
