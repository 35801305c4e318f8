// The tcp plugin's manifest: connect to host:port, optionally send a line and match the answer.
// Cheap to import (no node:net): the workbench reads it.
import { param, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';
import { isHostOrIp } from './host.ts';

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const tcpParams = z
  .object({
    host: param(
      z
        .string()
        .trim()
        .min(1)
        .max(253)
        .refine(isHostOrIp, 'a host name or IP address such as db01.example.com, 10.0.0.5 or ::1'),
      {
        label: 'Host',
        help: 'a host name, an IPv4 address or an IPv6 address without brackets',
        placeholder: 'db01.example.com',
      },
    ),
    port: param(z.number().int().min(1).max(65_535), { label: 'Port', widget: 'number' }),
    timeoutMs: param(z.number().int().min(100).max(300_000).default(5_000), {
      label: 'Timeout (ms)',
      widget: 'number',
      help: 'connecting and, with an expected answer, waiting for it',
    }),
    send: param(z.string().min(1).max(4_096).optional(), {
      label: 'Send',
      help: 'text written after connecting; \\r \\n \\t and \\\\ stand for CR, LF, tab and a backslash',
      placeholder: 'PING\\r\\n',
    }),
    expect: param(
      z.string().min(1).max(256).refine(compiles, 'the regular expression does not compile').optional(),
      {
        label: 'Expect',
        help: 'a JavaScript regular expression the answer (or banner) must match',
        placeholder: '^220 ',
      },
    ),
  })
  .strict();
export type TcpParams = z.infer<typeof tcpParams>;
export type TcpParamsInput = z.input<typeof tcpParams>;

export const manifest = {
  // a literal, so the registry's list can derive its id union
  id: 'tcp' as const,
  version: '1.0.0',
  title: 'TCP port',
  description:
    'Connects to a TCP port and reports whether it accepts connections, how fast, and whether its answer matches.',
  category: 'network',
  platforms: ['linux', 'windows'],
  runsScripts: false,
  params: tcpParams,
  outputs: [
    {
      metric: 'tcp.up',
      description: '1 when the connection succeeds (and the answer matches expect, if given), else 0',
    },
    { metric: 'tcp.connect_ms', description: 'name resolution and TCP connect', unit: 'ms' },
    {
      metric: 'tcp.expect_match',
      description: '1 when the answer matches expect, else 0 (with expect only)',
    },
  ],
} satisfies PluginManifest<typeof tcpParams>;
