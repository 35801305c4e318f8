import { describe, expect, it } from 'vitest';
import { configOf, draftOf, initialState, kindOf, labelOf, type JsonSchema } from './schema-form.ts';

// the webhook and gotify channel schemas as the server gives them (z.toJSONSchema)
const webhook: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', maxLength: 2048, format: 'uri' },
    headers: { default: {}, type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } } as JsonSchema,
    secretHeaders: { default: {}, type: 'object', additionalProperties: { type: 'string' } },
    hmacSecret: { type: 'string', minLength: 16 },
    timeoutSeconds: { type: 'integer', minimum: 1, maximum: 120 },
  },
  required: ['url'],
  additionalProperties: false,
};
const secrets = ['url', 'secretHeaders', 'hmacSecret'];

describe('schema form', () => {
  it('picks an input for each kind of property', () => {
    expect(kindOf({ type: 'string' })).toBe('string');
    expect(kindOf({ type: 'string', enum: ['none', 'tls'] })).toBe('enum');
    expect(kindOf({ type: 'integer' })).toBe('integer');
    expect(kindOf({ type: ['number', 'null'] })).toBe('number');
    expect(kindOf({ type: 'boolean' })).toBe('boolean');
    expect(kindOf({ type: 'array', items: { type: 'string' } })).toBe('strings');
    expect(kindOf({ type: 'object', additionalProperties: { type: 'string' } })).toBe('map');
    expect(kindOf({ type: 'object', properties: { a: { type: 'integer' } } })).toBe('object');
    expect(kindOf({ type: 'array', items: { type: 'object' } })).toBe('json');
    expect(kindOf({})).toBe('json');
  });

  it('labels camelCase names in words, a title when there is one', () => {
    expect(labelOf('timeoutSeconds')).toBe('Timeout seconds');
    expect(labelOf('very_critical')).toBe('Very critical');
    expect(labelOf('x', { title: 'The X' })).toBe('The X');
  });

  it('drafts stored values and defaults, never a secret', () => {
    const s = initialState(webhook, { headers: { 'x-team': 'ops' }, timeoutSeconds: 5 }, secrets);
    expect(s.values).toEqual({ url: '', headers: [['x-team', 'ops']], secretHeaders: [], hmacSecret: '', timeoutSeconds: '5' });
    expect(draftOf({ type: 'array', items: { type: 'string' } }, ['a@x', 'b@x'])).toBe('a@x\nb@x');
    expect(draftOf({ type: 'object', properties: { warning: { type: 'integer', default: 5 } } }, undefined)).toEqual({ warning: '5' });
  });

  it('creates: required fields are asked for, empty ones left out, numbers and lists typed', () => {
    const s = initialState(webhook, undefined, secrets);
    expect(configOf(webhook, s, { secretFields: secrets, secretsSet: [], mode: 'create' })).toEqual({ ok: false, error: 'Url: required' });
    s.values.url = 'http://127.0.0.1:9/hook';
    s.values.timeoutSeconds = '7';
    s.values.headers = [['x-a', '1'], ['', '']];
    expect(configOf(webhook, s, { secretFields: secrets, secretsSet: [], mode: 'create' })).toEqual({
      ok: true,
      config: { url: 'http://127.0.0.1:9/hook', headers: { 'x-a': '1' }, timeoutSeconds: 7 },
    });
    const email: JsonSchema = { type: 'object', properties: { to: { type: 'array', items: { type: 'string' } }, port: { type: 'integer' } } };
    expect(configOf(email, { values: { to: ' a@x \n\n b@x', port: '' }, cleared: [] }, { secretFields: [], secretsSet: [], mode: 'create' })).toEqual({ ok: true, config: { to: ['a@x', 'b@x'] } });
    expect(configOf(email, { values: { to: '', port: '2.5' }, cleared: [] }, { secretFields: [], secretsSet: [], mode: 'create' })).toEqual({ ok: false, error: 'Port: a whole number' });
    expect(configOf(email, { values: { to: '', port: 'ten' }, cleared: [] }, { secretFields: [], secretsSet: [], mode: 'create' })).toEqual({ ok: false, error: 'Port: a number' });
  });

  it('updates: an empty secret keeps the stored one, a cleared one is sent as null, a typed one replaces it', () => {
    const info = { secretFields: secrets, secretsSet: ['url', 'hmacSecret'], mode: 'update' as const };
    const s = initialState(webhook, { headers: {} }, secrets);
    expect(configOf(webhook, s, info)).toEqual({ ok: true, config: {} });
    s.cleared = ['hmacSecret'];
    s.values.secretHeaders = [['authorization', 'Bearer t0ken']];
    expect(configOf(webhook, s, info)).toEqual({ ok: true, config: { hmacSecret: null, secretHeaders: { authorization: 'Bearer t0ken' } } });
    // a required secret cannot be cleared, nor left empty when none is stored
    expect(configOf(webhook, { ...s, cleared: ['url'] }, info)).toMatchObject({ ok: false, error: expect.stringMatching(/^Url: required, it cannot be cleared/) });
    expect(configOf(webhook, s, { ...info, secretsSet: [] })).toEqual({ ok: false, error: 'Url: required' });
  });

  it('refuses a map with a value but no name, or a name given twice', () => {
    const s = initialState(webhook, undefined, secrets);
    s.values.url = 'http://x';
    s.values.headers = [['', 'v']];
    expect(configOf(webhook, s, { secretFields: secrets, secretsSet: [], mode: 'create' })).toEqual({ ok: false, error: 'Headers: a name for the value "v"' });
    s.values.headers = [['a', '1'], ['a', '2']];
    expect(configOf(webhook, s, { secretFields: secrets, secretsSet: [], mode: 'create' })).toEqual({ ok: false, error: 'Headers: a is given twice' });
  });
});
