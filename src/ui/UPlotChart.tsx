// A uPlot chart as a React component: the chart is made once per set of options (and again
// when the page's theme changes: its canvas colours come from app.css's variables), and new
// data only calls setData. Options are built by a function of the theme's colours; pass a
// stable one (module-level or memoised) or the chart is rebuilt on every render.

import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** The colours and fonts of the page's current theme, for drawing on a canvas. */
export interface ChartTheme {
  dark: boolean;
  text: string;
  muted: string;
  grid: string;
  axis: string;
  surface: string;
  /** Background of bars and empty cells. */
  bar: string;
  accent: string;
  orange: string;
  red: string;
  sans: string;
  mono: string;
}

/** app.css's variables as they are now on the document root. */
export function chartTheme(root: HTMLElement = document.documentElement): ChartTheme {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    dark: root.dataset.theme === 'dark',
    text: v('--text', '#1f2630'),
    muted: v('--muted', '#657286'),
    grid: v('--grid', '#e3e7ee'),
    axis: v('--axis', '#8c96a5'),
    surface: v('--surface', '#fbfcfd'),
    bar: v('--bar', '#eef1f5'),
    accent: v('--accent', '#2463eb'),
    orange: v('--orange', '#953800'),
    red: v('--red', '#cf222e'),
    sans: v('--sans', 'sans-serif'),
    mono: v('--mono', 'monospace'),
  };
}

// The page's theme, followed as Monaco follows it (data-theme on the document root): read once
// per theme and shared by every chart.
let themeKey: string | undefined;
let themeNow: ChartTheme | null = null;
const themeListeners = new Set<() => void>();
let themeObserver: MutationObserver | null = null;

function subscribeTheme(listener: () => void): () => void {
  themeListeners.add(listener);
  if (!themeObserver) {
    themeObserver = new MutationObserver(() => { for (const l of themeListeners) l(); });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }
  return () => {
    themeListeners.delete(listener);
    if (!themeListeners.size) { themeObserver?.disconnect(); themeObserver = null; }
  };
}

function currentTheme(): ChartTheme {
  const root = document.documentElement;
  if (!themeNow || themeKey !== root.dataset.theme) {
    themeKey = root.dataset.theme;
    themeNow = chartTheme(root);
  }
  return themeNow;
}

/** The chart colours of the page's theme now (null outside a browser). */
export function useChartTheme(): ChartTheme | null {
  return useSyncExternalStore(subscribeTheme, currentTheme, () => null);
}

export interface UPlotChartProps {
  /** The chart's options for a theme (width and height included). */
  options: (theme: ChartTheme) => uPlot.Options;
  data: uPlot.AlignedData;
  /** Called after each setData (and once the chart is made), e.g. to pin the legend. */
  onData?: (chart: uPlot) => void;
  className?: string;
  /** Drawn over the chart (e.g. a message when there is nothing to plot). */
  children?: ReactNode;
}

export function UPlotChart({ options, data, onData, className, children }: UPlotChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef({ data, onData });
  latest.current = { data, onData };
  const theme = useChartTheme();

  useEffect(() => {
    if (!theme || !host.current) return;
    const u = new uPlot(options(theme), latest.current.data, host.current);
    chart.current = u;
    latest.current.onData?.(u);
    return () => { u.destroy(); chart.current = null; };
  }, [options, theme]);

  useEffect(() => {
    const u = chart.current;
    if (!u || u.data === data) return;
    u.setData(data);
    onData?.(u);
  }, [data, onData]);

  return (
    <div className={`uplot-chart${className ? ` ${className}` : ''}`}>
      <div ref={host} />
      {children}
    </div>
  );
}
