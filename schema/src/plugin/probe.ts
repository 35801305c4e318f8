// A probe definition: a versioned pipeline of steps (plugin + parameters), extraction of values
// into metrics (a row column, a JSONPath into JSON output, or a regex over text output), an
// optional arithmetic transform, interval, timeout and the hosts it targets. Shared by the server
// (validation, storage), the agent (running it) and the workbench (editing it).
import { z } from 'zod';
import { LABEL_KEY, metricName } from '../naming.ts';
import { hostScopeSchema } from '../scope.ts';
import { compileTransform, TransformError } from './transform.ts';

const STEP_ID = /^[a-z][a-z0-9_]{0,31}$/;

export const probeStepSchema = z
  .object({
    id: z.string().regex(STEP_ID, 'a step id: lower-case letters, digits and _, starting with a letter'),
    plugin: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a plugin id'),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type ProbeStep = z.infer<typeof probeStepSchema>;

export const extractionSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column'), column: z.string().min(1).max(128) }).strict(),
  z
    .object({ kind: z.literal('jsonPath'), path: z.string().regex(/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\[\*\])*$/, 'a JSONPath such as $.items[*].value or $.heap.used') })
    .strict(),
  z
    .object({
      kind: z.literal('regex'),
      pattern: z.string().min(1).max(256).refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'the regular expression does not compile'),
      group: z.number().int().min(0).max(9).default(1),
    })
    .strict(),
]);
export type ExtractionSource = z.infer<typeof extractionSourceSchema>;

/**
 * A label is a fixed text, or read beside each value: a row column (column extraction), a capture
 * group by number or name (regex extraction), or a sibling key of the matched value (JSONPath
 * extraction: `$.pools[*].active` labelled by each pool's `name`).
 */
const labelSource = z.union([
  z.string().max(256),
  z.object({ column: z.string().min(1).max(128) }).strict(),
  z.object({ group: z.union([z.number().int().min(0).max(9), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'a capture group name')]) }).strict(),
  z.object({ key: z.string().min(1).max(128) }).strict(),
]);
export type LabelSource = z.infer<typeof labelSource>;

/** Which extraction kind each label source needs. */
const LABEL_SOURCE_KIND = { column: 'column', group: 'regex', key: 'jsonPath' } as const;

/** The numbered groups of a pattern and its named ones; undefined when it does not compile (said elsewhere). */
function groupsOf(pattern: string): { count: number; names: Set<string> } | undefined {
  try {
    // an empty alternative matches '' at once, and the match still has a slot per group
    const m = new RegExp(`${pattern}|`).exec('')!;
    return { count: m.length - 1, names: new Set(Object.keys(m.groups ?? {})) };
  } catch {
    return undefined;
  }
}

export const extractionSchema = z
  .object({
    step: z.string().regex(STEP_ID),
    from: extractionSourceSchema,
    metric: metricName,
    labels: z
      .record(z.string().regex(LABEL_KEY, 'a label name'), labelSource)
      .refine((l) => Object.keys(l).length <= 16, 'at most 16 labels')
      .default({}),
    transform: z
      .string()
      .max(500)
      .superRefine((t, ctx) => {
        try {
          compileTransform(t);
        } catch (err) {
          if (err instanceof TransformError) ctx.addIssue({ code: 'custom', message: err.message });
          else throw err;
        }
      })
      .optional(),
  })
  .strict()
  .superRefine((x, ctx) => {
    const groups = x.from.kind === 'regex' ? groupsOf(x.from.pattern) : undefined;
    if (x.from.kind === 'regex' && groups && groups.count < x.from.group) {
      ctx.addIssue({ code: 'custom', path: ['from', 'group'], message: `the pattern has ${groups.count} capture group(s), not ${x.from.group}` });
    }
    for (const [name, source] of Object.entries(x.labels)) {
      if (typeof source === 'string') continue;
      const by = Object.keys(source)[0] as keyof typeof LABEL_SOURCE_KIND;
      const needs = LABEL_SOURCE_KIND[by];
      if (x.from.kind !== needs) {
        ctx.addIssue({ code: 'custom', path: ['labels', name], message: `a label read from a ${by} needs ${needs} extraction; this one is ${x.from.kind}` });
        continue;
      }
      if ('group' in source && groups) {
        const g = source.group;
        const missing = typeof g === 'number' ? g > groups.count : !groups.names.has(g);
        if (missing) ctx.addIssue({ code: 'custom', path: ['labels', name], message: `the pattern has no capture group ${typeof g === 'number' ? g : `"${g}"`}` });
      }
    }
  });
export type Extraction = z.infer<typeof extractionSchema>;

export const probeDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(4000).nullish(),
    steps: z.array(probeStepSchema).min(1, 'a probe needs at least one step').max(10),
    extract: z.array(extractionSchema).max(50).default([]),
    intervalSeconds: z.number().int().min(5).max(86_400).default(60),
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
    targets: hostScopeSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id "${s.id}" is used twice` });
      ids.add(s.id);
    });
    p.extract.forEach((x, i) => {
      if (!ids.has(x.step)) ctx.addIssue({ code: 'custom', path: ['extract', i, 'step'], message: `no step "${x.step}" in this probe` });
    });
    if (p.timeoutSeconds > p.intervalSeconds) {
      ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: 'the timeout must not be longer than the interval' });
    }
  });
export type ProbeDefinition = z.infer<typeof probeDefinitionSchema>;
export type ProbeDefinitionInput = z.input<typeof probeDefinitionSchema>;
