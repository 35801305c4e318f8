// What a silence mutes, Alertmanager style: a list of matchers that must all hold for an alert.
// A matcher names the rule (`rule`), the host (`host`, its hostname) or any label; a label the
// alert does not carry reads as "" (so `team!="db"` matches alerts without a team). Regular
// expressions match the whole value, as in Prometheus: `web-.*`, never a part of it.
import { z } from 'zod';

export type SilenceOp = '=' | '!=' | '=~' | '!~';

export interface SilenceMatcher {
  name: string;
  op: SilenceOp;
  value: string;
}

/** What an alert offers to silences: its rule's name, its host and its labels. */
export interface SilenceTarget {
  rule: string;
  host?: string;
  labels: Record<string, string>;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export const MAX_SILENCE_MATCHERS = 20;
const MAX_VALUE = 256;
// label names as hosts and series use them; dots allowed because host labels may carry them
const NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,99}$/;

/** The whole-value regular expression of a =~ or !~ matcher; throws SyntaxError. */
function anchored(value: string): RegExp {
  const re = new RegExp(`^(?:${value})$`);
  // V8 compiles on first use: a pattern "too large" (`(?:a{9999}){9999}`) only throws there
  re.test('');
  return re;
}

const matcherSchema = z.object({
  name: z.string().regex(NAME, 'a matcher name is "rule", "host" or a label name: letters, digits, _ and .'),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string().max(MAX_VALUE, `a matcher value is at most ${MAX_VALUE} characters`),
});

/** Silence matchers as stored and as given over the API. */
export const silenceMatchersSchema = z
  .array(matcherSchema)
  .min(1, 'a silence needs at least one matcher')
  .max(MAX_SILENCE_MATCHERS, `a silence has at most ${MAX_SILENCE_MATCHERS} matchers`)
  .superRefine((matchers, ctx) => {
    matchers.forEach((m, i) => {
      if (m.op !== '=~' && m.op !== '!~') return;
      try {
        anchored(m.value);
      } catch (err) {
        const reason = (err instanceof Error ? err.message : String(err)).replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '');
        ctx.addIssue({ code: 'custom', path: [i, 'value'], message: `${m.name}${m.op}"${m.value}" is not a valid regular expression: ${reason}` });
      }
    });
    // as in Alertmanager: a silence whose every matcher also matches an empty value would mute
    // nearly everything (`env!="prod"` alone mutes every alert without an env label)
    const empty = { rule: '', host: '', labels: {} };
    if (matchers.length > 0 && !matchers.some((m) => !compileOne(m)(empty))) {
      ctx.addIssue({ code: 'custom', message: 'at least one matcher must need a non-empty value, or the silence would mute nearly everything' });
    }
  });

function valueOf(name: string, target: SilenceTarget): string {
  if (name === 'rule') return target.rule;
  if (name === 'host') return target.host ?? '';
  // own keys only: `constructor` or `__proto__` must never read Object.prototype
  return Object.hasOwn(target.labels, name) ? (target.labels[name] ?? '') : '';
}

function compileOne(m: SilenceMatcher): (target: SilenceTarget) => boolean {
  const { name, op, value } = m;
  if (op === '=') return (t) => valueOf(name, t) === value;
  if (op === '!=') return (t) => valueOf(name, t) !== value;
  let re: RegExp;
  try {
    re = anchored(value);
  } catch {
    // only reachable for matchers that skipped validation: such a matcher matches nothing
    return () => false;
  }
  return op === '=~' ? (t) => re.test(valueOf(name, t)) : (t) => !re.test(valueOf(name, t));
}

/** Compiles matchers once (regexes built up front) into a test that all of them hold. */
export function compileSilence(matchers: readonly SilenceMatcher[]): (target: SilenceTarget) => boolean {
  const tests = matchers.map(compileOne);
  return (target) => tests.every((test) => test(target));
}

/** Whether every matcher holds for the target. */
export function silenceMatches(matchers: readonly SilenceMatcher[], target: SilenceTarget): boolean {
  return compileSilence(matchers)(target);
}

/** pending before startsAt, active in [startsAt, endsAt), expired from endsAt on. */
export function silenceState(silence: { startsAt: Date; endsAt: Date }, nowMs: number): SilenceState {
  if (nowMs < silence.startsAt.getTime()) return 'pending';
  return nowMs < silence.endsAt.getTime() ? 'active' : 'expired';
}
