// Live alert events for the alerts pages: one alertEvents subscription per view, its events handed
// to a callback, and a coalescing trigger so a burst of events costs one refetch, not one each.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { errorText } from './alert-model.ts';
import { ALERT_EVENTS, type AlertEventsData } from './queries.ts';

export type LiveAlertEvent = AlertEventsData['alertEvents'];

/**
 * Subscribes to alertEvents with `filter` (null: paused) and calls `onEvent` for each one.
 * Answers the subscription's error, in words, when it failed.
 */
export function useAlertEvents(filter: Record<string, unknown> | null, onEvent: (e: LiveAlertEvent) => void): string | undefined {
  const client = useClient();
  const handler = useRef(onEvent);
  const [error, setError] = useState<string>();
  useEffect(() => {
    handler.current = onEvent;
  });
  const key = filter ? JSON.stringify(filter) : null;
  useEffect(() => {
    if (key == null) return;
    const { unsubscribe } = client.subscription<AlertEventsData>(ALERT_EVENTS, { filter: JSON.parse(key) }).subscribe((result) => {
      if (result.error) setError(errorText(result.error));
      else if (result.data) {
        setError(undefined);
        handler.current(result.data.alertEvents);
      }
    });
    return unsubscribe;
  }, [client, key]);
  return error;
}

/** A trigger that runs `fn` once, shortly after the first of a burst of calls. */
export function useCoalesced(fn: () => void, delayMs = 150): () => void {
  const latest = useRef(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, delayMs);
  }, [delayMs]);
}

