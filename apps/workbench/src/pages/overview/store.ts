// The overview's state outside React: every host with its gauges and firing alerts, updated by the
// subscriptions. A card subscribes to its own host only, and an update replaces only the hosts it
// changes, so 200 hosts updating every second re-render 200 small cards, not the page.

/** the server's: stale is online but silent longer than ESMON_HOST_STALE_AFTER */
export type HostStatus = 'online' | 'stale' | 'offline' | 'unknown';

/** What the hosts query says about a host (membership, order and filters depend on these). */
export interface HostInfo {
  id: string;
  hostname: string;
  status: HostStatus;
  os: string | null;
  osVersion: string | null;
  labels: Record<string, string>;
  lastSeenAt: string | null;
}

export interface Gauges {
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  diskMount: string | null;
  /** the newest sample among them (ISO) */
  at: string | null;
}

export interface Firing {
  warning: number;
  critical: number;
  veryCritical: number;
  total: number;
}

export interface HostView extends HostInfo {
  gauges: Gauges;
  firing: Firing;
  /** host info not loaded yet: seen first in a live update */
  partial: boolean;
}

/** A batched gauge update as the hostGauges query and subscription send it (null: not in it). */
export interface GaugeUpdate {
  hostId: string;
  hostname: string;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  diskMount: string | null;
  at: string;
}

export interface FiringUpdate extends Firing {
  hostId: string;
}

const NO_GAUGES: Gauges = { cpu: null, memory: null, disk: null, diskMount: null, at: null };
const NO_FIRING: Firing = { warning: 0, critical: 0, veryCritical: 0, total: 0 };

const later = (a: string | null, b: string | null): string | null => (a == null ? b : b == null ? a : Date.parse(b) > Date.parse(a) ? b : a);
const sameLabels = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export function normaliseStatus(s: string): HostStatus {
  return s === 'online' || s === 'stale' || s === 'offline' ? s : 'unknown';
}

export class OverviewStore {
  private hosts = new Map<string, HostView>();
  private hostListeners = new Map<string, Set<() => void>>();
  private listListeners = new Set<() => void>();
  private list: readonly HostView[] = [];
  private listDirty = false;
  private changed = new Set<string>();
  /** changed hosts whose cards have not been told yet (sliced notification) */
  private untold = new Set<string>();
  private draining = false;

  /**
   * `schedule` given: cards are told of changes `slice` at a time, one task each, so a list of 200
   * changed hosts becomes a few short renders the browser can paint between, not one long task.
   * Without it (tests), at once.
   */
  constructor(
    private readonly schedule?: (run: () => void) => void,
    private readonly slice = 40,
  ) {}
  /** the last per-host firing list, for hosts that come after it */
  private firingByHost = new Map<string, FiringUpdate>();

  // arrow properties: stable identities for useSyncExternalStore
  subscribeList = (cb: () => void): (() => void) => {
    this.listListeners.add(cb);
    return () => this.listListeners.delete(cb);
  };

  subscribeHost = (id: string, cb: () => void): (() => void) => {
    let set = this.hostListeners.get(id);
    if (!set) this.hostListeners.set(id, (set = new Set()));
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.hostListeners.delete(id);
    };
  };

  /** Hosts sorted by hostname; a new array only when a host came, went or changed name, status or labels. */
  getList = (): readonly HostView[] => {
    if (this.listDirty) {
      this.list = [...this.hosts.values()].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
      this.listDirty = false;
    }
    return this.list;
  };

  get(id: string): HostView | undefined {
    return this.hosts.get(id);
  }

  /** The full host list from the hosts query: hosts not in it are dropped (deleted). */
  setHosts(infos: HostInfo[]): void {
    const seen = new Set<string>();
    for (const info of infos) {
      seen.add(info.id);
      const was = this.hosts.get(info.id);
      if (!was) {
        this.put({ ...info, gauges: NO_GAUGES, firing: NO_FIRING, partial: false }, true);
        continue;
      }
      const lastSeenAt = later(was.lastSeenAt, info.lastSeenAt);
      const listChange = was.hostname !== info.hostname || was.status !== info.status || !sameLabels(was.labels, info.labels);
      if (listChange || was.partial || was.os !== info.os || was.osVersion !== info.osVersion || was.lastSeenAt !== lastSeenAt) {
        this.put({ ...was, ...info, labels: sameLabels(was.labels, info.labels) ? was.labels : info.labels, lastSeenAt, partial: false }, listChange);
      }
    }
    for (const [id, h] of this.hosts) {
      // gone from the list: deleted (a host seen live since the query started stays)
      if (!seen.has(id) && !h.partial) {
        this.hosts.delete(id);
        this.listDirty = true;
      }
    }
    this.flush();
  }

  /** Merges gauge values (older than what is shown: ignored); returns ids of hosts not known yet. */
  applyGauges(updates: GaugeUpdate[]): string[] {
    const unknown: string[] = [];
    for (const u of updates) {
      let was = this.hosts.get(u.hostId);
      if (!was) {
        unknown.push(u.hostId);
        was = { id: u.hostId, hostname: u.hostname, status: 'online', os: null, osVersion: null, labels: {}, lastSeenAt: null, gauges: NO_GAUGES, firing: NO_FIRING, partial: true };
        this.put(was, true);
      }
      const g = was.gauges;
      if (g.at != null && Date.parse(u.at) < Date.parse(g.at)) continue;
      const next: Gauges = {
        cpu: u.cpu ?? g.cpu,
        memory: u.memory ?? g.memory,
        disk: u.disk ?? g.disk,
        diskMount: u.disk != null ? u.diskMount : g.diskMount,
        at: u.at,
      };
      const same = next.cpu === g.cpu && next.memory === g.memory && next.disk === g.disk && next.diskMount === g.diskMount && next.at === g.at;
      if (!same) this.put({ ...was, gauges: next, lastSeenAt: later(was.lastSeenAt, u.at) }, false);
    }
    this.flush();
    return unknown;
  }

  /** A hostStatusChanged event; returns false when the host is not known yet. */
  setStatus(hostId: string, status: string, at: string): boolean {
    const was = this.hosts.get(hostId);
    if (!was) return false;
    const s = normaliseStatus(status);
    if (was.status !== s) this.put({ ...was, status: s, lastSeenAt: s === 'online' ? later(was.lastSeenAt, at) : was.lastSeenAt }, true);
    this.flush();
    return true;
  }

  /** The whole per-host firing list: hosts left out have none. */
  setFiring(counts: FiringUpdate[]): void {
    const byHost = new Map(counts.map((c) => [c.hostId, c]));
    for (const h of this.hosts.values()) {
      const c = byHost.get(h.id);
      const f = h.firing;
      const next: Firing = c ? { warning: c.warning, critical: c.critical, veryCritical: c.veryCritical, total: c.total } : NO_FIRING;
      if (f.warning !== next.warning || f.critical !== next.critical || f.veryCritical !== next.veryCritical || f.total !== next.total) {
        this.put({ ...h, firing: next }, false);
      }
    }
    this.firingByHost = byHost;
    this.flush();
  }

  private put(view: HostView, listChange: boolean): void {
    const fresh = !this.hosts.has(view.id);
    if (fresh) {
      const c = this.firingByHost.get(view.id);
      if (c) view = { ...view, firing: { warning: c.warning, critical: c.critical, veryCritical: c.veryCritical, total: c.total } };
    }
    this.hosts.set(view.id, view);
    this.changed.add(view.id);
    if (listChange || fresh) this.listDirty = true;
  }

  private flush(): void {
    if (this.listDirty) for (const cb of this.listListeners) cb();
    for (const id of this.changed) this.untold.add(id);
    this.changed.clear();
    if (!this.schedule) this.tell(Infinity);
    else if (!this.draining && this.untold.size > 0) {
      this.draining = true;
      this.schedule(this.drain);
    }
  }

  private drain = (): void => {
    this.tell(this.slice);
    if (this.untold.size > 0) this.schedule!(this.drain);
    else this.draining = false;
  };

  private tell(n: number): void {
    for (const id of this.untold) {
      if (n-- <= 0) return;
      this.untold.delete(id);
      for (const cb of this.hostListeners.get(id) ?? []) cb();
    }
  }
}
