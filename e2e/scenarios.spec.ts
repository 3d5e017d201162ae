// The guided scenarios, driven as a user does: open the Scenarios view, run each scenario's
// default variant, play the replay to its end (the outcome line, the panel each step points
// at), and the CAS-reboot sweep with its broken and ok points.

import { expect, test, type Page } from '@playwright/test';
import { consoleText, openLab, shot as pageShot } from './helpers';

/** Each scenario, its default variant and what its outcome line says. */
const SCENARIOS = [
  { id: 'cas-reboot-race', variant: 'qemu-4.2', outcome: /^outcome: CAS reboot lost: the destination runs the guest un-rebooted/, broken: true },
  { id: 'insns-flags-2.6', variant: 'qemu-2.6-to-2.7', outcome: /^outcome: migration failed: QEMU 2\.7 refused the cpu section \(env\.insns_flags \d+ != \d+\)/, broken: true },
];

const state = (page: Page) => page.evaluate(() => window.__pseriesLab!.scenario());

/** The viewport only: the scenario view is taller than the screen. */
const shot = (page: Page, name: string) => pageShot(page, name, { fullPage: false });

async function openScenarios(page: Page): Promise<void> {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openLab(page);
  await page.getByTestId('view-scenarios').click();
  await expect(page).toHaveURL(/#scenarios$/);
  await expect(page.getByTestId('lab-view')).toBeHidden();
  await expect(page.getByTestId('scenario-launcher')).toBeVisible({ timeout: 60_000 });
  expect(pageErrors).toEqual([]);
}

/** The panel the current step outlines, as `side/panel`, or '' when none. */
async function highlighted(page: Page): Promise<string> {
  const el = page.locator('[data-highlighted="true"]');
  if (await el.count() === 0) return '';
  return `${await el.first().getAttribute('data-side')}/${await el.first().getAttribute('data-panel')}`;
}

for (const [n, sc] of SCENARIOS.entries()) {
  test(`scenario ${sc.id}: run the default variant and play it to the end`, async ({ page }) => {
    await openScenarios(page);
    await page.getByTestId(`scenario-pick-${sc.id}`).click();
    await expect(page.getByTestId(`scenario-pick-${sc.id}`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId(`variant-${sc.variant}`).locator('input')).toBeChecked();
    expect((await state(page)).variant).toBe(sc.variant);
    await shot(page, `scenario-${n + 1}0-${sc.id}-launcher`);

    await page.getByTestId('scenario-run').click();
    // The run happens in a worker: the page says so, and stays responsive.
    await expect(page.getByTestId('scenario-status')).toContainText(/loading the guest|running|starting|recorded/);
    await expect(page.getByTestId('scenario-player')).toBeVisible({ timeout: 120_000 });
    const rec = (await state(page)).recording!;
    expect(rec.scenario).toBe(sc.id);
    expect(rec.variant).toBe(sc.variant);
    expect(rec.steps.length).toBeGreaterThan(2);
    await expect(page.getByTestId('step-number')).toHaveText(`step 1 / ${rec.steps.length}`);
    await expect(page.getByTestId('step-title')).toHaveText(rec.steps[0]);
    await expect(page.getByTestId('scenario-outcome')).toHaveCount(0);

    // Play at 8x and watch it go: each step names a panel, which is outlined.
    await page.getByTestId('player-speed').selectOption('8');
    await page.getByTestId('player-play').click();
    const seen = new Set<string>();
    const steps = new Set<number>();
    let midShot = false;
    await expect.poll(async () => {
      const s = await state(page);
      const h = await highlighted(page);
      if (h) seen.add(h);
      steps.add(s.step);
      if (!midShot && s.step >= Math.floor(rec.steps.length / 2)) {
        midShot = true;
        await shot(page, `scenario-${n + 1}a-${sc.id}-mid`);
      }
      return s.atOutcome;
    }, { timeout: 120_000, intervals: [150] }).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
    expect(steps.size).toBeGreaterThan(2);

    // The end: the outcome line, red when broken.
    const outcome = page.getByTestId('scenario-outcome');
    await expect(outcome).toBeVisible();
    await expect(outcome.locator('.scn-outcome-text')).toHaveText(sc.outcome);
    await expect(outcome.locator('.scn-outcome-text')).toHaveText(`outcome: ${rec.outcome}`);
    await expect(outcome).toHaveAttribute('data-broken', String(sc.broken));
    await expect(outcome).toHaveClass(sc.broken ? /broken/ : /ok/);
    await expect(page.getByTestId('player-play')).toHaveText('▶ Play again');
    await expect(page.getByTestId('step-number')).toHaveText(`step ${rec.steps.length} / ${rec.steps.length}`);
    await page.getByTestId('scenario-stage').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, `scenario-${n + 1}b-${sc.id}-end`);

    // Step by step: Previous and Next move between steps, each with its own panel.
    await page.getByTestId('step-0').click();
    await expect(page.getByTestId('step-title')).toHaveText(rec.steps[0]);
    const first = await highlighted(page);
    await page.getByTestId('player-next').click();
    await expect(page.getByTestId('step-title')).toHaveText(rec.steps[1]);
    const second = await highlighted(page);
    expect(second).not.toBe(first);
    await page.getByTestId('player-prev').click();
    await expect(page.getByTestId('step-title')).toHaveText(rec.steps[0]);
    await shot(page, `scenario-${n + 1}c-${sc.id}-first-step`);

    // The scrubber shows the log up to an event, with the last step before it.
    await page.getByTestId('player-scrubber').fill(String(rec.events));
    await expect(page.getByTestId('player-position')).toContainText(`event ${rec.events} / ${rec.events}`);
    await expect(page.getByTestId('scenario-outcome')).toBeVisible();
    await page.getByTestId('player-scrubber').fill('0');
    await expect(page.getByTestId('step-number')).toHaveText('before step 1');
    await expect(page.getByTestId('scenario-outcome')).toHaveCount(0);

    // The live lab kept running meanwhile, and comes back as it was.
    await page.getByTestId('view-lab').click();
    await expect(page).not.toHaveURL(/scenarios/);
    await expect(page.getByTestId('lab-view')).toBeVisible();
    await expect(page.getByTestId('scenarios-view')).toHaveCount(0);
    await expect.poll(() => consoleText(page, 'left'), { timeout: 60_000 }).toMatch(/count \d+ checksum/);
    await expect(page.getByTestId('console-left')).toBeVisible();
  });
}

test('scenario cas-reboot-race: the sweep plots broken and ok points', async ({ page }) => {
  test.setTimeout(240_000);
  await openScenarios(page);
  await page.getByTestId('scenario-pick-cas-reboot-race').click();
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-status')).toContainText(/runs/);
  const plot = page.getByTestId('sweep-plot');
  await expect(plot).toBeVisible({ timeout: 220_000 });
  const points = plot.locator('circle.pt');
  await expect(points).toHaveCount(17);
  expect(await plot.locator('circle.pt[data-broken="true"]').count()).toBeGreaterThan(0);
  expect(await plot.locator('circle.pt[data-broken="false"]').count()).toBeGreaterThan(0);
  await expect(plot.locator('g.mark')).not.toHaveCount(0);
  await expect(page.getByTestId('sweep-plot-legend')).toContainText('(broken)');
  const s = await state(page);
  expect(s.sweep?.points).toBe(17);
  await page.getByTestId('sweep-card').scrollIntoViewIfNeeded();
  await shot(page, 'scenario-3-sweep');

  // A point of the plot replays that run: a broken one ends broken.
  const broken = plot.locator('circle.pt[data-broken="true"]').first();
  const at = await broken.getAttribute('data-at-ms');
  await broken.click();
  await expect(page.getByTestId('scenario-stage')).toContainText(`stop-and-copy at ${Number(at) > 0 ? '+' : ''}${Number(at)} ms`, { timeout: 120_000 });
  await page.getByTestId('step-end').click();
  await expect(page.getByTestId('scenario-outcome')).toHaveAttribute('data-broken', 'true');
  await expect(page.getByTestId('scenario-outcome')).toContainText('CAS reboot lost');
});
