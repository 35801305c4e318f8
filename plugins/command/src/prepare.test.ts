import { PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import type { CommandParams } from './manifest.ts';
import { prepareCommand } from './prepare.ts';

const prepare = (p: object) => prepareCommand(p as CommandParams);

describe('prepareCommand', () => {
  it('splits argv into the executable and its arguments, with defaults filled', () => {
    expect(prepare({ argv: ['/usr/lib/nagios/plugins/check_disk', '-w', '20%', '-p', '/'] })).toEqual({
      file: '/usr/lib/nagios/plugins/check_disk',
      args: ['-w', '20%', '-p', '/'],
      timeoutMs: undefined,
      output: 'number',
      metric: 'command',
      exitCodeSample: true,
    });
  });

  it('keeps shell syntax as plain arguments', () => {
    expect(prepare({ argv: ['echo', '$(id); rm -rf / | cat'] }).args).toEqual(['$(id); rm -rf / | cat']);
  });

  it.each<[string, object, string]>([
    ['no executable', { argv: [] }, 'argv: name the executable'],
    ['an empty executable', { argv: [' '] }, 'argv.0: the executable is empty or has spaces around it'],
    ['a batch file', { argv: ['C:\\scripts\\check.CMD'] }, 'argv.0: a .bat or .cmd file runs only through cmd.exe'],
    ['a NUL byte', { argv: ['echo', 'a\u0000b'] }, 'argv.1: an argument cannot contain a NUL character'],
    ['a huge command line', { argv: ['echo', ...Array(5).fill('x'.repeat(8000))] }, 'longer than 32000 characters'],
    ['a bad metric', { argv: ['true'], metric: 'Disk Free' }, 'metric: metric name must be dotted lower-case words'],
    ['an unknown mode', { argv: ['true'], output: 'xml' }, 'output:'],
    ['a tiny timeout', { argv: ['true'], timeoutMs: 5 }, 'timeoutMs:'],
  ])('refuses %s', (_name, params, message) => {
    expect(() => prepare(params)).toThrow(PluginParamsError);
    expect(() => prepare(params)).toThrow(message);
  });
});
