import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSentrySignature, sentrySignature } from '../../../src/ingest/auth/verify-sentry-signature';

const SECRET = '4f1c2b8e9d7a6f5e3c2b1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f';
// The fixture exactly as stored: pretty-printed, with raw UTF-8 and floats such as 1763461011.0.
const raw = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sentry-event-alert.json'));

function hmacHex(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

describe('checkSentrySignature', () => {
  it('when the header is the hex HMAC-SHA256 of the raw bytes with the secret, then it is valid', () => {
    expect(checkSentrySignature(raw, hmacHex(raw, SECRET), SECRET)).toBe('valid');
    expect(sentrySignature(raw, SECRET)).toBe(hmacHex(raw, SECRET));
  });

  it('when the hex is upper case or padded with spaces, then it is still valid', () => {
    expect(checkSentrySignature(raw, ` ${hmacHex(raw, SECRET).toUpperCase()} `, SECRET)).toBe('valid');
  });

  it('when the signature was made over a re-serialization of the same JSON, then it is invalid', () => {
    const reserialized = JSON.stringify(JSON.parse(raw.toString('utf8')));
    expect(checkSentrySignature(raw, hmacHex(reserialized, SECRET), SECRET)).toBe('invalid');
  });

  it('when one byte of the body changed, then it is invalid', () => {
    const changed = Buffer.from(raw);
    changed[100] = changed[100]! ^ 0x01;
    expect(checkSentrySignature(changed, hmacHex(raw, SECRET), SECRET)).toBe('invalid');
  });

  it('when the secret was rotated, then a signature made with the old one is invalid', () => {
    const rotated = 'a'.repeat(64);
    expect(checkSentrySignature(raw, hmacHex(raw, SECRET), rotated)).toBe('invalid');
    expect(checkSentrySignature(raw, hmacHex(raw, rotated), rotated)).toBe('valid');
  });

  it('when the secret is hex-decoded as the key (a common mistake), then it is invalid', () => {
    const wrongKey = createHmac('sha256', Buffer.from(SECRET, 'hex')).update(raw).digest('hex');
    expect(checkSentrySignature(raw, wrongKey, SECRET)).toBe('invalid');
  });

  it.each([
    ['absent', undefined, 'missing'],
    ['empty', '', 'missing'],
    ['"sha256=" prefixed', `sha256=${hmacHex(raw, SECRET)}`, 'invalid'],
    ['base64', createHmac('sha256', SECRET).update(raw).digest('base64'), 'invalid'],
    ['too short', hmacHex(raw, SECRET).slice(0, 63), 'invalid'],
    ['not hex', 'z'.repeat(64), 'invalid'],
  ])('when the header is %s, then it is %s', (_name, header, expected) => {
    expect(checkSentrySignature(raw, header, SECRET)).toBe(expected);
  });
});
