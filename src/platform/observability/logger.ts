// pino JSON logs (pretty on a TTY). Secrets never reach a log line: known secret fields are redacted wherever
// they appear, and tokens are only ever logged through `maskSecret`. Errors go through serializeError: a failed
// statement is logged with its SQL error code and its name or text, never with the values it ran with.
import { pino, type Logger } from 'pino';
import { serializeError } from './errors.js';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.secret',
  'headers.authorization',
  'headers["x-api-key"]',
];

export function createLogger(opts: { level: string; pretty: boolean; destination?: NodeJS.WritableStream }): Logger {
  const base = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    base: { service: 'integration-hub' },
  };
  if (opts.destination) return pino(base, opts.destination as never);
  if (opts.pretty)
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } },
    });
  return pino(base);
}

/** Shows only enough of a secret to tell two apart: "eyJh…(812)". */
export function maskSecret(value: string | undefined | null): string {
  if (!value) return '';
  return `${value.slice(0, 4)}…(${value.length})`;
}
