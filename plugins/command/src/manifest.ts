// The command plugin: one executable with its arguments, started without a shell, its output read
// as a number, a JSON object, key/value lines, or text left to the probe's extraction.
import { metricName, param, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';

export const OUTPUT_MODES = ['number', 'json', 'lines', 'text'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Windows' limit for a whole command line; POSIX allows more, but a probe has no use for it. */
const MAX_COMMAND_LINE = 32_000;

const argument = z
  .string()
  .max(8192, 'an argument is at most 8192 characters')
  .refine((a) => !a.includes('\u0000'), 'an argument cannot contain a NUL character');

const argv = z
  .array(argument)
  .min(1, 'name the executable')
  .max(256, 'at most 256 arguments')
  .superRefine((list, ctx) => {
    const file = list[0] ?? '';
    if (file.trim() === '' || file !== file.trim()) {
      ctx.addIssue({ code: 'custom', path: [0], message: 'the executable is empty or has spaces around it' });
    }
    // Node refuses to start batch files without a shell (CVE-2024-27980); say why here, not at run time
    if (/\.(bat|cmd)$/i.test(file)) {
      ctx.addIssue({ code: 'custom', path: [0], message: 'a .bat or .cmd file runs only through cmd.exe: make cmd.exe /d /c the executable' });
    }
    if (list.reduce((n, a) => n + a.length + 1, 0) > MAX_COMMAND_LINE) {
      ctx.addIssue({ code: 'custom', message: `the command line is longer than ${MAX_COMMAND_LINE} characters` });
    }
  });

export const commandParams = z.object({
  argv: param(argv, {
    label: 'Command',
    help: 'the executable (a path, or a name looked up in PATH), then one item per argument. No shell: quotes, $VARS, pipes and * reach the program as they are',
    widget: 'list',
    placeholder: '/usr/lib/nagios/plugins/check_disk',
  }),
  output: param(z.enum(OUTPUT_MODES).default('number'), {
    label: 'Output',
    help: 'number: stdout is one number. json: a JSON object of name → number. lines: `name=value` or `name value` per line. text: no samples of its own; the probe extracts by regex',
    widget: 'select',
  }),
  metric: param(metricName.default('command'), {
    label: 'Metric',
    help: 'the sample name of a number; the prefix of JSON keys and line names (`<metric>.<name>`) and of `<metric>.exit_code`',
  }),
  exitCodeSample: param(z.boolean().default(true), {
    label: 'Exit code sample',
    help: 'also report the exit code as `<metric>.exit_code` (a non-zero exit is data, not a failed step)',
    widget: 'checkbox',
  }),
  timeoutMs: param(z.number().int().min(100).max(300_000).optional(), {
    label: 'Timeout (ms)',
    help: 'kills the command and everything it started; never longer than the probe timeout, which applies when this is empty',
    widget: 'number',
  }),
});
export type CommandParams = z.infer<typeof commandParams>;

export const commandManifest: PluginManifest<typeof commandParams> = {
  id: 'command',
  version: '1.0.0',
  title: 'Command',
  description: 'Runs a program without a shell and reads a number, a JSON object or key/value lines from its output.',
  category: 'system',
  platforms: ['linux', 'windows'],
  runsScripts: true,
  params: commandParams,
  outputs: [
    { metric: '<metric>', description: 'output "number": the number the command printed' },
    { metric: '<metric>.<name>', description: 'output "json" or "lines": one sample per name with a numeric value' },
    { metric: '<metric>.exit_code', description: 'the exit code, when "Exit code sample" is on' },
  ],
};
