// The plugin over outputs of its PowerShell script. There is no Windows and no PowerShell on the
// build machine: the fixtures stand in for recordings (each says so in its header); the exact
// script is asserted in src/prepare.test.ts, and here that execute sends exactly what prepare built.
// `recorded-*` cases are real outputs recorded by third parties (source and commit in each header).
import { formatSample, readCases, replay, stepContext } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { wmiResult } from '../src/execute.ts';
import { wmiPlugin } from '../src/index.ts';
import type { WmiParams } from '../src/manifest.ts';
import { parseWmi } from '../src/parse.ts';

const TS = 1_763_900_000_000;
const cases = readCases(new URL('./fixtures', import.meta.url).pathname);
const windows = (run: ReturnType<typeof replay>['run']) => stepContext({ platform: 'windows', run, timeoutMs: 8000 });

describe('wmi plugin on recorded outputs', () => {
  it('has cases', () => {
    expect(cases.map((c) => c.name)).toEqual(['empty', 'invalid-class', 'logical-disk', 'processor', 'recorded-refilia-win11-operatingsystem', 'service-single']);
  });

  it.each(cases)('$name', (c) => {
    const r = wmiResult(wmiPlugin.prepare(c.params as WmiParams), c.result, TS);
    const seen = { status: r.status, instances: r.rows?.length ?? 0, samples: r.samples.map(formatSample), ...(r.error ? { error: r.error } : {}) };
    expect(seen).toEqual(c.expected);
  });

  it('sends exactly the prepared PowerShell, script on stdin', async () => {
    const c = cases.find((x) => x.name === 'processor')!;
    const req = wmiPlugin.prepare(c.params as WmiParams);
    const { run, requests } = replay(c.result);
    const r = await wmiPlugin.execute(req, windows(run));
    expect(requests).toEqual([{ file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', '-'], stdin: req.stdin, timeoutMs: 8000 }]);
    expect(r).toMatchObject({ status: 'ok', durationMs: 12 });
    expect(r.rows![4]).toEqual({ Name: '_Total', PercentProcessorTime: 13, PercentIdleTime: 85, PercentPrivilegedTime: 4, InterruptsPersec: 5816 });
  });

  it('is unsupported off Windows, without starting anything', async () => {
    const req = wmiPlugin.prepare({ className: 'Win32_OperatingSystem', properties: ['FreePhysicalMemory'] } as WmiParams);
    expect(await wmiPlugin.execute(req, stepContext())).toMatchObject({ status: 'unsupported', samples: [] });
  });

  it('checks by running the query', async () => {
    const c = cases.find((x) => x.name === 'logical-disk')!;
    const req = wmiPlugin.prepare(c.params as WmiParams);
    expect(await wmiPlugin.check!(req, windows(replay(c.result).run))).toEqual({ ok: true, message: '3 instance(s) of Win32_LogicalDisk, 4 sample(s)' });
    const bad = cases.find((x) => x.name === 'invalid-class')!;
    const check = await wmiPlugin.check!(wmiPlugin.prepare(bad.params as WmiParams), windows(replay(bad.result).run));
    expect(check.ok).toBe(false);
    expect(check.message).toContain('Invalid class');
  });

  it('reports a timeout', () => {
    const req = wmiPlugin.prepare({ className: 'Win32_OperatingSystem', properties: ['FreePhysicalMemory'] } as WmiParams);
    expect(wmiResult(req, { exitCode: null, stdout: '', stderr: '', timedOut: true, durationMs: 8000 }, TS)).toMatchObject({ status: 'timeout', samples: [] });
  });
});

describe('parseWmi', () => {
  const parse = (stdout: string, labelProperties = ['Name']) =>
    parseWmi({ stdout, className: 'Win32_Service', properties: ['ProcessId'], labelProperties, ts: TS });

  it('reads numeric strings and ignores a BOM and property-name casing', () => {
    const r = parse('\uFEFF[{"name":"a","PROCESSID":"42"}]');
    expect('samples' in r && r.samples.map(formatSample)).toEqual(['wmi.win32_service.processid{name="a"} 42']);
  });

  it.each<[string, string, string[]?]>([
    ['not json', 'PowerShell printed something that is not JSON'],
    ['[1, 2]', 'expected CIM instances as JSON objects'],
    ['[{"Name":"a","ProcessId":"n/a"}]', 'no value property (ProcessId) held a number; the first instance is {"Name":"a","ProcessId":"n/a"}'],
    ['[{"Name":"a","ProcessId":1},{"Name":"b","ProcessId":2}]', 'several instances have the labels {}: add a label property', []],
    ['[{"Name":"a","ProcessId":1},{"Name":"a","ProcessId":2}]', 'several instances have the labels {"name":"a"}'],
  ])('refuses %j', (stdout, message, labels) => {
    const r = parse(stdout, labels);
    expect('error' in r && r.error).toContain(message);
  });
});
