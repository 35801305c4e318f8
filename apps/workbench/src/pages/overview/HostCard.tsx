// One host on the overview: name (to its host page), status, OS, last seen, the three gauges and its
// firing alerts by severity. It reads its own host from the store, so it re-renders only when that
// host changes, and only while on or near the screen; the parent passes nothing that changes with
// the numbers.
import { memo, useCallback, useRef, useSyncExternalStore } from 'react';
import { Link } from '../../app/router.tsx';
import { Gauge } from '../../ui/Gauge.tsx';
import type { Firing, OverviewStore } from './store.ts';
import { useNearScreen } from './visibility.ts';

// formatters made once: toLocaleTimeString() builds one per call, too slow for 200 cards a second
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** The time of day for today, the date too for older instants. */
function seenText(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'never';
  const now = new Date();
  const today = d.getDate() === now.getDate() && d.getMonth() === now.getMonth() && d.getFullYear() === now.getFullYear();
  return (today ? TIME : DATE_TIME).format(d);
}

const SEVERITIES = [
  ['warning', 'warning', 'warning'],
  ['critical', 'critical', 'critical'],
  ['veryCritical', 'very_critical', 'very critical'],
] as const;

const FiringCounts = memo(function FiringCounts({ firing }: { firing: Firing }) {
  const other = firing.total - firing.warning - firing.critical - firing.veryCritical;
  return (
    <p className="firing" aria-label="firing alerts">
      {SEVERITIES.map(([key, sev, words]) => (
        <span key={key} className={`firing-count sev-${sev}${firing[key] === 0 ? ' zero' : ''}`} data-testid={`firing-${sev}`} title={`firing ${words} alerts`}>
          <b>{firing[key]}</b> {words}
        </span>
      ))}
      {other > 0 && <span className="firing-count" title="firing alerts without a severity"><b>{other}</b> other</span>}
    </p>
  );
});

/** What changes rarely, apart from the numbers: re-rendered only when it changes. */
const CardHead = memo(function CardHead({ id, hostname, status, os, labels, partial }: {
  id: string;
  hostname: string;
  status: string;
  os: string;
  labels: Record<string, string>;
  partial: boolean;
}) {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join('  ');
  return (
    <>
      <div className="host-head">
        <Link to={`/hosts/${encodeURIComponent(id)}`} className="hostname" title={hostname}>{hostname}</Link>
        <span className="status" data-testid="host-status">{status}</span>
      </div>
      <p className="host-labels muted" title={pairs}>
        <span className="os" title={os}>{os || (partial ? '…' : 'OS unknown')}</span> {pairs}
      </p>
    </>
  );
});

export const HostCard = memo(function HostCard({ id, store }: { id: string; store: OverviewStore }) {
  const ref = useRef<HTMLLIElement>(null);
  const near = useNearScreen(ref);
  // far off screen: not listening (a new subscribe function when it comes near makes React read
  // the newest values and re-render if they changed)
  const subscribe = useCallback((cb: () => void) => (near ? store.subscribeHost(id, cb) : () => undefined), [store, id, near]);
  const h = useSyncExternalStore(subscribe, () => store.get(id));
  if (!h) return null;
  const os = h.os ? (h.osVersion ? `${h.os} ${h.osVersion}` : h.os) : '';
  return (
    <li ref={ref} className="host-cell" data-testid="host-card" data-hostname={h.hostname}>
      <div className={`card host-card status-${h.status}`}>
        <CardHead id={h.id} hostname={h.hostname} status={h.status} os={os} labels={h.labels} partial={h.partial} />
        <p className="host-meta muted">
          last seen <time dateTime={h.lastSeenAt ?? undefined} data-testid="last-seen">{seenText(h.lastSeenAt)}</time>
        </p>
        <div className="gauges">
          <Gauge label="CPU" value={h.gauges.cpu} />
          <Gauge label="Memory" value={h.gauges.memory} />
          <Gauge label="Disk" value={h.gauges.disk} title={h.gauges.diskMount != null ? `the fullest mount: ${h.gauges.diskMount}` : undefined} />
        </div>
        <FiringCounts firing={h.firing} />
      </div>
    </li>
  );
});
