import type { Config } from '../../../config/schema';
import { REDACTED, secretRedactor } from '../../../secrets/redact';

export const MASK = '***';

/** Settings whose value is a credential whatever it holds, masked even when shorter than the redactor looks for. */
const SECRET_KEYS = new Set(['token', 'clientSecret', 'password', 'adminToken', 'botToken', 'key', 'accessToken', 'secret', 'sentryPassword', 'sentinelPassword', 'sentryDsn']);

/**
 * The effective configuration for GET /config: defaults filled in, every secret `***`. A
 * credential is masked by its setting's name and, anywhere else it appears (inside a webhook or
 * Redis URL), by its value.
 */
export function configView(config: Config, secrets: readonly string[]): unknown {
  const redact = secretRedactor(secrets);
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key !== undefined && SECRET_KEYS.has(key) && value !== '') return MASK;
      return redact(value).split(REDACTED).join(MASK);
    }
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(config);
}
