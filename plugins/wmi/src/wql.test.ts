import { describe, expect, it } from 'vitest';
import { normalizeWql, wqlClass, WqlError } from './wql.ts';

describe('wqlClass', () => {
  it.each<[string, string]>([
    ['SELECT * FROM Win32_OperatingSystem', 'Win32_OperatingSystem'],
    ['select Name, State from Win32_Service where StartMode = \'Auto\'', 'Win32_Service'],
    ['SELECT DeviceID,FreeSpace\n  FROM Win32_LogicalDisk\n  WHERE DriveType = 3', 'Win32_LogicalDisk'],
    ['SELECT Name FROM Win32_Service WHERE Name LIKE \'%sql%\' AND State <> "Running"', 'Win32_Service'],
    ['SELECT * FROM __Namespace', '__Namespace'],
  ])('%j reads %s', (query, cls) => {
    expect(wqlClass(query)).toBe(cls);
  });

  it.each<[string, string]>([
    ["SELECT * FROM Win32_Service WHERE Name='a'; Stop-Service a", 'cannot contain ;'],
    ["SELECT * FROM Win32_Service WHERE Name='`$env:x'", 'cannot contain `'],
    ["SELECT * FROM Win32_Service WHERE Name='$(Stop-Computer)'", 'cannot contain $('],
    ['SELECT * FROM Win32_Service WHERE Name=\'a\u0000\'', 'cannot contain control characters'],
    [`SELECT * FROM Win32_Service WHERE Name='${'a'.repeat(2000)}'`, 'at most 2000 characters'],
    ['Get-Process', 'expected SELECT properties FROM Class [WHERE condition]'],
    ['SELECT * FROM', 'expected SELECT'],
    ['SELECT * FROM Win32_Process.Handle', 'expected SELECT'],
    ['ASSOCIATORS OF {Win32_LogicalDisk.DeviceID="C:"}', 'expected SELECT'],
    ['SELECT * FROM __InstanceCreationEvent WITHIN 5', 'expected SELECT'],
    ['SELECT * FROM Win32_Service WHERE', 'expected SELECT'],
  ])('refuses %j', (query, message) => {
    expect(() => wqlClass(query)).toThrow(WqlError);
    expect(() => wqlClass(query)).toThrow(message);
  });

  it('turns line breaks and tabs into single spaces', () => {
    expect(normalizeWql(' SELECT a\r\n\tFROM b \n')).toBe('SELECT a FROM b');
  });
});
