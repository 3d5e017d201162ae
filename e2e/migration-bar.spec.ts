// The migration bar: migrate_set_parameter inputs, migrate_cancel, and the `info migrate`
// figures with the chart of dirty pages per iteration. A migration slowed down by a tiny
// max-bandwidth is cancelled (the source keeps running and counting); a normal one then
// completes and its chart has points.

import { expect, test } from '@playwright/test';
import { SHOTS, consoleText, migration, openLab, runstate, session } from './helpers';

const COUNT = /count (\d+) checksum (\S+)/g;

function lastCount(text: string): number {
  const all = [...text.matchAll(COUNT)];
  return all.length ? Number(all[all.length - 1][1]) : -1;
}

test.use({ viewport: { width: 1280, height: 800 } });

test('cancel a slow migration, then a normal one charts its iterations', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await openLab(page);
  await expect.poll(async () => lastCount(await consoleText(page, 'left')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);

  const status = page.getByTestId('migration-status');
  const cancel = page.getByTestId('migrate-cancel');
  const downtime = page.getByTestId('param-downtime-limit');
  const bandwidth = page.getByTestId('param-max-bandwidth');

  // QEMU's defaults; nothing to cancel yet.
  await expect(downtime).toHaveValue('300');
  await expect(bandwidth).toHaveValue('128');
  await expect(cancel).toBeDisabled();
  await expect(page.getByTestId('migration-chart')).toHaveAttribute('data-points', '0');

  // 20 KiB/s: the 2 MiB the guest writes take far longer than the test needs.
  await bandwidth.fill('0.02');
  await page.getByTestId('migrate-right').click();
  await expect(status).toHaveText('active');
  await expect(cancel).toBeEnabled();
  expect((await migration(page, 'left'))?.maxBandwidth).toBe(Math.round(0.02 * 1024 * 1024));

  // migrate_set_parameter while it runs reaches the source.
  await downtime.fill('100');
  await expect.poll(async () => (await migration(page, 'left'))?.downtimeLimitMs).toBe(100);
  await expect(page.getByTestId('migration-params-in-force')).toHaveText('100 ms · 0.02 MiB/s');
  await expect(status).toHaveText('active');
  await page.screenshot({ path: `${SHOTS}bar-01-slow-active.png` });

  const before = lastCount(await consoleText(page, 'left'));
  await cancel.click();
  await expect(status).toHaveText('cancelled');
  await expect(cancel).toBeDisabled();
  expect((await migration(page, 'left'))?.status).toBe('cancelled');
  expect((await session(page)).active).toBe(false);
  // The source never stopped: still running, and its console keeps counting.
  expect(await runstate(page, 'left')).toBe('running');
  await expect(page.getByTestId('runstate-left')).toHaveText('running');
  await expect.poll(async () => lastCount(await consoleText(page, 'left')), { timeout: 20_000 }).toBeGreaterThan(before);
  expect(await consoleText(page, 'left')).not.toContain('CORRUPT');
  await page.screenshot({ path: `${SHOTS}bar-02-cancelled.png` });

  // Back to the defaults: a normal migration completes and charts its iterations.
  await bandwidth.fill('128');
  await downtime.fill('300');
  await expect(page.getByTestId('migrate-right')).toBeEnabled();
  await page.getByTestId('migrate-right').click();
  await expect(status).toHaveText('completed', { timeout: 120_000 });
  await expect.poll(async () => runstate(page, 'right'), { timeout: 30_000 }).toBe('running');
  const info = await migration(page, 'left');
  expect(info?.maxBandwidth).toBe(128 * 1024 * 1024);
  expect(info?.dirtyPerIteration.length).toBeGreaterThanOrEqual(1);
  const points = Number(await page.getByTestId('migration-chart').getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(1);
  expect(points).toBe(info!.dirtyPerIteration.length);
  await expect(page.getByTestId('migration-chart').locator('path.line')).toHaveCount(1);
  for (const id of ['migration-bytes', 'migration-remaining', 'migration-total', 'migration-throughput',
    'migration-downtime', 'migration-setup']) {
    await expect(page.getByTestId(id), id).not.toHaveText('—');
  }
  await expect(page.getByTestId('migration-total')).toHaveText('256.0 MiB');
  // the heat map of pages sent again: one square per MiB, as many hot ones as the source counted
  const heat = page.getByTestId('migration-heatmap');
  await expect(heat.locator('rect')).toHaveCount(256);
  const hot = (info!.resentHeat ?? []).filter((c) => c > 0).length;
  await expect(heat).toHaveAttribute('data-hot-cells', String(hot));
  await page.screenshot({ path: `${SHOTS}bar-03-completed.png` });

  expect(pageErrors).toEqual([]);
});
