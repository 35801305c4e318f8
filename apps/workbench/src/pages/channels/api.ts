// The notification page's GraphQL documents and the shapes they answer with.
import type { JsonSchema } from '../../ui/schema-form.ts';

export interface ChannelType {
  type: string;
  title: string;
  description: string;
  configSchema: JsonSchema;
  secretFields: string[];
  templates: Record<string, string>;
}

export interface Channel {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
  version: number;
  config: Record<string, unknown>;
  secretsSet: string[];
  templates: Record<string, string>;
  updatedAt: string;
}

const CHANNEL_FIELDS = 'id name type enabled version config secretsSet templates updatedAt';

export const TYPES = `{ notificationChannelTypes { type title description configSchema secretFields templates } }`;
export const CHANNELS = `{ notificationChannels { ${CHANNEL_FIELDS} } }`;

export const CREATE = `mutation ($name: String!, $type: String!, $config: JSON!, $enabled: Boolean) {
  createNotificationChannel(name: $name, type: $type, config: $config, enabled: $enabled) { ${CHANNEL_FIELDS} } }`;
export const UPDATE = `mutation ($id: ID!, $name: String, $config: JSON, $templates: JSON, $enabled: Boolean, $expectedVersion: Int) {
  updateNotificationChannel(id: $id, name: $name, config: $config, templates: $templates, enabled: $enabled, expectedVersion: $expectedVersion) { ${CHANNEL_FIELDS} } }`;
export const DELETE = `mutation ($id: ID!) { deleteNotificationChannel(id: $id) }`;
export const TEST = `mutation ($id: ID!) { testChannel(id: $id) { ok status error detail durationMs retryable sent } }`;
export const PREVIEW = `query ($id: ID!, $templates: JSON) { previewNotification(id: $id, templates: $templates) }`;

export const POLICY = `{ notificationPolicy notificationPolicySchema }`;
export const SET_POLICY = `mutation ($policy: JSON) { setNotificationPolicy(policy: $policy) }`;

export const DELIVERIES = `query ($channelId: ID, $status: String) {
  notificationDeliveries(channelId: $channelId, status: $status, first: 100) {
    id kind status title createdAt deliveredAt attemptCount nextAttemptAt lastError alertIds
    channel { id name }
    attempts { at ok status error durationMs }
  } }`;
export const RETRY = `mutation ($id: ID!) { retryNotificationDelivery(id: $id) { id status attemptCount nextAttemptAt lastError } }`;

