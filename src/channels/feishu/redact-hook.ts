import { REDACTED } from '../../secrets/redact';

/**
 * The bot's token is the last path segment of its webhook URL (`/open-apis/bot/v2/hook/<token>`),
 * and whoever holds it can post to the group (docs/providers.md §6.1). This hides whatever
 * follows `/hook/` anywhere in a text, even a token we were not told about.
 */
export function redactHookPaths(text: string): string {
  return text.replace(/\/hook\/[^/\s?#"'<>]+/g, `/hook/${REDACTED}`);
}
