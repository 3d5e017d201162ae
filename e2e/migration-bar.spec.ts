// The migration bar: migrate_set_parameter inputs, migrate_cancel, and the `info migrate`
// figures with the uPlot chart of dirty pages and bandwidth per iteration and the downtime.
// A migration slowed down by a tiny max-bandwidth is cancelled (the source keeps running and
// counting); a normal one then completes and its chart shows every iteration, in both themes.

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
  const chart = page.getByTestId('migration-chart');
  await expect(chart).toHaveAttribute('data-points', '0');
  await expect(chart).toContainText('no iterations yet');
  await expect(chart).toHaveAttribute('aria-label', 'no iterations yet');
  // uPlot's canvas and legend are there before any iteration
  await expect(chart.locator('canvas')).toHaveCount(1);
  await expect(chart.locator('.u-legend .u-series')).toHaveCount(3);
  await page.getByTestId('migration-bar').screenshot({ path: `${SHOTS}bar-00-no-migration.png` });

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
  const n = info!.dirtyPerIteration.length;
  expect(n).toBeGreaterThanOrEqual(1);
  // one bandwidth per iteration, MiB/s; the last one is the stop-and-copy's (nothing left dirty)
  const bw = info!.bandwidthPerIteration;
  expect(bw).toHaveLength(n);
  for (const v of bw) expect(Number.isFinite(v) && v >= 0).toBe(true);
  expect(Math.max(...bw)).toBeGreaterThan(0);
  expect(info!.dirtyPerIteration[n - 1]).toBe(0);
  await expect(chart).toHaveAttribute('data-points', String(n));
  await expect(chart).toHaveAttribute('data-series', '2');
  await expect(chart).not.toContainText('no iterations yet');
  await expect(chart.locator('canvas')).toHaveCount(1);
  // the legend shows the last iteration: the stop-and-copy, 0 pages left, its bandwidth
  const legend = chart.locator('.u-legend .u-series');
  await expect(legend).toHaveCount(3);
  await expect(legend.nth(0)).toContainText('iteration');
  await expect(legend.nth(0).locator('.u-value')).toHaveText(`${n} (stop-and-copy)`);
  await expect(legend.nth(1)).toContainText('dirty pages');
  await expect(legend.nth(1).locator('.u-value')).toHaveText('0');
  await expect(legend.nth(2)).toContainText('bandwidth');
  const lastBw = bw[n - 1];
  await expect(legend.nth(2).locator('.u-value')).toHaveText(`${lastBw.toFixed(lastBw < 10 ? 2 : 1)} MiB/s`);
  const downtimeMs = info!.downtimeMs!;
  const label = await chart.getAttribute('aria-label');
  expect(label).toContain(`each of ${n} iterations; last: 0 dirty pages`);
  expect(label).toMatch(/; downtime \d/);
  // the chart's canvas has been drawn on (not a blank rectangle)
  const inked = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(500);
  expect(downtimeMs).toBeGreaterThan(0);
  for (const id of ['migration-bytes', 'migration-remaining', 'migration-total', 'migration-throughput',
    'migration-downtime', 'migration-setup']) {
    await expect(page.getByTestId(id), id).not.toHaveText('—');
  }
  await expect(page.getByTestId('migration-total')).toHaveText('256.0 MiB');
  // the heat map of pages sent again: one square per MiB, as many hot ones as the source counted
  const heat = page.getByTestId('migration-heatmap');
  await expect(heat).toHaveAttribute('data-cells', '256');
  await expect(heat.locator('canvas')).toHaveCount(1);
  const hot = (info!.resentHeat ?? []).filter((c) => c > 0).length;
  await expect(heat).toHaveAttribute('data-hot-cells', String(hot));
  await page.screenshot({ path: `${SHOTS}bar-03-completed.png` });
  await page.getByTestId('migration-bar').screenshot({ path: `${SHOTS}bar-04-chart-light.png` });

  // the chart follows the theme: rebuilt with the dark colours, the same figures
  const lightPixels = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => chart.locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(lightPixels);
  await expect(chart.locator('canvas')).toHaveCount(1);
  await expect(legend.nth(1).locator('.u-value')).toHaveText('0');
  await expect(legend.nth(0).locator('.u-value')).toHaveText(`${n} (stop-and-copy)`);
  await page.getByTestId('migration-bar').screenshot({ path: `${SHOTS}bar-05-chart-dark.png` });

  expect(pageErrors).toEqual([]);
});
