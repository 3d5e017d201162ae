// The debugger's own controls, driven as a user does: the light and dark themes (remembered,
// Monaco following), the keyboard shortcuts and their help overlay, the vmstate panel's
// fields (value, history since the panel opened, place in the last migration stream), and a
// write watchpoint in the memory panel.

import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { consoleText, openLab, runstate, shot, waitForMigration } from './helpers';

const COUNT = /count (\d+) checksum (\S+)/g;

/** Page errors and console errors/warnings: the suite's "no console errors" check. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  return problems;
}

async function counting(page: Page): Promise<void> {
  await expect.poll(async () => [...(await consoleText(page, 'left')).matchAll(COUNT)].length, { timeout: 60_000 })
    .toBeGreaterThan(0);
}

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
const bg = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);

test('light and dark themes: from the system, switched in the header, remembered; Monaco follows', async ({ page }) => {
  const problems = watchConsole(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await openLab(page, './#left=vmstate&right=cpu');
  await counting(page);

  // No choice yet: the system's preference.
  expect(await theme(page)).toBe('dark');
  expect(await bg(page, 'body')).toBe('rgb(13, 17, 23)');
  await expect(page.getByTestId('theme-toggle')).toHaveAttribute('data-theme-now', 'dark');
  await expect(page.getByTestId('vmstate-left').locator('tr[data-section="cpu"]')).toBeVisible();
  await shot(page, 'debugger-01-dark');

  // Switched: the page turns light, the consoles stay dark.
  await page.getByTestId('theme-toggle').click();
  expect(await theme(page)).toBe('light');
  expect(await bg(page, 'body')).toBe('rgb(244, 246, 249)');
  expect(await bg(page, '[data-testid="console-left"]')).toBe('rgb(13, 17, 23)');
  expect(await page.evaluate(() => localStorage.getItem('pseries-lab.theme'))).toBe('light');
  await shot(page, 'debugger-02-light');

  // Remembered over the system's preference.
  await page.reload();
  await page.waitForFunction(() => window.__pseriesLab !== undefined);
  expect(await theme(page)).toBe('light');

  // Monaco's theme follows the page's.
  await page.getByTestId('tab-editor-left').click();
  const editor = page.getByTestId('editor-left').locator('.monaco-editor');
  await expect(editor).toBeVisible();
  await expect(editor).toHaveClass(/\bvs\b/);
  await page.getByTestId('theme-toggle').click();
  expect(await theme(page)).toBe('dark');
  await expect(editor).toHaveClass(/\bvs-dark\b/);
  await shot(page, 'debugger-03-editor-dark');

  // The scenarios view in the dark theme.
  await page.getByTestId('view-scenarios').click();
  await expect(page.getByTestId('view-scenarios')).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(500); // the catalogue fills in
  await shot(page, 'debugger-04-scenarios-dark');

  expect(problems).toEqual([]);
});

test('keyboard shortcuts: listed by ?, not taken from fields or the console', async ({ page }) => {
  const problems = watchConsole(page);
  await openLab(page);
  await counting(page);

  // ? opens the list, Escape closes it.
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expect(help).toContainText('keyboard shortcuts');
  await expect(help).toContainText('migrate the source to the destination');
  await shot(page, 'debugger-05-shortcuts', { fullPage: false });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByTestId('help-button').click();
  await expect(help).toBeVisible();
  await page.keyboard.press('?');
  await expect(help).toBeHidden();

  // Digits pick the focused column's tab; [ and ] move the focus.
  await page.keyboard.press('3');
  await expect(page.getByTestId('tab-vmstate-left')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press(']');
  await expect(page.getByTestId('instance-right')).toHaveAttribute('data-focused', 'true');
  await page.keyboard.press('4');
  await expect(page.getByTestId('tab-cpu-right')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-vmstate-left')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('[');
  await page.keyboard.press('6');
  await expect(page.getByTestId('tab-monitor-left')).toHaveAttribute('aria-selected', 'true');

  // Typed into the monitor's input, the keys are text.
  const input = page.getByTestId('monitor-input-left');
  await input.click();
  await page.keyboard.type('1s?');
  await expect(input).toHaveValue('1s?');
  await expect(page.getByTestId('tab-monitor-left')).toHaveAttribute('aria-selected', 'true');
  await expect(help).toBeHidden();
  expect(await runstate(page, 'left')).toBe('running');
  await input.fill('');

  // Typed into the console, they go to the guest.
  await page.getByTestId('console-left').click();
  await page.keyboard.press('s');
  await page.keyboard.press('2');
  await expect(page.getByTestId('tab-monitor-left')).toHaveAttribute('aria-selected', 'true');
  expect(await runstate(page, 'left')).toBe('running');

  // s: stop / cont the focused column's VM; n steps it while stopped.
  await page.getByTestId('role-left').click(); // the column keeps the focus, the page has the keys
  await page.keyboard.press('s');
  await expect(page.getByTestId('runstate-left')).toHaveText('paused');
  await page.keyboard.press('4');
  const nip = page.getByTestId('cpu-nip-left');
  await expect(nip).not.toBeEmpty();
  const before = await nip.textContent();
  // the hello guest sleeps in H_CEDE between lines: the step executes one instruction, or
  // says that the vCPU is halted
  await page.keyboard.press('n');
  await expect.poll(async () => (await nip.textContent()) !== before
    || /step: CPU #0 is halted \(H_CEDE\)/.test((await page.getByTestId('shortcut-notice').allTextContents()).join(''))).toBe(true);
  await page.keyboard.press('s');
  await expect(page.getByTestId('runstate-left')).toHaveText('running');

  // m: migrate the source to the destination.
  await page.keyboard.press('m');
  await waitForMigration(page, 'left');

  expect(problems).toEqual([]);
});

test('vmstate fields: the value, its history since the panel opened, its place in the last stream', async ({ page }) => {
  const problems = watchConsole(page);
  await openLab(page, './#left=vmstate&right=vmstate');
  await counting(page);

  // Before any migration: the value and how it changed while the guest runs.
  const left = page.getByTestId('vmstate-left');
  await left.locator('tr[data-section="cpu"]').click();
  await left.locator('tr[data-field="env.nip"]').click();
  const detail = page.getByTestId('vm-detail-left');
  await expect(detail).toHaveAttribute('data-field', 'env.nip');
  await expect(page.getByTestId('vm-value-left')).toHaveText(/^0x[0-9a-f]{16} \(\d+\)$/);
  await expect.poll(() => page.getByTestId('vm-history-left').locator('li.change').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('vm-history-left').locator('li.change').first()).toContainText(/\+\d+\.\d s · [\d,]+ insns 0x[0-9a-f]{16}/);
  await expect(page.getByTestId('vm-stream-left')).toContainText('no stream yet');
  // an array: its elements
  await left.locator('tr[data-field="env.gpr"]').click();
  await expect(detail).toHaveAttribute('data-field', 'env.gpr');
  await expect(detail.locator('table.vm-elements tr')).toHaveCount(32);
  await left.locator('tr[data-field="env.nip"]').click();
  await shot(page, 'debugger-06-vmstate-field');

  // Migrate: the source's fields are found in the stream it sent...
  await page.getByTestId('migrate-right').click();
  await waitForMigration(page, 'left');
  const outgoing = page.getByTestId('vm-stream-left');
  await expect(outgoing).toHaveAttribute('data-direction', 'outgoing', { timeout: 30_000 });
  await expect(outgoing).toContainText('in the outgoing stream');
  const offset = Number(await outgoing.getAttribute('data-offset'));
  expect(Number(await outgoing.getAttribute('data-size'))).toBe(8);
  const nipNow = (await page.getByTestId('vm-value-left').textContent())!.slice(2, 18);

  // ...at the offset where the saved stream has the value the stopped source still holds
  await page.getByTestId('open-inspector').click();
  await page.getByTestId('inspector-last').click();
  await expect(page.getByTestId('inspector-meta')).toContainText("machine 'pseries-7.2'");
  const saved = page.waitForEvent('download');
  await page.getByTestId('inspector-save').click();
  const bytes = readFileSync((await (await saved).path())!);
  expect(bytes.subarray(offset, offset + 8).toString('hex')).toBe(nipNow);

  // ...and the destination's in the stream it received, at the same place.
  const right = page.getByTestId('vmstate-right');
  await right.locator('tr[data-section="cpu"]').click();
  await right.locator('tr[data-field="env.nip"]').click();
  const incoming = page.getByTestId('vm-stream-right');
  await expect(incoming).toHaveAttribute('data-direction', 'incoming', { timeout: 30_000 });
  await expect(incoming).toHaveAttribute('data-offset', String(offset));
  await page.getByTestId('vmstate-right').scrollIntoViewIfNeeded();
  await shot(page, 'debugger-07-vmstate-stream', { fullPage: false });

  expect(problems).toEqual([]);
});

test('a write watchpoint stops the VM in debug after the store, as the gdbstub\'s', async ({ page }) => {
  const problems = watchConsole(page);
  await openLab(page, './#left=memory');
  await counting(page);

  // The guest's line buffer at 0xf00000: written for every line it prints.
  await page.getByTestId('mem-addr-left').fill('0xf00000');
  await page.getByTestId('mem-addr-left').press('Enter');
  await page.getByTestId('mem-watch-addr-left').fill('0xf00000');
  await page.getByTestId('mem-watch-len-left').fill('32');
  await page.getByTestId('mem-watch-set-left').click();
  await expect(page.getByTestId('mem-watch-list-left')).toContainText('0xf00000+32');
  await expect(page.getByTestId('runstate-left')).toHaveText('debug', { timeout: 30_000 });
  const hit = page.getByTestId('mem-watch-hit-left');
  await expect(hit).toContainText(/watchpoint 0xf00000 \(32 bytes\) hit after the instruction at [0-9a-f]+, [\d,]+ insns: [0-9a-f]{64} → [0-9a-f]{64}/);
  await shot(page, 'debugger-08-watchpoint', { fullPage: false });

  // Removed, the VM runs on after cont.
  await page.getByTestId('mem-watch-list-left').getByRole('button', { name: 'remove the watchpoint' }).click();
  await expect(page.getByTestId('mem-watch-list-left')).toHaveCount(0);
  await page.getByTestId('role-left').click();
  await page.keyboard.press('s');
  await expect(page.getByTestId('runstate-left')).toHaveText('running');
  const lines = [...(await consoleText(page, 'left')).matchAll(COUNT)].length;
  await expect.poll(async () => [...(await consoleText(page, 'left')).matchAll(COUNT)].length, { timeout: 30_000 }).toBeGreaterThan(lines);

  expect(problems).toEqual([]);
});
