import { PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import type { WmiParams } from './manifest.ts';
import { prepareWmi } from './prepare.ts';
import { readPsString } from '../test/ps-string.ts';

const prepare = (p: object) => prepareWmi(p as WmiParams);
const TAIL = "ConvertTo-Json -Depth 3 -Compress | ForEach-Object { [regex]::Replace($_, '[^\\x00-\\x7f]', { param($m) '\\u{0:x4}' -f [int][char]$m.Value }) }";

describe('prepareWmi', () => {
  it('reads a class: the exact argv and the exact script on stdin', () => {
    expect(prepare({ className: 'Win32_PerfFormattedData_PerfOS_Processor', properties: ['PercentProcessorTime', 'PercentIdleTime'], labelProperties: ['Name'] })).toEqual({
      file: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-Command', '-'],
      stdin:
        "Get-CimInstance -ErrorAction Stop -Namespace 'root/cimv2' -Query 'SELECT Name,PercentProcessorTime,PercentIdleTime FROM Win32_PerfFormattedData_PerfOS_Processor' | " +
        `Select-Object -Property 'Name','PercentProcessorTime','PercentIdleTime' | ${TAIL}\n`,
      className: 'Win32_PerfFormattedData_PerfOS_Processor',
      properties: ['PercentProcessorTime', 'PercentIdleTime'],
      labelProperties: ['Name'],
    });
  });

  it('runs a query of its own, on one line, quoted PowerShell-style', () => {
    const r = prepare({
      namespace: 'root\\cimv2',
      source: 'query',
      query: "SELECT Name, State, ProcessId\nFROM Win32_Service\nWHERE Name = 'O''Brien' OR Name = 'x'' | Stop-Computer #'",
      properties: ['ProcessId'],
      labelProperties: ['Name', 'State'],
    });
    expect(r.className).toBe('Win32_Service');
    expect(r.stdin).toBe(
      "Get-CimInstance -ErrorAction Stop -Namespace 'root\\cimv2' -Query 'SELECT Name, State, ProcessId FROM Win32_Service WHERE Name = ''O''''Brien'' OR Name = ''x'''' | Stop-Computer #''' | " +
        `Select-Object -Property 'Name','State','ProcessId' | ${TAIL}\n`,
    );
  });

  it.each([
    "SELECT * FROM Win32_Service WHERE Name = 'a' | Stop-Computer -Force | Out-Null '",
    'SELECT * FROM Win32_Service WHERE Name = \u2019 | Stop-Computer | \u2018',
    "SELECT * FROM Win32_Service WHERE Name = 'Datenträger' ",
  ])('keeps the hostile query %j inside its string: the script has exactly one command', (query) => {
    const r = prepare({ source: 'query', query, properties: ['ProcessId'], labelProperties: ['Name'] });
    const head = "Get-CimInstance -ErrorAction Stop -Namespace 'root/cimv2' -Query ";
    expect(r.stdin.startsWith(head)).toBe(true);
    const { value, end } = readPsString(r.stdin, head.length);
    expect(value).toBe(query.trim());
    expect(r.stdin.slice(end)).toBe(` | Select-Object -Property 'Name','ProcessId' | ${TAIL}\n`);
    expect(r.stdin).toMatch(/^[\x20-\x7e]*\n$/);
  });

  it.each<[string, object, string]>([
    ['a class mode without a class', { properties: ['A'] }, 'className: name the class to read'],
    ['a query mode without a query', { source: 'query', properties: ['A'] }, 'query: write the query'],
    ['a query with a semicolon', { source: 'query', query: 'SELECT * FROM A; Stop-Computer', properties: ['A'] }, 'query: a query cannot contain ;'],
    ['a query that is not a SELECT', { source: 'query', query: 'Stop-Computer', properties: ['A'] }, 'query: expected SELECT'],
    ['a hostile namespace', { namespace: "root'; Stop-Computer; '", className: 'A', properties: ['A'] }, 'namespace: a namespace such as root/cimv2'],
    ['a hostile class', { className: 'A | Stop-Computer', properties: ['A'] }, 'className: a class name'],
    ['a hostile property', { className: 'A', properties: ["x'; Stop-Computer; '"] }, 'properties.0: a value property name'],
    ['no value property', { className: 'A', properties: [] }, 'properties: name at least 1 value property'],
    ['a label that is a value too', { className: 'A', properties: ['Name'], labelProperties: ['name'] }, 'labelProperties.0: name is a value property already'],
    ['a reserved label', { className: 'A', properties: ['B'], labelProperties: ['Host'] }, 'labelProperties.0: host is a reserved label name'],
    ['a metric name too long', { className: `C${'x'.repeat(127)}`, properties: [`P${'y'.repeat(100)}`] }, 'too long for a metric name'],
  ])('refuses %s', (_name, params, message) => {
    expect(() => prepare(params)).toThrow(PluginParamsError);
    expect(() => prepare(params)).toThrow(message);
  });
});
