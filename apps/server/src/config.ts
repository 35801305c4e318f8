// Configuration from the environment, validated once here and read nowhere else.
import { z } from 'zod';
import { emailAddress } from '@esmon/schema';

const seconds = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .positive(`${name} must be positive`)
    .default(fallback);

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be 0–65535')
    .max(65535, 'PORT must be 0–65535')
    .default(4000),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'DATABASE_URL must start with postgresql:// (unset it to use the embedded database)',
    }),
  ESMON_DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ESMON_ADMIN_EMAIL: emailAddress.default('admin@localhost'),
  ESMON_ADMIN_PASSWORD: z
    .string()
    .min(8, 'ESMON_ADMIN_PASSWORD must be at least 8 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ESMON_SESSION_TTL: seconds('ESMON_SESSION_TTL', 12 * 3600),
  ESMON_HOST_OFFLINE_AFTER: seconds('ESMON_HOST_OFFLINE_AFTER', 60),
  ESMON_WORKBENCH_DIR: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
