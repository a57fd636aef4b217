/**
 * What a secret is replaced with, in log lines, delivery errors and /test?dryRun=1 previews.
 * "[redacted]" rather than "***": it says what happened to the text, cannot be mistaken for
 * Markdown emphasis or a glob, and is what operators already see in provider errors and previews.
 */
export const REDACTED = '[redacted]';

/**
 * Shorter values are not searched for: a one-letter "secret" would be replaced all over every
 * log line, and no provider issues credentials that short.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret with REDACTED, in each form it can take on its way to
 * a text: as it is, URL-encoded (axios and proxies show URLs encoded, and a Telegram token's ":"
 * becomes "%3A", sometimes "%3a"), form-encoded (`+` for a space) and JSON-escaped (a provider
 * echoing the request body). Built once per channel and once for the logger.
 */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).flatMap(formsOf);
  // Longest first, so a secret that contains another is replaced whole.
  const unique = [...new Set(forms)].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return (text) => text;
  return (text) => unique.reduce((result, form) => (result.includes(form) ? result.split(form).join(REDACTED) : result), text);
}

function formsOf(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
  const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  return [secret, encoded, lowerHex(encoded), formEncoded, lowerHex(formEncoded), JSON.stringify(secret).slice(1, -1)];
}

/**
 * Telegram puts the bot token in the URL path (`/bot<token>/sendMessage`), so any URL that
 * reaches a message can leak it, even one with a token we were not told about (a stale config,
 * a proxy echoing the request line). This hides whatever follows `/bot`.
 */
export function redactBotTokenPaths(text: string): string {
  return text.replace(/\/bot[^/\s?#"'<>]+/g, `/bot${REDACTED}`);
}

/**
 * WeCom and DingTalk carry the credential in the query string (`?key=`, `?access_token=`), and a
 * signed DingTalk URL carries a `sign` that stays valid for an hour. This hides the values of
 * those parameters anywhere in a text, even a credential we were not told about. `names` are
 * fixed parameter names, used in the pattern as they are; the pattern is built once per channel.
 */
export function queryParamRedactor(names: readonly string[]): (text: string) => string {
  const pattern = new RegExp(`([?&](?:${names.join('|')})=)[^&\\s"'<>#]+`, 'g');
  return (text) => text.replace(pattern, `$1${REDACTED}`);
}
