import type { DeliveryError } from '../classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../delivery-errors';

// errcodes of gettoken and message/send (docs/providers.md §7). Decide on errcode only: errmsg
// carries a request id, the caller's IP and a help link, and its wording changes.
export const WECOM_APP_ERRCODE = {
  ok: 0,
  systemBusy: -1,
  invalidCredential: 40001,
  invalidCorpId: 40013,
  invalidAccessToken: 40014,
  accessTokenMissing: 41001,
  accessTokenExpired: 42001,
  // Documented next to 42001 in WeCom's global table; the gateway treats it the same way.
  accessTokenExpired2: 42009,
  freqOutOfLimit: 45009,
  concurrencyLimit: 45033,
  ipNotTrusted: 60020,
  noValidRecipient: 81013,
} as const;

/** The answers that mean "this token is no good": fetch a new one and resend once (§7.1). */
export function isTokenRejected(errcode: number): boolean {
  return errcode === WECOM_APP_ERRCODE.invalidAccessToken || errcode === WECOM_APP_ERRCODE.accessTokenExpired || errcode === WECOM_APP_ERRCODE.accessTokenExpired2;
}

// The operator has to change the config or the app: the same request fails again.
const CONFIG_ERRCODES = new Set([
  40001, // invalid credential: wrong corpSecret
  40013, // invalid corpid
  41002, // corpid missing
  41004, // corpsecret missing
  40056, // invalid agentid
  301002, // the token belongs to another app than agentId
]);

export interface WecomAppAnswer {
  errcode: number;
  errmsg: string;
}

/** What a non-zero errcode means for the delivery; `step` is "gettoken" or "message/send". */
export function wecomAppFailure(answer: WecomAppAnswer, step: string, throttlePauseMs: number): DeliveryError {
  const text = `WeCom app ${step} errcode ${answer.errcode}: ${answer.errmsg || 'no errmsg'}`;
  switch (answer.errcode) {
    case WECOM_APP_ERRCODE.freqOutOfLimit:
      // No retry-after is given; a per-minute block lasts 60 s (§7.3).
      return new RateLimitedError(throttlePauseMs, text);
    case WECOM_APP_ERRCODE.systemBusy:
    case WECOM_APP_ERRCODE.concurrencyLimit:
      return new RetryableDeliveryError('serverError', text);
    case WECOM_APP_ERRCODE.ipNotTrusted:
      // gettoken works from an untrusted address, message/send does not: only the admin can fix it.
      return new PermanentDeliveryError('authError', `${text} (add this server's public IP${callerIp(answer.errmsg)} to the app's trusted IPs, 企业可信IP, in the WeCom admin console)`);
    case WECOM_APP_ERRCODE.noValidRecipient:
      return new PermanentDeliveryError('clientError', `${text} (none of toUser, toParty, toTag exists in the app's visible range)`);
    default:
      // 41001, 40008, 44004, 40058 and codes we do not know fail again as they are.
      return new PermanentDeliveryError(CONFIG_ERRCODES.has(answer.errcode) ? 'authError' : 'clientError', text);
  }
}

/** WeCom names the caller's address in the errmsg ("…, from ip: 203.0.113.7, more info at …"). */
function callerIp(errmsg: string): string {
  const ip = /from ip: ([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
  return ip ? ` ${ip}` : '';
}
