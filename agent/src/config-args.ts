// `run --config DIR`: the file's settings become flags placed before the command line's own, so
// that a flag given on the command line wins (node:util parseArgs keeps the last occurrence).
import { loadAgentDir, type AgentFile } from './config-file.ts';

export interface ConfiguredArgs {
  args: string[];
  env: Record<string, string | undefined>;
  file?: AgentFile;
}

export async function withConfigDir(args: string[], env: Record<string, string | undefined>): Promise<ConfiguredArgs> {
  const at = args.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (at < 0) return { args, env };
  const dir = args[at]!.startsWith('--config=') ? args[at]!.slice('--config='.length) : args[at + 1];
  const rest = args.filter((_, i) => i !== at && !(i === at + 1 && !args[at]!.includes('=')));
  if (!dir) return { args: rest, env };
  const { file, key } = await loadAgentDir(dir);
  const fromFile: string[] = [];
  if (file.server) fromFile.push('--server', file.server);
  if (file.hostname) fromFile.push('--hostname', file.hostname);
  if (file.dataDir) fromFile.push('--data-dir', file.dataDir);
  if (file.interval) fromFile.push('--interval', file.interval);
  // the environment's key (ESMON_AGENT_KEY) and --key still win over the enrolled one
  return { args: [...fromFile, ...rest], env: { ...env, ESMON_AGENT_KEY: env.ESMON_AGENT_KEY || key }, file };
}
