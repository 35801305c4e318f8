// The PowerShell plugin: a script of the user's, run by pwsh on Linux and powershell.exe on
// Windows, its output read as a number, a JSON object of numbers, or JSON rows.
import { metricName, param, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';

export const MAX_SCRIPT_BYTES = 64 * 1024;

export const powershellParams = z.object({
  script: param(
    z
      .string()
      .refine((s) => s.trim() !== '', 'write the script')
      .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_SCRIPT_BYTES, 'a script is at most 64 KB')
      .refine((s) => !s.includes('\u0000'), 'a script cannot contain a NUL character'),
    {
      label: 'Script',
      help: 'print one number, a JSON object of name → number, or JSON rows (… | ConvertTo-Json); `exit N` with N ≠ 0 fails the step',
      widget: 'monaco:powershell',
    },
  ),
  metric: param(metricName.default('powershell'), {
    label: 'Metric',
    help: 'the sample name of a bare number; the prefix of a JSON object’s names (`<metric>.<name>`)',
  }),
  timeoutMs: param(z.number().int().min(100).max(300_000).optional(), {
    label: 'Timeout (ms)',
    help: 'kills PowerShell and everything it started; never longer than the probe timeout, which applies when this is empty',
    widget: 'number',
  }),
});
export type PowershellParams = z.infer<typeof powershellParams>;

export const powershellManifest: PluginManifest<typeof powershellParams> = {
  id: 'powershell',
  version: '1.0.0',
  title: 'PowerShell script',
  description: 'Runs a PowerShell script (pwsh on Linux, powershell.exe on Windows) and reads numbers or JSON rows from its output.',
  category: 'script',
  platforms: ['windows', 'linux'],
  runsScripts: true,
  params: powershellParams,
  outputs: [
    { metric: '<metric>', description: 'the number a script printed' },
    { metric: '<metric>.<name>', description: 'one sample per numeric value of a printed JSON object' },
  ],
};
