import { describe, expect, it } from 'vitest';
import type { OutputMode } from './manifest.ts';
import { parseOutput } from './output.ts';

const TS = 1_763_900_000_000;
const read = (mode: OutputMode, stdout: string) => {
  const r = parseOutput(mode, stdout, 'app', TS);
  return 'error' in r ? { error: r.error } : Object.fromEntries(r.samples.map((s) => [s.metric, s.value]));
};

describe('parseOutput', () => {
  it.each<[OutputMode, string, object]>([
    ['number', '42\n', { app: 42 }],
    ['number', '  -0.5  ', { app: -0.5 }],
    ['number', '42 MB', { error: 'expected one number, got "42 MB"' }],
    ['number', '', { error: 'the command printed nothing' }],
    ['json', '{"Heap":1024,"threads":"12","up":true,"name":"x","gc":null}', { 'app.heap': 1024, 'app.threads': 12, 'app.up': 1 }],
    ['json', '{"heap": 1', { error: 'the output is not JSON' }],
    ['json', '[1,2]', { error: 'expected a JSON object of name → number, got an array' }],
    ['json', '7', { error: 'expected a JSON object of name → number, got a number' }],
    ['json', '{"name":"x"}', { error: 'the JSON object holds no numeric value' }],
    ['json', '{"heap used":1,"ok":2}', { error: '"heap used": a name may hold letters, digits, _ and . only' }],
    ['lines', 'queue.depth=12\r\nworkers 4\n\nlag = 0.5\n', { 'app.queue.depth': 12, 'app.workers': 4, 'app.lag': 0.5 }],
    ['lines', 'a=1\na=2\n', { 'app.a': 2 }],
    ['lines', 'a=1\nready\n', { error: 'line 2: expected "name=value" or "name value", got "ready"' }],
    ['lines', 'a=1\nb=fast\n', { error: 'line 2: "fast" is not a number' }],
    ['lines', 'cpu-load=1\n', { error: 'line 1: "cpu-load": a name may hold letters, digits, _ and . only' }],
    ['text', 'DISK OK - free space: / 3326 MB (56%)', {}],
    ['text', '', {}],
  ])('%s %j', (mode, stdout, expected) => {
    const r = read(mode, stdout);
    if ('error' in expected) expect((r as { error: string }).error).toContain(expected.error);
    else expect(r).toEqual(expected);
  });

  it('stamps every sample with the step time', () => {
    const r = parseOutput('lines', 'a 1\nb 2', 'app', TS);
    expect('samples' in r && r.samples.every((s) => s.ts === TS)).toBe(true);
  });
});
