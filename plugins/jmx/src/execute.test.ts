// The plugin over recorded bridge answers (fixtures/<case>/response.json, recorded by
// test/record-fixtures.ts from a real JVM), plus how run failures become step statuses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepResult } from '@esmon/schema';
import { formatSample, RECORDED_NOW, stepContext } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { createJmxPlugin, type JmxParamsInput } from './index.ts';
import { JavaUnavailableError, JmxTimeoutError, type JmxReadRequest, type JmxReadResponse, type ReadJmx } from './protocol.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const json = (name: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, name, file), 'utf8'));

/** A plugin whose transport answers with `answer` and keeps the requests it got. */
function pluginWith(answer: (request: JmxReadRequest) => Promise<JmxReadResponse>) {
  const requests: JmxReadRequest[] = [];
  const read: ReadJmx = (request) => (requests.push(request), answer(request));
  return { plugin: createJmxPlugin({ transport: () => ({ read, close: async () => undefined }) }), requests };
}

/** What a case must produce: samples in one line each, the rest as is. */
function summary(r: StepResult) {
  return {
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    samples: r.samples.map(formatSample),
    rows: r.rows,
    output: r.output ? JSON.parse(r.output) : undefined,
  };
}

describe('recorded bridge answers', () => {
  const cases = readdirSync(FIXTURES).sort();

  it.each(cases)('%s', async (name) => {
    const { plugin, requests } = pluginWith(async () => json(name, 'response.json'));
    const r = await plugin.execute(plugin.prepare(json(name, 'params.json')), stepContext());
    expect(summary(r)).toEqual(json(name, 'expected.json'));
    expect(r.samples.every((s) => s.ts === RECORDED_NOW)).toBe(true);
    expect(requests).toHaveLength(1);
  });
});

describe('a run', () => {
  const params: JmxParamsInput = { host: 'maximo01', port: 9999, user: 'monitor', password: 'secret:jmx' };
  const ok: JmxReadResponse = { ok: true, values: [] };

  it('sends the resolved password and the smaller of its timeout and the step\'s', async () => {
    const { plugin, requests } = pluginWith(async () => ok);
    await plugin.execute(plugin.prepare({ ...params, timeoutMs: 20_000 }), stepContext({ timeoutMs: 5000, secret: () => 'pw-1234' }));
    expect(requests[0]).toEqual({
      url: 'service:jmx:rmi:///jndi/rmi://maximo01:9999/jmxrmi',
      user: 'monitor',
      password: 'pw-1234',
      timeoutMs: 5000,
      reads: [
        { mbean: 'java.lang:type=Memory', attributes: ['HeapMemoryUsage.used', 'HeapMemoryUsage.max'] },
        { mbean: 'java.lang:type=Threading', attributes: ['ThreadCount'] },
      ],
    });
  });

  it.each<[string, Error, StepResult['status']]>([
    ['no Java', new JavaUnavailableError('jmx: no Java runtime at "java"'), 'unsupported'],
    ['no answer', new JmxTimeoutError('jmx: the JMX bridge did not answer within 12000 ms'), 'timeout'],
    ['a dead bridge', new Error('jmx: the JMX bridge was killed (SIGKILL) before answering'), 'error'],
  ])('turns %s into status %s, never a throw', async (_name, error, status) => {
    const { plugin } = pluginWith(() => Promise.reject(error));
    const r = await plugin.execute(plugin.prepare(params), stepContext({ secret: () => 'pw' }));
    expect(r).toMatchObject({ status, error: error.message, samples: [] });
  });

  it('scrubs the password from any error, wherever it came from', async () => {
    const { plugin } = pluginWith(() => Promise.reject(new Error('login as monitor/pw-1234 refused')));
    const r = await plugin.execute(plugin.prepare(params), stepContext({ secret: () => 'pw-1234' }));
    expect(r.error).toBe('login as monitor/*** refused');
  });

  it('keeps an unknown secret from reaching the bridge', async () => {
    const { plugin, requests } = pluginWith(async () => ok);
    const r = await plugin.execute(plugin.prepare(params), stepContext());
    expect(r).toMatchObject({ status: 'error', error: 'jmx: the agent has no secret secret:jmx' });
    expect(requests).toHaveLength(0);
  });

  it('creates its transport once, on the first run, and closes it', async () => {
    let created = 0;
    let closed = 0;
    const plugin = createJmxPlugin({
      transport: () => (created++, { read: async () => ok, close: async () => void closed++ }),
    });
    expect(created).toBe(0);
    const prepared = plugin.prepare({ url: 'service:jmx:rmi:///jndi/rmi://h:1/jmxrmi' });
    await Promise.all([plugin.execute(prepared, stepContext()), plugin.execute(prepared, stepContext())]);
    expect(created).toBe(1);
    await plugin.close();
    expect(closed).toBe(1);
  });
});
