#!/usr/bin/env node
// esmon: the server's command line.
//   esmon serve                      run the server
//   esmon start                      run the server and a local agent (what `npm start` runs)
//   esmon db migrate                 apply pending migrations and exit
//   esmon admin reset-password       set a new password for the admin (printed once)
//   esmon key create ...             create an agent or integration key (secret printed once)
//   esmon secret-key rotate          re-seal stored secrets with a new key
import { parseArgs } from 'node:util';
import { migrate, openDatabase, DatabaseError, MigrationError } from '@esmon/db';
import { createApiKey, resetPassword } from './auth/accounts.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './main.ts';
import { loadSecretKey, secretBox, SecretBoxError } from './notify/secret-box.ts';
import { newSecretKey, resealSecrets, secretKeyFile } from './notify/rotate-secret-key.ts';
import { runWithLocalAgent } from './local-agent.ts';

const USAGE = `usage: esmon <command> [options]

commands:
  serve                         run the server (PORT, DATABASE_URL, ESMON_DATA_DIR, … from the environment)
  start                         run the server and a local agent for this machine (npm start)
  db migrate                    apply pending database migrations and exit
  admin reset-password [--email E] [--password P]
                                set a new admin password (generated and printed when --password is absent)
  key create --kind agent --hostname H [--name N]
  key create --kind integration --role viewer|analyst|admin [--name N] [--expires-days D]
                                create an API key; the secret is printed once
  secret-key rotate [--new-key BASE64]
                                re-seal the stored channel secrets with a new key (random unless given);
                                stop the servers first, start them with the new key after
  help                          show this text`;

class UsageError extends Error {}

function banner(email: string, password: string): void {
  process.stdout.write(
    `\n  esmon created the admin user on first start.\n  email:    ${email}\n  password: ${password}\n` +
      `  (shown once; set ESMON_ADMIN_PASSWORD to choose it, or run: npm run esmon -- admin reset-password)\n\n`,
  );
}

async function withDatabase<T>(config: Config, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.ESMON_DATA_DIR });
  try {
    await migrate(db.sql);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function onSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`\nesmon: ${signal} received, shutting down\n`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`esmon: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function run(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  switch (command) {
    case 'serve':
    case 'start': {
      if (sub) throw new UsageError(`esmon ${command} takes no arguments (got ${sub})`);
      const server = await startServer({ config, log, onGeneratedPassword: banner });
      if (command === 'serve') {
        onSignals(server.close);
        return;
      }
      const stopAgent = await runWithLocalAgent({ server, config, log });
      onSignals(async () => {
        await stopAgent();
        await server.close();
      });
      return;
    }
    case 'db': {
      if (sub !== 'migrate' || rest.length > 0) throw new UsageError('usage: esmon db migrate');
      const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.ESMON_DATA_DIR });
      try {
        const result = await migrate(db.sql);
        process.stdout.write(
          result.applied.length > 0
            ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
            : `database is up to date (${result.alreadyApplied} migration(s) applied)\n`,
        );
      } finally {
        await db.close();
      }
      return;
    }
    case 'admin': {
      if (sub !== 'reset-password') throw new UsageError('usage: esmon admin reset-password [--email E] [--password P]');
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' } }, strict: true });
      const result = await withDatabase(config, (db) => resetPassword(db.prisma, values.email ?? config.ESMON_ADMIN_EMAIL, values.password));
      process.stdout.write(`password of ${result.email} reset; sessions revoked${values.password ? '' : `\nnew password: ${result.password}`}\n`);
      return;
    }
    case 'key': {
      if (sub !== 'create') throw new UsageError('usage: esmon key create --kind agent|integration …');
      const { values } = parseArgs({
        args: rest,
        options: {
          kind: { type: 'string' },
          hostname: { type: 'string' },
          role: { type: 'string' },
          name: { type: 'string' },
          'expires-days': { type: 'string' },
        },
        strict: true,
      });
      const kind = values.kind;
      if (kind !== 'agent' && kind !== 'integration') throw new UsageError('--kind must be agent or integration');
      const role = values.role;
      if (role !== undefined && role !== 'viewer' && role !== 'analyst' && role !== 'admin') {
        throw new UsageError('--role must be viewer, analyst or admin');
      }
      const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
      if (days !== undefined && !(days > 0)) throw new UsageError('--expires-days must be a positive number');
      const { secret, apiKey } = await withDatabase(config, (db) =>
        createApiKey(db.prisma, {
          kind,
          name: values.name ?? (kind === 'agent' ? `agent ${values.hostname ?? ''}`.trim() : 'integration'),
          role: role ?? null,
          hostname: values.hostname ?? null,
          expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
        }),
      );
      process.stdout.write(`created ${kind} key ${apiKey.id} (${apiKey.prefix}…)\n${secret}\n`);
      return;
    }
    case 'secret-key': {
      if (sub !== 'rotate') throw new UsageError('usage: esmon secret-key rotate [--new-key BASE64]');
      const { values } = parseArgs({ args: rest, options: { 'new-key': { type: 'string' } }, strict: true });
      const current = await loadSecretKey({ env: config.ESMON_SECRET_KEY, dataDir: config.ESMON_DATA_DIR });
      const next = newSecretKey(values['new-key']);
      if (next.equals(current)) throw new UsageError('the new key is the current key');
      const keyFile = config.ESMON_SECRET_KEY ? undefined : secretKeyFile(config.ESMON_DATA_DIR);
      await keyFile?.stage(next);
      const count = await withDatabase(config, (db) => resealSecrets(db.prisma, secretBox(current), secretBox(next))).catch(async (err: unknown) => {
        await keyFile?.discard();
        throw err;
      });
      if (keyFile) {
        await keyFile.install();
        process.stdout.write(`re-sealed the secrets of ${count} channel(s); ${keyFile.file} holds the new key: start the servers again\n`);
      } else {
        // the key lives in the environment: only the operator can change it there
        process.stdout.write(
          `re-sealed the secrets of ${count} channel(s) with a new key. Set it on every server instance, then start them:\n` +
            `ESMON_SECRET_KEY=${next.toString('base64')}\n`,
        );
      }
      return;
    }
    default:
      throw new UsageError(`unknown command: ${command}\n\n${USAGE}`);
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof ConfigError || err instanceof DatabaseError || err instanceof MigrationError || err instanceof SecretBoxError;
  const message = err instanceof Error ? err.message : String(err);
  const isParseArgs = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`esmon: ${known || isParseArgs ? message : (err as Error)?.stack ?? message}\n`);
  process.exit(known || isParseArgs ? 2 : 1);
});
