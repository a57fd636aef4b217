import winston from 'winston';
import { secretRedactor } from '../secrets/redact';

export type Logger = winston.Logger;
export interface LoggerOptions {
  level: string;
  format: 'text' | 'json';
  /** Values that must never reach a log line (tokens, secrets); replaced with "[redacted]", URL-encoded forms too. */
  secrets: readonly string[] | (() => readonly string[]);
  stream?: NodeJS.WritableStream;
}

/**
 * Text lines read like `2026-11-22T10:00:00.123Z info  Sentry -> ops sent "…" attempt=1 ms=182`,
 * so `docker logs … | grep Sentry` shows delivery status; JSON carries the same fields.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = scrubSecrets(currentRedactor(options.secrets));
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
    .map(([key, value]) => `${escapeControl(key)}=${formatValue(value)}`);
  return [String(info.timestamp), info.level.padEnd(5), escapeControl(String(info.message)), ...extras].join(' ');
}

/**
 * Messages and values carry sender-chosen text (a channel name, a title, a path). A newline in it
 * would start what looks like a new log line ("2026-… info forged"), and terminal escapes could
 * rewrite what an operator sees; so every control character is written as its JSON escape.
 * The JSON format needs none of this: JSON.stringify already escapes them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- the same set, without the global flag's lastIndex state
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || HAS_CONTROL.test(value) ? quote(value) : value;
  if (value instanceof Error) return quote(value.message);
  return quote(value);
}

/** JSON.stringify escapes C0 characters but leaves C1 ones and U+2028/U+2029 as they are. */
function quote(value: unknown): string {
  return escapeControl(JSON.stringify(value) ?? String(value));
}

/** A reload brings new secrets: the redactor is rebuilt whenever the list given is a new one. */
function currentRedactor(secrets: LoggerOptions['secrets']): (text: string) => string {
  if (typeof secrets !== 'function') return secretRedactor(secrets);
  let list = secrets();
  let redact = secretRedactor(list);
  return (text) => {
    const now = secrets();
    if (now !== list) [list, redact] = [now, secretRedactor(now)];
    return redact(text);
  };
}

/**
 * One redactor for every text that leaves the process: top-level strings, error messages and
 * strings nested in plain objects and arrays (a field like `{ request: { url } }`).
 */
function scrubSecrets(redact: (text: string) => string) {
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redact(value);
    if (value instanceof Error) return redact(value.message);
    if (depth >= 5 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item: unknown) => clean(item, depth + 1));
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clean(item, depth + 1)]));
  };
  return winston.format((info) => {
    for (const key of Object.keys(info)) info[key] = clean(info[key], 0);
    info.message = redact(String(info.message));
    return info;
  });
}
