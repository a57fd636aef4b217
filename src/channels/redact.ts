/** What a secret is replaced with in logs and error messages. */
export const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of each secret, and of its URL-encoded form (axios and proxies show
 * URLs encoded, and a Telegram token's ":" becomes "%3A"), with REDACTED. Empty secrets (an unset
 * ${VAR}) are skipped: replacing "" would scramble the whole text. Built once per channel.
 */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]).filter((form) => form.length > 0);
  // Longest first, so a secret that contains another is replaced whole.
  const unique = [...new Set(forms)].sort((a, b) => b.length - a.length);
  return (text) => unique.reduce((result, form) => result.split(form).join(REDACTED), text);
}

/**
 * Telegram puts the bot token in the URL path (`/bot<token>/sendMessage`, PROVIDERS.md §1.2), so
 * any URL that reaches a message can leak it, even one with a token we were not told about
 * (a stale config, a proxy echoing the request line). This hides whatever follows `/bot`.
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
