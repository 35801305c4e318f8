// Commands to agents over their open subscription. The agent here is the test itself, speaking
// the agent's protocol (subscribe to agentCommands, answer with reportAgentCommand).
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { probeSigningPayload } from '@esmon/schema';
import { startTestServer, type TestServer } from './harness.ts';
import { wsClient } from './live-client.ts';

describe(`agent commands (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let analyst: string;
  let viewer: string;
  let key: string;
  let hostId: string;

  beforeAll(async () => {
    s = await startTestServer();
    analyst = await s.userToken('analyst');
    viewer = await s.userToken('viewer');
    key = await s.agentKey('cmd-host');
    hostId = String((await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'cmd-host' } })).id);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('says clearly when the agent is not connected', async () => {
    const r = await s.gql('mutation ($h: ID!) { pingAgent(hostId: $h) }', { h: hostId }, viewer);
    expect(r.errors?.[0]).toMatchObject({ message: `the agent of host ${hostId} is not connected`, extensions: { code: 'CONFLICT' } });
  });

  it('delivers commands to the connected agent and returns its answers', async () => {
    const client = wsClient(s.url, key);
    type Probe = { id: number; version: number; definition: { name: string }; signature: string };
    const seen: { id: string; kind: string; probe: Probe | null }[] = [];
    const stop = client.subscribe<{ agentCommands: { id: string; kind: string; probe: Probe | null } }>(
      { query: 'subscription { agentCommands { id kind probe } }' },
      {
        next: ({ data }) => {
          const c = data!.agentCommands;
          seen.push(c);
          const result = c.kind === 'ping' ? { version: 'test', uptimeSeconds: 1 } : { probe: c.probe?.definition.name, steps: [{ id: 'connect', status: 'ok' }] };
          void s.gql('mutation ($id: String!, $r: JSON) { reportAgentCommand(id: $id, ok: true, result: $r) }', { id: c.id, r: result }, key);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      // the subscription is live once a ping gets through
      let ping: { data?: { pingAgent: unknown } | null; errors?: unknown[] } = {};
      for (let i = 0; i < 50 && !ping.data; i++) ping = await s.gql('mutation ($h: ID!) { pingAgent(hostId: $h) }', { h: hostId }, viewer);
      expect(ping.data!.pingAgent).toEqual({ version: 'test', uptimeSeconds: 1 });

      const made = await s.gql<{ createProbe: { id: string } }>(
        'mutation ($d: JSON!) { createProbe(definition: $d) { id } }',
        { d: { name: 'pg port', steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: 5432 } }], intervalSeconds: 30, timeoutSeconds: 5 } },
        analyst,
      );
      const run = await s.gql<{ runProbeNow: unknown }>('mutation ($p: ID!, $h: ID!) { runProbeNow(probeId: $p, hostId: $h) }', { p: made.data!.createProbe.id, h: hostId }, analyst);
      expect(run.data!.runProbeNow).toEqual({ probe: 'pg port', steps: [{ id: 'connect', status: 'ok' }] });
      expect(seen.map((c) => c.kind)).toContain('runProbe');
      // the probe is signed for this host and this command, with the key agentTrust publishes
      const command = seen.find((c) => c.kind === 'runProbe')!;
      const { publicKey } = (await s.gql<{ agentTrust: { publicKey: string } }>('{ agentTrust { publicKey } }', {}, viewer)).data!.agentTrust;
      const serverKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
      const p = command.probe!;
      const signs = (host: string, commandId: string) =>
        verify(null, Buffer.from(probeSigningPayload({ host, id: p.id, version: p.version, definition: p.definition, command: commandId })), serverKey, Buffer.from(p.signature, 'base64'));
      expect(signs('cmd-host', command.id)).toBe(true);
      expect(signs('cmd-intruder', command.id)).toBe(false);
      expect(signs('cmd-host', 'another-command')).toBe(false);
      expect((await s.gql('mutation ($p: ID!, $h: ID!) { runProbeNow(probeId: $p, hostId: $h) }', { p: made.data!.createProbe.id, h: hostId }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      stop();
      await client.dispose();
    }
  });

  it("takes a command's answer only from the agent it went to: another host's key answering first is ignored", async () => {
    const intruder = await s.agentKey('cmd-intruder');
    const client = wsClient(s.url, key);
    const stop = client.subscribe<{ agentCommands: { id: string; kind: string } }>(
      { query: 'subscription { agentCommands { id kind } }' },
      {
        next: ({ data }) => {
          const c = data!.agentCommands;
          // the intruder, having learnt the id, answers first; the real agent a moment later
          void (async () => {
            const forged = await s.gql('mutation ($id: String!, $r: JSON) { reportAgentCommand(id: $id, ok: true, result: $r) }', { id: c.id, r: { version: 'forged', uptimeSeconds: 0 } }, intruder);
            expect(forged.errors).toBeUndefined();
            await s.gql('mutation ($id: String!, $r: JSON) { reportAgentCommand(id: $id, ok: true, result: $r) }', { id: c.id, r: { version: 'real', uptimeSeconds: 2 } }, key);
          })();
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      let ping: { data?: { pingAgent: unknown } | null } = {};
      for (let i = 0; i < 50 && !ping.data; i++) ping = await s.gql('mutation ($h: ID!) { pingAgent(hostId: $h) }', { h: hostId }, viewer);
      expect(ping.data!.pingAgent).toEqual({ version: 'real', uptimeSeconds: 2 });
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('keeps commands for agents: people cannot subscribe to them or answer them', async () => {
    expect((await s.gql('mutation { reportAgentCommand(id: "x", ok: true) }', {}, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
