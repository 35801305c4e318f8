// Open WebSockets lose what their credentials lose, at once: a revoked key, a logged-out session and
// a demoted user each see their socket closed (4403, with the reason), subscriptions and all, while
// everyone else's sockets keep receiving events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import type { Client } from 'graphql-ws';
import { startTestServer, type TestServer } from './harness.ts';
import { subscribe, wsClient } from './live-client.ts';

const STATUS = 'subscription { hostStatusChanged { hostname status } }';
const closed = (client: Client) => new Promise<{ code: number; reason: string }>((resolve) => client.on('closed', (e) => resolve(e as { code: number; reason: string })));
const connected = (client: Client) => new Promise<void>((resolve) => client.on('connected', () => resolve()));

describe(`open sockets follow their credentials (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  afterAll(async () => {
    await s?.close();
  });

  /** A live subscription of `token` to host status changes, its socket's close and a probe of liveness. */
  async function watching(token: string) {
    const client = wsClient(s.url, token);
    const up = connected(client);
    const end = closed(client);
    const q = subscribe<{ hostStatusChanged: { hostname: string } }>(client, STATUS);
    await up;
    let n = 0;
    // alive = an event published now reaches it
    const alive = async () => {
      const hostname = `ping-${++n}-${Math.random()}`;
      const e = await q.nextPoking(
        async () => s.bus.publish('hostStatusChanged', { hostId: 0, hostname, status: 'online', previous: 'unknown', at: new Date() }),
        (ev) => ev.hostStatusChanged.hostname === hostname,
      );
      return e.hostStatusChanged.hostname === hostname;
    };
    return { client, end, alive, q };
  }

  it('closes the sockets of a revoked key at once, and only those', async () => {
    const key = await s.integrationKey('viewer');
    const keyId = (await s.testDb.prisma.apiKey.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
    const other = await watching(await s.userToken('viewer'));
    const revoked = await watching(key);
    expect(await revoked.alive()).toBe(true);

    const r = await s.gql('mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: String(keyId) }, admin);
    expect(r.errors).toBeUndefined();
    const shut = await revoked.end;
    expect(shut.code).toBe(4403);
    expect(shut.reason).toMatch(/revoked/);
    expect(await other.alive()).toBe(true);
    await other.client.dispose();
  });

  it('closes an agent key’s command feed when the key is revoked', async () => {
    const key = await s.agentKey('trust-agent');
    const keyId = (await s.testDb.prisma.apiKey.findFirstOrThrow({ where: { kind: 'agent' }, orderBy: { id: 'desc' } })).id;
    const client = wsClient(s.url, key);
    const up = connected(client);
    const end = closed(client);
    subscribe(client, 'subscription { agentCommands { id kind } }');
    await up;
    await s.gql('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: String(keyId) }, admin);
    expect(await end).toMatchObject({ code: 4403 });
  });

  it('closes a session’s sockets when it logs out, and a user’s when their role changes', async () => {
    const token = await s.userToken('analyst');
    const out = await watching(token);
    expect(await out.alive()).toBe(true);
    expect((await s.gql('mutation { logout }', {}, token)).data).toEqual({ logout: true });
    expect((await out.end).reason).toMatch(/revoked/);

    const demotedToken = await s.userToken('analyst');
    const me = await s.gql<{ me: { id: string } }>('{ me { id } }', {}, demotedToken);
    const demoted = await watching(demotedToken);
    const bystander = await watching(await s.userToken('analyst'));
    const changed = await s.gql('mutation ($id: ID!) { updateUser(id: $id, role: viewer) { role } }', { id: me.data!.me.id }, admin);
    expect(changed.errors).toBeUndefined();
    expect(await demoted.end).toMatchObject({ code: 4403, reason: expect.stringMatching(/role changed/) });
    expect(await bystander.alive()).toBe(true);
    // the demoted user connects again and is authorised as a viewer now
    const again = await watching(demotedToken);
    expect(await again.alive()).toBe(true);
    await bystander.client.dispose();
    await again.client.dispose();
  });
});
