// Structured logs (pino). Secrets never reach a log line: credentials are redacted by path.
import pino from 'pino';

export type Logger = pino.Logger;

export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'key',
  '*.key',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** JSON lines for machines; readable lines when a person watches a terminal. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { service: 'esmon' } };
  if (!destination && process.stdout.isTTY && level !== 'silent') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss' } } });
  }
  return pino(options, destination);
}
