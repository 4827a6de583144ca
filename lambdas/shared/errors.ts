/** Classifies AWS SDK v3 errors so callers can turn them into ERROR findings or skip decisions. */

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthFailure',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'OptInRequired',
]);

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

export type ErrorKind =
  'access-denied' | 'throttled' | 'unreachable' | 'not-found' | 'deadline' | 'other';

/**
 * A call the scanner did not make, or stopped waiting for, because the run's deadline (the Lambda
 * timeout less the time needed to write results) came first.
 */
export class DeadlineReachedError extends Error {
  override readonly name = 'DeadlineReached';
  constructor() {
    super('not reached before the deadline');
  }
}

export function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    for (const v of [e.name, e.Code, e.code]) if (typeof v === 'string' && v) return v;
  }
  return 'UnknownError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function classifyError(err: unknown): ErrorKind {
  const name = errorName(err);
  if (err instanceof DeadlineReachedError) return 'deadline';
  if (ACCESS_DENIED.has(name)) return 'access-denied';
  if (THROTTLED.has(name)) return 'throttled';
  if (/NotFound|NoSuch/.test(name)) return 'not-found';
  if (
    /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EAI_AGAIN|TimeoutError|NetworkingError/.test(name)
  ) {
    return 'unreachable';
  }
  return 'other';
}

/** `true` when the error says the thing asked for does not exist (e.g. NoSuchBucketPolicy). */
export function isNotFound(err: unknown, ...names: string[]): boolean {
  const name = errorName(err);
  return names.length > 0 ? names.includes(name) : classifyError(err) === 'not-found';
}
