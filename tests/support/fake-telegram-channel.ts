import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, type FakeTelegram } from '../fakes/fake-telegram';

/**
 * A gateway's Telegram channel config aimed at the fake. The rate limit is far above what a test
 * sends, so pacing never slows a test down; a `chatId` other than the fake's chat makes every send
 * fail with "chat not found".
 */
export function fakeTelegramChannel(tg: FakeTelegram, chatId = String(FAKE_TELEGRAM_CHAT.id)) {
  return { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId, rateLimit: { max: 100, per: '1s' } };
}
