// Starts the product as `npm start` does (server + workbench + a local agent, embedded database)
// on a free port and a fresh data directory, adds a viewer and an analyst, and hands the address
// and the credentials to the specs through environment variables. The returned function stops it.
import { rm } from 'node:fs/promises';
import { freePort, gql, loginToken, runTs, serverCli, tempDir, waitUntil } from '../src/processes.ts';
import { PEOPLE } from './people.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await tempDir('esmon-browser-');
  const proc = runTs(serverCli, ['start'], {
    PORT: String(port),
    ESMON_DATA_DIR: dataDir,
    ESMON_ADMIN_PASSWORD: PEOPLE.admin.password,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    ESMON_PUBLIC_URL: url,
    // a host silent for 15 s shows stale (the local agent reports every 5 s); offline after 60 s
    ESMON_HOST_STALE_AFTER: '15',
  });
  await waitUntil('the running banner', async () => (proc.output().includes('esmon is running') ? true : undefined), 120_000, proc);
  const admin = await loginToken(url, PEOPLE.admin.email, PEOPLE.admin.password);
  for (const role of ['viewer', 'analyst'] as const) {
    const p = PEOPLE[role];
    const made = await gql(url, 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email: p.email, password: p.password, role } }, admin);
    if (made.errors) throw new Error(`creating the ${role}: ${made.errors[0]!.message}`);
  }
  process.env.ESMON_E2E_URL = url;
  return async () => {
    const code = await proc.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`esmon start exited with ${code}:\n${proc.output().slice(-4000)}`);
  };
}
