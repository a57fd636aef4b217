import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../support/gateway-harness';

const SECRET = 'hostile-encodings-secret-3a7d';

describe('hostile percent-encodings in signed events', () => {
  let gw: Harness;
  beforeAll(async () => {
    gw = await startHarness({ role: 'api', auth: { sentry: { clientSecret: SECRET } } }, 'hostile-enc');
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it.each(['%E0%A4%A', '%', '%ZZ', '%C0%AF', '%ED%A0%80'])('when a signed Sentry event has an url with the project slug %s, then it is accepted, never a 5xx', async (slug) => {
    const body = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sentry-event-alert.json'), 'utf8')) as { data: { event: { url: string } } };
    body.data.event.url = `https://sentry.example.com/api/0/projects/acme/${slug}/events/abc/`;
    const text = JSON.stringify(body);
    const res = await fetch(`${gw.url}/webhook/sentry`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Sentry-Hook-Resource': 'event_alert', 'Sentry-Hook-Signature': createHmac('sha256', SECRET).update(text).digest('hex') },
      body: text,
    });
    expect(res.status).toBe(202);
  });
});
