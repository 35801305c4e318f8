// The notification policy: a routing tree, as Alertmanager's, that says for an alert which
// channels it goes to and how it is grouped, delayed, repeated and escalated there. Pure.
//
// The root matches every alert. An alert descends into the first child that matches it, and goes
// on to the next siblings only when that child says `continue`. A node none of whose children
// match is where the alert ends. Timing and grouping settings are inherited down the tree and may
// be replaced at any node; so are the channels. Channels are named, so a policy reads the same in
// every installation.
import { z } from 'zod';
import { hostnameGlob } from '@esmon/schema';
import { SEVERITIES, type Severity } from './channel.ts';

const LABEL = /^[A-Za-z_][A-Za-z0-9_.]*$/;

const matcherSchema = z
  .strictObject({
    severity: z.array(z.enum([...SEVERITIES, 'resolved'])).min(1).optional(),
    /** label → exact value, or `{ regex }` matched whole */
    labels: z
      .record(
        z.string().regex(LABEL, 'a label name'),
        z.union([z.string(), z.strictObject({ regex: z.string().max(256) })]),
      )
      .optional(),
    /** rule names */
    rules: z.array(z.string().min(1)).min(1).optional(),
    /** hostname globs such as maximo-* */
    hosts: z.array(z.string().min(1).max(253)).min(1).optional(),
  })
  .superRefine((m, ctx) => {
    for (const [name, v] of Object.entries(m.labels ?? {})) {
      if (typeof v === 'string') continue;
      try {
        new RegExp(`^(?:${v.regex})$`);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['labels', name, 'regex'], message: 'the regular expression does not compile' });
      }
    }
  });

const escalationSchema = z.strictObject({
  /** unacknowledged and still firing this long after the notification: the next channels hear of it */
  afterMinutes: z.number().int().min(1).max(10_080),
  channels: z.array(z.string().min(1)).min(1),
});

const timing = {
  /** labels a group is formed on: `rule`, `host`, `severity` or an alert label; [] is one group */
  groupBy: z.array(z.string().regex(LABEL, 'rule, host, severity or a label name')).max(10).optional(),
  /** how long a new group waits for more alerts before its first message */
  groupWaitSeconds: z.number().int().min(0).max(3600).optional(),
  /** how long a group that changed waits before its next message */
  groupIntervalSeconds: z.number().int().min(1).max(86_400).optional(),
  /** how often a group still firing and unacknowledged is sent again; 0 never */
  repeatIntervalSeconds: z.number().int().min(0).max(7 * 86_400).optional(),
};

export interface RouteNode {
  match?: z.infer<typeof matcherSchema>;
  channels?: string[];
  continue?: boolean;
  groupBy?: string[];
  groupWaitSeconds?: number;
  groupIntervalSeconds?: number;
  repeatIntervalSeconds?: number;
  escalate?: z.infer<typeof escalationSchema>[];
  routes?: RouteNode[];
}

const MAX_DEPTH = 6;

export const routeSchema: z.ZodType<RouteNode> = z.lazy(() =>
  z.strictObject({
    match: matcherSchema.optional(),
    channels: z.array(z.string().min(1)).max(20).optional(),
    continue: z.boolean().optional(),
    ...timing,
    escalate: z.array(escalationSchema).max(5).optional(),
    routes: z.array(routeSchema).max(50).optional(),
  }),
);

export const policySchema = routeSchema.superRefine((root, ctx) => {
  if (root.match) ctx.addIssue({ code: 'custom', path: ['match'], message: 'the root matches every alert; put matchers on its routes' });
  const depth = (n: RouteNode): number => 1 + Math.max(0, ...(n.routes ?? []).map(depth));
  if (depth(root) > MAX_DEPTH) ctx.addIssue({ code: 'custom', path: ['routes'], message: `routes nest at most ${MAX_DEPTH} deep` });
});

/** The seeds' behaviour: every alert to the log (the workbench shows them all anyway), very_critical also by email. */
export const DEFAULT_POLICY: RouteNode = {
  channels: [],
  groupBy: ['rule'],
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 4 * 3600,
  routes: [
    { match: { severity: ['very_critical'] }, channels: ['email'], continue: true },
    { channels: ['log'] },
  ],
};

/** What routing reads of an alert. */
export interface RoutedAlert {
  /** null when resolved */
  severity: Severity | null;
  rule: string;
  hostname: string | null;
  labels: Record<string, string>;
}

/** Where an alert goes at one matching node, with the settings in force there. */
export interface RouteResult {
  /** the node's place in the tree, e.g. "0.1": ids the group, so a policy edit elsewhere keeps it */
  path: string;
  channels: string[];
  groupBy: string[];
  /** the alert's value of each group-by name: the labels the group is formed on */
  groupLabels: Record<string, string>;
  groupKey: string;
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
  escalate: { afterMinutes: number; channels: string[] }[];
}

function matches(m: RouteNode['match'], a: RoutedAlert): boolean {
  if (!m) return true;
  if (m.severity && !m.severity.includes(a.severity ?? 'resolved')) return false;
  if (m.rules && !m.rules.includes(a.rule)) return false;
  if (m.hosts && !(a.hostname && m.hosts.some((g) => hostnameGlob(g).test(a.hostname!)))) return false;
  for (const [name, want] of Object.entries(m.labels ?? {})) {
    const have = Object.hasOwn(a.labels, name) ? a.labels[name] : undefined;
    if (have === undefined) return false;
    if (typeof want === 'string' ? have !== want : !new RegExp(`^(?:${want.regex})$`).test(have)) return false;
  }
  return true;
}

/** The value an alert has for a group-by name: rule, host, severity, else its label. */
function groupValue(a: RoutedAlert, name: string): string {
  if (name === 'rule') return a.rule;
  if (name === 'host') return a.hostname ?? '';
  if (name === 'severity') return a.severity ?? 'resolved';
  return Object.hasOwn(a.labels, name) ? a.labels[name]! : '';
}

type Settings = Omit<RouteResult, 'path' | 'groupKey' | 'groupLabels'>;

const ROOT_DEFAULTS: Settings = { channels: [], groupBy: ['rule'], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 4 * 3600, escalate: [] };

function inherit(parent: Settings, n: RouteNode): Settings {
  return {
    channels: n.channels ?? parent.channels,
    groupBy: n.groupBy ?? parent.groupBy,
    groupWaitSeconds: n.groupWaitSeconds ?? parent.groupWaitSeconds,
    groupIntervalSeconds: n.groupIntervalSeconds ?? parent.groupIntervalSeconds,
    repeatIntervalSeconds: n.repeatIntervalSeconds ?? parent.repeatIntervalSeconds,
    escalate: n.escalate ?? parent.escalate,
  };
}

/** Every node an alert ends at, in tree order; those with no channels are left out. */
export function route(policy: RouteNode, alert: RoutedAlert): RouteResult[] {
  const out: RouteResult[] = [];
  const visit = (n: RouteNode, path: string, parent: Settings) => {
    const settings = inherit(parent, n);
    let matchedChild = false;
    for (const [i, child] of (n.routes ?? []).entries()) {
      if (!matches(child.match, alert)) continue;
      matchedChild = true;
      visit(child, `${path}.${i}`, settings);
      if (!child.continue) break;
    }
    if (matchedChild || settings.channels.length === 0) return;
    const groupLabels = Object.fromEntries(settings.groupBy.map((g) => [g, groupValue(alert, g)]));
    const groupKey = `${path}|${Object.entries(groupLabels).map(([g, v]) => `${g}=${JSON.stringify(v)}`).join(',')}`;
    out.push({ path, groupKey, groupLabels, ...settings, channels: [...settings.channels] });
  };
  visit(policy, '0', ROOT_DEFAULTS);
  return out;
}

/** Channel names a policy refers to: each must be a channel when the policy is saved. */
export function channelNames(policy: RouteNode): string[] {
  const names = new Set<string>();
  const walk = (n: RouteNode) => {
    for (const c of n.channels ?? []) names.add(c);
    for (const e of n.escalate ?? []) for (const c of e.channels) names.add(c);
    for (const r of n.routes ?? []) walk(r);
  };
  walk(policy);
  return [...names].sort();
}
