import { REDACTED, secretRedactor } from '../../secrets/redact';

// An incoming webhook's path after /services/ is its credential (docs/providers.md §5.1), and Slack
// tokens (xoxb-, xoxp-, xapp-…) are bearer credentials (§5.2): both are hidden wherever they
// appear, even ones the config does not hold (a proxy echoing another hook, a stale token).
const WEBHOOK_PATH = /\/services\/[^\s"'<>?#]+/g;
const SLACK_TOKEN = /\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;

/** Hides the channel's own credentials and anything shaped like a Slack credential. */
export function slackRedactor(secrets: readonly string[]): (text: string) => string {
  const hideSecrets = secretRedactor(secrets);
  return (text) => hideSecrets(text).replace(WEBHOOK_PATH, `/services/${REDACTED}`).replace(SLACK_TOKEN, REDACTED);
}
