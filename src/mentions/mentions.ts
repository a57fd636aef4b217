/**
 * Who one message mentions, each person with the handles the chat providers know them by (README,
 * "Mentions"). Resolved from config for each delivery; each channel writes them in its
 * provider's own syntax and leaves out the handles that are not its own.
 */
export interface Mentions {
  people: MentionedPerson[];
  /** Everyone in the chat: DingTalk isAtAll, WeCom and Feishu @all, Slack <!channel>; Telegram has none. */
  all: boolean;
}

export interface MentionedPerson {
  /** The person's name in config (`people.<name>`): what the console shows. */
  name: string;
  /** "@username", or a numeric user id (mentioned with a tg://user link). */
  telegram?: string;
  /** A WeCom userid, or a mobile number (text messages only). */
  wecom?: string;
  /** A DingTalk mobile number, or a userId. */
  dingtalk?: string;
  /** A Slack member id (U… or W…). */
  slack?: string;
  /** A Feishu open_id (ou_…), user_id or union_id. */
  feishu?: string;
}

// Mainland numbers as DingTalk and WeCom show them, or "+<country>-<number>" for others: anything
// else is a user id. A userid made only of 11 digits would read as a mobile; such ids are rare.
const MOBILE = /^(\+\d{1,4}-)?\d{5,15}$/;

/** Whether a WeCom or DingTalk handle is a mobile number (else a user id). */
export function isMobile(handle: string): boolean {
  return MOBILE.test(handle);
}
