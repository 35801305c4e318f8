// A time-series chart: uPlot in a div that follows its container's width. The plot is created
// once per set of series (labels) and destroyed on unmount; new data only calls setData, so live
// updates do not rebuild it. The legend is ours: each series' colour, name and value — at the
// cursor while hovering, else its last value.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './time-chart.css';

export interface TimeChartProps {
  /** seconds since the epoch, ascending */
  xs: number[];
  /** one row per series, aligned with xs; null where a series has no point */
  ys: (number | null)[][];
  /** one per row of ys */
  labels: string[];
  /** a value as text; `step` is the distance between axis ticks, for choosing the precision */
  format: (v: number, step?: number) => string;
  height?: number;
  /** the x range shown, seconds; the data's extent when absent */
  xRange?: [number, number];
  /** the y axis always reaches these (e.g. 0 and 100 for percentages), and further when the data does */
  yBounds?: [number, number];
  /** nulls spanning at most this many seconds are bridged; wider ones break the line */
  maxGapSeconds?: number;
  /** names the chart for assistive technology */
  title?: string;
}

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c'];

export const colorOf = (i: number): string => COLORS[i % COLORS.length]!;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function lastOf(row: (number | null)[] | undefined): number | null {
  if (!row) return null;
  for (let i = row.length - 1; i >= 0; i--) if (row[i] != null) return row[i]!;
  return null;
}

export function TimeChart({ xs, ys, labels, format, height = 180, xRange, yBounds, maxGapSeconds, title }: TimeChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef<uPlot.AlignedData>([xs, ...ys]);
  dataRef.current = [xs, ...ys];
  const labelsRef = useRef(labels);
  labelsRef.current = labels;
  const xRangeRef = useRef(xRange);
  xRangeRef.current = xRange;
  const [cursor, setCursor] = useState<number | null>(null);
  const labelsKey = labels.join('\u0000');

  // create per set of series; destroy on change and unmount
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const muted = cssVar('--muted', '#5f6b7a');
    const line = cssVar('--line', '#dde2e8');
    const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    const gaps: uPlot.Series.GapsRefiner | undefined =
      maxGapSeconds == null
        ? undefined
        : (u, _s, _i0, _i1, found) => {
            const px = Math.abs(u.valToPos(maxGapSeconds, 'x', true) - u.valToPos(0, 'x', true));
            return found.filter(([from, to]) => to - from > px);
          };
    const plot = new uPlot(
      {
        width: Math.max(box.clientWidth, 100),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true, range: (_u, min, max) => xRangeRef.current ?? [min, max] },
          ...(yBounds ? { y: { range: (_u: uPlot, min: number | null, max: number | null) => [Math.min(min ?? yBounds[0], yBounds[0]), Math.max(max ?? yBounds[1], yBounds[1])] } } : {}),
        },
        series: [
          {},
          ...labelsRef.current.map((label, i) => ({ label, stroke: colorOf(i), width: 1.5, spanGaps: false, ...(gaps ? { gaps } : {}) })),
        ],
        axes: [
          axis,
          {
            ...axis,
            values: (_u: uPlot, splits: number[], _axis: number, _space: number, step: number) => splits.map((v) => (v == null ? '' : format(v, step))),
            // ticks, gap and the widest label (about 7 px a character at the axis font)
            size: (_u: uPlot, values: string[] | null) => 24 + 7 * Math.max(3, ...(values ?? []).map((v) => v.length)),
          },
        ],
        hooks: { setCursor: [(u) => setCursor(u.cursor.idx ?? null)] },
      },
      dataRef.current,
      box,
    );
    plotRef.current = plot;
    const resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== plot.width) plot.setSize({ width, height });
    });
    resize.observe(box);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
      setCursor(null);
    };
  }, [labelsKey, height, format, maxGapSeconds, yBounds?.[0], yBounds?.[1]]);

  // new data (or a moved window): redraw without recreating
  useEffect(() => {
    plotRef.current?.setData([xs, ...ys]);
  }, [xs, ys, xRange?.[0], xRange?.[1]]);

  const at = cursor != null && cursor < xs.length ? cursor : null;
  return (
    <figure className="time-chart" data-points={xs.length} aria-label={title}>
      <div ref={boxRef} className="time-chart-plot" />
      {xs.length === 0 && <p className="time-chart-empty muted">No samples in this range</p>}
      <ul className="time-chart-legend">
        {labels.map((label, i) => {
          const v = at != null ? (ys[i]?.[at] ?? null) : lastOf(ys[i]);
          return (
            <li key={label + i}>
              <span className="swatch" style={{ background: colorOf(i) }} />
              <span className="name">{label}</span>
              <span className="value" data-testid="legend-value">
                {v == null ? '—' : format(v)}
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
