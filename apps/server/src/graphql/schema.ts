// Every domain file registers its types on the one builder; this builds the executable schema.
import { builder } from './builder.ts';
import { recordMutations } from './audit-recorder.ts';
import './user.ts';
import './api-key.ts';
import './host.ts';
import './host-probes.ts';
import './agent.ts';
import './series.ts';
import './store.ts';
import './ingest.ts';
import './live.ts';
import './host-gauges.ts';
import './rule.ts';
import './rule-editor.ts';
import './alert.ts';
import './alert-counts.ts';
import './alert-mutations.ts';
import './alert-live.ts';
import './silence.ts';
import './maintenance.ts';
import './probe.ts';
import './enrollment.ts';
import './agent-command.ts';
import './notification-channel.ts';
import './notification-delivery.ts';
import './notification-policy.ts';
import './audit-entry.ts';

// every mutation is recorded in the audit log, whatever its resolver does
export const schema = recordMutations(builder.toSchema({ sortSchema: true }));
