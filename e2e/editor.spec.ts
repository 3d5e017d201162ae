// The guest editor, driven as a user does: pick an example, assemble and run it in the source
// machine (its console shows the MMU faults), break the source and see the assembler's error,
// then load a program paused (prelaunch, QEMU's -S) and step its first instruction in the CPU tab.

import { expect, test } from '@playwright/test';
import { consoleText, openLab, runstate, shot } from './helpers';

test('the guest editor assembles, runs and steps a program', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  await openLab(page, './#left=editor');
  await expect(page.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 });

  // an example, assembled and booted as -kernel: its console equals QEMU's (test/editor-examples.test.ts)
  await page.getByTestId('editor-example-left').selectOption('mmu');
  await expect(page.getByTestId('editor-listing-left')).toContainText('slbmte r3,r4');
  await page.getByTestId('editor-run-left').click();
  await expect.poll(() => consoleText(page, 'left'), { timeout: 30_000 }).toContain('DSISR 0000000040000000');
  expect(await consoleText(page, 'left')).toContain('interrupt 0000000000000380 DAR 0000000010000000');
  // the panel keeps the program across the reboot it caused
  await expect(page.getByTestId('editor-example-left')).toHaveValue('mmu');
  await shot(page, 'editor-mmu');

  // a line the assembler does not know: its message, and nothing to run
  await page.locator('.monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n    frobnicate r3');
  await expect(page.getByTestId('editor-status-left')).toContainText("unknown mnemonic 'frobnicate'");
  await expect(page.getByTestId('editor-run-left')).toBeDisabled();

  // another example, loaded paused: prelaunch, then one step executes the first instruction
  await page.getByTestId('editor-example-left').selectOption('interrupt');
  await expect(page.getByTestId('editor-run-left')).toBeEnabled();
  await page.getByTestId('editor-load-left').click();
  await expect.poll(() => runstate(page, 'left')).toBe('prelaunch');
  await page.getByTestId('tab-cpu-left').click();
  await expect(page.getByTestId('cpu-nip-left')).toContainText('400000');
  await page.getByTestId('cpu-step-left').click();
  await expect(page.getByTestId('cpu-nip-left')).toContainText('400004');
  expect(pageErrors).toEqual([]);
});
