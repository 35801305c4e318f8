// How a mutation ended, as the audit log records it: "ok", or the coarse code of the error it
// threw (FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, ...); anything without one is INTERNAL. Pure.

export const OK = 'ok';
export const INTERNAL = 'INTERNAL';

const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/** The outcome of a mutation that threw `err`. */
export function outcomeOf(err: unknown): string {
  const code = (err as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' && CODE.test(code) ? code : INTERNAL;
}
