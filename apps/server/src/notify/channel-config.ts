// A channel's configuration between GraphQL and the database: checked against its type's schema
// (errors name the field), split into the part stored in clear and the secret fields (stored
// sealed, never returned), and merged on update so that a secret left out keeps its value: the
// workbench never has a secret to send back. Pure; the secret box is passed in.
import { parseTemplate, TemplateError } from '@esmon/schema';
import type { ChannelType, Templates } from './channel.ts';

export class ChannelConfigError extends Error {
  override name = 'ChannelConfigError';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored form: the public part, and the secret fields (to be sealed) when any is set. */
export interface StoredConfig {
  config: Record<string, unknown>;
  secrets: Record<string, unknown> | undefined;
}

/** Checks a whole configuration; throws ChannelConfigError naming the first bad field. */
export function checkConfig(type: ChannelType, config: unknown): Record<string, unknown> {
  const r = type.config.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map(String);
    // "config.url: url must use https" reads better as "config.url: must use https"
    const last = path.at(-1);
    const message = last && issue.message.startsWith(`${last} `) ? issue.message.slice(last.length + 1) : issue.message;
    throw new ChannelConfigError(`config${path.length ? `.${path.join('.')}` : ''}: ${message}`);
  }
  if (!isRecord(r.data)) throw new ChannelConfigError('config: an object');
  return r.data;
}

export function splitConfig(type: ChannelType, config: Record<string, unknown>): StoredConfig {
  const open: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (type.secretFields.includes(k)) {
      // an empty value (the schema's default {} of secret headers) is no secret: not "set"
      const empty = v === undefined || v === '' || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
      if (!empty) secrets[k] = v;
    } else open[k] = v;
  }
  return { config: open, secrets: Object.keys(secrets).length ? secrets : undefined };
}

/**
 * The configuration an update asks for: fields given replace stored ones; a secret field left out
 * keeps its stored value; a secret field given as null is cleared.
 */
export function mergeConfig(type: ChannelType, stored: Record<string, unknown>, storedSecrets: Record<string, unknown> | undefined, input: unknown): unknown {
  if (!isRecord(input)) return input;
  const merged: Record<string, unknown> = { ...stored, ...storedSecrets };
  for (const [k, v] of Object.entries(input)) {
    if (v === null && type.secretFields.includes(k)) delete merged[k];
    else merged[k] = v;
  }
  for (const k of Object.keys(stored)) if (!Object.hasOwn(input, k) && !type.secretFields.includes(k)) delete merged[k];
  return merged;
}

/** Checks templates: only parts the type has, each one parsing; errors name the part and place. */
export function checkTemplates(type: ChannelType, templates: unknown): Templates {
  if (templates === undefined || templates === null) return {};
  if (!isRecord(templates)) throw new ChannelConfigError('templates: an object of part → template text');
  const out: Record<string, string> = {};
  for (const [part, text] of Object.entries(templates)) {
    if (!Object.hasOwn(type.templates, part)) {
      throw new ChannelConfigError(`templates.${part}: a ${type.type} channel has no part "${part}" (it has ${Object.keys(type.templates).join(', ')})`);
    }
    if (typeof text !== 'string') throw new ChannelConfigError(`templates.${part}: template text`);
    try {
      parseTemplate(text);
    } catch (err) {
      if (err instanceof TemplateError) throw new ChannelConfigError(`templates.${part}: ${err.message}`);
      throw err;
    }
    out[part] = text;
  }
  return out;
}

/** The type's default templates with the channel's own parts in their place. */
export const effectiveTemplates = (type: ChannelType, own: Templates): Templates => ({ ...type.templates, ...own });
