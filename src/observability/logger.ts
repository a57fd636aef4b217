import winston from 'winston';

export type Logger = winston.Logger;
export interface LoggerOptions {
  level: string;
  format: 'text' | 'json';
  /** Values that must never reach a log line (tokens, secrets); replaced with "***". */
  secrets: readonly string[];
  stream?: NodeJS.WritableStream;
}

/**
 * Text lines read like `2026-11-22T10:00:00.123Z info  Sentry -> ops sent "…" attempt=1 ms=182`,
 * so `docker logs … | grep Sentry` shows delivery status; JSON carries the same fields.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = scrubSecrets(options.secrets);
  const format =
    options.format === 'json'
      ? winston.format.combine(scrub(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(scrub(), winston.format.timestamp(), winston.format.printf(textLine));
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({ level: options.level, format, transports: [transport] });
}

// Fields already spelled out in the message of a delivery line are not repeated after it.
const IN_MESSAGE = new Set(['level', 'message', 'timestamp', 'component', 'title', 'source', 'channel', 'outcome']);

function textLine(info: winston.Logform.TransformableInfo): string {
  const extras = Object.entries(info)
    .filter(([key, value]) => !IN_MESSAGE.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [String(info.timestamp), info.level.padEnd(5), String(info.message), ...extras].join(' ');
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value);
}

function scrubSecrets(secrets: readonly string[]) {
  const needles = secrets.filter((s) => s.length >= 4);
  const clean = (text: string) => needles.reduce((out, secret) => out.split(secret).join('***'), text);
  return winston.format((info) => {
    if (needles.length === 0) return info;
    for (const key of Object.keys(info)) {
      const value = info[key];
      if (typeof value === 'string') info[key] = clean(value);
      else if (value instanceof Error) info[key] = clean(value.message);
    }
    info.message = clean(String(info.message));
    return info;
  });
}
