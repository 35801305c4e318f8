// Parameters → the exact connection to make and the bytes to send, built once per probe.
import { parseParams } from '@esmon/schema';
import { manifest, type TcpParamsInput } from './manifest.ts';

export interface TcpPrepared {
  host: string;
  port: number;
  timeoutMs: number;
  /** escapes already turned into the characters they stand for */
  send?: string;
  expect?: RegExp;
}

const ESCAPES: Record<string, string> = { r: '\r', n: '\n', t: '\t', '\\': '\\' };

/** `\r`, `\n`, `\t` and `\\` become CR, LF, tab and a backslash; any other backslash stays as typed. */
export function unescapeSend(text: string): string {
  return text.replace(/\\([rnt\\])/g, (_, c: string) => ESCAPES[c]!);
}

/** Validates again (stored parameters may be handed over) and throws PluginParamsError naming each bad field. */
export function prepareTcp(input: TcpParamsInput): TcpPrepared {
  const p = parseParams(manifest, input);
  return {
    host: p.host,
    port: p.port,
    timeoutMs: p.timeoutMs,
    ...(p.send !== undefined ? { send: unescapeSend(p.send) } : {}),
    ...(p.expect !== undefined ? { expect: new RegExp(p.expect) } : {}),
  };
}
