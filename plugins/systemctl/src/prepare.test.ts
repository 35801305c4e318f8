import { PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import type { SystemctlParams } from './manifest.ts';
import { prepareSystemctl } from './prepare.ts';

const prepare = (units: unknown) => prepareSystemctl({ units } as SystemctlParams);

describe('prepareSystemctl', () => {
  it('builds one systemctl show for all units, options first and `--` before the names', () => {
    expect(prepare(['nginx.service', 'getty@tty1.service', 'mnt-backup\\x2ddisk.mount', 'dbus.socket', 'apt-daily.timer', 'multi-user.target'])).toEqual({
      file: 'systemctl',
      args: [
        'show',
        '--property=ActiveState,SubState,NRestarts,MemoryCurrent,MainPID,ActiveEnterTimestampMonotonic',
        '--no-pager',
        '--',
        'nginx.service',
        'getty@tty1.service',
        'mnt-backup\\x2ddisk.mount',
        'dbus.socket',
        'apt-daily.timer',
        'multi-user.target',
      ],
      units: ['nginx.service', 'getty@tty1.service', 'mnt-backup\\x2ddisk.mount', 'dbus.socket', 'apt-daily.timer', 'multi-user.target'],
    });
  });

  it.each([
    'nginx; rm -rf /',
    'nginx.service; rm -rf /',
    '--help',
    '-.mount',
    '--property=Environment.service',
    '$(x).service',
    '`id`.service',
    'nginx.service\n--help',
    'a b.service',
    '../../etc/passwd.service',
    'nginx',
    'nginx.slice',
    'nginx.*',
    '*.service',
    'a\\x2.service',
    '.hidden.service',
    `${'a'.repeat(249)}.service`,
  ])('refuses %j', (unit) => {
    expect(() => prepare([unit])).toThrow(PluginParamsError);
    expect(() => prepare([unit])).toThrow('units.0: a unit name such as nginx.service');
  });

  it('accepts the longest name systemd allows', () => {
    expect(prepare([`${'a'.repeat(248)}.service`]).units).toHaveLength(1);
  });

  it.each<[unknown, string]>([
    [[], 'units: name at least one unit'],
    [['a.service', 'a.service'], 'units: a unit is listed twice'],
    [Array.from({ length: 65 }, (_, i) => `u${i}.service`), 'units: at most 64 units per step'],
  ])('refuses the list %#', (units, message) => {
    expect(() => prepare(units)).toThrow(message);
  });
});
