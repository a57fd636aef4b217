import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger';
import { logDelivery } from '../../../src/queue/delivery-log';
import type { AlertEvent } from '../../../src/normalize/event';

function capture(format: 'text' | 'json', secrets: string[] = []) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', format, secrets, stream }), lines };
}

const event: AlertEvent = {
  source: 'sentry', status: 'firing', severity: 'error', title: 'ZeroDivisionError: division by zero', labels: {}, annotations: {},
  occurredAt: '2026-11-22T10:00:00Z', dedupKey: 'sentry:4211', identity: 'x', extra: {},
};

describe('delivery log lines', () => {
  it('when a delivery is sent, then the text line reads as the README Logs section shows', () => {
    const { logger, lines } = capture('text');
    logDelivery(logger, 'sent', event, 'ops-telegram', { attempt: 1, ms: 182 });
    expect(lines).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info {2}Sentry -> ops-telegram sent "ZeroDivisionError: division by zero" attempt=1 ms=182 key=sentry:4211$/)]);
  });

  it('when a delivery failed, then the line is at error level with the reason and the provider text', () => {
    const { logger, lines } = capture('text');
    logDelivery(logger, 'failed', { ...event, source: 'alertmanager', title: 'Disk "full"' }, 'ops', {
      attempt: 3, ms: 20, reason: 'clientError', error: 'Telegram 400: Bad Request: chat not found',
    });
    expect(lines[0]).toMatch(/ error Alertmanager -> ops failed "Disk \\"full\\"" attempt=3 ms=20 key=sentry:4211 reason=clientError error="Telegram 400: Bad Request: chat not found"$/);
  });

  it('when LOG_FORMAT is json, then the same facts are fields of one JSON object', () => {
    const { logger, lines } = capture('json');
    logDelivery(logger, 'retrying', event, 'ops', { attempt: 2, ms: 35, reason: 'rateLimited', retryInMs: 35_000 });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn', source: 'Sentry', channel: 'ops', outcome: 'retrying', attempt: 2, ms: 35, key: 'sentry:4211',
      reason: 'rateLimited', retryIn: '35s', title: 'ZeroDivisionError: division by zero',
    });
  });

  it('when a configured secret appears in a message or a field, then it is written as [redacted]', () => {
    const { logger, lines } = capture('text', ['123456:SECRET-token']);
    logger.warn('request to /bot123456:SECRET-token/sendMessage failed', { error: new Error('url bot123456:SECRET-token'), detail: 'x 123456:SECRET-token' });
    expect(lines[0]).not.toContain('SECRET');
    expect(lines[0]).toContain('/bot[redacted]/sendMessage');
  });

  it.each(['text', 'json'] as const)('when a secret reaches a %s line URL-encoded, in any case or nested in a field, then it is scrubbed', (format) => {
    const { logger, lines } = capture(format, ['123456:SECRET/token+x']);
    logger.warn('GET https://api.telegram.org/bot123456%3ASECRET%2Ftoken%2Bx/getMe failed', {
      error: new Error('proxy said: /bot123456%3aSECRET%2ftoken%2bx'),
      request: { url: 'https://example.test/hook?t=123456%3ASECRET%2Ftoken%2Bx', form: 'token=123456%3ASECRET%2Ftoken%2Bx' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/SECRET/i);
    expect(lines[0]).toContain('/bot[redacted]/getMe');
  });

  it('when a message or a field holds a newline or a terminal escape, then the text line stays one line and shows them escaped', () => {
    const { logger, lines } = capture('text');
    logger.warn('POST /test rejected: no channel named "x\n2026-11-22T10:00:00.000Z info  forged"', { agent: 'curl\r\n2026 info forged', code: 'a\u001b[2Jb' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('named "x\\n2026-11-22T10:00:00.000Z info  forged"');
    expect(lines[0]).toContain('agent="curl\\r\\n2026 info forged"');
    expect(lines[0]).toContain('code="a\\u001b[2Jb"');
    // eslint-disable-next-line no-control-regex -- no raw control character may reach the line
    expect(lines[0]).not.toMatch(/[\u0000-\u001f]/);
  });
});
