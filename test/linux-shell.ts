// The bundled Linux guest's images, and its shell driven through an Instance as the Linux
// tests drive it: boot to the prompt, type a line and wait for the next prompt, let virtual
// time pass, and follow the guest when it migrates to another instance.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { guestById, normalizeConsole } from '../src/core/guests';
import type { Instance } from '../src/core/instance';
import { migrateInProcess, type LocalMigration } from '../src/core/migration/local';

export const guest = guestById('linux')!;
const file = (f: string) => {
  const d = readFileSync(resolve('public/guests', f));
  return new Uint8Array(f.endsWith('.gz') ? gunzipSync(d) : d);
};
export const kernel = file(guest.kernel);
export const initrd = file(guest.initrd!);

/** Most main-loop turns any wait may take. */
const MAX_TURNS = 200_000;

export class LinuxShell {
  /** Everything the guest printed. */
  log = '';
  /** What it printed since the last line typed. */
  private out = '';

  /** Boots the guest on `inst` (its kernel, initramfs and command line). */
  constructor(public inst: Instance) {
    this.hear(inst);
    inst.boot(kernel, { initrd, append: guest.append });
  }

  private hear(i: Instance): void {
    i.onSerial = (t) => { this.log += t; this.out += t; };
  }

  /** Turn the instance until `f` holds (or MAX_TURNS); whether it holds. */
  until(f: () => boolean): boolean {
    for (let n = 0; n < MAX_TURNS && !f(); n++) this.inst.turn();
    return f();
  }

  /** Whether the guest's output ends at its prompt. */
  atPrompt(): boolean {
    return this.out.endsWith(guest.prompt!);
  }

  /** Wait for the prompt (expects it). */
  prompt(): void {
    expect(this.until(() => this.atPrompt())).toBe(true);
  }

  /** Type `line`, wait for the next prompt, and return what the guest printed (timestamps and \r dropped). */
  type(line: string): string {
    this.out = '';
    this.inst.input(`${line}\r`);
    this.prompt();
    return normalizeConsole(this.out);
  }

  /** Let `ns` of the guest's virtual time pass. */
  wait(ns: number): void {
    const t = this.inst.loop.clock.ns();
    this.until(() => this.inst.loop.clock.ns() > t + ns);
  }

  /** Live-migrate the guest to `dst` (in process); the shell goes on there. */
  migrateTo(dst: Instance): LocalMigration {
    this.hear(dst);
    const m = migrateInProcess(this.inst, dst, MAX_TURNS);
    this.inst = dst;
    return m;
  }
}
