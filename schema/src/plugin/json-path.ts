// The JSONPath subset probes use (`$`, `.name`, `[n]`, `[*]`), evaluated over parsed JSON that a
// monitored server or script controls. It reads own properties only: a path never reaches a
// prototype, so `$.__proto__` or `$.constructor` yields nothing even on a plain `{}`.

/** The accepted grammar; the same one probe definitions validate extraction paths against. */
export const JSON_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\[\*\])*$/;

/** Names that address JavaScript internals rather than data; refused even as own properties. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

type Segment = { name: string } | { index: number } | { all: true };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

function parseJsonPath(path: string): Segment[] {
  if (!JSON_PATH.test(path)) throw new JsonPathError(`"${path}" is not a JSONPath such as $.items[*].value`);
  const segments: Segment[] = [];
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[\*\]/g)) {
    if (m[1] !== undefined) segments.push({ name: m[1] });
    else if (m[2] !== undefined) segments.push({ index: Number(m[2]) });
    else segments.push({ all: true });
  }
  return segments;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function step(v: unknown, s: Segment): unknown[] {
  if ('name' in s) {
    // arrays are left out on purpose: `.length` is an own property of every array
    if (!isRecord(v) || UNSAFE_NAMES.has(s.name) || !Object.hasOwn(v, s.name)) return [];
    return [v[s.name]];
  }
  if ('index' in s) return Array.isArray(v) && s.index < v.length ? [v[s.index]] : [];
  if (Array.isArray(v)) return [...v];
  return isRecord(v) ? Object.values(v) : [];
}

/** A selected value and the object that holds it, when an object does (not for array elements). */
export interface JsonPathMatch {
  value: unknown;
  parent?: Record<string, unknown>;
}

/**
 * Every value the path selects, with its holding object, in document order; `[]` when nothing
 * matches. The holder gives labels from sibling keys: `$.pools[*].active` beside each pool's `name`.
 */
export function jsonPathMatches(value: unknown, path: string): JsonPathMatch[] {
  let current: JsonPathMatch[] = [{ value }];
  for (const s of parseJsonPath(path)) {
    current = current.flatMap((m) => step(m.value, s).map((v) => (isRecord(m.value) ? { value: v, parent: m.value } : { value: v })));
    if (current.length === 0) break;
  }
  return current;
}

/**
 * Every value the path selects, in document order; `[]` when nothing matches.
 * `[*]` selects the elements of an array or the own values of an object.
 * Throws JsonPathError when the path is outside the subset.
 */
export function jsonPathValues(value: unknown, path: string): unknown[] {
  return jsonPathMatches(value, path).map((m) => m.value);
}
