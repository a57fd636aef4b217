import type { WebhookChannelConfig } from './config';

/**
 * Headers that describe the request and never carry a credential. Every other header value is a
 * secret: receivers take their tokens in any header name (Authorization, X-Api-Key, X-Gitlab-Token,
 * …), and once `${VAR}` was substituted the config no longer shows which value came from the
 * environment, so none is assumed harmless.
 */
const DESCRIPTIVE_HEADERS = new Set(['accept', 'accept-language', 'user-agent', 'cache-control']);

// The shape of a token in a URL path (Slack's /services/T…/B…/<24 characters>, Discord's, a
// Feishu hook's UUID): a segment of 16 characters or more. A long plain word ("alertmanager-
// receiver") is hidden too: a needless mask costs less than a leaked token.
const TOKEN_SEGMENT = /^[^/]{16,}$/;

/** The signing secret, credential-like header values and the parts of the URL that can be credentials. */
export function webhookSecrets(config: WebhookChannelConfig): string[] {
  return [config.secret, ...headerSecrets(config.headers), ...urlSecrets(config.url)].filter((s): s is string => Boolean(s));
}

function headerSecrets(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => !DESCRIPTIVE_HEADERS.has(name.toLowerCase()))
    // "Bearer <token>": a receiver that echoes the token alone must not show it either.
    .flatMap(([, value]) => [value, ...(/^\S+ +\S+$/.test(value) ? [value.split(/ +/)[1]!] : [])]);
}

/** User and password, every query value and token-like path segments: a webhook URL is often the only credential. */
function urlSecrets(raw: string): string[] {
  const url = new URL(raw);
  const segments = url.pathname.split('/').filter((segment) => TOKEN_SEGMENT.test(segment));
  return [url.username, url.password, ...url.searchParams.values(), ...segments].flatMap((part) => [part, safeDecode(part)]);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
