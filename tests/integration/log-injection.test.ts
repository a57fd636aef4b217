import request from 'supertest';
import { startHarness, type Harness } from '../support/gateway-harness';

const FORGED = 'x\n2026-11-22T10:00:00.000Z info  Sentry -> ops sent "forged"';

describe('log lines cannot be forged through request text', () => {
  let gw: Harness | undefined;
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });

  it.each(['text', 'json'] as const)('when POST /test names a channel with a newline in it, then the %s log shows the rejection as one line and no forged line', async (format) => {
    gw = await startHarness({ log: { level: 'debug', format } }, 'forge');
    const res = await request(gw.url).post('/test').send({ channel: FORGED }).expect(400);
    expect(res.body).toMatchObject({ error: { code: 'unknown_channel' } });

    const rejected = await gw.waitForLog(/rejected: no channel named/);
    expect(rejected).toContain(format === 'text' ? 'named "x\\n2026-11-22T10:00:00.000Z' : 'named \\"x\\n2026-11-22T10:00:00.000Z');
    expect(gw.logs.filter((line) => line.includes('forged'))).toEqual([rejected]);
  });
});
