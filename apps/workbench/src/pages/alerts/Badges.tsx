// An alert's severity and state as small coloured badges; pending, no data and stale drawn apart.
import { severityLabel } from './alert-model.ts';

export function StateBadge({ state, flapping, suppressed }: { state: string; flapping?: boolean; suppressed?: boolean }) {
  return (
    <>
      <span className={`badge state-${state}`} data-testid="alert-state">{state === 'nodata' ? 'no data' : state}</span>
      {flapping && <span className="badge muted-by" title="changing state too often: notifications held"> flapping</span>}
      {suppressed && <span className="badge muted-by" title="a rule this one depends on fires"> suppressed</span>}
    </>
  );
}

export function SeverityBadge({ severity }: { severity: string | null }) {
  if (!severity) return <span className="muted">—</span>;
  return <span className={`badge sev-${severity}`} data-testid="alert-severity">{severityLabel(severity)}</span>;
}
