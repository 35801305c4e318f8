import { describe, expect, it } from 'vitest';
import { gaugeLevel, gaugeText } from '../../ui/Gauge.tsx';
import { filterSearch, labelChoices, matcher, parseFilter, toggleLabel, type Filterable } from './filters.ts';
import { OverviewStore, type HostInfo } from './store.ts';

const host = (id: string, hostname: string, more: Partial<HostInfo> = {}): HostInfo => ({
  id, hostname, status: 'online', os: 'linux', osVersion: null, labels: {}, lastSeenAt: '2026-01-01T00:00:00.000Z', ...more,
});
const gauges = (hostId: string, at: string, v: Partial<{ cpu: number; memory: number; disk: number; diskMount: string }>) => ({
  hostId, hostname: `h${hostId}`, cpu: null, memory: null, disk: null, diskMount: null, at, ...v,
});

describe('overview filters', () => {
  it('reads and writes the URL: ?q=&label=env%3Dprod&status=', () => {
    const f = parseFilter(new URLSearchParams('q=web&label=env%3Dprod&label=rack%3Dr1&status=online'));
    expect(f).toEqual({ q: 'web', labels: ['env=prod', 'rack=r1'], status: 'online' });
    expect(filterSearch(f)).toBe('?q=web&label=env%3Dprod&label=rack%3Dr1&status=online');
    expect(filterSearch({ q: '', labels: [], status: '' })).toBe('');
    // nonsense is dropped, not applied
    expect(parseFilter(new URLSearchParams('label=noequals&label==x&status=bogus'))).toEqual({ q: '', labels: [], status: '' });
  });

  it('matches hostname substring (any case), every chosen label and the status', () => {
    const m = matcher({ q: 'WEB', labels: ['env=prod'], status: 'online' });
    expect(m({ hostname: 'web-01', status: 'online', labels: { env: 'prod', rack: 'r1' } })).toBe(true);
    expect(m({ hostname: 'db-01', status: 'online', labels: { env: 'prod' } })).toBe(false);
    expect(m({ hostname: 'web-02', status: 'online', labels: { env: 'staging' } })).toBe(false);
    expect(m({ hostname: 'web-03', status: 'offline', labels: { env: 'prod' } })).toBe(false);
    expect(matcher({ q: '', labels: ['a=b=c'], status: '' })({ hostname: 'x', status: 'unknown', labels: { a: 'b=c' } })).toBe(true);
  });

  it('offers every key=value with its count, and toggles one', () => {
    const hosts: Filterable[] = [
      { hostname: 'a', status: 'online', labels: { env: 'prod', rack: 'r1' } },
      { hostname: 'b', status: 'online', labels: { env: 'prod' } },
    ];
    expect(labelChoices(hosts)).toEqual([{ label: 'env=prod', count: 2 }, { label: 'rack=r1', count: 1 }]);
    const f = toggleLabel({ q: '', labels: [], status: '' }, 'env=prod');
    expect(f.labels).toEqual(['env=prod']);
    expect(toggleLabel(f, 'env=prod').labels).toEqual([]);
  });
});

describe('overview store', () => {
  it('notifies only the cards whose host changed, and keeps the list when only numbers change', () => {
    const store = new OverviewStore();
    store.setHosts([host('1', 'b-host'), host('2', 'a-host')]);
    const list = store.getList();
    expect(list.map((h) => h.hostname)).toEqual(['a-host', 'b-host']);
    const calls: string[] = [];
    store.subscribeHost('1', () => calls.push('1'));
    store.subscribeHost('2', () => calls.push('2'));
    let listCalls = 0;
    store.subscribeList(() => listCalls++);
    expect(store.applyGauges([gauges('1', '2026-01-01T00:00:05.000Z', { cpu: 12, disk: 80, diskMount: '/' })])).toEqual([]);
    expect(calls).toEqual(['1']);
    expect(listCalls).toBe(0);
    expect(store.getList()).toBe(list);
    expect(store.get('1')!.gauges).toEqual({ cpu: 12, memory: null, disk: 80, diskMount: '/', at: '2026-01-01T00:00:05.000Z' });
    expect(store.get('1')!.lastSeenAt).toBe('2026-01-01T00:00:05.000Z');
    // a partial update keeps the rest; an older one is ignored; the same values are no change
    store.applyGauges([gauges('1', '2026-01-01T00:00:06.000Z', { memory: 40 })]);
    store.applyGauges([gauges('1', '2026-01-01T00:00:01.000Z', { cpu: 99 })]);
    store.applyGauges([gauges('1', '2026-01-01T00:00:06.000Z', { memory: 40 })]);
    expect(store.get('1')!.gauges).toMatchObject({ cpu: 12, memory: 40, disk: 80 });
    expect(calls).toEqual(['1', '1']);
  });

  it('adds a host first seen live as partial, reports it, and keeps it until the host list has it', () => {
    const store = new OverviewStore();
    store.setHosts([host('1', 'a')]);
    expect(store.applyGauges([gauges('7', '2026-01-01T00:00:05.000Z', { cpu: 3 })])).toEqual(['7']);
    expect(store.getList().map((h) => [h.id, h.partial])).toEqual([['1', false], ['7', true]]);
    store.setHosts([host('1', 'a')]);
    expect(store.get('7')).toBeDefined();
    store.setHosts([host('1', 'a'), host('7', 'h7', { labels: { env: 'prod' } })]);
    expect(store.get('7')).toMatchObject({ partial: false, labels: { env: 'prod' }, gauges: { cpu: 3 } });
    // a host gone from a later list is gone
    store.setHosts([host('7', 'h7', { labels: { env: 'prod' } })]);
    expect(store.getList().map((h) => h.id)).toEqual(['7']);
  });

  it('applies status changes (a list change) and per-host firing counts (hosts left out: none)', () => {
    const store = new OverviewStore();
    store.setHosts([host('1', 'a'), host('2', 'b')]);
    const list = store.getList();
    expect(store.setStatus('1', 'offline', '2026-01-01T00:01:00.000Z')).toBe(true);
    expect(store.setStatus('9', 'online', '2026-01-01T00:01:00.000Z')).toBe(false);
    expect(store.getList()).not.toBe(list);
    expect(store.get('1')!.status).toBe('offline');
    // the server's stale (silent, not yet offline) is kept as it is; a status it does not know is unknown
    store.setStatus('2', 'stale', '2026-01-01T00:01:00.000Z');
    expect(store.get('2')!.status).toBe('stale');
    store.setStatus('2', 'asleep', '2026-01-01T00:01:00.000Z');
    expect(store.get('2')!.status).toBe('unknown');
    store.setStatus('2', 'online', '2026-01-01T00:01:01.000Z');
    const calls: string[] = [];
    store.subscribeHost('1', () => calls.push('1'));
    store.subscribeHost('2', () => calls.push('2'));
    store.setFiring([{ hostId: '2', warning: 1, critical: 2, veryCritical: 0, total: 3 }]);
    expect(calls).toEqual(['2']);
    expect(store.get('2')!.firing).toEqual({ warning: 1, critical: 2, veryCritical: 0, total: 3 });
    store.setFiring([]);
    expect(store.get('2')!.firing.total).toBe(0);
    // counts for a host that arrives later are applied when it does
    store.setFiring([{ hostId: '3', warning: 0, critical: 0, veryCritical: 1, total: 1 }]);
    store.setHosts([host('1', 'a'), host('2', 'b'), host('3', 'c')]);
    expect(store.get('3')!.firing.veryCritical).toBe(1);
  });
});

describe('overview store, sliced', () => {
  it('tells the cards of a big update a slice at a time, each host once', () => {
    const tasks: (() => void)[] = [];
    const store = new OverviewStore((run) => tasks.push(run), 2);
    store.setHosts(['1', '2', '3', '4', '5'].map((id) => host(id, `h${id}`)));
    const told: string[] = [];
    while (tasks.length) tasks.shift()!();
    for (const id of ['1', '2', '3', '4', '5']) store.subscribeHost(id, () => told.push(id));
    store.applyGauges(['1', '2', '3', '4', '5'].map((id) => gauges(id, '2026-01-01T00:00:05.000Z', { cpu: 1 })));
    store.applyGauges([gauges('1', '2026-01-01T00:00:06.000Z', { cpu: 2 })]);
    expect(told).toEqual([]);
    expect(tasks).toHaveLength(1);
    tasks.shift()!();
    expect(told).toEqual(['1', '2']);
    while (tasks.length) tasks.shift()!();
    expect(told).toEqual(['1', '2', '3', '4', '5']);
    // the data was there all along: a card reads the newest values when told
    expect(store.get('1')!.gauges.cpu).toBe(2);
  });
});

describe('gauge', () => {
  it('levels and text', () => {
    expect([gaugeLevel(10, 75, 90), gaugeLevel(75, 75, 90), gaugeLevel(95, 75, 90)]).toEqual(['ok', 'warning', 'critical']);
    expect([gaugeText(null), gaugeText(7.345), gaugeText(42.6), gaugeText(Number.NaN)]).toEqual(['—', '7.3', '43', '—']);
  });
});
