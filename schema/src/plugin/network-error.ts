/**
 * A network error as data for a step's result. A connect tried on several addresses (IPv6 and
 * IPv4 for one name) fails with an AggregateError whose own message is empty; its parts say what
 * happened.
 */
export function networkError(err: Error & { code?: string }): { message: string; code?: string } {
  const parts =
    err instanceof AggregateError
      ? err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e)))
      : [];
  const message = err.message || parts.join('; ') || err.code || 'the connection failed';
  return err.code ? { message, code: err.code } : { message };
}
