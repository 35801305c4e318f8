// Fills the overview store: the hosts (paged query), then live from subscriptions only: hostGauges
// (every host's values now, then changes batched about once a second), hostStatusChanged and
// hostAlertCounts (the counts now, then after alert events). Results go straight into the store, not into React state, so an update
// re-renders the cards it changes and nothing else. A host first seen live has its details
// fetched once (a query triggered by that event, not polling).
import { useEffect, useMemo, useState } from 'react';
import { useClient, type Client } from 'urql';
import { fetchAllHosts } from '../../api/connections.ts';
import { normaliseStatus, OverviewStore, type FiringUpdate, type GaugeUpdate, type HostInfo } from './store.ts';

const GAUGE_FIELDS = 'hostId hostname cpu memory disk diskMount at';
const GAUGES_LIVE = `subscription OverviewGaugesLive { hostGauges { ${GAUGE_FIELDS} } }`;
const STATUS_LIVE = 'subscription OverviewStatus { hostStatusChanged { hostId hostname status at } }';
const FIRING_LIVE = 'subscription OverviewFiring { hostAlertCounts { hostId warning critical veryCritical total } }';

interface HostNode extends Omit<HostInfo, 'labels' | 'status'> {
  status: string;
  labels: unknown;
}

const labelsOf = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>
    : {};

/** Every host, with what a card shows. */
async function loadHosts(client: Client): Promise<HostInfo[]> {
  const nodes = await fetchAllHosts<HostNode>(client, 'id hostname status os osVersion labels lastSeenAt');
  return nodes.map((node) => ({ ...node, status: normaliseStatus(node.status), labels: labelsOf(node.labels) }));
}

export interface OverviewData {
  store: OverviewStore;
  /** the first host list has arrived */
  loaded: boolean;
  /** what went wrong, in the server's words, by source */
  errors: string[];
}

export function useOverviewData(): OverviewData {
  const client = useClient();
  // cards hear of changes 25 at a time, a task each (see OverviewStore)
  const store = useMemo(() => new OverviewStore((run) => setTimeout(run, 0), 25), []);
  const [loaded, setLoaded] = useState(false);
  const [errorBySource, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    let alive = true;
    const report = (source: string, error: { message: string } | undefined) =>
      setErrors((was) => {
        const message = error?.message;
        if (was[source] === message) return was;
        const next = { ...was };
        if (message) next[source] = message;
        else delete next[source];
        return next;
      });

    // host details: once at start, again (one at a time, coalesced) when unknown hosts show up
    let loading: Promise<void> | undefined;
    let again = false;
    const refreshHosts = () => {
      if (loading) {
        again = true;
        return;
      }
      loading = (async () => {
        do {
          again = false;
          try {
            const hosts = await loadHosts(client);
            if (!alive) return;
            store.setHosts(hosts);
            report('hosts', undefined);
            setLoaded(true);
          } catch (err) {
            if (alive) report('hosts', err as Error);
          }
        } while (again && alive);
      })().finally(() => (loading = undefined));
    };

    const onGauges = (list: GaugeUpdate[] | undefined) => {
      if (list && store.applyGauges(list).length > 0) refreshHosts();
    };

    // hostGauges and hostAlertCounts send the values now first, then changes (the server listens
    // before it reads, so nothing committed in between is lost; a reconnect brings the values now
    // again); an older value never overwrites a newer one (the store compares sample times)
    const subs = [
      client.subscription<{ hostGauges: GaugeUpdate[] }>(GAUGES_LIVE, {}).subscribe((r) => {
        report('live gauges', r.error);
        onGauges(r.data?.hostGauges);
      }),
      client.subscription<{ hostStatusChanged: { hostId: string; status: string; at: string } }>(STATUS_LIVE, {}).subscribe((r) => {
        report('host status', r.error);
        const e = r.data?.hostStatusChanged;
        if (e && !store.setStatus(e.hostId, e.status, e.at)) refreshHosts();
      }),
      client.subscription<{ hostAlertCounts: FiringUpdate[] }>(FIRING_LIVE, {}).subscribe((r) => {
        report('alerts', r.error);
        if (r.data) store.setFiring(r.data.hostAlertCounts);
      }),
    ];
    refreshHosts();
    return () => {
      alive = false;
      for (const s of subs) s.unsubscribe();
    };
  }, [client, store]);

  const errors = useMemo(() => Object.entries(errorBySource).map(([source, message]) => `${source}: ${message}`), [errorBySource]);
  return { store, loaded, errors };
}
