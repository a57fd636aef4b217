import { createHash } from 'node:crypto';

/**
 * A dedupKey or identity of fixed length, whatever the sender put in it: `<source>:` and the
 * base64url SHA-256 of the full composed text (receiver, fingerprint, times, ...). Redis keys,
 * job ids and log lines then stay short even for a megabyte fingerprint, and two keys are still
 * equal exactly when their composed texts are.
 */
export function fixedKey(source: string, composed: string): string {
  return `${source}:${createHash('sha256').update(composed).digest('base64url')}`;
}
