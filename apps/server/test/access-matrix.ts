// Who may use each root field of the API: the reviewed decision, one line a field. The access-matrix
// test sends every field as every principal to the running server and compares the answer with this.
// It is written by hand on purpose: reading the authScopes back would prove nothing.

/** The callers the matrix covers: the anonymous, a logged-in person of each role, an agent key, and
 *  an integration key of each role. */
export const PRINCIPALS = [
  'anonymous',
  'viewer',
  'analyst',
  'admin',
  'agent',
  'integration:viewer',
  'integration:analyst',
  'integration:admin',
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** Who may use a field, as one word (expanded by `MAY`). */
export type Access =
  /** anyone, the anonymous included: the arguments are the credential (login, enrolment) */
  | 'public'
  /** anyone with a role: people and integration keys of any role; agent keys read nothing */
  | 'viewer'
  /** analysts and admins, people or integration keys */
  | 'analyst'
  /** admins, people or integration keys */
  | 'admin'
  /** a person logged in with a session, of any role; no API key (their own account and session) */
  | 'person'
  /** agent keys only: their own host's configuration and commands */
  | 'agent'
  /** pushing samples: agent keys (their own host) and analysts and admins */
  | 'ingest';

export const MAY: Record<Access, readonly Principal[]> = {
  public: PRINCIPALS,
  viewer: ['viewer', 'analyst', 'admin', 'integration:viewer', 'integration:analyst', 'integration:admin'],
  analyst: ['analyst', 'admin', 'integration:analyst', 'integration:admin'],
  admin: ['admin', 'integration:admin'],
  person: ['viewer', 'analyst', 'admin'],
  agent: ['agent'],
  ingest: ['agent', 'analyst', 'admin', 'integration:analyst', 'integration:admin'],
};

export type RootField = `${'Query' | 'Mutation' | 'Subscription'}.${string}`;

/** The decision for every root field. A new field fails the access-matrix test until it is here. */
export const accessMatrix: Record<RootField, Access> = {
  // accounts and keys
  'Mutation.login': 'public',
  'Mutation.logout': 'person',
  'Query.me': 'person',
  'Query.users': 'admin',
  'Mutation.createUser': 'admin',
  'Mutation.updateUser': 'admin',
  'Query.apiKeys': 'admin',
  'Mutation.createApiKey': 'admin',
  'Mutation.revokeApiKey': 'admin',
  // every mutation with who, when and from where
  'Query.auditLog': 'admin',

  // hosts, agents and enrolment
  'Query.hosts': 'viewer',
  'Query.host': 'viewer',
  'Query.hostGauges': 'viewer',
  'Query.hostAlertCounts': 'viewer',
  'Query.agents': 'viewer',
  'Mutation.createEnrollmentToken': 'admin',
  'Mutation.enrollAgent': 'public',
  // asks the agent for its version and uptime: reads, changes nothing
  'Mutation.pingAgent': 'viewer',
  'Mutation.reloadAgent': 'analyst',
  'Mutation.runProbeNow': 'analyst',

  // what the agent itself uses
  'Query.agentConfig': 'agent',
  // the public key agents pin: for operators pinning it by hand (agents get it with their configuration)
  'Query.agentTrust': 'viewer',
  'Mutation.reportAgentCommand': 'agent',
  'Subscription.agentCommands': 'agent',
  'Subscription.agentConfigChanged': 'agent',

  // samples and the store
  'Mutation.ingestSamples': 'ingest',
  'Query.series': 'viewer',
  'Query.samples': 'viewer',
  'Query.metricNames': 'viewer',
  'Query.storage': 'admin',
  'Query.retentionPolicies': 'admin',
  'Mutation.setRetentionPolicy': 'admin',

  // probes
  'Query.plugins': 'viewer',
  'Query.probes': 'viewer',
  'Query.probe': 'viewer',
  'Mutation.createProbe': 'analyst',
  'Mutation.updateProbe': 'analyst',
  'Mutation.deleteProbe': 'analyst',

  // rules
  'Query.rules': 'viewer',
  'Query.rule': 'viewer',
  'Query.ruleVersions': 'viewer',
  'Query.ruleDiff': 'viewer',
  'Query.validateRule': 'viewer',
  // runs a draft over stored history: costly, so for those who may save rules
  'Query.backtestRule': 'analyst',
  'Mutation.createRule': 'analyst',
  'Mutation.updateRule': 'analyst',
  'Mutation.setRuleEnabled': 'analyst',
  'Mutation.rollbackRule': 'analyst',
  'Mutation.deleteRule': 'analyst',

  // alerts
  'Query.alerts': 'viewer',
  'Query.alert': 'viewer',
  'Query.alertCounts': 'viewer',
  'Mutation.acknowledgeAlert': 'analyst',
  'Mutation.unacknowledgeAlert': 'analyst',
  'Mutation.commentAlert': 'analyst',
  'Mutation.resolveAlert': 'analyst',

  // silences and maintenance windows
  'Query.silences': 'viewer',
  'Query.silence': 'viewer',
  'Mutation.createSilence': 'analyst',
  'Mutation.updateSilence': 'analyst',
  'Mutation.expireSilence': 'analyst',
  'Mutation.deleteSilence': 'analyst',
  'Query.maintenanceWindows': 'viewer',
  'Query.maintenanceWindow': 'viewer',
  'Query.maintenancePreview': 'viewer',
  'Mutation.createMaintenanceWindow': 'analyst',
  'Mutation.updateMaintenanceWindow': 'analyst',
  'Mutation.deleteMaintenanceWindow': 'analyst',

  // notifications: channels hold secrets and the routing decides who hears what, so admins change
  // them; analysts may preview and test-send; everyone with a role reads (secrets never returned)
  'Query.notificationChannelTypes': 'viewer',
  'Query.notificationChannels': 'viewer',
  'Query.notificationChannel': 'viewer',
  'Query.previewNotification': 'analyst',
  'Mutation.testChannel': 'analyst',
  'Mutation.createNotificationChannel': 'admin',
  'Mutation.updateNotificationChannel': 'admin',
  'Mutation.deleteNotificationChannel': 'admin',
  'Query.notificationDeliveries': 'viewer',
  'Mutation.retryNotificationDelivery': 'admin',
  'Query.notificationPolicy': 'viewer',
  'Query.notificationPolicySchema': 'viewer',
  'Mutation.setNotificationPolicy': 'admin',

  // live updates for the workbench
  'Subscription.alertEvents': 'viewer',
  'Subscription.alertCounts': 'viewer',
  'Subscription.hostAlertCounts': 'viewer',
  'Subscription.hostGauges': 'viewer',
  'Subscription.hostStatusChanged': 'viewer',
  'Subscription.samplesAdded': 'viewer',
};

/** Whether the matrix lets `principal` use `field`; undefined when the field has no decision. */
export function mayUse(field: string, principal: Principal): boolean | undefined {
  const access = (accessMatrix as Record<string, Access | undefined>)[field];
  return access === undefined ? undefined : MAY[access].includes(principal);
}

export function missingDecision(field: string): string {
  return `${field} has no access decision: add '${field}': '<${Object.keys(MAY).join(' | ')}>' to accessMatrix in apps/server/test/access-matrix.ts`;
}
