import type { FailureReason } from '../delivery-errors';

// Slack's error strings (docs/providers.md §5.1 for incoming webhooks, §5.7 for the Web API). The
// class is decided by these strings, never by the wording around them.

/** Web API: Slack-side trouble; internal and fatal errors may have partly succeeded, so a retry can duplicate. */
export const TRANSIENT_API_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org', 'org_login_required']);

/** Web API: "slow down". `rate_limited` is the older HTTP 200 form, treated like a 429 without Retry-After. */
export const THROTTLE_API_ERRORS = new Set(['ratelimited', 'rate_limited']);

/** Web API: the workspace's free-plan message limit; no retry-after is given and it lasts (an inference, §5.7). */
export const USAGE_LIMIT_ERROR = 'message_limit_exceeded';
export const USAGE_LIMIT_PAUSE_MS = 15 * 60_000;

// The token, the app's permissions or the hook itself: the operator must change the config or
// the Slack app. Everything else permanent is the request or its target.
const AUTH_ERRORS = new Set([
  'not_authed', 'invalid_auth', 'token_revoked', 'token_expired', 'account_inactive', 'not_allowed_token_type',
  'missing_scope', 'no_permission', 'access_denied', 'ekm_access_denied',
  // incoming webhooks
  'invalid_token', 'action_prohibited', 'posting_to_general_channel_denied', 'no_service', 'no_service_id', 'no_team', 'team_disabled', 'no_active_hooks',
]);

export function permanentReason(error: string): FailureReason {
  return AUTH_ERRORS.has(error) ? 'authError' : 'clientError';
}

// What the operator can do about the errors a new setup meets first (README, "Slack").
const HINTS: Readonly<Record<string, string>> = {
  no_service: 'the webhook was removed or disabled, or its creator left the workspace: create a new one',
  invalid_token: 'the webhook URL is wrong or was revoked: copy it again from the app',
  action_prohibited: 'a workspace admin restricts posting this way',
  channel_is_archived: 'the channel is archived',
  not_in_channel: 'invite the app to the channel (/invite @app), or add the chat:write.public scope',
  channel_not_found: 'check the channel ID, and that the app can see the channel',
  invalid_auth: 'the bot token is wrong',
  not_authed: 'no bot token reached Slack',
  token_revoked: 'the bot token was revoked: reinstall the app',
  is_archived: 'the channel is archived',
};

/** "no_service (the webhook was removed …)": the error, and what to do when there is an obvious step. */
export function withHint(error: string): string {
  const hint = HINTS[error];
  return hint ? `${error} (${hint})` : error;
}
