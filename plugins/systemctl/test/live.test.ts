// The plugin against the real systemctl of this machine. Where systemd runs, it reads a unit every
// systemd host has; where it does not (PID 1 is not systemd here, or systemctl is missing), the
// step must fail with systemctl's own explanation, not with silence or made-up samples.
import { formatSample, stepContext } from '@esmon/schema/testing';
import { expect, it } from 'vitest';
import { runProcess } from '../../../schema/src/plugin/run-process.ts';
import { systemctlPlugin } from '../src/index.ts';

const ctx = stepContext({ run: runProcess, timeoutMs: 20_000 });

it('reads a unit where systemd answers, and reports systemctl’s message where it does not', async () => {
  const probe = await runProcess({ file: 'systemctl', args: ['show', '--property=Version', '--no-pager'], timeoutMs: 20_000 });
  const r = await systemctlPlugin.execute(systemctlPlugin.prepare({ units: ['systemd-journald.service'] }), ctx);
  if (probe.exitCode === 0) {
    expect(r.status).toBe('ok');
    expect(r.samples.map(formatSample)).toContain('systemd.unit.active{sub_state="running",unit="systemd-journald.service"} 1');
    expect(r.rows).toHaveLength(1);
  } else {
    const reason = probe.stderr.trim().split('\n')[0]!;
    expect(reason.length).toBeGreaterThan(0);
    expect(r).toMatchObject({ status: 'error', samples: [] });
    expect(r.error).toMatch(/^systemctl show failed: /);
    expect(r.error).toContain(reason);
  }
});
