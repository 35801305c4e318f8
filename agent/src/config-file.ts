// The agent's own configuration directory (`--config DIR`): agent.yaml with the server, the
// plugin allow-list, secrets that probes reference as secret:NAME, and per-probe overrides; and
// agent.key (mode 0600) with the key `esmon-agent enroll` obtained. Command-line flags override
// the file. Secrets live only here, on the host: the server never sees or stores them.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { HOSTNAME } from '@esmon/schema';
import { UsageError } from './options.ts';

export const agentFileSchema = z
  .object({
    server: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
    hostname: z.string().regex(HOSTNAME, 'letters, digits, ".", "-" and "_"').optional(),
    dataDir: z.string().min(1).optional(),
    interval: z.string().optional(),
    /** the server's probe-signing public key (agentTrust.publicKey); absent: pinned on first use */
    serverKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "the server's Ed25519 public key: 32 bytes in base64 (agentTrust.publicKey)").optional(),
    plugins: z
      .object({
        /** plugin ids this host runs; absent: every plugin that does not run scripts */
        allow: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).optional(),
        /** plugins that run user-written scripts or commands (command, powershell) */
        allowScripts: z.boolean().default(false),
      })
      .strict()
      .default({ allowScripts: false }),
    /** values that probe parameters reference as secret:NAME */
    secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a secret name'), z.string()).default({}),
    /** per probe id: run less often, or not at all, on this host */
    overrides: z
      .record(z.string().regex(/^\d+$/, 'a probe id'), z.object({ enabled: z.boolean().optional(), intervalSeconds: z.number().int().min(5).optional() }).strict())
      .default({}),
  })
  .strict();
export type AgentFile = z.infer<typeof agentFileSchema>;

export const CONFIG_FILE = 'agent.yaml';
export const KEY_FILE = 'agent.key';

/** Reads DIR/agent.yaml (absent: empty) and DIR/agent.key; bad content is a UsageError naming the field. */
export async function loadAgentDir(dir: string): Promise<{ file: AgentFile; key?: string }> {
  let text = '';
  try {
    text = await readFile(join(dir, CONFIG_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`--config: cannot read ${join(dir, CONFIG_FILE)}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = text.trim() ? parse(text) : {};
  } catch (err) {
    throw new UsageError(`${join(dir, CONFIG_FILE)}: not YAML: ${(err as Error).message}`);
  }
  const parsed = agentFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new UsageError(`${join(dir, CONFIG_FILE)}: ${first.path.join('.') || 'file'}: ${first.message}`);
  }
  const key = await readFile(join(dir, KEY_FILE), 'utf8').then((k) => k.trim() || undefined, () => undefined);
  return { file: parsed.data, ...(key ? { key } : {}) };
}

/** Writes a file atomically (temp + rename) with the given mode. */
async function writeAtomic(path: string, content: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/**
 * After enrolment: the key (0600) and agent.yaml with the server, hostname and the server's
 * signing key when it sent one (other settings kept).
 */
export async function saveEnrolment(dir: string, server: string, hostname: string, key: string, serverKey?: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { file } = await loadAgentDir(dir).catch(() => ({ file: agentFileSchema.parse({}) }));
  await writeAtomic(join(dir, KEY_FILE), `${key}\n`, 0o600);
  await writeAtomic(join(dir, CONFIG_FILE), stringify({ ...file, server, hostname, ...(serverKey ? { serverKey } : {}) }), 0o600);
}
