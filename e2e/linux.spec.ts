// Linux as the page's guest: `?guest=linux` boots the minimal Linux 6.1 (vmlinux + initramfs,
// console=hvc0) in the source column to its /init shell; commands typed into the xterm are
// answered; the running kernel is live-migrated there and back, and the shell's counter, kept
// in process memory, carries on across both migrations. The guest picker switches guests.

import { expect, test, type Page } from '@playwright/test';
import { consoleText, errors, monitor, openLab, runstate, session, shot as pageShot, waitForMigration } from './helpers';

const PROMPT = 'init> ';

const plain = (text: string) => text.replace(/\r/g, '');

/**
 * The viewport (both consoles are in it): a full-page capture while a terminal has the focus
 * makes Chromium scroll that terminal's scrollback to the top.
 */
const shot = (page: Page, name: string) => pageShot(page, name, { fullPage: false });

/** Wait for the /init shell's prompt at the end of a console. */
async function waitForPrompt(page: Page, column: 'left' | 'right', timeout: number): Promise<void> {
  await expect.poll(async () => (await consoleText(page, column)).endsWith(PROMPT), { timeout, intervals: [500] }).toBe(true);
}

/**
 * Type a command line at the shell's prompt as a user does (focus the terminal, keys, Enter)
 * and return what the command printed: the console after the echo of the line, up to the
 * next prompt.
 */
async function command(page: Page, column: 'left' | 'right', line: string, timeout = 30_000): Promise<string> {
  const from = (await consoleText(page, column)).length;
  await page.getByTestId(`console-${column}`).click();
  await page.keyboard.type(line, { delay: 20 });
  await page.keyboard.press('Enter');
  let out: string | null = null;
  await expect.poll(async () => {
    const text = plain((await consoleText(page, column)).slice(from));
    const echo = text.indexOf(`${line}\n`);
    out = echo >= 0 && text.endsWith(PROMPT) ? text.slice(echo + line.length + 1, text.length - PROMPT.length) : null;
    return out !== null;
  }, { timeout, message: `${line} answered on ${column}` }).toBe(true);
  return out!.trim();
}

test('Linux boots to its shell and migrates there and back', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await openLab(page, './?guest=linux');
  await expect(page.getByTestId('guest-select')).toHaveValue('linux');
  expect(await runstate(page, 'right')).toBe('prelaunch');

  // The kernel log fills the source console while it boots, then the shell prompts.
  await expect.poll(() => consoleText(page, 'left'), { timeout: 60_000 }).toMatch(/Linux version 6\.1/);
  await waitForPrompt(page, 'left', 90_000);
  expect(await runstate(page, 'left')).toBe('running');
  await shot(page, 'linux-01-booted');

  expect(await command(page, 'left', 'count')).toBe('count 1');
  expect(await command(page, 'left', 'uname -a')).toContain('Linux pseries-lab 6.1');
  await shot(page, 'linux-02-commands');

  // Migrate →: the shell goes on in the right column, with its memory.
  await page.getByTestId('migrate-right').click();
  await waitForMigration(page, 'left');
  expect(await command(page, 'right', 'count')).toBe('count 2');
  expect(await command(page, 'right', 'uptime')).toMatch(/^up \d+:\d\d/);
  await shot(page, 'linux-03-migrated-right');

  // Migrate ←: the left column becomes a fresh destination for the same guest and takes it back.
  await page.getByTestId('migrate-left').click();
  await waitForMigration(page, 'right');
  expect(await command(page, 'left', 'count')).toBe('count 3');
  await shot(page, 'linux-04-migrated-left');

  expect((await session(page)).count).toBe(2);
  expect(await errors(page, 'left')).toEqual([]);
  expect(await errors(page, 'right')).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('the guest picker restarts the lab with the guest chosen and keeps it in the URL', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await openLab(page);
  const picker = page.getByTestId('guest-select');
  await expect(picker).toHaveValue('hello');
  await expect.poll(() => consoleText(page, 'left'), { timeout: 60_000 }).toMatch(/count \d+ checksum/);

  await picker.selectOption('linux');
  await expect(page).toHaveURL(/\?guest=linux$/);
  await expect.poll(() => consoleText(page, 'left'), { timeout: 60_000 }).toMatch(/Linux version 6\.1/);
  expect(await consoleText(page, 'left')).not.toMatch(/checksum/);
  expect(await runstate(page, 'left')).toBe('running');
  expect(await runstate(page, 'right')).toBe('prelaunch');
  expect((await session(page)).source).toBe('left');

  await picker.selectOption('hello');
  await expect(page).not.toHaveURL(/guest=/);
  await expect.poll(() => consoleText(page, 'left'), { timeout: 60_000 }).toMatch(/count \d+ checksum/);
  expect(await consoleText(page, 'left')).not.toMatch(/Linux version/);
  expect(await errors(page, 'left')).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('a CPU core hot-plugged from the monitor comes online in Linux and migrates with it', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openLab(page, './?guest=linux#left=monitor');
  await waitForPrompt(page, 'left', 90_000);
  expect(await command(page, 'left', 'cat /proc/cpuinfo')).not.toContain('processor\t: 1');
  await monitor(page, 'left', 'device_add power8_v2.0-spapr-cpu-core,core-id=1,id=core1');
  // the kernel takes the hotplug event, walks the connector and onlines the CPU by itself
  let cpuinfo = '';
  for (let i = 0; i < 20 && !cpuinfo.includes('processor\t: 1'); i++) {
    await page.waitForTimeout(500);
    cpuinfo = await command(page, 'left', 'cat /proc/cpuinfo');
  }
  expect(cpuinfo).toContain('processor\t: 1');
  // the destination is started with the core (as -device ...,core-id=1), so the stream fits
  await page.getByTestId('migrate-right').click();
  await waitForMigration(page, 'left');
  expect(await command(page, 'right', 'cat /proc/cpuinfo')).toContain('processor\t: 1');
  expect(await command(page, 'right', 'count')).toBe('count 1');
  expect(await errors(page, 'right')).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('a DIMM hot-plugged from the monitor is onlined by Linux (MemTotal grows by 256 MiB) and migrates with it', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openLab(page, './?guest=linux#left=monitor');
  await waitForPrompt(page, 'left', 90_000);
  const memTotal = (meminfo: string) => Number(/^MemTotal: +(\d+) kB$/m.exec(meminfo)?.[1]);
  const before = memTotal(await command(page, 'left', 'cat /proc/meminfo'));
  await monitor(page, 'left', 'object_add memory-backend-ram,id=mem1,size=256M');
  await monitor(page, 'left', 'device_add pc-dimm,id=dimm1,memdev=mem1');
  // the kernel takes the hotplug event, resizes its HPT and onlines the LMB by itself
  let total = before;
  for (let i = 0; i < 20 && total === before; i++) {
    await page.waitForTimeout(500);
    total = memTotal(await command(page, 'left', 'cat /proc/meminfo'));
  }
  expect(total - before).toBe(256 * 1024);
  // the destination is started with the DIMM (as -object ... -device pc-dimm,addr=)
  await page.getByTestId('migrate-right').click();
  await waitForMigration(page, 'left');
  expect(memTotal(await command(page, 'right', 'cat /proc/meminfo'))).toBe(total);
  expect(await command(page, 'right', 'count')).toBe('count 1');
  expect(await errors(page, 'right')).toEqual([]);
  expect(pageErrors).toEqual([]);
});
