// Open alerts counted by severity and state, live from the alertCounts subscription; a count picks
// the matching filter.
import { useSubscription } from 'urql';
import { ALERT_COUNTS, type AlertCountsData } from './queries.ts';
import { errorText, type AlertState, type Severity } from './alert-model.ts';

export interface CountPick {
  states: AlertState[];
  severities: Severity[];
  acknowledged?: boolean;
}

export function AlertCountsBar({ onPick }: { onPick(pick: CountPick): void }) {
  const [{ data, error }] = useSubscription<AlertCountsData>({ query: ALERT_COUNTS });
  if (error) return <p className="error" role="alert">Live counts: {errorText(error)}</p>;
  const c = data?.alertCounts;
  const items: { kind: string; label: string; n: number | undefined; pick: CountPick }[] = [
    { kind: 'very_critical', label: 'very critical', n: c?.firing.veryCritical, pick: { states: ['firing'], severities: ['very_critical'] } },
    { kind: 'critical', label: 'critical', n: c?.firing.critical, pick: { states: ['firing'], severities: ['critical'] } },
    { kind: 'warning', label: 'warning', n: c?.firing.warning, pick: { states: ['firing'], severities: ['warning'] } },
    { kind: 'pending', label: 'pending', n: c?.pending, pick: { states: ['pending'], severities: [] } },
    { kind: 'nodata', label: 'no data', n: c?.nodata, pick: { states: ['nodata'], severities: [] } },
    { kind: 'stale', label: 'stale', n: c?.stale, pick: { states: ['stale'], severities: [] } },
    { kind: 'acknowledged', label: 'acknowledged', n: c?.acknowledged, pick: { states: [], severities: [], acknowledged: true } },
    { kind: 'open', label: 'open in all', n: c?.open, pick: { states: [], severities: [] } },
  ];
  return (
    <div className="alert-counts" aria-label="open alerts by severity" data-testid="alert-counts">
      {items.map((i) => (
        <button key={i.kind} type="button" className="count" data-kind={i.kind} data-testid={`count-${i.kind}`} onClick={() => onPick(i.pick)}>
          <strong>{i.n ?? '…'}</strong>
          <span>{i.label}</span>
        </button>
      ))}
    </div>
  );
}
