// The command plugin against real processes (node and sh are on every machine that runs these tests).
import { formatSample, stepContext } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../../schema/src/plugin/run-process.ts';
import { commandPlugin } from '../src/index.ts';

const ctx = stepContext({ run: runProcess, timeoutMs: 20_000 });
const run = (params: object) => commandPlugin.execute(commandPlugin.prepare(commandPlugin.manifest.params.parse(params)), ctx);

describe('command plugin, live', () => {
  it('reads a number and reports the exit code', async () => {
    const r = await run({ argv: ['node', '-e', 'console.log(6 * 7)'], metric: 'answer' });
    expect(r).toMatchObject({ status: 'ok', output: '42' });
    expect(r.samples.map(formatSample)).toEqual(['answer 42', 'answer.exit_code 0']);
  });

  it('reads a JSON object', async () => {
    const r = await run({ argv: ['node', '-e', 'console.log(JSON.stringify({ rss: 1024, handles: 3, ok: true }))'], output: 'json', metric: 'app' });
    expect(r.samples.map(formatSample)).toEqual(['app.rss 1024', 'app.handles 3', 'app.ok 1', 'app.exit_code 0']);
  });

  it('reads key/value lines and keeps a non-zero exit as data', async () => {
    const r = await run({ argv: ['sh', '-c', 'echo "queue.depth=12"; echo "workers 4"; exit 2'], output: 'lines', metric: 'mq' });
    expect(r.status).toBe('ok');
    expect(r.samples.map(formatSample)).toEqual(['mq.queue.depth 12', 'mq.workers 4', 'mq.exit_code 2']);
  });

  it('runs a Nagios-style check in text mode: the exit code is the sample, the text is for extraction', async () => {
    const r = await run({ argv: ['sh', '-c', 'echo "DISK WARNING - free space: / 812 MB (9%)"; exit 1'], output: 'text', metric: 'check_disk' });
    expect(r).toMatchObject({ status: 'ok', output: 'DISK WARNING - free space: / 812 MB (9%)' });
    expect(r.samples.map(formatSample)).toEqual(['check_disk.exit_code 1']);
  });

  it('passes shell syntax to the program untouched', async () => {
    const r = await run({ argv: ['node', '-e', 'console.log(process.argv[1].length)', '$(rm -rf /tmp/x); `id` | *'], metric: 'len' });
    expect(r.samples[0]).toMatchObject({ metric: 'len', value: '$(rm -rf /tmp/x); `id` | *'.length });
  });

  it('reports bad JSON as an error with the reason and the exit', async () => {
    const r = await run({ argv: ['sh', '-c', 'echo "{heap: 1}"; echo "warning: stale cache" >&2'], output: 'json' });
    expect(r.status).toBe('error');
    expect(r.samples).toEqual([]);
    expect(r.error).toMatch(/^the output is not JSON \(.+\): "\{heap: 1\}" \(exit code 0; stderr: warning: stale cache\)$/);
  });

  it('times out, kills the command, and says after how long', async () => {
    const r = await run({ argv: ['sh', '-c', 'echo started; sleep 30'], timeoutMs: 300 });
    expect(r).toMatchObject({ status: 'timeout', samples: [], output: 'started', error: 'timed out after 300 ms; the command and its children were killed' });
  });

  it('reports a missing executable', async () => {
    const r = await run({ argv: ['esmon-no-such-tool', '--version'] });
    expect(r).toMatchObject({ status: 'error', error: 'esmon-no-such-tool did not run to an exit: no exit code; stderr: esmon-no-such-tool: not found (ENOENT)' });
  });

  it('checks by running once', async () => {
    const prepared = commandPlugin.prepare(commandPlugin.manifest.params.parse({ argv: ['node', '-e', 'console.log(1)'] }));
    expect(await commandPlugin.check!(prepared, ctx)).toEqual({ ok: true, message: 'command=1, command.exit_code=0' });
    const broken = commandPlugin.prepare(commandPlugin.manifest.params.parse({ argv: ['sh', '-c', 'echo no'] }));
    expect(await commandPlugin.check!(broken, ctx)).toEqual({ ok: false, message: 'error: expected one number, got "no" (exit code 0)' });
  });
});
