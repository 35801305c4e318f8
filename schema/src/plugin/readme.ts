// A plugin README's parameter table, generated from its manifest (the same JSON Schema the
// workbench draws its form from), so documentation and parameters cannot drift: each plugin's test
// compares the table between the markers with paramTable().
import { z } from 'zod';
import type { ParamUi, PluginManifest } from './manifest.ts';

export const PARAMS_START = '<!-- params -->';
export const PARAMS_END = '<!-- /params -->';

interface Field {
  type?: string;
  enum?: unknown[];
  items?: Field;
  additionalProperties?: Field | boolean;
  anyOf?: Field[];
  default?: unknown;
  ui?: ParamUi;
}

function typeOf(f: Field): string {
  if (f.enum) return f.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (f.anyOf) return f.anyOf.map(typeOf).join(' or ');
  if (f.type === 'array') return `${f.items ? typeOf(f.items) : 'any'}[]`;
  if (f.type === 'object' && typeof f.additionalProperties === 'object') return `record of ${typeOf(f.additionalProperties)}`;
  return f.type ?? 'any';
}

/**
 * Markdown cells hold one line and no bare pipes; outside `code spans`, `<metric>` would be read
 * as an HTML tag and vanish from the rendered page.
 */
function cell(text: string): string {
  const html = (t: string) => t.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const escaped = text
    .split('`')
    .map((part, i) => (i % 2 === 0 ? html(part) : part))
    .join('`');
  return escaped.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function describe(ui: ParamUi | undefined): string {
  if (!ui) return '';
  const parts = [`**${ui.label}**`];
  if (ui.help) parts.push(`— ${ui.help}`);
  if (ui.secret) parts.push('(a secret reference, `secret:NAME`)');
  if (ui.visibleWhen) {
    const values = ui.visibleWhen.equals.map((v) => `\`${String(v)}\``).join(' or ');
    parts.push(`(only when \`${ui.visibleWhen.param}\` is ${values})`);
  }
  return parts.join(' ');
}

/** The manifest's parameters as a markdown table: name, type, required, default, label/help, widget. */
export function paramTable(manifest: PluginManifest): string {
  // io 'input': a parameter with a default is one the user may leave out
  const schema = z.toJSONSchema(manifest.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Field>;
    required?: string[];
  };
  if (!schema.properties) throw new Error(`${manifest.id}: parameters must be a zod object`);
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties).map(([name, f]) =>
    [
      `\`${name}\``,
      `\`${typeOf(f)}\``,
      required.has(name) ? 'yes' : 'no',
      f.default === undefined ? '' : `\`${JSON.stringify(f.default)}\``,
      describe(f.ui),
      f.ui?.widget ? `\`${f.ui.widget}\`` : '',
    ].map(cell),
  );
  return [
    '| Parameter | Type | Required | Default | Description | Widget |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The text between the README's parameter markers, without the surrounding blank lines. */
export function paramsSection(readme: string): string | undefined {
  const start = readme.indexOf(PARAMS_START);
  const end = readme.indexOf(PARAMS_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + PARAMS_START.length, end).trim();
}
