import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { startHarness, type Harness } from './gateway-harness';

export interface TelegramGatewayPerTest {
  /** The running test's fake Telegram: a new one for each test. */
  readonly tg: FakeTelegram;
  /** Starts an in-process gateway (see startHarness) that is stopped after the running test. */
  startGateway(raw: Record<string, unknown>, label?: string): Promise<Harness>;
}

/**
 * Registers the hooks for a describe block whose tests each get a fresh fake Telegram and start
 * their own gateway. Teardown stops the gateways before closing the fake, so nothing a gateway
 * still delivers meets a closed port and shows up as a failure in the next test.
 */
export function telegramGatewayPerTest(): TelegramGatewayPerTest {
  let tg: FakeTelegram | undefined;
  const gateways: Harness[] = [];

  beforeEach(async () => {
    tg = await startFakeTelegram();
  });
  afterEach(async () => {
    for (const gw of gateways.splice(0)) await gw.stop();
    await tg?.close();
    tg = undefined;
  });

  return {
    get tg() {
      if (!tg) throw new Error('the fake Telegram exists only while a test runs');
      return tg;
    },
    async startGateway(raw, label) {
      const gw = await startHarness(raw, label);
      gateways.push(gw);
      return gw;
    },
  };
}
