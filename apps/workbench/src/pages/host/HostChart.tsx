// One chart of the host page: its metrics' series over the range, from the server's downsampled
// range query (one bucket width for the whole range, raw data or rollups as the server picks),
// then extended by the live samples of those metrics as the server stores them.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { TimeChart } from '../../ui/TimeChart.tsx';
import { maxGapMs, maxPointsFor, selectorFor, type ChartDef, type Range } from './charts.ts';
import { addLive, buildTable, type LivePoint, type RangeSeries, type Table } from './series-table.ts';

interface Answer extends RangeSeries {
  bucketSeconds: number;
  source: string;
}

const LIVE = `subscription HostChartLive($hostId: ID!, $metric: String) {
  samplesAdded(hostId: $hostId, metric: $metric) { hostId samples { metric labels ts value } }
}`;

/** One aliased range query per metric, all in one request. */
function rangeQuery(metrics: number): string {
  const vars = Array.from({ length: metrics }, (_, i) => `$s${i}: String!`).join(', ');
  const fields = Array.from(
    { length: metrics },
    (_, i) => `m${i}: samples(selector: $s${i}, from: $from, to: $to, maxPoints: $max) { seriesId metric labels bucketSeconds source points { ts value } }`,
  ).join('\n  ');
  return `query HostChart($from: DateTime!, $to: DateTime!, $max: Int!, ${vars}) {\n  ${fields}\n}`;
}

/** How long live samples are kept to replay over a range answer that arrives after them. */
const REPLAY_MS = 5 * 60_000;

interface Props {
  def: ChartDef;
  hostId: string;
  hostname: string;
  range: Range;
  /** the range's end, ms: fixed when the range is picked, then the chart moves on live */
  to: number;
}

export function HostChart({ def, hostId, hostname, range, to }: Props) {
  const client = useClient();
  const query = useMemo(() => rangeQuery(def.metrics.length), [def]);
  const variables = useMemo(
    () => ({
      from: new Date(to - range.ms).toISOString(),
      to: new Date(to).toISOString(),
      max: maxPointsFor(range),
      ...Object.fromEntries(def.metrics.map((m, i) => [`s${i}`, selectorFor(m, hostname)])),
    }),
    [def, hostname, range, to],
  );
  const [{ data, error, fetching }] = useQuery<Record<string, Answer[]>>({ query, variables });
  const [table, setTable] = useState<Table | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const recent = useRef<LivePoint[]>([]);
  const answers = useMemo(() => (data ? def.metrics.flatMap((_, i) => data[`m${i}`] ?? []) : undefined), [data, def]);

  // a range answer replaces the table; live samples it does not hold yet are replayed over it
  useEffect(() => {
    if (!answers) return;
    const bucketMs = (answers[0]?.bucketSeconds ?? range.stepMs / 1000) * 1000;
    setTable(addLive(buildTable(answers, def.metrics, bucketMs, range.ms), recent.current, def.metrics));
  }, [answers, def, range]);

  useEffect(() => {
    const subs = def.metrics.map((metric) =>
      client.subscription<{ samplesAdded: { samples: LivePoint[] } }>(LIVE, { hostId, metric }).subscribe((result) => {
        if (result.error) {
          setLiveError(result.error.message);
          return;
        }
        const samples = result.data?.samplesAdded.samples;
        if (!samples?.length) return;
        setLiveError(null);
        const since = Date.now() - REPLAY_MS;
        recent.current = [...recent.current.filter((s) => Date.parse(s.ts) >= since), ...samples];
        setTable((t) => t && addLive(t, samples, def.metrics));
      }),
    );
    return () => subs.forEach((s) => s.unsubscribe());
  }, [client, hostId, def]);

  const xs = useMemo(() => (table ? table.xs.map((x) => x / 1000) : []), [table]);
  const labels = useMemo(() => (table ? table.series.map((s) => def.name(s.metric, s.labels)) : []), [table, def]);
  // the whole range, ending now or at the newest bucket: a young host's data sits at the right
  const xRange = useMemo((): [number, number] | undefined => {
    if (!table) return undefined;
    const end = Math.max(to, (table.xs[table.xs.length - 1] ?? 0) + table.bucketMs);
    return [(end - range.ms) / 1000, end / 1000];
  }, [table, to, range]);
  const first = answers?.[0];
  return (
    <section className="card host-chart" data-testid={`chart-${def.key}`}>
      <header>
        <h3>{def.title}</h3>
        {first && (
          <span className="muted" title="the server's bucket width and the data it read">
            {describeBucket(first.bucketSeconds)} · {first.source} data
          </span>
        )}
        {fetching && <span className="muted">loading…</span>}
      </header>
      {error && <p className="error" role="alert">{error.message}</p>}
      {liveError && <p className="error" role="alert">Live updates: {liveError}</p>}
      {table ? (
        <TimeChart xs={xs} ys={table.ys} labels={labels} format={def.format} xRange={xRange} yBounds={def.yBounds} maxGapSeconds={maxGapMs(range) / 1000} title={def.title} />
      ) : (
        !error && <p className="muted">Loading…</p>
      )}
    </section>
  );
}

function describeBucket(seconds: number): string {
  if (seconds < 60) return `${seconds} s buckets`;
  if (seconds < 3600) return `${seconds / 60} min buckets`;
  return `${seconds / 3600} h buckets`;
}
