// Parameters → the exact PowerShell invocation, the script on stdin. `-Command -` reads stdin like
// a console session (PowerShell issues #3223, #21808): statement by statement, a multi-line
// statement runs only at the next blank line, and $ErrorActionPreference = 'Stop' stops nothing.
// So the script is wrapped in `& { … }` and ended by a blank line: one statement, run as a script
// runs. Inside it, a blank line would end the block early (ConsoleHost executes the lines gathered
// so far at the first whitespace-only line), so blank lines become `#`, a comment.
import { parseParams } from '@esmon/schema';
import { powershellManifest, type PowershellParams } from './manifest.ts';

export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', '-'];

export interface PowershellRequest {
  /** the executable is the platform's: chosen by execute, from the agent's platform */
  args: string[];
  stdin: string;
  metric: string;
  timeoutMs?: number;
}

/**
 * Blank lines → `#`, except inside here-strings (`@'` … `'@`), whose text a `#` would change: a
 * blank line there still ends the block early, and PowerShell reports the broken block.
 */
export function fillBlankLines(script: string): string {
  let closing: string | undefined;
  return script
    .split('\n')
    .map((line) => {
      if (closing) {
        if (line.startsWith(closing)) closing = undefined;
        return line;
      }
      const opening = /@(['"])\s*$/.exec(line);
      if (opening) closing = `${opening[1]}@`;
      return line.trim() === '' ? '#' : line;
    })
    .join('\n');
}

export function wrapScript(script: string): string {
  return `& {\n${fillBlankLines(script.replace(/\r\n?/g, '\n').trimEnd())}\n}\n\n`;
}

export function preparePowershell(params: PowershellParams): PowershellRequest {
  const p = parseParams(powershellManifest, params);
  return { args: POWERSHELL_ARGS, stdin: wrapScript(p.script), metric: p.metric, timeoutMs: p.timeoutMs };
}
