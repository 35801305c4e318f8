import { describe, expect, it } from 'vitest';
import { channelNames, DEFAULT_POLICY, policySchema, route, type RoutedAlert, type RouteNode } from './routing.ts';

const alert = (over: Partial<RoutedAlert> = {}): RoutedAlert => ({ severity: 'warning', rule: 'CPU high', hostname: 'maximo-app-01', labels: { env: 'prod', team: 'maximo' }, ...over });
const where = (policy: RouteNode, a: RoutedAlert) => route(policy, a).map((r) => `${r.path}:${r.channels.join('+')}`);

describe('the default policy (the seeds)', () => {
  it.each<[string, Partial<RoutedAlert>, string[]]>([
    ['very_critical goes to email and the log', { severity: 'very_critical' }, ['0.0:email', '0.1:log']],
    ['critical goes to the log only', { severity: 'critical' }, ['0.1:log']],
    ['warning goes to the log only', { severity: 'warning' }, ['0.1:log']],
    ['a resolution goes to the log', { severity: null }, ['0.1:log']],
  ])('%s', (_name, over, expected) => {
    expect(where(DEFAULT_POLICY, alert(over))).toEqual(expected);
  });

  it('is a valid policy', () => {
    expect(policySchema.safeParse(DEFAULT_POLICY).error?.issues).toBeUndefined();
  });
});

describe('routing', () => {
  const policy: RouteNode = {
    channels: ['log'],
    groupBy: ['rule'],
    routes: [
      { match: { labels: { team: 'maximo' } }, channels: ['maximo-teams'], groupBy: ['rule', 'host'], routes: [{ match: { severity: ['very_critical'] }, channels: ['oncall-email'], repeatIntervalSeconds: 600 }] },
      { match: { hosts: ['db2-*'] }, channels: ['dba'], continue: true },
      { match: { labels: { env: { regex: 'prod|staging' } } }, channels: ['ops-webhook'] },
      { match: { rules: ['Host offline'] }, channels: ['noc'] },
    ],
  };

  it.each<[string, Partial<RoutedAlert>, string[]]>([
    ['the first matching child wins', {}, ['0.0:maximo-teams']],
    ['a deeper match replaces its parent', { severity: 'very_critical' }, ['0.0.0:oncall-email']],
    ['continue goes on to the next siblings', { labels: { env: 'staging' }, hostname: 'db2-prod-1' }, ['0.1:dba', '0.2:ops-webhook']],
    ['a regex matches the whole value; a matched child with continue still keeps the parent out', { labels: { env: 'preprod' }, hostname: 'db2-1' }, ['0.1:dba']],
    ['no child matching: the node itself', { labels: {}, hostname: 'web-01' }, ['0:log']],
    ['a missing label does not match', { labels: { env: 'dev' }, rule: 'Host offline', hostname: null }, ['0.3:noc']],
  ])('%s', (_name, over, expected) => {
    expect(where(policy, alert(over))).toEqual(expected);
  });

  it('inherits settings and channels down the tree, and keys groups by node and group-by values', () => {
    const [r] = route(policy, alert({ severity: 'very_critical' }));
    expect(r).toMatchObject({ groupBy: ['rule', 'host'], groupWaitSeconds: 30, repeatIntervalSeconds: 600, groupLabels: { rule: 'CPU high', host: 'maximo-app-01' }, groupKey: '0.0.0|rule="CPU high",host="maximo-app-01"' });
    const inherits: RouteNode = { channels: ['log'], routes: [{ match: { severity: ['critical'] }, groupWaitSeconds: 0 }] };
    expect(route(inherits, alert({ severity: 'critical' }))).toMatchObject([{ path: '0.0', channels: ['log'], groupWaitSeconds: 0 }]);
    const [a, b] = [alert({ hostname: 'x' }), alert({ hostname: 'y' })].map((x) => route({ channels: ['log'], groupBy: ['rule'] }, x)[0]!.groupKey);
    expect(a).toBe(b); // grouped by rule only: one group for both hosts
  });

  it('lists the channels a policy names', () => {
    expect(channelNames({ ...policy, escalate: [{ afterMinutes: 15, channels: ['manager'] }] })).toEqual(['dba', 'log', 'manager', 'maximo-teams', 'noc', 'oncall-email', 'ops-webhook']);
  });
});

describe('policy validation', () => {
  it.each<[string, unknown, string]>([
    ['a matcher on the root', { match: { severity: ['warning'] } }, 'the root matches every alert'],
    ['an unknown severity', { routes: [{ match: { severity: ['fatal'] } }] }, 'routes.0.match.severity.0'],
    ['a regex that does not compile', { routes: [{ match: { labels: { env: { regex: '(' } } } }] }, 'routes.0.match.labels.env.regex: the regular expression does not compile'],
    ['an unknown field', { routes: [{ recievers: ['x'] }] }, 'routes.0'],
    ['too deep', { routes: [{ routes: [{ routes: [{ routes: [{ routes: [{ routes: [{}] }] }] }] }] }] }, 'routes nest at most 6 deep'],
  ])('refuses %s', (_name, policy, message) => {
    const r = policySchema.safeParse(policy);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toContain(message);
  });
});
