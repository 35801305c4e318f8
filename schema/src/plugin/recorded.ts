// Test seams for plugins (exported through @esmon/schema/testing): a StepContext, a process runner
// that replays a recorded output, and the reader of fixture folders, one folder per case:
//   params.json    the step's parameters
//   stdout.txt     what the process printed; leading `#` lines say where it comes from and are dropped
//   stderr.txt     optional, same convention
//   exit-code.txt  optional, 0 when absent
//   expected.json  what the plugin must make of it
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleInput } from '../ingest.ts';
import type { ProcessRequest, ProcessResult, RunProcess, StepContext } from './manifest.ts';

/** 2025-11-23T12:13:20Z: the clock of every recorded case, so expected samples carry a fixed ts. */
export const RECORDED_NOW = 1_763_900_000_000;

/** A StepContext for tests; without `run`, starting a process fails the test. */
export function stepContext(overrides: Partial<StepContext> = {}): StepContext {
  return {
    now: () => RECORDED_NOW,
    timeoutMs: 10_000,
    platform: 'linux',
    signal: new AbortController().signal,
    run: () => Promise.reject(new Error('this test starts no process')),
    secret: () => undefined,
    ...overrides,
  };
}

/** A process runner that answers every request with one recorded result and keeps the requests. */
export function replay(result: Partial<ProcessResult>): { run: RunProcess; requests: ProcessRequest[] } {
  const requests: ProcessRequest[] = [];
  const run: RunProcess = async (request) => {
    requests.push(request);
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 12, ...result };
  };
  return { run, requests };
}

/** A recorded output file without its provenance header (the leading lines starting with `#`). */
export function readRecording(path: string): string {
  const lines = readFileSync(path, 'utf8').split('\n');
  let first = 0;
  while (first < lines.length && lines[first]!.startsWith('#')) first++;
  return lines.slice(first).join('\n');
}

export interface RecordedCase {
  name: string;
  params: unknown;
  result: ProcessResult;
  expected: unknown;
}

/** Every case folder under `dir`, sorted by name. */
export function readCases(dir: string): RecordedCase[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const at = (file: string) => join(dir, name, file);
      const optional = (file: string) => (existsSync(at(file)) ? readRecording(at(file)) : '');
      return {
        name,
        params: JSON.parse(readFileSync(at('params.json'), 'utf8')),
        result: {
          exitCode: existsSync(at('exit-code.txt')) ? Number(readRecording(at('exit-code.txt')).trim()) : 0,
          stdout: readRecording(at('stdout.txt')),
          stderr: optional('stderr.txt'),
          timedOut: false,
          durationMs: 12,
        },
        expected: JSON.parse(readFileSync(at('expected.json'), 'utf8')),
      };
    });
}

/** A sample in one line, labels sorted: `systemd.unit.active{sub_state="running",unit="a.service"} 1`. */
export function formatSample(s: SampleInput): string {
  const labels = Object.entries(s.labels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${s.metric}${labels ? `{${labels}}` : ''} ${s.value}`;
}
