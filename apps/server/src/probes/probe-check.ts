// A probe definition checked as a whole: its shape (probeDefinitionSchema), and every step's
// parameters against its plugin's manifest. Problems name the step and the field
// (`steps[1].params.sql: …`), so the editor can point at them.
import { parseParams, PluginParamsError, probeDefinitionSchema, issuePath, type Plugin, type ProbeDefinition } from '@esmon/schema';

export interface ProbeProblem {
  path: string;
  message: string;
}

export type CheckedProbe = { ok: true; definition: ProbeDefinition } | { ok: false; problems: ProbeProblem[] };

export function checkProbe(input: unknown, pluginById: (id: string) => Plugin | undefined): CheckedProbe {
  const parsed = probeDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })) };
  }
  const problems: ProbeProblem[] = [];
  const steps = parsed.data.steps.map((step, i) => {
    const plugin = pluginById(step.plugin);
    if (!plugin) {
      problems.push({ path: `steps[${i}].plugin`, message: `step "${step.id}": no plugin "${step.plugin}"` });
      return step;
    }
    try {
      const params = parseParams(plugin.manifest, step.params) as Record<string, unknown>;
      // prepare builds the exact command, SQL or request: what it refuses is refused at save time
      plugin.prepare(params);
      return { ...step, params };
    } catch (err) {
      if (err instanceof PluginParamsError) {
        for (const issue of err.issues) {
          problems.push({ path: `steps[${i}].params${issue.path ? `.${issue.path}` : ''}`, message: `step "${step.id}" (${step.plugin}): ${issue.message}` });
        }
      } else {
        problems.push({ path: `steps[${i}].params`, message: `step "${step.id}" (${step.plugin}): ${(err as Error).message}` });
      }
      return step;
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, definition: { ...parsed.data, steps } };
}
