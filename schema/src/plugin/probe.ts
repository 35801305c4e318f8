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

/** A label is a fixed text, or a row column's value (for column extraction). */
const labelSource = z.union([z.string().max(256), z.object({ column: z.string().min(1).max(128) }).strict()]);

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
  .strict();
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
