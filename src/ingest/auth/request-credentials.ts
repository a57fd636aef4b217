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
  else if (/^basic$/i.test(scheme)) credentials.basic = decodeBasic(value);
  const query = req.query.token;
  // ?token=a&token=b parses to an array: presented, but matching nothing.
  if (credentials.token === undefined && query !== undefined) credentials.token = typeof query === 'string' ? query : '';
  return credentials;
}

/** Any credentials at all, so "missing" and "wrong" get different answers. */
export function presentedAny(credentials: PresentedCredentials): boolean {
  return credentials.token !== undefined || credentials.basic !== undefined;
}

// RFC 7617: base64 of "user:password"; the password may itself contain ":".
function decodeBasic(value: string): { username: string; password: string } {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { username: decoded, password: '' } : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
