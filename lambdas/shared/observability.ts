/**
 * Powertools logger, metrics and tracer: one instance each per process (module scope), shared by
 * every module of a function. Service name comes from POWERTOOLS_SERVICE_NAME, metrics namespace
 * from POWERTOOLS_METRICS_NAMESPACE (both set by the stack).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

import { METRICS_NAMESPACE } from './env-names';

export { METRICS_NAMESPACE };

export const logger = new Logger();
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
});
export const tracer = new Tracer();

/**
 * Thrown when an incoming event does not have the contract's shape: logged, nothing written. (An
 * asynchronous invocation is still retried by Lambda, then lands in the failure queue for a look.)
 */
export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

/**
 * Wraps a handler with the Lambda context in every log line, a traced handler subsegment,
 * cold-start annotation, one error log on failure, and a flush of stored metrics.
 */
export function instrumentHandler<E, R>(
  fn: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    logger.addContext(context);
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await fn(event, context);
    } catch (err) {
      logger.error(
        err instanceof MalformedEventError ? 'Rejected malformed event' : 'Handler failed',
        {
          error: err as Error,
        },
      );
      segment?.addError(err as Error);
      throw err;
    } finally {
      metrics.publishStoredMetrics();
      segment?.close();
      if (parent) tracer.setSegment(parent);
    }
  };
}
