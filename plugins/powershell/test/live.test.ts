// The plugin against this machine's PowerShell. Where pwsh is installed it runs real scripts (with
// blank lines, JSON rows, exit codes); where it is not (Debian here packages no PowerShell) the
// step and the check must say so plainly.
import { formatSample, stepContext } from '@esmon/schema/testing';
import { expect, it } from 'vitest';
import { runProcess } from '../../../schema/src/plugin/run-process.ts';
import { powershellPlugin } from '../src/index.ts';

const ctx = stepContext({ platform: 'linux', run: runProcess, timeoutMs: 60_000 });
const prepare = (script: string, metric?: string) => powershellPlugin.prepare(powershellPlugin.manifest.params.parse({ script, metric }));

it('runs scripts where pwsh exists, and says it is missing where it does not', async () => {
  const probe = await runProcess({ file: 'pwsh', args: ['-NoProfile', '-Version'], timeoutMs: 60_000 });
  const script = '$a = 20\n\nif ($a -gt 1) {\n  $a = $a + 1\n}\n\n@{ answer = $a * 2 } | ConvertTo-Json -Compress';
  const r = await powershellPlugin.execute(prepare(script, 'app'), ctx);
  const check = await powershellPlugin.check!(prepare('1'), ctx);
  if (probe.exitCode !== null) {
    expect(r.samples.map(formatSample)).toEqual(['app.answer 42']);
    expect(check.ok).toBe(true);
    const failed = await powershellPlugin.execute(prepare("Write-Error 'broken' -ErrorAction Stop"), ctx);
    expect(failed.status).toBe('error');
    expect(failed.error).toContain('broken');
  } else {
    expect(r).toMatchObject({ status: 'error', samples: [] });
    expect(r.error).toBe('pwsh did not run: pwsh not found — PowerShell is not installed on this host (pwsh is PowerShell 7 on Linux) (no exit code; stderr: pwsh: not found (ENOENT))');
    expect(check).toEqual({ ok: false, message: r.error });
  }
});
