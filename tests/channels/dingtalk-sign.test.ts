import { dingtalkSign, signedQuery } from '../../src/channels/dingtalk/sign';

// Computed once, independently of this code, with:
//   printf '%s\n%s' 1700000000000 "$SECRET" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
const VECTORS = [
  { secret: 'SEC0123456789abcdefTestSecretForGateway', timestamp: 1_700_000_000_000, base64: 'TK+Wf3UrQ7ch20jv5GnNE54OGnn2DCbv24MAwaIkYJY=' },
  { secret: 'SECa', timestamp: 1_700_000_000_000, base64: '4ekVoRzSayY+rG73C/IjxUSQRHZ4aVH505qvFFtN5/8=' },
];

describe('dingtalkSign', () => {
  it.each(VECTORS)('when secret $secret signs timestamp $timestamp, then sign is the URL-encoded openssl HMAC', ({ secret, timestamp, base64 }) => {
    expect(dingtalkSign(secret, timestamp)).toBe(encodeURIComponent(base64));
  });

  it('when the base64 holds "+", "/" and "=", then each is percent-encoded exactly once', () => {
    expect(dingtalkSign('SECa', 1_700_000_000_000)).toBe('4ekVoRzSayY%2BrG73C%2FIjxUSQRHZ4aVH505qvFFtN5%2F8%3D');
  });

  it('when the query is built, then it carries the millisecond timestamp and that sign', () => {
    expect(signedQuery('SEC0123456789abcdefTestSecretForGateway', 1_700_000_000_000)).toBe(
      'timestamp=1700000000000&sign=TK%2BWf3UrQ7ch20jv5GnNE54OGnn2DCbv24MAwaIkYJY%3D',
    );
  });

  it('when the timestamp changes by one millisecond, then the sign changes', () => {
    expect(dingtalkSign('SECa', 1_700_000_000_001)).not.toBe(dingtalkSign('SECa', 1_700_000_000_000));
  });
});
