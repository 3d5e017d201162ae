// What the browser tests share: reading the page through its read-only automation hook
// (src/ui/testHook.ts), opening the live lab, and screenshots into e2e/screenshots/.

import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Side } from '../src/ui/testHook';

export const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

export const consoleText = (page: Page, side: Side) => page.evaluate((s) => window.__pseriesLab!.consoleText(s), side);
export const traceLines = (page: Page, side: Side) => page.evaluate((s) => window.__pseriesLab!.traceLines(s), side);
export const runstate = (page: Page, side: Side) => page.evaluate((s) => window.__pseriesLab!.runstate(s), side);
export const errors = (page: Page, side: Side) => page.evaluate((s) => window.__pseriesLab!.errors(s), side);
export const migration = (page: Page, side: Side) => page.evaluate((s) => window.__pseriesLab!.migration(s), side);
export const session = (page: Page) => page.evaluate(() => window.__pseriesLab!.session());

/** A screenshot into e2e/screenshots/NAME.png (the whole page unless told otherwise). */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: opts.fullPage ?? true });
}

/** Open the page (`path` relative to the base URL) and wait for the automation hook. */
export async function openLab(page: Page, path = './'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => window.__pseriesLab !== undefined);
}

/** The other column. */
export function otherColumn(c: 'left' | 'right'): 'left' | 'right' {
  return c === 'left' ? 'right' : 'left';
}

/**
 * Wait until the migration started from `from` is over as QEMU ends one: the source in
 * postmigrate, the destination running, nothing under way, and the bar says completed.
 */
export async function waitForMigration(page: Page, from: 'left' | 'right', timeout = 120_000): Promise<void> {
  const to = otherColumn(from);
  await expect.poll(async () => {
    const s = await session(page);
    return `${await runstate(page, from)}/${await runstate(page, to)}/${s.active ? 'active' : 'idle'}`;
  }, { timeout, intervals: [250] }).toBe('postmigrate/running/idle');
  await expect(page.getByTestId('migration-status')).toHaveText('completed');
}

/** Type an HMP command into a column's monitor tab (open) and wait for its echo. */
export async function monitor(page: Page, column: 'left' | 'right', cmd: string): Promise<void> {
  const input = page.getByTestId(`monitor-input-${column}`);
  await expect(input).toBeEnabled();
  await input.fill(cmd);
  await input.press('Enter');
  await expect(page.getByTestId(`monitor-out-${column}`)).toContainText(`(qemu) ${cmd}`);
}
