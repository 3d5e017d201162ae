// The shared timeline: both machines' trace events on one axis through a live migration,
// chosen with -trace patterns, exported as QEMU's log backend prints them.

import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { consoleText, openLab, shot, waitForMigration } from './helpers';

test('the shared timeline shows both machines, filters with -trace patterns and exports QEMU\'s log text', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  await openLab(page, './#timeline');
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect.poll(() => consoleText(page, 'left'), { timeout: 60_000 }).toContain('count 1 ');
  await page.getByTestId('migrate-right').click();
  await waitForMigration(page, 'left');

  const rows = page.getByTestId('timeline-rows');
  await expect(rows).toContainText('vm-a');
  await expect(rows).toContainText('vm-b');
  await page.getByTestId('timeline-filter').fill('migrate_set_state');
  await expect(page.getByTestId('timeline-count')).not.toHaveText('0 events');
  const names = await rows.locator('.tl-name').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names)).toEqual(new Set(['migrate_set_state']));
  // both ends change migration state: the source goes to completed, the destination too
  await expect(rows).toContainText('new state completed');
  await shot(page, 'timeline');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('timeline-export').click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text.trim().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(/^100[12]@\d+\.\d{6}:migrate_set_state /);
  expect(pageErrors).toEqual([]);
});
