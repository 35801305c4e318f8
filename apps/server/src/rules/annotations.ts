// Annotation templates: plain text with placeholders {{host}}, {{value}}, {{severity}}, {{rule}},
// {{state}} and {{labels.NAME}}. Substitution only: no code, no expressions, no helpers, so an
// annotation can never run anything. Unknown placeholders are refused when the rule is saved.
import { z } from 'zod';

export const TEMPLATE_FIELDS = ['host', 'value', 'severity', 'rule', 'state'] as const;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const LABEL_REF = /^labels\.([A-Za-z_][A-Za-z0-9_]*)$/;

export interface TemplateValues {
  host?: string;
  value?: number;
  severity?: string;
  rule: string;
  state?: string;
  labels: Record<string, string>;
}

/** The first placeholder that is not allowed, if any. */
export function templateProblem(text: string): string | undefined {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name) && !LABEL_REF.test(name)) {
      return `unknown placeholder {{${name}}}: use ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')} or {{labels.NAME}}`;
    }
  }
  return undefined;
}

export const annotationsSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an annotation name'), z.string().max(4000))
  .superRefine((a, ctx) => {
    if (Object.keys(a).length > 16) ctx.addIssue({ code: 'custom', message: 'at most 16 annotations' });
    for (const [key, text] of Object.entries(a)) {
      const problem = templateProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });

function formatValue(v: number | undefined): string {
  if (v === undefined) return '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    const label = LABEL_REF.exec(name);
    if (label) return Object.hasOwn(values.labels, label[1]!) ? values.labels[label[1]!]! : '';
    switch (name) {
      case 'host':
        return values.host ?? '';
      case 'value':
        return formatValue(values.value);
      case 'severity':
        return values.severity ?? '';
      case 'rule':
        return values.rule;
      case 'state':
        return values.state ?? '';
      default:
        return '';
    }
  });
}

export function renderAnnotations(templates: Record<string, string>, values: TemplateValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(templates)) out[key] = renderTemplate(text, values);
  return out;
}
