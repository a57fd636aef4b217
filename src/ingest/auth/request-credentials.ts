import { parse as parseBasicAuth } from 'basic-auth';
import type { Request } from 'express';

/** What a request presents to prove who sent it; a field is undefined when not presented at all. */
export interface PresentedCredentials {
  /** `Authorization: Bearer <t>` or `?token=<t>` (senders that cannot set headers put it in the URL). */
  token?: string;
  /** `Authorization: Basic …`, as Alertmanager's http_config basic_auth sends it. */
  basic?: { username: string; password: string };
}

export function presentedCredentials(req: Request): PresentedCredentials {
  const authorization = req.get('authorization') ?? '';
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  const credentials: PresentedCredentials = {};
  if (/^bearer$/i.test(scheme)) credentials.token = value;
  else if (/^basic$/i.test(scheme)) credentials.basic = decodeBasic(authorization, value);
  const query = req.query.token;
  // ?token=a&token=b parses to an array: presented, but matching nothing.
  if (credentials.token === undefined && query !== undefined) credentials.token = typeof query === 'string' ? query : '';
  return credentials;
}

/** Any credentials at all, so "missing" and "wrong" get different answers. */
export function presentedAny(credentials: PresentedCredentials): boolean {
  return credentials.token !== undefined || credentials.basic !== undefined;
}

/**
 * basic-auth decodes "user:password" (RFC 7617; the password may itself contain ":"). It refuses
 * a pair without a colon, which is still credentials presented, so "wrong", not "missing": the
 * whole decoded text is the username then (tests/unit/ingest/request-credentials.test.ts).
 */
function decodeBasic(authorization: string, value: string): { username: string; password: string } {
  const parsed = parseBasicAuth(authorization);
  if (parsed) return { username: parsed.name, password: parsed.pass };
  return { username: Buffer.from(value, 'base64').toString('utf8'), password: '' };
}
