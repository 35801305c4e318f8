import { PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import type { PowershellParams } from './manifest.ts';
import { fillBlankLines, preparePowershell } from './prepare.ts';

const prepare = (p: object) => preparePowershell(p as PowershellParams);

describe('preparePowershell', () => {
  it('builds the exact argv and wraps the script on stdin as one statement', () => {
    expect(prepare({ script: '$a = 1\r\n\r\n  \r\nif ($a) {\r\n  $a + 1\r\n}\r\n\r\n' })).toEqual({
      args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', '-'],
      stdin: '& {\n$a = 1\n#\n#\nif ($a) {\n  $a + 1\n}\n}\n\n',
      metric: 'powershell',
      timeoutMs: undefined,
    });
  });

  it('keeps the metric and timeout', () => {
    expect(prepare({ script: '1', metric: 'app.queue', timeoutMs: 5000 })).toMatchObject({ metric: 'app.queue', timeoutMs: 5000 });
  });

  it.each<[string, object, string]>([
    ['an empty script', { script: ' \n ' }, 'script: write the script'],
    ['a script over 64 KB', { script: `# ${'ä'.repeat(33_000)}` }, 'script: a script is at most 64 KB'],
    ['a NUL byte', { script: '1\u0000' }, 'script: a script cannot contain a NUL character'],
    ['a bad metric', { script: '1', metric: 'Free MB' }, 'metric: metric name must be dotted lower-case words'],
    ['a tiny timeout', { script: '1', timeoutMs: 10 }, 'timeoutMs:'],
  ])('refuses %s', (_name, params, message) => {
    expect(() => prepare(params)).toThrow(PluginParamsError);
    expect(() => prepare(params)).toThrow(message);
  });
});

describe('fillBlankLines', () => {
  it.each<[string, string]>([
    ['a\n\nb', 'a\n#\nb'],
    ['a\n \t\nb', 'a\n#\nb'],
    ["$q = @'\nSELECT 1\n\nFROM t\n'@\n\nrun $q", "$q = @'\nSELECT 1\n\nFROM t\n'@\n#\nrun $q"],
    ['$t = @"\n\n$x\n"@ \n\n', '$t = @"\n\n$x\n"@ \n#\n#'],
    ["@'\n\n\"@ is not the end\n\n'@", "@'\n\n\"@ is not the end\n\n'@"],
  ])('%j', (script, filled) => {
    expect(fillBlankLines(script)).toBe(filled);
  });
});
