// End to end: the server and the agent as real processes, on PostgreSQL (TEST_DATABASE_URL) or
// the embedded PGlite; samples from this machine land and are read back through GraphQL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, testDatabaseKind } from '@esmon/db/testing';
import { agentCli, freePort, gql, latestCpu, loginToken, runTs, serverCli, tempDir, waitUntil, type Proc } from '../src/processes.ts';

const PASSWORD = 'e2e-admin-password';

describe(`server and agent processes (${testDatabaseKind()})`, () => {
  let env: Record<string, string>;
  let url: string;
  let server: Proc;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = { PORT: String(port), ESMON_DATA_DIR: await tempDir('esmon-e2e-'), ESMON_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    if (process.env.TEST_DATABASE_URL) {
      const db = await createPostgresTestDatabase();
      env.DATABASE_URL = db.url;
      dropDb = db.drop;
    }
    server = runTs(serverCli, ['serve'], env);
    await waitUntil('server healthy', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 30_000, server);
  });

  afterAll(async () => {
    const code = await server?.stop();
    expect(code).toBe(0);
    await dropDb?.();
  });

  it('an agent with a key from the API sends this machine’s samples, read back over GraphQL', async () => {
    const token = await loginToken(url, 'admin@localhost', PASSWORD);
    const created = await gql(url, 'mutation { createApiKey(input: { name: "e2e", kind: agent, hostname: "e2e-host" }) { secret } }', {}, token);
    const secret = created.data.createApiKey.secret as string;
    const agent = runTs(agentCli, ['run', '--server', url, '--interval', '1s', '--hostname', 'e2e-host'], { ESMON_AGENT_KEY: secret });
    try {
      // the host row and its latest sample are two reads of one GraphQL request: the first sample
      // can be read with the host row from just before its commit, so wait for both to agree
      const first = await waitUntil('first CPU sample of an online host', async () => {
        const s = await latestCpu(url, token, 'e2e-host');
        return s?.status === 'online' ? s : undefined;
      }, 20_000, agent);
      expect(first.status).toBe('online');
      expect(first.value).toBeGreaterThanOrEqual(0);
      expect(first.value).toBeLessThanOrEqual(100);
      // and it keeps coming
      const later = await waitUntil('a newer sample', async () => {
        const s = await latestCpu(url, token, 'e2e-host');
        return s && Date.parse(s.ts) > Date.parse(first.ts) ? s : undefined;
      }, 10_000, agent);
      expect(Date.parse(later.ts)).toBeGreaterThan(Date.parse(first.ts));
      const agents = await gql(url, '{ agents { edges { node { version host { hostname } } } } }', {}, token);
      expect(agents.data.agents.edges.map((e: any) => e.node)).toContainEqual({ version: '0.1.0', host: { hostname: 'e2e-host' } });
    } finally {
      expect(await agent.stop()).toBe(0);
    }
    expect(agent.output()).not.toContain(secret);
  });

  it('the agent stops with a clear message when its key is refused, or the URL is wrong', async () => {
    const refused = runTs(agentCli, ['run', '--server', url, '--hostname', 'e2e-host'], { ESMON_AGENT_KEY: 'esm_a_notarealkeynotarealkey0000' });
    expect(await refused.exited).toBe(3);
    expect(refused.output()).toContain('the server refused the key: the token is not valid');
    const badFlag = runTs(agentCli, ['run', '--server', url, '--intervall', '5s'], { ESMON_AGENT_KEY: 'x' });
    expect(await badFlag.exited).toBe(2);
    expect(badFlag.output()).toContain("Unknown option '--intervall'");
    const other = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const notEsmon = runTs(agentCli, ['run', '--server', otherUrl, '--once'], { ESMON_AGENT_KEY: 'esm_a_whatever' });
    expect(await notEsmon.exited).toBe(3);
    expect(notEsmon.output()).toContain(`${otherUrl}/api/v1/ingest answered 404: is ${otherUrl}/ an esmon server?`);
    other.close();
  });

  it('the server refuses bad configuration with a clear message and exit code 2', async () => {
    const bad = runTs(serverCli, ['serve'], { ...env, PORT: 'eighty', DATABASE_URL: 'mysql://x@y/z' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('PORT: PORT must be a number');
    expect(bad.output()).toContain('DATABASE_URL must start with postgresql://');
    const unreachable = runTs(serverCli, ['serve'], { ...env, PORT: '0', DATABASE_URL: 'postgresql://esmon:secret-pw@127.0.0.1:9/esmon' });
    expect(await unreachable.exited).toBe(2);
    expect(unreachable.output()).toMatch(/cannot reach PostgreSQL at postgresql:\/\/esmon:\*\*\*@127\.0\.0\.1:9\/esmon/);
    expect(unreachable.output()).not.toContain('secret-pw');
    const unknown = runTs(serverCli, ['serv'], env);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('unknown command: serv');
  });
});
