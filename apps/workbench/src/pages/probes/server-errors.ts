// The server's validation problems (`extensions.details`: [{ path, message }], paths such as
// `definition.steps[1].params.sql` or `definition.extract[0].from.pattern`) placed where the
// builder shows them: on a step's field, on an extraction's field, on a setting, or at the top.
import type { ExtractOrigin, StepDraft } from './model.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Keys: `step:<key>:param:<name>`, `step:<key>:step`, `step:<key>:extract:<i>:<field>`
 * (field: from, metric, labels, transform, step), `settings:<field>` (name, description,
 * intervalSeconds, timeoutSeconds, enabled, targets), `general`.
 */
export type ErrorMap = Record<string, string>;

/** `step "http_1" (http): ` leads the server's step messages; the node already says which step. */
const stripStep = (message: string) => message.replace(/^step "[^"]*"(?: \([^)]*\))?: /, '');

export function placeIssues(issues: readonly FieldIssue[], steps: readonly Pick<StepDraft, 'key'>[], origins: readonly ExtractOrigin[]): ErrorMap {
  const out: ErrorMap = {};
  const add = (key: string, message: string) => {
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  };
  for (const { path, message } of issues) {
    const p = path.replace(/^definition\.?/, '');
    const step = /^steps\[(\d+)\](?:\.(.*))?$/.exec(p);
    const ext = /^extract\[(\d+)\](?:\.(.*))?$/.exec(p);
    if (step) {
      const s = steps[Number(step[1])];
      if (!s) add('general', message);
      else {
        const rest = step[2] ?? '';
        const param = /^params\.([^.[]+)/.exec(rest);
        add(param ? `step:${s.key}:param:${param[1]}` : `step:${s.key}:step`, stripStep(message));
      }
    } else if (ext) {
      const o = origins[Number(ext[1])];
      const field = (ext[2] ?? 'step').split(/[.[]/)[0]!;
      if (!o) add('general', message);
      else add(`step:${o.stepKey}:extract:${o.index}:${['from', 'metric', 'labels', 'transform'].includes(field) ? field : 'step'}`, message);
    } else {
      const field = p.split(/[.[]/)[0]!;
      if (['name', 'description', 'intervalSeconds', 'timeoutSeconds', 'enabled', 'targets'].includes(field)) add(`settings:${field}`, message);
      else add('general', message);
    }
  }
  return out;
}

/** Every message under a key prefix (a step's errors, to badge its node). */
export function issuesUnder(errors: ErrorMap, prefix: string): string[] {
  return Object.entries(errors)
    .filter(([k]) => k.startsWith(prefix))
    .map(([, v]) => v);
}

/** The details of a urql CombinedError, when the server sent BAD_USER_INPUT with them. */
export function detailsOf(error: { graphQLErrors?: readonly { extensions?: Record<string, unknown> }[] } | undefined): FieldIssue[] {
  const details = error?.graphQLErrors?.[0]?.extensions?.details;
  if (!Array.isArray(details)) return [];
  return details.filter((d): d is FieldIssue => typeof d?.path === 'string' && typeof d?.message === 'string');
}
