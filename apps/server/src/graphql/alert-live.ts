// Alert subscriptions: the stream of committed alert events (filtered per subscriber) and the
// open-alert counts kept current for dashboards.
import { Repeater, filter, pipe } from 'graphql-yoga';
import type { Sql } from '@esmon/db';
import type { AlertEventMessage, EventBus } from '../events/bus.ts';
import { countOpenAlerts, AlertCountsRef, type AlertCounts } from './alert-counts.ts';
import { AlertEventRef } from './alert-event.ts';
import { builder } from './builder.ts';
import { idArg } from './errors.ts';
import { SeverityEnum } from './rule-object.ts';

const AlertEventFilter = builder.inputType('AlertEventFilter', {
  description: 'All given conditions must hold; an empty or missing list matches anything',
  fields: (t) => ({
    ruleIds: t.idList(),
    hostIds: t.idList(),
    severities: t.field({ type: [SeverityEnum], description: 'the severity before or after the event' }),
    kinds: t.stringList({ description: 'event kinds, as AlertEvent.kind' }),
    notifyOnly: t.boolean({ description: 'only events notification channels hear of' }),
  }),
});

type AlertEventFilterInput = typeof AlertEventFilter.$inferInput;

const setOf = <T, R>(list: readonly T[] | null | undefined, map: (v: T) => R): Set<R> | undefined =>
  list?.length ? new Set(list.map(map)) : undefined;

/** The filter as a predicate; ids are parsed up front so a bad one fails the subscribe. */
function eventMatcher(f: AlertEventFilterInput | null | undefined): (e: AlertEventMessage) => boolean {
  const ruleIds = setOf(f?.ruleIds, (id) => idArg(id, 'ruleIds'));
  const hostIds = setOf(f?.hostIds, (id) => idArg(id, 'hostIds'));
  const severities = setOf<string, string>(f?.severities, (s) => s);
  const kinds = setOf(f?.kinds, (k) => k);
  const notifyOnly = f?.notifyOnly === true;
  return (e) =>
    (!ruleIds || ruleIds.has(e.ruleId)) &&
    (!hostIds || (e.hostId != null && hostIds.has(e.hostId))) &&
    // a resolve has no severity after it: it matches by the one it had
    (!severities || (e.severity != null && severities.has(e.severity)) || (e.fromSeverity != null && severities.has(e.fromSeverity))) &&
    (!kinds || kinds.has(e.kind)) &&
    (!notifyOnly || e.notify);
}

builder.subscriptionField('alertEvents', (t) =>
  t.field({
    type: AlertEventRef,
    authScopes: { viewer: true },
    description: 'Every alert event once its transaction committed: transitions, acknowledgements, comments, manual resolves',
    args: { filter: t.arg({ type: AlertEventFilter }) },
    subscribe: (_root, args, ctx) => pipe(ctx.bus.subscribe('alertEvents'), filter(eventMatcher(args.filter))),
    resolve: (event) => event,
  }),
);

/**
 * The counts now, then again after alert events. A burst costs few recounts: at most one runs at a
 * time, and events that arrive meanwhile (or while the subscriber has not taken the last counts)
 * are answered by one more recount.
 */
export function liveAlertCounts(sql: Sql, bus: EventBus): Repeater<AlertCounts> {
  return new Repeater<AlertCounts>(async (push, stop) => {
    let dirty = false;
    let counting: Promise<void> | undefined;
    const recount = () => {
      dirty = true;
      counting ??= (async () => {
        try {
          while (dirty) {
            dirty = false;
            await push(await countOpenAlerts(sql));
          }
        } catch (err) {
          stop(err);
        } finally {
          counting = undefined;
        }
      })();
    };
    // listen before the first count so no event between the two is missed
    const events = bus.subscribe('alertEvents');
    const listening = (async () => {
      for await (const _event of events) recount();
    })();
    recount();
    await stop;
    await events.return();
    await listening;
  });
}

builder.subscriptionField('alertCounts', (t) =>
  t.field({
    type: AlertCountsRef,
    authScopes: { viewer: true },
    description: 'The open-alert counts at once, and again whenever alert events change them',
    subscribe: (_root, _args, ctx) => liveAlertCounts(ctx.sql, ctx.bus),
    resolve: (counts) => counts,
  }),
);
