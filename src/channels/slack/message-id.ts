/**
 * The SendReceipt's providerMessageId for a Web API post: `<channel ID>:<ts>`, e.g.
 * "C123ABC456:1503435956.000247". chat.update and thread replies need both (docs/providers.md
 * §5.3, §5.4); neither a channel ID nor a ts contains ":". ts stays the exact string Slack sent:
 * as a number it loses digits and names no message.
 */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** The channel ID and ts back from a providerMessageId, for chat.update or thread_ts; undefined if it is not one. */
export function parseSlackMessageId(id: string): { channel: string; ts: string } | undefined {
  const match = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(id);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}
