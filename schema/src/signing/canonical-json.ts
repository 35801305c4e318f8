// One text for one JSON value, whoever serialises it: keys sorted, no whitespace. What the server
// signs and what the agent verifies must be byte-for-byte the same, whatever order the keys took
// on their way through the database, GraphQL and the agent's disk cache.

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

/**
 * Canonical JSON of `value`: object keys in code-unit order, no whitespace, numbers and strings as
 * JSON.stringify writes them. Object members whose value is undefined are left out (as JSON.stringify
 * and every transport do); anything JSON cannot carry (NaN, Infinity, bigint, functions, undefined in
 * an array or at the top) throws CanonicalJsonError naming where it is.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
  if (typeof value === 'object' && isPlain(value)) {
    const members = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map(
        (k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], `${path}.${k}`)}`,
      );
    return `{${members.join(',')}}`;
  }
  throw new CanonicalJsonError(
    `${path}: a ${value === undefined ? 'missing value' : typeof value === 'object' ? 'non-plain object' : typeof value} has no JSON form`,
  );
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
