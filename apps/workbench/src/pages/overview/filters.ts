// The overview's filters and their place in the URL (?q=web&label=env%3Dprod&status=online), so a
// filtered overview can be linked to.
import type { HostStatus } from './store.ts';

export interface OverviewFilter {
  /** part of the hostname, any case */
  q: string;
  /** `key=value` pairs a host must all carry */
  labels: string[];
  status: HostStatus | '';
}

const STATUSES = new Set(['online', 'stale', 'offline', 'unknown']);

export function parseFilter(query: URLSearchParams): OverviewFilter {
  const status = query.get('status') ?? '';
  const labels = [...new Set(query.getAll('label').filter((l) => l.indexOf('=') > 0))];
  return { q: query.get('q') ?? '', labels, status: STATUSES.has(status) ? (status as HostStatus) : '' };
}

/** The query string for a filter: empty parts left out; '' for no filter at all. */
export function filterSearch(f: OverviewFilter): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  for (const l of f.labels) p.append('label', l);
  if (f.status) p.set('status', f.status);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function labelPair(label: string): [key: string, value: string] {
  const i = label.indexOf('=');
  return [label.slice(0, i), label.slice(i + 1)];
}

export interface Filterable {
  hostname: string;
  status: HostStatus;
  labels: Record<string, string>;
}

/** A predicate for the filter (the search text lower-cased once). */
export function matcher(f: OverviewFilter): (h: Filterable) => boolean {
  const q = f.q.trim().toLowerCase();
  const pairs = f.labels.map(labelPair);
  return (h) =>
    (!q || h.hostname.toLowerCase().includes(q)) &&
    (!f.status || h.status === f.status) &&
    pairs.every(([k, v]) => h.labels[k] === v);
}

/** Every `key=value` the hosts carry, sorted, with how many hosts carry it. */
export function labelChoices(hosts: readonly Filterable[]): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const h of hosts) {
    for (const [k, v] of Object.entries(h.labels)) {
      if (typeof v !== 'string') continue;
      const label = `${k}=${v}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([label, count]) => ({ label, count }));
}

/** The filter with `label` added, or removed when it is there. */
export function toggleLabel(f: OverviewFilter, label: string): OverviewFilter {
  return { ...f, labels: f.labels.includes(label) ? f.labels.filter((l) => l !== label) : [...f.labels, label] };
}
