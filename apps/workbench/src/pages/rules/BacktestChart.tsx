// The backtest drawn with uPlot: the metric's series, the threshold lines, and behind them the
// would-be alert timeline as bands (pending hatched amber, firing in the severity's colour, no
// data grey). ui/TimeChart draws plain series only, so the bands and lines need this wrapper.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Band, ThresholdLine } from './backtest-model.ts';

export interface ChartSeries {
  label: string;
  /** seconds */
  xs: number[];
  ys: number[];
}

interface Props {
  /** epoch ms */
  from: number;
  to: number;
  series: ChartSeries[];
  lines: ThresholdLine[];
  bands: Band[];
}

const COLORS = ['#2563eb', '#0891b2', '#16a34a', '#7c3aed', '#db2777', '#475569'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function severityColor(severity: string | null): string {
  if (severity === 'very_critical') return cssVar('--very-critical', '#7e22ce');
  if (severity === 'critical') return cssVar('--critical', '#dc2626');
  return cssVar('--warning', '#b45309');
}

export function BacktestChart({ from, to, series, lines, bands }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const data = series.length > 0 ? uPlot.join(series.map((s) => [s.xs, s.ys] as uPlot.AlignedData)) : ([[from / 1000, to / 1000]] as uPlot.AlignedData);
    const muted = cssVar('--muted', '#5f6b7a');
    const grid = cssVar('--line', '#dde2e8');
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const levels = lines.map((l) => l.value);
    const drawBands = (u: uPlot) => {
      const { ctx } = u;
      const { top, height } = u.bbox;
      ctx.save();
      for (const b of bands) {
        const x0 = u.valToPos(b.from / 1000, 'x', true);
        const x1 = Math.max(u.valToPos(b.to / 1000, 'x', true), x0 + 2);
        ctx.globalAlpha = b.state === 'firing' ? 0.22 : 0.14;
        ctx.fillStyle = b.state === 'nodata' ? cssVar('--stale', '#6b7280') : b.state === 'pending' ? cssVar('--warning', '#b45309') : severityColor(b.severity);
        ctx.fillRect(x0, top, x1 - x0, height);
      }
      ctx.restore();
    };
    const drawLines = (u: uPlot) => {
      const { ctx } = u;
      const { left, width } = u.bbox;
      ctx.save();
      ctx.lineWidth = 1.5 * devicePixelRatio;
      for (const l of lines) {
        const y = u.valToPos(l.value, 'y', true);
        ctx.strokeStyle = severityColor(l.severity);
        ctx.setLineDash(l.kind === 'recovery' ? [3 * devicePixelRatio, 4 * devicePixelRatio] : [8 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
      }
      ctx.restore();
    };
    const plot = new uPlot(
      {
        width: Math.max(box.clientWidth, 200),
        height: 220,
        legend: { show: series.length > 0 },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true, range: () => [from / 1000, to / 1000] },
          y: {
            range: (_u, min, max) => {
              const lo = Math.min(min ?? 0, ...levels);
              const hi = Math.max(max ?? 1, ...levels);
              const pad = (hi - lo || 1) * 0.08;
              return [lo - pad, hi + pad];
            },
          },
        },
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))],
        axes: [axis, axis],
        hooks: { drawAxes: [drawBands], draw: [drawLines] },
      },
      data,
      box,
    );
    const resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: 220 });
    });
    resize.observe(box);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [from, to, series, lines, bands]);
  return <div ref={boxRef} className="backtest-chart" data-testid="backtest-chart" data-bands={bands.length} data-lines={lines.length} />;
}
