import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger';

describe('secrets redacted across a reload', () => {
  it('when the secrets list grows (a reload configured a new channel), then the new secret is redacted from the next line, and the old one still is', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    let secrets: readonly string[] = ['old-bot-token-0123456789'];
    const logger = createLogger({ level: 'info', format: 'text', secrets: () => secrets, stream });

    logger.info('before: new-bot-token-9876543210 old-bot-token-0123456789');
    secrets = [...secrets, 'new-bot-token-9876543210'];
    logger.info('after: new-bot-token-9876543210 old-bot-token-0123456789');

    expect(lines[0]).toContain('before: new-bot-token-9876543210 [redacted]');
    expect(lines[1]).toContain('after: [redacted] [redacted]');
  });
});
