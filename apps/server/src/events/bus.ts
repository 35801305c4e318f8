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

/** One committed alert transition (or acknowledgement, comment, manual resolve), as history stores it. */
export interface AlertEventMessage {
  /** the alert_events row */
  id: number;
  alertId: number;
  ruleId: number;
  ruleName: string;
  fingerprint: string;
  hostId: number | null;
  hostname: string | null;
  labels: Record<string, string>;
  /** state, severity, suppressed, unsuppressed, flapping_start, flapping_end, acknowledged, unacknowledged, comment, manual_resolve */
  kind: string;
  fromState: string | null;
  toState: string;
  fromSeverity: string | null;
  severity: string | null;
  value: number | null;
  message: string | null;
  notify: boolean;
  mutedBy: string | null;
  userId: number | null;
  at: Date;
}

/** A person resolved an alert by hand: the evaluator forgets the instance's state. */
export interface AlertResolvedEvent {
  alertId: number;
  ruleId: number;
  fingerprint: string;
}

/** A request to one agent, delivered over its agentCommands subscription. */
export interface AgentCommand {
  id: string;
  kind: 'runProbe' | 'reload' | 'ping';
  /** runProbe: the probe as stored now (it may not be in the agent's config yet) */
  probe?: { id: number; version: number; definition: unknown; signature?: string };
}

/** Channel name → its arguments: a topic id (when scoped), then the payload. */
export type EventChannels = {
  samplesAdded: [hostId: number, event: SamplesAddedEvent];
  /** every committed batch, for in-process consumers such as the evaluator */
  samplesCommitted: [event: SamplesAddedEvent];
  hostStatusChanged: [event: HostStatusEvent];
  ruleChanged: [event: RuleChangedEvent];
  /** a probe was created, changed or deleted: agents whose hosts it covers fetch their config */
  probesChanged: [];
  /** to the agent of one host */
  agentCommands: [hostId: number, command: AgentCommand];
  /** an agent's answer to a command, by command id; `hostId` is the answering agent's, so no other host's key can answer */
  agentCommandResults: [commandId: string, result: { ok: boolean; result: unknown; hostId: number }];
  /** silences or maintenance windows changed */
  mutesChanged: [];
  /** a session, API key or user changed (logout, revoked, disabled, role): open sockets are checked again */
  credentialsChanged: [];
  /** published after the transaction that stored the event committed */
  alertEvents: [event: AlertEventMessage];
  alertResolvedManually: [event: AlertResolvedEvent];
};

export type EventBus = PubSub<EventChannels>;

export function createEventBus(): EventBus {
  return createPubSub<EventChannels>();
}
