// `esmon-agent enroll --server URL --token TOKEN [--hostname H] [--config DIR]`: trades an admin's
// one-time token for this agent's own key and stores it in the config directory.
import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HOSTNAME } from '@esmon/schema';
import { saveEnrolment } from './config-file.ts';
import { UsageError } from './options.ts';

export const DEFAULT_CONFIG_DIR = 'esmon-agent';

export async function enroll(args: string[], env: Record<string, string | undefined>, post: typeof fetch = fetch): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { server: { type: 'string' }, token: { type: 'string' }, hostname: { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  if (!values.server) throw new UsageError('enroll: --server URL is required');
  if (!URL.canParse(values.server) || !/^https?:$/.test(new URL(values.server).protocol)) {
    throw new UsageError(`enroll: --server ${values.server} is not an http(s) URL`);
  }
  const token = values.token ?? env.ESMON_ENROLL_TOKEN;
  if (!token) throw new UsageError('enroll: --token TOKEN (or ESMON_ENROLL_TOKEN) is required: an admin creates one with createEnrollmentToken');
  const hostname = values.hostname ?? osHostname();
  if (!HOSTNAME.test(hostname)) throw new UsageError(`enroll: --hostname ${hostname} is not a valid host name`);
  const dir = resolve(values.config ?? DEFAULT_CONFIG_DIR);
  const res = await post(new URL('/graphql', values.server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($t: String!, $h: String!) { enrollAgent(token: $t, hostname: $h) { key hostname serverKey } }',
      variables: { t: token, h: hostname },
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { data?: { enrollAgent?: { key: string; serverKey?: string } }; errors?: { message: string }[] };
  const key = body.data?.enrollAgent?.key;
  if (!key) throw new Error(`enrolment refused: ${body.errors?.[0]?.message ?? `HTTP ${res.status}`}`);
  // the server's signing key, pinned from the start: probes signed with any other are refused
  await saveEnrolment(dir, new URL(values.server).href, hostname, key, body.data?.enrollAgent?.serverKey);
  return `enrolled ${hostname} with ${values.server}; key and agent.yaml written to ${dir} (start with: esmon-agent run --config ${dir})`;
}
