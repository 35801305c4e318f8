// What the audit log records of each mutation besides who, when, from where and how it went: the
// object it acts on and, for configuration objects, that object before and after. One table for
// the whole API, so the audit surface reads in one place; audit-targets.test.ts fails for a
// mutation missing here. Arguments are never recorded wholesale, only the facts named in
// `details`: the password of login, a channel's secrets and every token stay out by construction.
import type { SnapshotType } from './audit-snapshots.ts';

type Args = Record<string, unknown>;
type Id = string | number | null | undefined;

export interface AuditSpec {
  /** the kind of object the mutation acts on */
  target?: string;
  /** its id: from the arguments (known before the call), or for a creation from the result */
  id?: (args: Args, result: unknown) => Id;
  /** a configuration object: its snapshot (audit-snapshots.ts) is kept before and after */
  snapshot?: SnapshotType;
  /** facts about the call worth keeping; never a secret */
  details?: (args: Args) => Record<string, unknown>;
  /** the user a successful call authenticated (login), who becomes the entry's actor */
  actorUser?: (result: unknown) => number | undefined;
}

const field = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
const asId = (v: unknown): Id => (typeof v === 'string' || typeof v === 'number' ? v : undefined);

const argId = (name = 'id') => (args: Args) => asId(args[name]);
const resultId = (...path: string[]) => (_args: Args, result: unknown) => asId(field(result, ...path));

/** A configuration object, identified by an argument or, on creation, by the result. */
const config = (type: SnapshotType, id: AuditSpec['id'] = argId()): AuditSpec => ({ target: type, id, snapshot: type });
/** An object acted on without being configuration (an alert acknowledged, a host's agent asked). */
const about = (target: string, id: AuditSpec['id'] = argId()): AuditSpec => ({ target, id });
const text = (v: unknown, max = 320) => (typeof v === 'string' ? v.slice(0, max) : null);

export const AUDIT_SPECS: Record<string, AuditSpec> = {
  // sessions: who logged in or tried to (never the password), who logged out
  login: {
    target: 'User',
    id: resultId('user', 'id'),
    details: (a) => ({ email: text(a.email) }),
    actorUser: (r) => {
      const id = field(r, 'user', 'id');
      return typeof id === 'number' ? id : undefined;
    },
  },
  logout: {},

  // configuration objects, with before and after
  createRule: config('Rule', resultId('ruleId')),
  updateRule: config('Rule'),
  setRuleEnabled: config('Rule'),
  rollbackRule: { ...config('Rule'), details: (a) => ({ toVersion: a.version }) },
  deleteRule: config('Rule'),
  createProbe: config('Probe', resultId('id')),
  updateProbe: config('Probe'),
  deleteProbe: config('Probe'),
  createNotificationChannel: config('NotificationChannel', resultId('id')),
  updateNotificationChannel: config('NotificationChannel'),
  deleteNotificationChannel: config('NotificationChannel'),
  setNotificationPolicy: config('NotificationPolicy', () => 1),
  createSilence: config('Silence', resultId('id')),
  updateSilence: config('Silence'),
  expireSilence: config('Silence'),
  deleteSilence: config('Silence'),
  createMaintenanceWindow: config('MaintenanceWindow', resultId('id')),
  updateMaintenanceWindow: config('MaintenanceWindow'),
  deleteMaintenanceWindow: config('MaintenanceWindow'),
  createUser: config('User', resultId('id')),
  updateUser: config('User'),
  createApiKey: config('ApiKey', resultId('apiKey', 'id')),
  revokeApiKey: config('ApiKey'),
  setRetentionPolicy: config('RetentionPolicy', argId('resolution')),

  // actions on other objects
  acknowledgeAlert: about('Alert'),
  unacknowledgeAlert: about('Alert'),
  commentAlert: about('Alert'),
  resolveAlert: about('Alert'),
  testChannel: about('NotificationChannel'),
  retryNotificationDelivery: about('NotificationDelivery'),
  runProbeNow: { ...about('Host', argId('hostId')), details: (a) => ({ probeId: asId(a.probeId) ?? null }) },
  reloadAgent: about('Host', argId('hostId')),
  pingAgent: about('Host', argId('hostId')),
  reportAgentCommand: about('AgentCommand'),
  // the token made (or traded) is a secret: only the hostname it is for is kept
  createEnrollmentToken: { target: 'EnrollmentToken', details: (a) => ({ hostname: text(a.hostname, 253), ttlMinutes: a.ttlMinutes ?? null }) },
  enrollAgent: { target: 'Host', details: (a) => ({ hostname: text(a.hostname, 253) }) },
  ingestSamples: {},
};
