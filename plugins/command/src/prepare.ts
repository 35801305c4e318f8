// Parameters → the exact process request. Validated again here: prepare trusts no caller.
import { parseParams } from '@esmon/schema';
import { commandManifest, type CommandParams, type OutputMode } from './manifest.ts';

/** What the agent runs, exactly: shown in the workbench trace as it is. */
export interface CommandRequest {
  file: string;
  args: string[];
  timeoutMs?: number;
  output: OutputMode;
  metric: string;
  exitCodeSample: boolean;
}

export function prepareCommand(params: CommandParams): CommandRequest {
  const p = parseParams(commandManifest, params);
  const [file, ...args] = p.argv;
  return { file: file!, args, timeoutMs: p.timeoutMs, output: p.output, metric: p.metric, exitCodeSample: p.exitCodeSample };
}
