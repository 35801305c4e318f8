// Which hosts a rule, a maintenance window or a probe covers: by id, by labels, by a hostname pattern.
// Every criterion given must hold; an empty scope covers every host. `groupBy` turns a rule's
// instances from one per host into one per distinct value of those series labels.
import { z } from 'zod';

export interface ScopedHost {
  id: number;
  hostname: string;
  labels: Record<string, string>;
}

const LABEL = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;

export const hostScopeSchema = z
  .object({
    hostIds: z.array(z.number().int().positive()).max(1000).optional(),
    labels: z.record(z.string().regex(LABEL, 'a label name: letters, digits, _ and .'), z.string().max(256)).optional(),
    hostnamePattern: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[A-Za-z0-9_.*?-]+$/, 'a hostname pattern: letters, digits, - _ . and the wildcards * ?')
      .optional(),
  })
  .strict();
export type HostScope = z.infer<typeof hostScopeSchema>;

export const ruleScopeSchema = hostScopeSchema
  .extend({
    /** series labels whose values make separate instances (e.g. ["mount"]); host is always one */
    groupBy: z.array(z.string().regex(LABEL, 'a label name: letters, digits, _ and .')).max(8).optional(),
  })
  .strict();
export type RuleScope = z.infer<typeof ruleScopeSchema>;

/** A glob over hostnames (`maximo-*`, `db?`), case-insensitive, whole name. */
export function hostnameGlob(pattern: string): RegExp {
  const body = pattern.replace(/[.-]/g, (c) => `\\${c}`).replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function hostInScope(scope: HostScope, host: ScopedHost): boolean {
  if (scope.hostIds && scope.hostIds.length > 0 && !scope.hostIds.includes(host.id)) return false;
  for (const [name, value] of Object.entries(scope.labels ?? {})) {
    if (!Object.hasOwn(host.labels, name) || host.labels[name] !== value) return false;
  }
  if (scope.hostnamePattern && !hostnameGlob(scope.hostnamePattern).test(host.hostname)) return false;
  return true;
}
