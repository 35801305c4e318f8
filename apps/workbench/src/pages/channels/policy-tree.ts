// The routing tree as lines to read: each route with its matchers, its channels and the grouping
// and timing in force there (a route inherits what it does not set, as the server's router does).

export interface Matcher {
  severity?: string[];
  labels?: Record<string, string | { regex: string }>;
  rules?: string[];
  hosts?: string[];
}

export interface RouteNode {
  match?: Matcher;
  channels?: string[];
  continue?: boolean;
  groupBy?: string[];
  groupWaitSeconds?: number;
  groupIntervalSeconds?: number;
  repeatIntervalSeconds?: number;
  escalate?: { afterMinutes: number; channels: string[] }[];
  routes?: RouteNode[];
}

export interface Setting {
  text: string;
  /** set on this route rather than inherited */
  own: boolean;
}

export interface RouteLine {
  /** "root", "1", "1.2": the route's place, counted from 1 */
  path: string;
  depth: number;
  match: string;
  channels: Setting;
  continue: boolean;
  settings: Setting[];
  escalate: string[];
}

/** The router's defaults at the root (notify/routing.ts ROOT_DEFAULTS). */
const ROOT = { channels: [] as string[], groupBy: ['rule'], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 4 * 3600 };

/** 30 → "30 s", 300 → "5 min", 14400 → "4 h", 5400 → "1 h 30 min". */
export function seconds(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  if (h >= 24 && h % 24 === 0 && !m) return `${h / 24} d`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const list = (xs: string[]) => (xs.length === 1 ? xs[0]! : `{${xs.join(', ')}}`);

/** "severity ∈ {critical, very_critical} · env = prod · team =~ ops.* · rule = Disk full · host ~ maximo-*"; "every alert" when empty. */
export function describeMatch(m: Matcher | undefined): string {
  const parts: string[] = [];
  if (m?.severity) parts.push(m.severity.length === 1 ? `severity = ${m.severity[0]}` : `severity ∈ ${list(m.severity)}`);
  for (const [name, v] of Object.entries(m?.labels ?? {})) parts.push(typeof v === 'string' ? `${name} = ${v}` : `${name} =~ ${v.regex}`);
  if (m?.rules) parts.push(m.rules.length === 1 ? `rule = ${m.rules[0]}` : `rule ∈ ${list(m.rules)}`);
  if (m?.hosts) parts.push(`host ~ ${m.hosts.join(' | ')}`);
  return parts.length ? parts.join(' · ') : 'every alert';
}

export function routeLines(policy: RouteNode): RouteLine[] {
  const lines: RouteLine[] = [];
  const walk = (n: RouteNode, path: string, depth: number, up: typeof ROOT) => {
    const here = {
      channels: n.channels ?? up.channels,
      groupBy: n.groupBy ?? up.groupBy,
      groupWaitSeconds: n.groupWaitSeconds ?? up.groupWaitSeconds,
      groupIntervalSeconds: n.groupIntervalSeconds ?? up.groupIntervalSeconds,
      repeatIntervalSeconds: n.repeatIntervalSeconds ?? up.repeatIntervalSeconds,
    };
    const own = (k: keyof RouteNode) => n[k] !== undefined;
    lines.push({
      path,
      depth,
      match: depth === 0 ? 'every alert' : describeMatch(n.match),
      channels: { text: here.channels.length ? here.channels.join(', ') : 'no channel', own: own('channels') },
      continue: n.continue === true,
      settings: [
        { text: here.groupBy.length ? `group by ${here.groupBy.join(', ')}` : 'one group', own: own('groupBy') },
        { text: `wait ${seconds(here.groupWaitSeconds)}`, own: own('groupWaitSeconds') },
        { text: `interval ${seconds(here.groupIntervalSeconds)}`, own: own('groupIntervalSeconds') },
        { text: here.repeatIntervalSeconds ? `repeat every ${seconds(here.repeatIntervalSeconds)}` : 'never repeat', own: own('repeatIntervalSeconds') },
      ],
      escalate: (n.escalate ?? []).map((e) => `after ${seconds(e.afterMinutes * 60)} unacknowledged → ${e.channels.join(', ')}`),
    });
    (n.routes ?? []).forEach((r, i) => walk(r, depth === 0 ? String(i + 1) : `${path}.${i + 1}`, depth + 1, here));
  };
  walk(policy, 'root', 0, ROOT);
  return lines;
}
