/**
 * Powertools logger, metrics and tracer: one instance each per process (module scope), shared by
 * every module of a function. Service name comes from POWERTOOLS_SERVICE_NAME, metrics namespace
 * from POWERTOOLS_METRICS_NAMESPACE (both set by the stack).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

import { METRICS_NAMESPACE, SDK_TRACING_OFF } from './env-names';

export { METRICS_NAMESPACE };

export const logger = new Logger();
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
});

/** What this project uses of Powertools' Tracer. */
export type AuditTracer = Pick<
  Tracer,
  | 'getSegment'
  | 'setSegment'
  | 'annotateColdStart'
  | 'addServiceNameAnnotation'
  | 'captureAWSv3Client'
>;

/** Stands in for the tracer where the X-Ray SDK must not load: traces nothing. */
const NO_TRACER: AuditTracer = {
  getSegment: () => undefined,
  setSegment: () => undefined,
  annotateColdStart: () => undefined,
  addServiceNameAnnotation: () => undefined,
  captureAWSv3Client: (client) => client,
};

/**
 * Powertools' tracer, unless the function's POWERTOOLS_TRACE_ENABLED is `false`: then the X-Ray
 * SDK is never loaded, because loading it enables cls-hooked's async hooks on every promise of the
 * process, whether anything is traced or not. For the scanner that is about a third of its CPU
 * (docs/performance.md), so the stack turns SDK tracing off for the functions that make thousands
 * of AWS calls (SDK_TRACING_OFF); Lambda's active tracing still records each of their invocations.
 */
export const tracer: AuditTracer =
  process.env.POWERTOOLS_TRACE_ENABLED === SDK_TRACING_OFF.POWERTOOLS_TRACE_ENABLED
    ? NO_TRACER
    : loadTracer();

function loadTracer(): AuditTracer {
  type Powertools = typeof import('@aws-lambda-powertools/tracer');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing (see above)
  const { Tracer } = require('@aws-lambda-powertools/tracer') as Powertools;
  return new Tracer();
}

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
