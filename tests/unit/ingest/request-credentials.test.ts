import type { Request } from 'express';
import { presentedAny, presentedCredentials } from '../../../src/ingest/auth/request-credentials';
import { sameSecret } from '../../../src/ingest/auth/same-secret';

function fakeRequest(authorization: string | undefined, query: Record<string, unknown> = {}): Request {
  return { get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined), query } as unknown as Request;
}

const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

describe('presentedCredentials', () => {
  it.each([
    ['a bearer token', fakeRequest('Bearer abc'), { token: 'abc' }],
    ['a lower-case scheme', fakeRequest('bearer abc'), { token: 'abc' }],
    ['basic auth', fakeRequest(basic('am:secret')), { basic: { username: 'am', password: 'secret' } }],
    ['a password with colons', fakeRequest(basic('am:a:b:c')), { basic: { username: 'am', password: 'a:b:c' } }],
    ['basic auth without a colon', fakeRequest(basic('am')), { basic: { username: 'am', password: '' } }],
    ['?token=', fakeRequest(undefined, { token: 'q' }), { token: 'q' }],
    ['?token= given twice', fakeRequest(undefined, { token: ['a', 'b'] }), { token: '' }],
    ['a header and a query token', fakeRequest('Bearer h', { token: 'q' }), { token: 'h' }],
    ['an unknown scheme', fakeRequest('Digest x'), {}],
    ['nothing', fakeRequest(undefined), {}],
  ])('when the request has %s, then it presents %j', (_name, req, expected) => {
    expect(presentedCredentials(req)).toEqual(expected);
  });

  it('when nothing is presented, then presentedAny is false; an empty bearer still counts as presented', () => {
    expect(presentedAny(presentedCredentials(fakeRequest(undefined)))).toBe(false);
    expect(presentedAny(presentedCredentials(fakeRequest('Bearer')))).toBe(true);
  });
});

describe('sameSecret', () => {
  it.each([
    ['equal', 'tok-1', 'tok-1', true],
    ['different', 'tok-1', 'tok-2', false],
    ['a prefix', 'tok', 'tok-1', false],
    ['empty against a secret', '', 'tok-1', false],
  ])('when the strings are %s, then %p', (_name, given, expected, same) => {
    expect(sameSecret(given, expected)).toBe(same);
  });
});
