import { manifestJson, parseParams, PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { jmxManifest } from './manifest.ts';
import { prepareJmx, urlFor } from './prepare.ts';

const issues = (params: unknown) => {
  try {
    parseParams(jmxManifest, params);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(PluginParamsError);
    return (err as PluginParamsError).issues.map((i) => `${i.path}: ${i.message}`);
  }
};

describe('jmx parameters', () => {
  it('fills defaults around a URL', () => {
    expect(parseParams(jmxManifest, { url: 'service:jmx:rmi:///jndi/rmi://maximo01:9999/jmxrmi' })).toMatchObject({
      metricPrefix: 'jmx',
      timeoutMs: 10_000,
      reads: [{ mbean: 'java.lang:type=Memory' }, { mbean: 'java.lang:type=Threading' }],
    });
  });

  it.each<[string, object, string]>([
    ['neither URL nor host and port', {}, 'url: give a JMX service URL, or host and port'],
    ['a host without a port', { host: 'maximo01' }, 'port: give a JMX service URL, or host and port'],
    ['both a URL and a host', { url: 'service:jmx:rmi:///jndi/rmi://h:1/jmxrmi', host: 'h', port: 1 }, 'url: give a URL, or host and port, not both'],
    ['a URL that is no JMX URL', { url: 'http://maximo01:9080/' }, 'url: a JMX service URL'],
    ['an inline password', { host: 'h', port: 1, user: 'monitor', password: 'hunter2' }, 'password: a secret reference'],
    ['a password without a user', { host: 'h', port: 1, password: 'secret:jmx' }, 'user: a password needs a user'],
    ['an ObjectName without a domain separator', { host: 'h', port: 1, reads: [{ mbean: 'Memory', attributes: ['X'] }] }, 'reads.0.mbean: an ObjectName'],
    ['an attribute path with an empty key', { host: 'h', port: 1, reads: [{ mbean: 'a:b=c', attributes: ['HeapMemoryUsage.'] }] }, 'reads.0.attributes.0: an attribute'],
    ['a read without attributes', { host: 'h', port: 1, reads: [{ mbean: 'a:b=c', attributes: [] }] }, 'reads.0.attributes: name at least one attribute'],
    ['a bad metric prefix', { host: 'h', port: 1, metricPrefix: 'JMX Heap' }, 'metricPrefix: metric name must be'],
  ])('refuses %s', (_name, params, message) => {
    expect(issues(params).join('\n')).toContain(message);
  });

  it('never echoes an inline password', () => {
    expect(() => prepareJmx({ host: 'h', port: 1, user: 'u', password: 'hunter2' })).toThrow(PluginParamsError);
    expect(issues({ host: 'h', port: 1, user: 'u', password: 'hunter2' }).join()).not.toContain('hunter2');
  });

  it('exports its form with the password marked secret', () => {
    const json = manifestJson(jmxManifest) as { params: { properties: Record<string, { ui?: { secret?: boolean; widget?: string } }> } };
    expect(json.params.properties.password!.ui).toMatchObject({ secret: true });
    expect(json.params.properties.reads!.ui).toMatchObject({ widget: 'list' });
  });
});

describe('prepare', () => {
  it('builds the platform agent URL from host and port, IPv6 in brackets', () => {
    expect(urlFor('maximo01', 9999)).toBe('service:jmx:rmi:///jndi/rmi://maximo01:9999/jmxrmi');
    expect(urlFor('fe80::1', 9999)).toBe('service:jmx:rmi:///jndi/rmi://[fe80::1]:9999/jmxrmi');
  });

  it('keeps the secret reference, not a value', () => {
    expect(prepareJmx({ host: 'h', port: 1, user: 'monitor', password: 'secret:jmx_monitor' })).toMatchObject({
      url: 'service:jmx:rmi:///jndi/rmi://h:1/jmxrmi',
      user: 'monitor',
      passwordRef: 'secret:jmx_monitor',
    });
  });

  it('refuses an attribute path that makes a metric name too long', () => {
    const attributes = [`A.${'b'.repeat(220)}`];
    expect(() => prepareJmx({ host: 'h', port: 1, reads: [{ mbean: 'a:b=c', attributes }] })).toThrow('longer than 200 characters');
  });
});
