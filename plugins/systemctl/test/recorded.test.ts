// The plugin over outputs of `systemctl show`. PID 1 on the build machine is not systemd, so
// systemctl cannot answer there: the fixtures stand in for recordings from a systemd host (each
// says in its header where it comes from); the exact command line is asserted beside them.
// `recorded-*` cases are real outputs recorded by third parties (source and commit in each header);
// the others are written stand-ins.
import { formatSample, readCases, replay, stepContext } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { systemctlResult } from '../src/execute.ts';
import { systemctlPlugin } from '../src/index.ts';
import type { SystemctlParams } from '../src/manifest.ts';

/** 25 hours after boot, on the clock of ActiveEnterTimestampMonotonic */
const MONOTONIC_NOW_US = 90_000_000_000;
const cases = readCases(new URL('./fixtures', import.meta.url).pathname);
const result = (c: (typeof cases)[number]) => {
  const req = systemctlPlugin.prepare(c.params as SystemctlParams);
  return systemctlResult(req, c.result, 1_763_900_000_000, MONOTONIC_NOW_US);
};

describe('systemctl plugin on recorded outputs', () => {
  it('has cases', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'mixed-states',
      'no-systemd',
      'recorded-server-eyes-apache2',
      'recorded-sightseer-hello-world',
      'recorded-sightseer-logrotate-timer',
      'recorded-tsuyopon-redis-failed',
      'restarting',
      'services-running',
    ]);
  });

  it.each(cases)('$name', (c) => {
    const r = result(c);
    expect({ status: r.status, samples: r.samples.map(formatSample), ...(r.error ? { error: r.error } : {}) }).toEqual(c.expected);
    expect(r.samples.every((s) => s.ts === 1_763_900_000_000)).toBe(true);
  });

  it('runs exactly the prepared command and hands back one row per unit', async () => {
    const c = cases.find((x) => x.name === 'services-running')!;
    const { run, requests } = replay(c.result);
    const req = systemctlPlugin.prepare(c.params as SystemctlParams);
    const r = await systemctlPlugin.execute(req, stepContext({ run, timeoutMs: 5000 }));
    expect(requests).toEqual([
      {
        file: 'systemctl',
        args: ['show', '--property=ActiveState,SubState,NRestarts,MemoryCurrent,MainPID,ActiveEnterTimestampMonotonic', '--no-pager', '--', 'nginx.service', 'ssh.service'],
        timeoutMs: 5000,
      },
    ]);
    expect(r.rows![0]).toEqual({
      unit: 'nginx.service',
      MainPID: '1187',
      NRestarts: '0',
      MemoryCurrent: '9469952',
      ActiveState: 'active',
      SubState: 'running',
      ActiveEnterTimestampMonotonic: '8214537',
    });
  });

  it('refuses output that does not match the units asked for', () => {
    const req = systemctlPlugin.prepare({ units: ['a.service', 'b.service'] });
    const r = systemctlResult(req, { exitCode: 0, stdout: 'ActiveState=active\n', stderr: '', timedOut: false, durationMs: 3 }, 1, 1);
    expect(r).toMatchObject({ status: 'error', samples: [], error: 'systemctl show printed 1 property blocks for 2 units' });
  });

  it('reports a timeout', () => {
    const req = systemctlPlugin.prepare({ units: ['a.service'] });
    const r = systemctlResult(req, { exitCode: null, stdout: '', stderr: '', timedOut: true, durationMs: 3 }, 1, 1);
    expect(r).toMatchObject({ status: 'timeout', error: 'systemctl show timed out' });
  });

  it('is unsupported on Windows, without starting anything', async () => {
    const req = systemctlPlugin.prepare({ units: ['a.service'] });
    expect(await systemctlPlugin.execute(req, stepContext({ platform: 'windows' }))).toMatchObject({ status: 'unsupported', samples: [] });
  });

  it('checks that systemd knows every unit', async () => {
    const req = systemctlPlugin.prepare({ units: ['nginx.service', 'ngnix.service'] });
    const { run, requests } = replay({ stdout: 'Id=nginx.service\nLoadState=loaded\n\nId=ngnix.service\nLoadState=not-found\n' });
    expect(await systemctlPlugin.check!(req, stepContext({ run }))).toEqual({ ok: false, message: 'ngnix.service: not-found' });
    expect(requests[0]!.args).toEqual(['show', '--property=Id,LoadState', '--no-pager', '--', 'nginx.service', 'ngnix.service']);
    const ok = replay({ stdout: 'Id=nginx.service\nLoadState=loaded\n' });
    const one = systemctlPlugin.prepare({ units: ['nginx.service'] });
    expect(await systemctlPlugin.check!(one, stepContext({ run: ok.run }))).toEqual({ ok: true, message: '1 unit(s) loaded: nginx.service' });
  });
});
