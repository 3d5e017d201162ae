import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MigrationInfo } from '../worker/protocol';
import { chartDescription, HeatMap, MigrationChart } from './MigrationBar';

const info = (over: Partial<MigrationInfo>): MigrationInfo => ({
  status: 'active', direction: 'outgoing', pagesSent: 0, zeroPages: 0, dirtyPerIteration: [], bandwidthPerIteration: [], bytes: 0, ...over,
});

describe('migration chart', () => {
  it('describes the last iteration and the downtime for screen readers', () => {
    expect(chartDescription([], [])).toBe('no iterations yet');
    expect(chartDescription([65536, 1200], [118.25, 4.5]))
      .toBe('dirty pages and bandwidth after each of 2 iterations; last: 1,200 dirty pages at 4.50 MiB/s');
    expect(chartDescription([65536, 1200, 0], [118.25, 4.5, 96], 12.5))
      .toBe('dirty pages and bandwidth after each of 3 iterations; last: 0 dirty pages at 96.0 MiB/s; downtime 12.5 ms');
  });

  it('says so when there is no iteration yet (the chart itself is drawn in the page)', () => {
    const html = renderToStaticMarkup(createElement(MigrationChart, { info: null }));
    expect(html).toContain('data-testid="migration-chart"');
    expect(html).toContain('data-points="0"');
    expect(html).toContain('data-series="2"');
    expect(html).toContain('aria-label="no iterations yet"');
    expect(html).toContain('no iterations yet</div>');
  });

  it('counts the points and names the downtime once the migration completed', () => {
    const running = renderToStaticMarkup(createElement(MigrationChart, {
      info: info({ dirtyPerIteration: [100, 40], bandwidthPerIteration: [64, 32], downtimeMs: undefined }),
    }));
    expect(running).toContain('data-points="2"');
    expect(running).not.toContain('no iterations yet');
    expect(running).not.toContain('downtime');
    const done = renderToStaticMarkup(createElement(MigrationChart, {
      info: info({ status: 'completed', dirtyPerIteration: [100, 40, 0], bandwidthPerIteration: [64, 32, 80], downtimeMs: 3.25 }),
    }));
    expect(done).toContain('data-points="3"');
    expect(done).toContain('last: 0 dirty pages at 80.0 MiB/s; downtime 3.25 ms');
  });

  it('the heat map counts its hot stretches of RAM', () => {
    const html = renderToStaticMarkup(createElement(HeatMap, { cells: [0, 3, 0, 1, ...Array(60).fill(0)], pagesPerCell: 256 }));
    expect(html).toContain('data-cells="64"');
    expect(html).toContain('data-hot-cells="2"');
    expect(html).toContain('data-max="3"');
    expect(html).toContain('pages sent again, 2 of 64 stretches of RAM');
    expect(html).toContain('1.0 MiB a square; hottest 3');
  });
});
