// The plugin over outputs of PowerShell. The build machine has no PowerShell: the fixtures stand in
// for recordings (each says so in its header); the exact command line is asserted here as well.
// `recorded-*` cases are real outputs recorded by third parties (source and commit in each header).
import { formatSample, readCases, replay, stepContext } from '@esmon/schema/testing';
import type { Platform } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { powershellResult } from '../src/execute.ts';
import { powershellPlugin } from '../src/index.ts';
import type { PowershellParams } from '../src/manifest.ts';

const TS = 1_763_900_000_000;
const ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', '-'];
const cases = readCases(new URL('./fixtures', import.meta.url).pathname);
const prepare = (p: object) => powershellPlugin.prepare(powershellPlugin.manifest.params.parse(p) as PowershellParams);

describe('powershell plugin on recorded outputs', () => {
  it('has cases', () => {
    expect(cases.map((c) => c.name)).toEqual(['error-exit', 'exit-code', 'number', 'object', 'parse-error', 'recorded-psdocs-winps-get-date-object', 'rows', 'text']);
  });

  it.each(cases)('$name', (c) => {
    const r = powershellResult(prepare(c.params as object), 'powershell.exe', c.result, TS, 10_000);
    const seen = { status: r.status, rows: r.rows?.length ?? 0, samples: r.samples.map(formatSample), ...(r.error ? { error: r.error } : {}) };
    const expected = c.expected as { output?: string };
    expect({ ...seen, ...(expected.output !== undefined ? { output: r.output } : {}) }).toEqual(c.expected);
  });

  it.each<[Platform, string]>([
    ['windows', 'powershell.exe'],
    ['linux', 'pwsh'],
  ])('on %s runs %s with the script on stdin', async (platform, file) => {
    const req = prepare({ script: '1', timeoutMs: 3000 });
    const { run, requests } = replay({ stdout: '1\n' });
    const r = await powershellPlugin.execute(req, stepContext({ platform, run, timeoutMs: 9000 }));
    expect(requests).toEqual([{ file, args: ARGS, stdin: '& {\n1\n}\n\n', timeoutMs: 3000 }]);
    expect(r.samples.map(formatSample)).toEqual(['powershell 1']);
  });

  it('never waits longer than the probe allows', async () => {
    const { run, requests } = replay({ stdout: '1' });
    await powershellPlugin.execute(prepare({ script: '1', timeoutMs: 60_000 }), stepContext({ run, timeoutMs: 9000 }));
    expect(requests[0]!.timeoutMs).toBe(9000);
  });

  it('keeps what a successful script wrote to stderr', () => {
    const r = powershellResult(prepare({ script: '7' }), 'pwsh', { exitCode: 0, stdout: '7\n', stderr: 'Write-Error: cache is stale\n', timedOut: false, durationMs: 5 }, TS, 1000);
    expect(r).toMatchObject({ status: 'ok', error: 'stderr: Write-Error: cache is stale' });
    expect(r.samples.map(formatSample)).toEqual(['powershell 7']);
  });

  it('reports a timeout', () => {
    const r = powershellResult(prepare({ script: 'Start-Sleep 60' }), 'pwsh', { exitCode: null, stdout: '', stderr: '', timedOut: true, durationMs: 5 }, TS, 2500);
    expect(r).toMatchObject({ status: 'timeout', error: 'timed out after 2500 ms; PowerShell and its children were killed' });
  });

  it('checks which PowerShell answers, without running the script', async () => {
    const { run, requests } = replay({ stdout: '5.1.19041.4894\r\n' });
    expect(await powershellPlugin.check!(prepare({ script: 'Remove-Item C:\\x' }), stepContext({ platform: 'windows', run }))).toEqual({ ok: true, message: 'PowerShell 5.1.19041.4894 (powershell.exe)' });
    expect(requests[0]).toMatchObject({ file: 'powershell.exe', args: ARGS, stdin: '$PSVersionTable.PSVersion.ToString()\n' });
  });
});
