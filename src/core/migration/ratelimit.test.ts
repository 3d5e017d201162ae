import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MainLoop } from '../mainloop';
import { OutgoingMigration } from './precopy';
import { RateLimiter } from './ratelimit';
import { MemoryLink } from './transport';

describe('max-bandwidth (qemu_file_rate_limit)', () => {
  it('lets max-bandwidth / 10 bytes through per 100 ms window, the excess counting against the next', () => {
    let t = 0;
    const r = new RateLimiter(1_000_000, () => t); // 100 000 bytes per window
    expect(r.waitMs()).toBe(0);
    r.note(99_999);
    expect(r.waitMs()).toBe(0);
    r.note(150_001); // 250 000 sent: two and a half windows' worth
    t = 30;
    expect(r.waitMs()).toBe(70);
    t = 100;
    expect(r.waitMs()).toBeGreaterThan(0); // 150 000 left > one budget
    t = 200;
    expect(r.waitMs()).toBe(0); // 50 000 left < budget
    r.setBandwidth(100_000); // 10 000 per window now
    expect(r.waitMs()).toBe(100);
  });

  it('paces a real-time migration: once the window\'s budget is sent, the step waits for the next window', () => {
    const loop = new MainLoop({ deterministic: false });
    loop.machine.setKernel(new Uint8Array(readFileSync('public/guests/hello.elf')));
    loop.systemReset();
    const link = new MemoryLink(1 << 20);
    let sent = 0;
    const tx = link.sender;
    const send = tx.send.bind(tx);
    tx.send = (c) => { sent += c.length; send(c); };
    const out = new OutgoingMigration(loop, tx, { maxBandwidth: 10 * 4096 * 10, pagesPerStep: 64 }); // 40 KiB a window
    out.start();
    let delay = 0;
    let steps = 0;
    for (; steps < 1000 && delay === 0; steps++) { delay = out.step(); link.sender.pump(); }
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(100);
    expect(sent).toBeGreaterThanOrEqual(40 * 1024);
    expect(out.status).toBe('active');
    out.cancel();
  });
});
