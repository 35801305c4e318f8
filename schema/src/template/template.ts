// The notification template language: logic-less, a subset of Mustache. `{{name}}` and
// `{{alert.labels.env}}` insert a value (escaped for the output: HTML for email bodies, nothing
// for plain text); `{{{name}}}` inserts it unescaped; `{{#list}}…{{/list}}` repeats for each item
// of a list, or renders once for a value that is set; `{{^name}}…{{/name}}` renders when it is
// not; `{{! comment }}`. No code runs: names are looked up through own properties of plain data
// only, never a prototype (`{{constructor}}` is an unknown name, not a function).
//
// Shared by the server (rendering, previews) and the workbench (diagnostics while editing).

export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${message}`);
  }
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; path: string[]; raw: boolean; at: number }
  | { kind: 'section'; path: string[]; inverted: boolean; children: Node[]; at: number };

export interface Template {
  source: string;
  nodes: Node[];
  /** every name the template reads, dotted, in order of first use */
  names: string[];
}

export const MAX_TEMPLATE_LENGTH = 20_000;
const MAX_DEPTH = 8;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$|^\.$/;
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses a template; throws TemplateError with line:column for what does not parse. */
export function parseTemplate(source: string): Template {
  const fail = (message: string, offset: number): never => {
    const { line, column } = position(source, offset);
    throw new TemplateError(message, line, column);
  };
  if (source.length > MAX_TEMPLATE_LENGTH) fail(`a template is at most ${MAX_TEMPLATE_LENGTH} characters`, MAX_TEMPLATE_LENGTH);
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: 'section' }>; name: string }[] = [];
  const names: string[] = [];
  const out = () => stack.at(-1)?.node.children ?? root;
  const pathOf = (name: string, at: number) => {
    if (!NAME.test(name)) fail(`"${name}" is not a name such as alert.labels.env`, at);
    const path = name === '.' ? ['.'] : name.split('.');
    if (path.some((p) => UNSAFE.has(p))) fail(`"${name}" is not a name a template may read`, at);
    if (!names.includes(name)) names.push(name);
    return path;
  };
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      out().push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) out().push({ kind: 'text', text: source.slice(i, open) });
    const triple = source.startsWith('{{{', open);
    const close = source.indexOf(triple ? '}}}' : '}}', open);
    if (close < 0) fail(`"${triple ? '{{{' : '{{'}" is not closed`, open);
    const tag = source.slice(open + (triple ? 3 : 2), close).trim();
    i = close + (triple ? 3 : 2);
    if (triple) {
      out().push({ kind: 'var', path: pathOf(tag, open), raw: true, at: open });
      continue;
    }
    const sigil = tag[0];
    const name = tag.slice(1).trim();
    if (sigil === '!') continue;
    if (sigil === '#' || sigil === '^') {
      if (stack.length >= MAX_DEPTH) fail(`sections nest at most ${MAX_DEPTH} deep`, open);
      const node: Extract<Node, { kind: 'section' }> = { kind: 'section', path: pathOf(name, open), inverted: sigil === '^', children: [], at: open };
      out().push(node);
      stack.push({ node, name });
    } else if (sigil === '/') {
      const top = stack.pop();
      if (!top) fail(`{{/${name}}} closes no section`, open);
      if (top!.name !== name) fail(`{{/${name}}} closes {{#${top!.name}}}`, open);
    } else if (sigil === '&') {
      out().push({ kind: 'var', path: pathOf(name, open), raw: true, at: open });
    } else if (sigil === '>' || sigil === '=' || sigil === '{') {
      fail(`{{${sigil}…}} is not part of this template language`, open);
    } else {
      out().push({ kind: 'var', path: pathOf(tag, open), raw: false, at: open });
    }
  }
  const unclosed = stack.pop();
  if (unclosed) fail(`{{#${unclosed.name}}} is not closed`, unclosed.node.at);
  return { source, nodes: root, names };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of a path in the innermost context that has its first name. */
function lookup(contexts: unknown[], path: string[]): unknown {
  if (path[0] === '.') return contexts.at(-1);
  for (let c = contexts.length - 1; c >= 0; c--) {
    const ctx = contexts[c];
    if (!isRecord(ctx) || !Object.hasOwn(ctx, path[0]!)) continue;
    let v: unknown = ctx[path[0]!];
    for (const p of path.slice(1)) v = isRecord(v) && Object.hasOwn(v, p) ? v[p] : undefined;
    return v;
  }
  return undefined;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return ''; // an object or list has no text of its own
}

const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== false && v !== '');

export type Escape = (text: string) => string;

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml: Escape = (s) => s.replace(/[&<>"']/g, (c) => HTML[c]!);
export const noEscape: Escape = (s) => s;

/** Renders with `data` (plain JSON-like values); output beyond `maxLength` is cut and marked. */
export function renderTemplate(template: Template, data: unknown, escape: Escape = noEscape, maxLength = 256_000): string {
  let out = '';
  const walk = (nodes: Node[], contexts: unknown[]) => {
    for (const n of nodes) {
      if (out.length > maxLength) return;
      if (n.kind === 'text') out += n.text;
      else if (n.kind === 'var') {
        const t = text(lookup(contexts, n.path));
        out += n.raw ? t : escape(t);
      } else {
        const v = lookup(contexts, n.path);
        if (n.inverted) {
          if (!truthy(v)) walk(n.children, contexts);
        } else if (Array.isArray(v)) {
          for (const item of v) walk(n.children, [...contexts, item]);
        } else if (truthy(v)) {
          walk(n.children, isRecord(v) ? [...contexts, v] : contexts);
        }
      }
    }
  };
  walk(template.nodes, [data]);
  return out.length > maxLength ? `${out.slice(0, maxLength)}… (cut at ${maxLength} characters)` : out;
}
