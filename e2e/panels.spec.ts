// The panels under each console, driven as a user does: the device tree, vmstate, CPU (with
// stop / cont / step), ov5, the monitor, memory, the layout in the URL hash, and the stream
// inspector on the last in-tab migration and on a stream QEMU wrote.

import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { consoleText, monitor, openLab, shot, traceLines } from './helpers';

const QEMU_STREAM = fileURLToPath(new URL('../test/fixtures/stream-pseries-p8.bin.gz', import.meta.url));

const COUNT = /count (\d+) checksum (\S+)/g;

async function tab(page: Page, name: string, column: 'left' | 'right' = 'left'): Promise<void> {
  await page.getByTestId(`tab-${name}-${column}`).click();
  await expect(page.getByTestId(`tab-${name}-${column}`)).toHaveAttribute('aria-selected', 'true');
}

test('the panels show the live machine', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  await openLab(page);
  await expect.poll(async () => [...(await consoleText(page, 'left')).matchAll(COUNT)].length, { timeout: 60_000 })
    .toBeGreaterThan(1);

  // Device tree: the live FDT, decoded; then as DTS.
  await tab(page, 'dt');
  const vty = page.getByTestId('dt-left').locator('[data-path="/vdevice/vty@71000001"]');
  await expect(vty).toContainText('vty@71000001');
  await expect(vty).toContainText('compatible = "hvterm1"');
  await expect(vty).toContainText('reg = <0x71000001>');
  await expect(page.getByTestId('dt-left').locator('[data-path="/memory@0"]')).toContainText('size 0x10000000 (256 MiB)');
  await shot(page, 'panel-01-device-tree');
  await page.getByTestId('dt-dts-button-left').click();
  await expect(page.getByTestId('dts-left').locator('.monaco-editor')).toBeVisible();
  await expect(page.getByTestId('dts-left')).toContainText('/dts-v1/;'); // the first lines are on screen
  const dts = () => page.evaluate(() => window.__pseriesLab!.codeText('dts-left') ?? '');
  await expect.poll(dts).toContain('vty@71000001 {');
  expect(await dts()).toContain('compatible = "hvterm1";');
  await shot(page, 'panel-02-dts');
  const dl = page.waitForEvent('download');
  await page.getByTestId('dt-download-left').click();
  expect((await dl).suggestedFilename()).toBe('vm-a.dtb');

  // vmstate: the sections a migration would send; ov5_cas pending on pseries-7.2.
  await tab(page, 'vmstate');
  const spapr = page.getByTestId('vmstate-left').locator('tr[data-subsections-of="spapr"]');
  await expect(page.getByTestId('vmstate-left').locator('tr[data-section="spapr"]')).toContainText(/\d+ B/);
  await expect(spapr).toContainText('spapr_option_vector_ov5_cas');
  const ov5cas = spapr.locator('[data-subsection="spapr_option_vector_ov5_cas"]');
  await expect(ov5cas).toHaveAttribute('data-needed', 'true');
  await expect(ov5cas).toHaveClass(/pending/);
  await expect(ov5cas).toContainText('platform ov5 has bits outside FORM1/DRCONF/DRMEM_V2');
  await expect(page.getByTestId('vmstate-left').locator('tr[data-subsections-of="cpu"]')).toContainText('cpu/vsx');
  await expect(page.getByTestId('vmstate-left').locator('tr[data-section="ram"]')).toContainText('live');
  await ov5cas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'panel-03-vmstate');

  // CPU: registers, disassembly, stop / step / cont with QEMU's runstate transitions.
  await tab(page, 'cpu');
  await expect(page.getByTestId('cpu-spr-PVR-left')).toHaveText('004d0200');
  await expect(page.getByTestId('disasm-left').locator('tr.current')).toHaveCount(1);
  await expect(page.getByTestId('disasm-left').locator('tr.current td.d-text')).not.toBeEmpty();
  await page.getByTestId('cpu-stop-left').click();
  await expect(page.getByTestId('runstate-left')).toHaveText('paused');
  await expect.poll(() => traceLines(page, 'left'))
    .toContain('runstate_set current_run_state 9 (running) new_state 4 (paused)');
  await page.getByTestId('cpu-step-left').click();
  await expect(page.getByTestId('cpu-step-left')).toBeEnabled();
  await shot(page, 'panel-04-cpu-paused');
  // A breakpoint where NIP is: cont passes it, and the guest stops there when it comes round
  // again (the gdbstub's debug stop).
  const current = page.getByTestId('disasm-left').locator('tr.current');
  const addr = (await current.getAttribute('data-addr'))!;
  await current.click();
  await expect(page.getByTestId('breakpoints-left')).toContainText(addr.replace(/^0+(?=.)/, ''));
  await page.getByTestId('cpu-cont-left').click();
  await expect(page.getByTestId('runstate-left')).toHaveText('debug');
  await expect.poll(() => traceLines(page, 'left'))
    .toContain('runstate_set current_run_state 9 (running) new_state 0 (debug)');
  await expect(page.getByTestId('disasm-left').locator('tr.current')).toHaveAttribute('data-addr', addr);
  await shot(page, 'panel-04b-cpu-breakpoint');
  await page.getByTestId('disasm-left').locator(`tr[data-addr="${addr}"]`).click(); // cleared
  await expect(page.getByTestId('breakpoints-left')).toHaveCount(0);
  await page.getByTestId('cpu-cont-left').click();
  await expect(page.getByTestId('runstate-left')).toHaveText('running');
  await expect.poll(() => traceLines(page, 'left'))
    .toContain('runstate_set current_run_state 4 (paused) new_state 9 (running)');

  // ov5: QEMU's bit names, platform vs negotiated (CAS has not run: they differ).
  await tab(page, 'ov5');
  const hpt = page.getByTestId('ov5-left').locator('tr[data-bit="OV5_HPT_RESIZE"]');
  await expect(hpt).toHaveClass(/differs/);
  await expect(page.getByTestId('ov5-left').locator('tr[data-bit="OV5_MMU_RADIX_300"]')).not.toHaveClass(/differs/);
  await shot(page, 'panel-05-ov5');

  // Monitor.
  await tab(page, 'monitor');
  const out = page.getByTestId('monitor-out-left');
  await monitor(page, 'left', 'info status');
  await expect(out).toContainText('VM status: running');
  await monitor(page, 'left', 'info registers');
  await expect(out).toContainText(/NIP [0-9a-f]{16} {3}LR [0-9a-f]{16}/);
  await expect(out).toContainText('PVR 00000000004d0200');
  await monitor(page, 'left', 'info cpus');
  await expect(out).toContainText('* CPU #0: thread_id=');
  await monitor(page, 'left', 'frobnicate');
  await expect(out).toContainText("unknown command: 'frobnicate'");
  await monitor(page, 'left', 'stop');
  await expect(page.getByTestId('runstate-left')).toHaveText('paused');
  await monitor(page, 'left', 'info status');
  await expect(out.locator('.m-out').last()).toHaveText('VM status: paused');
  await monitor(page, 'left', 'cont');
  await expect(page.getByTestId('runstate-left')).toHaveText('running');
  await monitor(page, 'right', 'info status').catch(() => {}); // the right column shows the trace tab
  await tab(page, 'monitor', 'right');
  await monitor(page, 'right', 'info status');
  await expect(page.getByTestId('monitor-out-right')).toContainText('VM status: paused (prelaunch)');
  await shot(page, 'panel-06-monitor');

  // Memory: the guest's code (its ELF is linked at 0x400000), 256 bytes a page.
  await tab(page, 'memory');
  await page.getByTestId('mem-addr-left').fill('0x400000');
  await page.getByTestId('mem-addr-left').press('Enter');
  const dump = page.getByTestId('hexdump-left');
  await expect(dump).toContainText('0000000000400000');
  await expect(dump).toContainText('00000000004000f0');
  expect(await dump.textContent()).toMatch(/^0000000000400000 {2}(?!00 00 00 00 00 00 00 00 {2}00 00 00 00 00 00 00 00)/);
  await page.getByRole('button', { name: 'next ▶' }).first().click();
  await expect(dump).toContainText('0000000000400100');
  await shot(page, 'panel-07-memory');

  // The layout is in the URL hash and survives a reload.
  expect(new URL(page.url()).hash).toBe('#left=memory&right=monitor');
  await openLab(page, './#left=cpu&right=dt');
  await expect(page.getByTestId('tab-cpu-left')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-dt-right')).toHaveAttribute('aria-selected', 'true');
  await expect.poll(async () => [...(await consoleText(page, 'left')).matchAll(COUNT)].length, { timeout: 60_000 })
    .toBeGreaterThan(0);

  // Migrate, then inspect the stream the source sent.
  await page.getByTestId('migrate-right').click();
  await expect(page.getByTestId('migration-status')).toHaveText('completed', { timeout: 120_000 });
  await expect(page.getByTestId('runstate-right')).toHaveText('running');
  await page.getByTestId('open-inspector').click();
  expect(new URL(page.url()).hash).toContain('inspector');
  await page.getByTestId('inspector-last').click();
  const table = page.getByTestId('inspector-table');
  await expect(table.locator('tr[data-idstr="spapr"]')).toContainText('FULL');
  await expect(table.locator('tr[data-idstr="ram"]').first()).toContainText('START');
  await expect(page.getByTestId('inspector-meta')).toContainText("machine 'pseries-7.2'");
  const saved = page.waitForEvent('download');
  await page.getByTestId('inspector-save').click();
  expect((await saved).suggestedFilename()).toBe('vm-a-migration.bin');
  await shot(page, 'panel-08-inspector-last');

  // A stream QEMU 7.2 wrote (gzip'd), opened from a file.
  await page.getByTestId('inspector-file').setInputFiles(QEMU_STREAM);
  await expect(page.getByTestId('inspector-meta')).toContainText('stream-pseries-p8.bin.gz');
  await expect(table.locator('tr[data-idstr="cpu"]').first()).toContainText('FULL');
  await shot(page, 'panel-09-inspector-qemu');

  expect(pageErrors).toEqual([]);
});

test('the monitor migrates: migrate_set_parameter, migrate, info migrate', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openLab(page);
  await expect.poll(async () => [...(await consoleText(page, 'left')).matchAll(COUNT)].length, { timeout: 60_000 })
    .toBeGreaterThan(0);
  await tab(page, 'monitor');
  const out = page.getByTestId('monitor-out-left');
  await monitor(page, 'left', 'migrate_set_parameter downtime-limit 5000000');
  await expect(out).toContainText("Error: Parameter 'downtime_limit' expects an integer in the range of 0 to 2000 seconds");
  await monitor(page, 'left', 'migrate_set_parameter downtime-limit 100');
  await monitor(page, 'left', 'migrate -d tcp:localhost:4444');
  await expect(page.getByTestId('migration-status')).toHaveText('completed', { timeout: 120_000 });
  await expect(page.getByTestId('runstate-right')).toHaveText('running');
  await expect(page.getByTestId('runstate-left')).toHaveText('postmigrate');
  await monitor(page, 'left', 'info migrate');
  await expect(out).toContainText('Migration status: completed');
  await monitor(page, 'left', 'info migrate_parameters');
  await expect(out).toContainText('downtime-limit: 100 ms');
  await shot(page, 'panel-10-monitor-migrate');
  expect(pageErrors).toEqual([]);
});
