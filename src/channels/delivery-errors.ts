import { UnrecoverableError } from 'bullmq';

/** Why a delivery did not go through; bounded, so it can label a metric. */
export type FailureReason =
  | 'rateLimited'
  | 'serverError'
  | 'networkError'
  | 'timeout'
  | 'clientError'
  | 'authError'
  | 'renderError';

/** Worth trying again after the queue's backoff. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
  constructor(
    readonly reason: FailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The provider asked us to slow down: pause the whole destination for retryAfterMs. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  readonly reason: FailureReason = 'rateLimited';
  constructor(
    readonly retryAfterMs: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Retrying cannot help (bad token, chat not found, broken template): fail the job at once. */
export class PermanentDeliveryError extends UnrecoverableError {
  override readonly name = 'PermanentDeliveryError';
  constructor(
    readonly reason: FailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
