import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Plugin } from '@esmon/schema';
import { acceptConfig, AgentConfigError, parseAgentConfig, refusedSamples } from './agent-config.ts';
import type { AllowPolicy } from './allow.ts';

const plugin = (
  id: string,
  runsScripts = false,
  platforms: ('linux' | 'windows')[] = ['linux', 'windows'],
): Plugin => ({
  manifest: {
    id,
    version: '1',
    title: id,
    description: id,
    category: 'system',
    platforms,
    runsScripts,
    params: z.object({}),
    outputs: [],
  },
  prepare: () => ({}),
  execute: async () => ({ status: 'ok', samples: [], durationMs: 0 }),
});
const registry = [plugin('tcp'), plugin('http'), plugin('command', true), plugin('wmi', false, ['windows'])];
const pluginById = (id: string) => registry.find((p) => p.manifest.id === id);
/** Signatures are trust.test.ts's subject: here every probe passes that check. */
const verify = () => undefined;

const definition = (...plugins: string[]) => ({
  name: `uses ${plugins.join('+')}`,
  steps: plugins.map((p, i) => ({ id: `s${i}`, plugin: p })),
});

describe('accepting a configuration', () => {
  it.each<[string, AllowPolicy, unknown, string | undefined]>([
    ['a plain plugin', { scripts: false }, definition('tcp'), undefined],
    [
      'a script plugin, scripts off (the default)',
      { scripts: false },
      definition('tcp', 'command'),
      'scripts_not_allowed: step "s1": plugin "command" runs scripts, which this agent does not allow',
    ],
    ['a script plugin, scripts on', { scripts: true }, definition('command'), undefined],
    [
      'a script plugin on the allow-list, scripts off',
      { plugins: ['command'], scripts: false },
      definition('command'),
      'scripts_not_allowed: step "s0": plugin "command" runs scripts, which this agent does not allow',
    ],
    [
      'a plugin off the allow-list',
      { plugins: ['tcp'], scripts: true },
      definition('tcp', 'http'),
      'plugin_not_allowed: step "s1": plugin "http" is not in this agent\'s allowed plugins',
    ],
    [
      'an empty allow-list',
      { plugins: [], scripts: true },
      definition('tcp'),
      'plugin_not_allowed: step "s0": plugin "tcp" is not in this agent\'s allowed plugins',
    ],
    [
      'a plugin this agent lacks',
      { scripts: true },
      definition('db2'),
      'unknown_plugin: step "s0": this agent has no plugin "db2"',
    ],
    [
      'a plugin for another platform',
      { scripts: true },
      definition('wmi'),
      'platform_unsupported: step "s0": plugin "wmi" does not run on linux',
    ],
    [
      'a definition that does not parse',
      { scripts: true },
      { name: 'x', steps: [] },
      'invalid_definition: steps: a probe needs at least one step',
    ],
  ])('%s', (_name, allow, def, refusal) => {
    const accepted = acceptConfig(
      { version: 'v1', probes: [{ id: '3', version: 2, definition: def }] },
      { verify, allow, pluginById, platform: 'linux' },
    );
    expect(accepted.refused.map((r) => `${r.reason}: ${r.message}`)[0]).toBe(refusal);
    expect(accepted.probes.length).toBe(refusal ? 0 : 1);
    if (!refusal)
      expect(accepted.probes[0]).toMatchObject({
        id: '3',
        version: 2,
        definition: { intervalSeconds: 60, timeoutSeconds: 30, extract: [] },
      });
  });

  it('reports refused probes as samples', () => {
    const { refused } = acceptConfig(
      {
        version: 'v1',
        probes: [
          { id: '3', version: 1, definition: definition('command') },
          { id: '4', version: 1, definition: definition('tcp') },
        ],
      },
      { verify, allow: { scripts: false }, pluginById, platform: 'linux' },
    );
    expect(refused).toEqual([
      {
        id: '3',
        version: 1,
        name: 'uses command',
        reason: 'scripts_not_allowed',
        message: expect.any(String),
      },
    ]);
    expect(refusedSamples(refused, 1000)).toEqual([
      {
        metric: 'esmon.agent.probe.refused',
        value: 1,
        ts: 1000,
        labels: { probe: '3', reason: 'scripts_not_allowed' },
      },
    ]);
  });
});

describe("the host's overrides (agent.yaml)", () => {
  const config = {
    version: 'v1',
    probes: [
      { id: '3', version: 1, definition: { ...definition('tcp'), intervalSeconds: 30 } },
      { id: '4', version: 1, definition: { ...definition('tcp'), intervalSeconds: 30 } },
      { id: '5', version: 1, definition: { ...definition('tcp'), intervalSeconds: 30 } },
    ],
  };
  const accept = (overrides: Record<string, { enabled?: boolean; intervalSeconds?: number }>) =>
    acceptConfig(config, { verify, allow: { scripts: false }, pluginById, platform: 'linux', overrides });

  it('turns a probe off on this host, said as a refusal', () => {
    const { probes, refused } = accept({ '4': { enabled: false } });
    expect(probes.map((p) => p.id)).toEqual(['3', '5']);
    expect(refused).toEqual([
      {
        id: '4',
        version: 1,
        name: 'uses tcp',
        reason: 'disabled_on_host',
        message: 'turned off on this host (agent.yaml overrides.4.enabled: false)',
      },
    ]);
  });

  it('runs a probe less often, never more often than the server asks', () => {
    const { probes } = accept({ '3': { intervalSeconds: 300 }, '4': { intervalSeconds: 10 }, '5': { enabled: true } });
    expect(probes.map((p) => [p.id, p.definition.intervalSeconds])).toEqual([
      ['3', 300],
      ['4', 30],
      ['5', 30],
    ]);
  });

  it('ignores overrides of probes the server did not send, and inherited keys', () => {
    const { probes, refused } = accept(JSON.parse('{"99": {"enabled": false}, "__proto__": {"enabled": false}}'));
    expect(probes.length).toBe(3);
    expect(refused).toEqual([]);
  });
});

describe('parsing a configuration', () => {
  it('reads ids as strings (GraphQL IDs), whatever JSON carried them as', () => {
    expect(parseAgentConfig({ version: 'abc', probes: [{ id: 7, version: 1, definition: {} }] })).toEqual({
      version: 'abc',
      probes: [{ id: '7', version: 1, definition: {} }],
    });
  });

  it('keeps the signatures and the key that says it signed them', () => {
    expect(parseAgentConfig({ version: 'abc', publicKey: 'K', probes: [{ id: 7, version: 1, definition: {}, signature: 'S' }] })).toEqual({
      version: 'abc',
      publicKey: 'K',
      probes: [{ id: '7', version: 1, definition: {}, signature: 'S' }],
    });
  });

  it.each([
    ['not an object', null, 'not an agent configuration: expected {version, probes}'],
    ['no version', { probes: [] }, 'not an agent configuration: expected {version, probes}'],
    [
      'a probe without a version',
      { version: 'v', probes: [{ id: '1', definition: {} }] },
      'probes[0]: expected {id, version, definition, signature}',
    ],
    [
      'a signature that is not a string',
      { version: 'v', probes: [{ id: '1', version: 1, definition: {}, signature: 5 }] },
      'probes[0]: expected {id, version, definition, signature}',
    ],
    ['a key that is not a string', { version: 'v', probes: [], publicKey: {} }, 'publicKey: expected the server key in base64'],
  ])('refuses %s', (_name, value, message) => {
    expect(() => parseAgentConfig(value)).toThrow(new AgentConfigError(message));
  });
});
