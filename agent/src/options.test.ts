import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './options.ts';
import { parseDuration } from './duration.ts';

describe('agent options', () => {
  const env = { ESMON_AGENT_KEY: 'esm_a_fromenv' };
  it('takes the key from the environment and parses the interval', () => {
    expect(parseRunArgs(['--server', 'http://localhost:4000', '--interval', '5s', '--hostname', 'web-1'], env)).toEqual({
      server: 'http://localhost:4000/', key: 'esm_a_fromenv', intervalMs: 5000, hostname: 'web-1', once: false,
    });
  });
  it.each([
    [[], /--server URL is required/],
    [['--server', 'localhost:4000'], /must be an http:\/\/ or https:\/\/ URL/],
    [['--server', 'not a url'], /is not a URL/],
    [['--server', 'http://x', '--interval', 'often'], /is not a duration/],
    [['--server', 'http://x', '--interval', '100ms'], /at least 1000ms/],
    [['--server', 'http://x', '--mock', '0'], /--mock must be a whole number/],
    [['--server', 'http://x', '--hostname', 'bad host'], /not a valid host name/],
    [['--server', 'http://x', '--colour'], /Unknown option '--colour'/],
  ])('refuses %j', (args, message) => {
    expect(() => parseRunArgs(args as string[], env)).toThrow(message);
  });
  it('needs a key', () => {
    expect(() => parseRunArgs(['--server', 'http://x'], {})).toThrow(/agent key is required/);
  });
  it('parses durations', () => {
    expect([parseDuration('500ms'), parseDuration('1.5s'), parseDuration('2m'), parseDuration('1h'), parseDuration('5')]).toEqual([500, 1500, 120_000, 3_600_000, undefined]);
  });
});
