// Records every mutation in the audit log, in one place: each root Mutation field's resolver is
// wrapped (outside Pothos's own wrappers, so a call refused by its auth rule is recorded too).
//
// Write-ahead, fail closed: the entry is written BEFORE the resolver runs, and when it cannot be
// written the mutation is refused (BUSY) and nothing changes, so no change goes unaudited. After
// the resolver, the entry is closed with the outcome and the after-snapshot; should that write fail,
// the change has already been committed by the resolver (in its own transactions, which one audit
// transaction cannot span without threading it through every resolver), so the caller still gets
// its answer, while the error is logged, counted in esmon_audit_write_failures_total, and the entry
// stays with no outcome: "began, result unknown", the same as when the server dies mid-mutation.
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { actorOf } from '../audit/audit-log.ts';
import { OK, outcomeOf } from '../audit/outcome.ts';
import { SNAPSHOTS } from './audit-snapshots.ts';
import { AUDIT_SPECS, type AuditSpec } from './audit-targets.ts';
import type { GraphQLContext } from './context.ts';
import { userError } from './errors.ts';

type Args = Record<string, unknown>;

const idText = (spec: AuditSpec, args: Args, result: unknown): string | null => {
  const id = spec.id?.(args, result);
  return id === undefined || id === null ? null : String(id).slice(0, 200);
};

/** The snapshot of a configuration object; a loader that fails leaves a note instead of blocking. */
async function snapshot(ctx: GraphQLContext, spec: AuditSpec, id: string | null): Promise<unknown> {
  if (!spec.snapshot || id === null) return null;
  try {
    return await SNAPSHOTS[spec.snapshot](ctx, id);
  } catch (err) {
    ctx.audit.snapshotFailed(err, spec.snapshot);
    return { snapshotUnavailable: true };
  }
}

async function recorded(ctx: GraphQLContext, operation: string, spec: AuditSpec, args: Args, run: () => unknown): Promise<unknown> {
  if (!ctx.audit) throw new Error('the audit log is not wired into the GraphQL context');
  const targetId = idText(spec, args, undefined);
  const before = await snapshot(ctx, spec, targetId);
  let entry: number;
  try {
    entry = await ctx.audit.open({
      actor: actorOf(ctx.principal),
      address: ctx.address,
      operation,
      targetType: spec.target ?? null,
      targetId,
      details: spec.details?.(args) ?? null,
      before,
    });
  } catch {
    throw userError('BUSY', 'the audit log cannot be written, so nothing was changed: try again later');
  }
  let result: unknown;
  try {
    result = await run();
  } catch (err) {
    await ctx.audit.close(entry, { outcome: outcomeOf(err) });
    throw err;
  }
  const finalId = idText(spec, args, result) ?? targetId;
  await ctx.audit.close(entry, {
    outcome: OK,
    targetId: finalId,
    after: await snapshot(ctx, spec, finalId),
    actorUserId: spec.actorUser?.(result),
  });
  return result;
}

/** Wraps every Mutation field of `schema` (in place) so that it is recorded; returns the schema. */
export function recordMutations(schema: GraphQLSchema, specs: Record<string, AuditSpec> = AUDIT_SPECS): GraphQLSchema {
  for (const [operation, field] of Object.entries(schema.getMutationType()?.getFields() ?? {})) {
    const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
    const spec = specs[operation] ?? {};
    field.resolve = (root, args: Args, ctx: GraphQLContext, info) => recorded(ctx, operation, spec, args, () => resolve(root, args, ctx, info));
  }
  return schema;
}
