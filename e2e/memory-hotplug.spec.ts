// A DIMM hot-plugged from the page's monitor: QEMU's replies, its memory in the memory panel,
// and a migration whose destination is started with it (-object/-device pc-dimm,addr=).

import { expect, test } from '@playwright/test';
import { errors, monitor, openLab, shot, waitForMigration } from './helpers';

test('object_add + device_add pc-dimm on the page: info memory-devices, the memory panel, and a migration that takes the DIMM along', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openLab(page, './#left=monitor&right=monitor');
  await monitor(page, 'left', 'object_add memory-backend-ram,id=mem1,size=256M');
  await monitor(page, 'left', 'device_add pc-dimm,id=dimm1,memdev=mem1');
  await monitor(page, 'left', 'info memory-devices');
  const out = page.getByTestId('monitor-out-left');
  // the page's machines are -m 256M,slots=2,maxmem=768M: the DIMM goes to the device memory at 1 GiB
  await expect(out).toContainText('Memory device [dimm]: "dimm1"\n  addr: 0x40000000\n  slot: 0\n  node: 0\n  size: 268435456\n  memdev: /objects/mem1\n  hotplugged: true\n  hotpluggable: true');
  // a second one does not fit into 512 MiB of device memory twice over
  await monitor(page, 'left', 'object_add memory-backend-ram,id=big,size=512M');
  await monitor(page, 'left', 'device_add pc-dimm,id=dimm2,memdev=big');
  await expect(out).toContainText('Error: not enough space, currently 0x10000000 in use of total space for memory devices 0x20000000');

  // the memory panel lists the DIMM's block and shows its memory
  await page.getByTestId('tab-memory-left').click();
  const blocks = page.getByTestId('mem-blocks-left');
  await expect(blocks).toContainText('RAM 256 MiB');
  await expect(blocks).toContainText('mem1 256 MiB @0x40000000');
  await blocks.getByRole('button', { name: 'mem1' }).click();
  await expect(page.getByTestId('mem-addr-left')).toHaveValue('0x40000000');
  await expect(page.getByTestId('hexdump-left')).toContainText('40000000');
  // between RAM and the device memory nothing is mapped
  await page.getByTestId('mem-addr-left').fill('0x20000000');
  await page.getByTestId('mem-addr-left').press('Enter');
  await expect(page.getByTestId('memory-left')).toContainText('unassigned: no RAM or DIMM at 0x20000000');
  await shot(page, 'memory-hotplug-01-dimm');

  // migrate: the destination is started with the DIMM at the same address
  await page.getByTestId('migrate-right').click();
  await waitForMigration(page, 'left');
  await monitor(page, 'right', 'info memory-devices');
  await expect(page.getByTestId('monitor-out-right')).toContainText('Memory device [dimm]: "dimm1"\n  addr: 0x40000000');
  expect(await errors(page, 'right')).toEqual([]);
  expect(pageErrors).toEqual([]);
});
