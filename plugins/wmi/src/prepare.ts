// Parameters → the exact PowerShell invocation. The script goes in on stdin (no quoting through a
// command line) and is one line of pure ASCII: values are PowerShell string expressions (quote.ts),
// and the JSON that comes back has every non-ASCII character escaped as \uNNNN, so neither
// direction depends on the console code page.
import { parseParams } from '@esmon/schema';
import { wmiManifest, type WmiParams } from './manifest.ts';
import { psString } from './quote.ts';
import { normalizeWql, wqlClass } from './wql.ts';

export interface WmiRequest {
  file: 'powershell.exe';
  args: string[];
  stdin: string;
  className: string;
  properties: string[];
  labelProperties: string[];
}

export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-Command', '-'];

/** PowerShell 5.1's ConvertTo-Json leaves non-ASCII as it is; this escapes it, JSON-style. */
const ASCII_JSON = "ForEach-Object { [regex]::Replace($_, '[^\\x00-\\x7f]', { param($m) '\\u{0:x4}' -f [int][char]$m.Value }) }";

export function wmiScript(namespace: string, query: string, select: readonly string[]): string {
  return [
    `Get-CimInstance -ErrorAction Stop -Namespace ${psString(namespace)} -Query ${psString(query)}`,
    `Select-Object -Property ${select.map(psString).join(',')}`,
    'ConvertTo-Json -Depth 3 -Compress',
    ASCII_JSON,
  ].join(' | ');
}

export function prepareWmi(params: WmiParams): WmiRequest {
  const p = parseParams(wmiManifest, params);
  const select = [...p.labelProperties, ...p.properties];
  const query = p.source === 'query' ? normalizeWql(p.query!) : `SELECT ${select.join(',')} FROM ${p.className!}`;
  return {
    file: 'powershell.exe',
    args: POWERSHELL_ARGS,
    stdin: `${wmiScript(p.namespace, query, select)}\n`,
    className: p.source === 'query' ? wqlClass(query) : p.className!,
    properties: p.properties,
    labelProperties: p.labelProperties,
  };
}
