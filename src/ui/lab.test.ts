import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { canCancel, canMigrate, gunzip, isGzip, loadGuest, machineConfig, PAGE_MAX_CPUS } from './lab';
import { cancelRequested, createSessionStore, migrationEnded, migrationStarted, setGuestLoading, setMigrationParam } from '../store/session';
import { guestById, guestCaps } from '../core/guests';

describe('canMigrate', () => {
  const idle = createSessionStore().getState();
  const running = { ready: true, runstate: 'running' } as const;
  const prelaunch = { ready: true, runstate: 'prelaunch' } as const;
  const postmigrate = { ready: true, runstate: 'postmigrate' } as const;

  it('allows only from a running machine to one that is not running', () => {
    expect(canMigrate(idle, running, prelaunch)).toBe(true);
    expect(canMigrate(idle, running, postmigrate)).toBe(true);
    expect(canMigrate(idle, prelaunch, running)).toBe(false);
    expect(canMigrate(idle, postmigrate, running)).toBe(false);
    expect(canMigrate(idle, running, running)).toBe(false);
    expect(canMigrate(idle, running, { ready: false, runstate: 'prelaunch' })).toBe(false);
  });

  it('allows nothing while a migration is under way', () => {
    const session = createSessionStore();
    migrationStarted(session, 'left');
    expect(canMigrate(session.getState(), running, prelaunch)).toBe(false);
  });
});

describe('canCancel', () => {
  it('applies only while the outgoing migration is in setup or active', () => {
    const session = createSessionStore();
    expect(canCancel(session.getState(), null)).toBe(false);
    migrationStarted(session, 'left');
    expect(canCancel(session.getState(), null)).toBe(true);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'setup' })).toBe(true);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'active' })).toBe(true);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'completed' })).toBe(false);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'cancelling' })).toBe(false);
    cancelRequested(session);
    expect(canCancel(session.getState(), { direction: 'outgoing', status: 'active' })).toBe(false);
    migrationEnded(session);
    expect(session.getState().cancelRequested).toBe(false);
  });
});

describe('migration parameters', () => {
  it("start at QEMU's defaults and take only positive numbers", () => {
    const session = createSessionStore();
    expect(session.getState().params).toEqual({ downtimeLimitMs: 300, maxBandwidth: 128 * 1024 * 1024 });
    expect(setMigrationParam(session, 'downtime-limit', 50)).toBe(true);
    expect(setMigrationParam(session, 'max-bandwidth', 0)).toBe(false);
    expect(setMigrationParam(session, 'max-bandwidth', Number.NaN)).toBe(false);
    expect(setMigrationParam(session, 'max-bandwidth', 1024)).toBe(true);
    expect(session.getState().params).toEqual({ downtimeLimitMs: 50, maxBandwidth: 1024 });
  });
});

describe('canMigrate while a guest is loading', () => {
  it('waits until the source has the guest', () => {
    const session = createSessionStore();
    const running = { ready: true, runstate: 'running' } as const;
    const prelaunch = { ready: true, runstate: 'prelaunch' } as const;
    setGuestLoading(session, true);
    expect(canMigrate(session.getState(), running, prelaunch)).toBe(false);
    setGuestLoading(session, false);
    expect(canMigrate(session.getState(), running, prelaunch)).toBe(true);
  });
});

describe('guest images', () => {
  const linux = guestById('linux')!;
  const hello = guestById('hello')!;

  it("configure the machine with the guest's -m and cap-* properties", () => {
    const cfg = machineConfig(linux);
    expect(cfg.ramSize).toBe(256 << 20);
    expect(cfg.caps).toEqual(Array.from(guestCaps(linux)));
    // the four Spectre caps the Linux guest sets to broken/off
    expect(cfg.caps!.filter((v) => v !== undefined)).toEqual([0, 0, 0, 0]);
    // a dense array: what crosses postMessage is what the worker reads
    expect(cfg.caps!.length).toBe(Object.keys(cfg.caps!).length);
    // -m 256M,slots=2,maxmem=768M -smp 1,maxcpus=2: room for a DIMM and a core from the monitor
    expect(machineConfig(hello)).toEqual({ ramSize: 256 << 20, maxCpus: PAGE_MAX_CPUS, maxRamSize: 768 << 20, ramSlots: 2 });
    // a destination started with the source's cores (a hot-plugged core 1) and DIMMs
    expect(machineConfig(hello, { coreIds: [0, 1] }).coreIds).toEqual([0, 1]);
    const dimms = [{ memdev: 'mem1', size: 256 << 20, id: 'dimm1', addr: 0x40000000 }];
    expect(machineConfig(hello, { dimms }).dimms).toEqual(dimms);
  });

  it('inflate gzip and pass anything else through', async () => {
    const data = new TextEncoder().encode('vmlinux '.repeat(1000));
    const gz = gzipSync(data);
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(data)).toBe(false);
    const buf = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
    expect(new Uint8Array(await gunzip(buf(gz)))).toEqual(data);
    expect(new Uint8Array(await gunzip(buf(data)))).toEqual(data);
    await expect(gunzip(buf(gz.subarray(0, 20)))).rejects.toThrow();
  });

  it("fetch the guest's kernel and initrd from guests/, inflated, with its command line", async () => {
    const urls: string[] = [];
    const files: Record<string, Uint8Array> = {};
    const kernel = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]);
    const initrd = new TextEncoder().encode('070701');
    files['linux/vmlinux.gz'] = gzipSync(kernel);
    files['linux/initramfs.cpio.gz'] = gzipSync(initrd);
    files['hello.elf'] = kernel;
    const fake = (async (url: string) => {
      urls.push(url);
      const hit = Object.entries(files).find(([f]) => url.endsWith(`guests/${f}`));
      return hit ? new Response(hit[1].slice()) : new Response('', { status: 404, statusText: 'Not Found' });
    }) as typeof fetch;

    const l = await loadGuest(linux, fake);
    expect(new Uint8Array(l.elf)).toEqual(kernel);
    expect(new Uint8Array(l.initrd!)).toEqual(initrd);
    expect(l.append).toBe('console=hvc0');
    expect(urls.map((u) => u.replace(/^.*guests\//, ''))).toEqual(['linux/vmlinux.gz', 'linux/initramfs.cpio.gz']);

    const h = await loadGuest(hello, fake);
    expect(new Uint8Array(h.elf)).toEqual(kernel);
    expect(h).not.toHaveProperty('initrd');
    expect(h).not.toHaveProperty('append');

    delete files['linux/initramfs.cpio.gz'];
    await expect(loadGuest(linux, fake)).rejects.toThrow(/initramfs\.cpio\.gz: 404 Not Found/);
  });
});
