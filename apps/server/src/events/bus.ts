// The one typed pub/sub interface. Events are published after the database commit. In-process by
// default; a Redis event target plugs into the same createPubSub without touching resolvers.
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { HostStatus } from '@esmon/db';

export interface LiveSample {
  seriesId: number;
  metric: string;
  labels: Record<string, string>;
  ts: Date;
  value: number;
}

export interface SamplesAddedEvent {
  hostId: number;
  hostname: string;
  samples: LiveSample[];
}

export interface HostStatusEvent {
  hostId: number;
  hostname: string;
  status: HostStatus;
  previous: HostStatus;
  at: Date;
}

/** A rule was created, changed, enabled/disabled, rolled back or deleted: the evaluator reloads it. */
export interface RuleChangedEvent {
  ruleId: number;
  deleted: boolean;
}

/** Channel name → its arguments: a topic id (when scoped), then the payload. */
export type EventChannels = {
  samplesAdded: [hostId: number, event: SamplesAddedEvent];
  /** every committed batch, for in-process consumers such as the evaluator */
  samplesCommitted: [event: SamplesAddedEvent];
  hostStatusChanged: [event: HostStatusEvent];
  ruleChanged: [event: RuleChangedEvent];
  /** silences or maintenance windows changed */
  mutesChanged: [];
};

export type EventBus = PubSub<EventChannels>;

export function createEventBus(): EventBus {
  return createPubSub<EventChannels>();
}
