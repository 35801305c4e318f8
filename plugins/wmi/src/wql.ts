// The WQL this plugin runs: one `SELECT … FROM Class [WHERE …]`, on one line. Quoting alone already
// keeps a query inside its PowerShell string; refusing `;`, backticks and `$(` as well means a
// query that would need them is rejected before anyone has to reason about PowerShell.

export const MAX_WQL = 2000;

const SHAPE = /^SELECT\s+(.+?)\s+FROM\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+WHERE\s+(\S.*))?$/is;

export class WqlError extends Error {
  override name = 'WqlError';
}

/** Line breaks and tabs become spaces: `-Command -` reads PowerShell line by line. */
export function normalizeWql(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}

/** Checks a query and returns its class; throws WqlError saying what is wrong. */
export function wqlClass(text: string): string {
  const q = normalizeWql(text);
  if (q.length > MAX_WQL) throw new WqlError(`a query is at most ${MAX_WQL} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(q)) throw new WqlError('a query cannot contain control characters');
  for (const bad of [';', '`', '$(']) {
    if (q.includes(bad)) throw new WqlError(`a query cannot contain ${bad}`);
  }
  const m = SHAPE.exec(q);
  if (!m) throw new WqlError('expected SELECT properties FROM Class [WHERE condition]');
  return m[2]!;
}
