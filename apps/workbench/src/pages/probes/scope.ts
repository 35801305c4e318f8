// Which hosts a probe's targets cover, for the builder's preview: the same rules as the server's
// hostInScope (schema/src/scope.ts): every criterion given must hold, an empty scope covers all.
export interface ScopeHost {
  id: string;
  hostname: string;
  labels: Record<string, string>;
}

export interface Scope {
  hostIds?: number[];
  labels?: Record<string, string>;
  hostnamePattern?: string;
}

/** A glob over hostnames (`maximo-*`, `db?`), case-insensitive, whole name. */
export function hostnameGlob(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\-]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`, 'i');
}

export function hostMatches(scope: Scope, host: ScopeHost): boolean {
  if (scope.hostIds && scope.hostIds.length > 0 && !scope.hostIds.includes(Number(host.id))) return false;
  for (const [name, value] of Object.entries(scope.labels ?? {})) {
    if (!Object.hasOwn(host.labels, name) || host.labels[name] !== value) return false;
  }
  if (scope.hostnamePattern) {
    try {
      if (!hostnameGlob(scope.hostnamePattern).test(host.hostname)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export function scopeIsEmpty(scope: Scope): boolean {
  return !scope.hostIds?.length && !Object.keys(scope.labels ?? {}).length && !scope.hostnamePattern;
}
