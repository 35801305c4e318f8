import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './options.ts';
import { parseDuration } from './duration.ts';
import { parseSize } from './size.ts';

describe('agent options', () => {
  const env = { ESMON_AGENT_KEY: 'esm_a_fromenv' };
  it('takes the key from the environment and parses the interval', () => {
    expect(parseRunArgs(['--server', 'http://localhost:4000', '--interval', '5s', '--hostname', 'web-1'], env)).toEqual({
      server: 'http://localhost:4000/', key: 'esm_a_fromenv', intervalMs: 5000, hostname: 'web-1', once: false,
      dataDir: resolve('data/agent/web-1@localhost_4000'), bufferBytes: 256 * 1024 * 1024, bufferFsync: true,
    });
  });
  it('keeps one buffer per host and server unless told where', () => {
    const run = (...args: string[]) => parseRunArgs(['--server', 'https://monitor.example', '--hostname', 'web-1', ...args], env);
    expect(run().dataDir).toBe(resolve('data/agent/web-1@monitor.example'));
    expect(run('--mock', '20').dataDir).toBe(resolve('data/agent/mock-20@monitor.example'));
    expect(run('--data-dir', 'var/esmon').dataDir).toBe(resolve('var/esmon'));
    expect(run('--buffer-size', '1GB', '--buffer-fsync', 'never')).toMatchObject({ bufferBytes: 1024 ** 3, bufferFsync: false });
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
    [['--server', 'http://x', '--buffer-size', 'lots'], /--buffer-size: lots is not a size/],
    [['--server', 'http://x', '--buffer-size', '100KB'], /--buffer-size must be at least 1MB/],
    [['--server', 'http://x', '--buffer-fsync', 'sometimes'], /--buffer-fsync must be always or never, not sometimes/],
    [['--server', 'http://x', '--data-dir', ' '], /--data-dir must not be empty/],
  ])('refuses %j', (args, message) => {
    expect(() => parseRunArgs(args as string[], env)).toThrow(message);
  });
  it('needs a key', () => {
    expect(() => parseRunArgs(['--server', 'http://x'], {})).toThrow(/agent key is required/);
  });
  it('parses sizes', () => {
    expect(['256MB', '1.5GiB', '512kb', '1048576', '2 MB', '1TB', 'MB'].map(parseSize)).toEqual([
      256 * 1024 ** 2, 1.5 * 1024 ** 3, 512 * 1024, 1048576, 2 * 1024 ** 2, undefined, undefined,
    ]);
  });
  it('parses durations', () => {
    expect([parseDuration('500ms'), parseDuration('1.5s'), parseDuration('2m'), parseDuration('1h'), parseDuration('5')]).toEqual([500, 1500, 120_000, 3_600_000, undefined]);
  });
});
