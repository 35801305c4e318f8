/** Rule text that does not parse. `start`/`end` are offsets of the offending text (end exclusive). */
export class RuleSyntaxError extends Error {
  override name = 'RuleSyntaxError';
  constructor(
    message: string,
    readonly start: number,
    readonly end: number = start + 1,
  ) {
    super(message);
  }
}
