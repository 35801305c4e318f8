// The notification policy over GraphQL: everyone signed in reads it (with the default when none is
// stored), admins replace it. A policy is checked whole: its shape (errors name the path) and
// that every channel it names exists, so a typo cannot silently drop notifications.
import { z } from 'zod';
import { channelNames, DEFAULT_POLICY, policySchema } from '../notify/routing.ts';
import { loadPolicy } from '../notify/router.ts';
import { builder } from './builder.ts';
import { userError } from './errors.ts';

builder.queryField('notificationPolicy', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { viewer: true },
    description: 'The routing tree: which alerts go to which channels, grouped and timed how',
    resolve: (_root, _args, ctx) => loadPolicy(ctx.sql),
  }),
);

builder.queryField('notificationPolicySchema', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { viewer: true },
    description: 'The routing tree as JSON Schema, for editors',
    resolve: () => z.toJSONSchema(policySchema, { unrepresentable: 'any', io: 'input', cycles: 'ref' }),
  }),
);

builder.mutationField('setNotificationPolicy', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { admin: true },
    description: 'Replaces the routing tree (null: back to the default); answers the policy now in force',
    args: { policy: t.arg({ type: 'JSON' }) },
    resolve: async (_root, args, ctx) => {
      if (args.policy == null) {
        await ctx.sql.query(`DELETE FROM notification_policy`);
        return DEFAULT_POLICY;
      }
      const r = policySchema.safeParse(args.policy);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        throw userError('BAD_USER_INPUT', `policy${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      }
      const known = new Set((await ctx.prisma.notificationChannel.findMany({ select: { name: true } })).map((c) => c.name));
      const missing = channelNames(r.data).filter((n) => !known.has(n));
      if (missing.length) throw userError('BAD_USER_INPUT', `policy: no channel named ${missing.map((n) => `"${n}"`).join(', ')}`);
      await ctx.sql.query(
        `INSERT INTO notification_policy (id, policy, updated_at) VALUES (1, $1::jsonb, now())
         ON CONFLICT (id) DO UPDATE SET policy = EXCLUDED.policy, version = notification_policy.version + 1, updated_at = now()`,
        [JSON.stringify(r.data)],
      );
      return r.data;
    },
  }),
);
