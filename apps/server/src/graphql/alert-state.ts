// The AlertState enum, defined once from the Prisma enum so the GraphQL values are the stored ones.
// (Severity is rule-object.ts's SeverityEnum: define neither twice, the names would clash.)
import { AlertState } from '@esmon/db';
import { builder } from './builder.ts';

export const AlertStateEnum = builder.enumType(AlertState, {
  name: 'AlertState',
  description: 'ok (closed before firing), pending, firing, resolved, nodata (no samples), stale (the agent is offline)',
});
