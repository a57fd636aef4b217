import { inspect } from 'node:util';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError, type FailureReason } from '../../src/channels/delivery-errors';
import { findFreePort } from './free-port';

/** The answer no fake can give: nothing listens at the channel's apiUrl. */
export const CONNECTION_REFUSED = 'connectionRefused';

export type DeliveryErrorClass = typeof RetryableDeliveryError | typeof RateLimitedError | typeof PermanentDeliveryError;

/** The delivery error a provider's answer must become, which decides whether the worker retries, waits or gives up. */
export interface ExpectedFailure {
  error: DeliveryErrorClass;
  reason: FailureReason;
  message: RegExp;
  retryAfterMs?: number;
}

/** One row of a channel's table of provider answers; each provider's fake has its own answers. */
export interface ProviderCase<Answer> {
  when: string;
  answer: Answer | typeof CONNECTION_REFUSED;
  timeoutMs?: number;
  then: ExpectedFailure;
}

/** What the table needs of a fake provider. */
export interface ScriptableFake<Answer> {
  readonly url: string;
  readonly requests: readonly unknown[];
  script(...answers: Answer[]): void;
}

/** What `promise` rejected with; a resolved promise or a non-Error rejection fails the test with what came instead. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome) || !(outcome.error instanceof Error)) throw new Error(`expected an Error, got ${inspect(outcome)}`);
  return outcome.error;
}

/**
 * Sends once with the fake scripted to give the row's answer (or to a port nobody listens on) and
 * checks the error against the row and that exactly that one request reached the fake. Returns
 * the error for the channel's own checks.
 */
export async function expectProviderFailure<Answer>(
  fake: ScriptableFake<Answer>,
  { answer, timeoutMs, then }: ProviderCase<Answer>,
  send: (apiUrl: string, timeoutMs: number | undefined) => Promise<unknown>,
): Promise<Error> {
  let apiUrl = fake.url;
  if (answer === CONNECTION_REFUSED) apiUrl = `http://127.0.0.1:${await findFreePort()}`;
  else fake.script(answer);

  const error = await failure(send(apiUrl, timeoutMs));

  expect(error).toBeInstanceOf(then.error);
  expect(error).toMatchObject({ reason: then.reason });
  expect(error.message).toMatch(then.message);
  if (error instanceof RateLimitedError) expect(error.retryAfterMs).toBe(then.retryAfterMs);
  expect(fake.requests).toHaveLength(answer === CONNECTION_REFUSED ? 0 : 1);
  return error;
}

/** Errors end up in logs and in the dead-letter list, so none may carry a credential, however it is printed. */
export function expectNoSecrets(error: Error, secrets: readonly string[]): void {
  for (const text of [error.message, String(error.cause), inspect(error, { depth: 10 })]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}
