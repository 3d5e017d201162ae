// The page end to end: the guest boots in the left instance, prints and echoes; it is
// live-migrated to the right instance and back; runstates follow QEMU's transitions on both
// sides and the guest's counter continues across each migration without a gap.

import { expect, test, type Page } from '@playwright/test';
import type { Side } from '../src/ui/testHook';
import { consoleText, errors, openLab, runstate, session, shot, traceLines, waitForMigration } from './helpers';

const COUNT = /count (\d+) checksum (\S+)/g;

const RS = {
  runningToFinish: 'runstate_set current_run_state 9 (running) new_state 7 (finish-migrate)',
  finishToPost: 'runstate_set current_run_state 7 (finish-migrate) new_state 5 (postmigrate)',
  prelaunchToIn: 'runstate_set current_run_state 6 (prelaunch) new_state 1 (inmigrate)',
  inToRunning: 'runstate_set current_run_state 1 (inmigrate) new_state 9 (running)',
};

function counts(text: string): { n: number; at: number }[] {
  return [...text.matchAll(COUNT)].map((m) => ({ n: Number(m[1]), at: m.index! }));
}

function runstateLines(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('runstate_set '));
}

/** Console text without the counter lines and line breaks: what remains is banner and echo. */
function withoutCounter(text: string): string {
  return text.replace(COUNT, '').replace(/[\r\n]/g, '');
}

async function waitForCount(page: Page, side: Side, timeout = 60_000): Promise<void> {
  await expect.poll(async () => counts(await consoleText(page, side)).length, { timeout }).toBeGreaterThan(0);
}

/** Type into a console the way a user does: focus the terminal, press keys. */
async function typeInto(page: Page, column: 'left' | 'right', text: string): Promise<void> {
  await page.getByTestId(`console-${column}`).click();
  await page.keyboard.type(text, { delay: 30 });
  await expect.poll(async () => withoutCounter(await consoleText(page, column)), { timeout: 20_000 }).toContain(text);
}

/**
 * Migrate from `from` to the other column, wait until it is over and check what QEMU
 * would show: the runstate transitions on both sides and a counter without a gap.
 */
async function migrateAndCheck(page: Page, from: 'left' | 'right', shotName: string): Promise<void> {
  const to = from === 'left' ? 'right' : 'left';
  const button = page.getByTestId(from === 'left' ? 'migrate-right' : 'migrate-left');
  const back = page.getByTestId(from === 'left' ? 'migrate-left' : 'migrate-right');
  await expect(button).toBeEnabled();
  await expect(back).toBeDisabled();

  await button.click();
  await expect.poll(async () => (await session(page)).source).toBe(from);
  await shot(page, shotName);

  await waitForMigration(page, from);
  await expect(page.getByTestId(`runstate-${from}`)).toHaveText('postmigrate');
  await expect(page.getByTestId(`runstate-${to}`)).toHaveText('running');

  // Source: running -> finish-migrate -> postmigrate, exactly once and in that order.
  const srcRs = runstateLines(await traceLines(page, from));
  expect(srcRs.filter((l) => l === RS.runningToFinish)).toHaveLength(1);
  const i = srcRs.indexOf(RS.runningToFinish);
  expect(srcRs.slice(i, i + 2)).toEqual([RS.runningToFinish, RS.finishToPost]);
  expect(srcRs.at(-1)).toBe(RS.finishToPost);

  // Destination: a fresh machine, prelaunch -> inmigrate -> running.
  const dstRs = runstateLines(await traceLines(page, to));
  expect(dstRs).toEqual([RS.prelaunchToIn, RS.inToRunning]);

  // The guest continues on the destination: its first counter line follows the last one the
  // source printed (a line cut in two by the switch is read across the join).
  await waitForCount(page, to, 30_000);
  const src = await consoleText(page, from);
  const dst = await consoleText(page, to);
  const joined = counts(src + dst);
  const lastOnSource = joined.filter((c) => c.at < src.length).at(-1);
  const firstOnDestination = counts(dst)[0];
  expect(lastOnSource, 'the source printed counter lines').toBeTruthy();
  expect(firstOnDestination.n).toBe(lastOnSource!.n + 1);
  for (let k = 1; k < joined.length; k++) expect(joined[k].n, 'counter without gaps').toBe(joined[k - 1].n + 1);
  expect(src).not.toContain('CORRUPT');
  expect(dst).not.toContain('CORRUPT');

  expect(await errors(page, from)).toEqual([]);
  expect(await errors(page, to)).toEqual([]);
  await expect(back).toBeEnabled();
  await expect(button).toBeDisabled();
}

test('boot, echo, migrate there and back', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await openLab(page);

  // The left instance boots at once and prints its banner, then the counter.
  await waitForCount(page, 'left');
  const first = await consoleText(page, 'left');
  expect(first.slice(0, first.search(COUNT)).trim(), 'a banner before the first counter line').not.toBe('');
  expect(first).not.toContain('CORRUPT');
  expect(await runstate(page, 'left')).toBe('running');
  await expect(page.getByTestId('runstate-left')).toHaveText('running');
  // The right instance waits, fresh, in prelaunch.
  expect(await runstate(page, 'right')).toBe('prelaunch');
  await expect(page.getByTestId('runstate-right')).toHaveText('prelaunch');
  expect(runstateLines(await traceLines(page, 'left'))[0])
    .toBe('runstate_set current_run_state 6 (prelaunch) new_state 9 (running)');
  await expect(page.getByTestId('migrate-right')).toBeEnabled();
  await expect(page.getByTestId('migrate-left')).toBeDisabled();
  // Let a few counter lines appear (the guest prints one every 0.5 s).
  await expect.poll(async () => counts(await consoleText(page, 'left')).length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  await shot(page, '01-source-running');

  await typeInto(page, 'left', 'hello');
  await shot(page, '02-echo');

  await migrateAndCheck(page, 'left', '03-migrating-right');
  // Keyboard input now reaches the machine that runs.
  await typeInto(page, 'right', 'world');
  await shot(page, '04-migrated-right');

  // And back: the old source becomes a fresh destination.
  await migrateAndCheck(page, 'right', '05-migrating-left');
  expect((await session(page)).count).toBe(2);
  await shot(page, '06-migrated-left');

  expect(pageErrors).toEqual([]);
});
