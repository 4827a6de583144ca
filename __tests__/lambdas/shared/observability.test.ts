/**
 * The tracer: Powertools' (and with it the X-Ray SDK, whose cls-hooked async hooks run on every
 * promise) unless the function's environment turns SDK tracing off.
 */
import { SDK_TRACING_OFF } from '../../../lambdas/shared/env-names';

const XRAY = /[\\/]aws-xray-sdk-core[\\/]/;

function loadObservability(traceEnabled: string | undefined) {
  const saved = process.env.POWERTOOLS_TRACE_ENABLED;
  if (traceEnabled === undefined) delete process.env.POWERTOOLS_TRACE_ENABLED;
  else process.env.POWERTOOLS_TRACE_ENABLED = traceEnabled;
  try {
    let mod: typeof import('../../../lambdas/shared/observability') | undefined;
    let xrayLoaded = false;
    jest.isolateModules(() => {
      mod = jest.requireActual<typeof import('../../../lambdas/shared/observability')>(
        '../../../lambdas/shared/observability',
      );
      xrayLoaded = Object.keys(require.cache).some((k) => XRAY.test(k));
    });
    return { tracer: mod!.tracer, xrayLoaded };
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_TRACE_ENABLED;
    else process.env.POWERTOOLS_TRACE_ENABLED = saved;
  }
}

describe('tracer', () => {
  it('never loads the X-Ray SDK where SDK tracing is off, and passes clients through untouched', () => {
    // Act
    const { tracer, xrayLoaded } = loadObservability(SDK_TRACING_OFF.POWERTOOLS_TRACE_ENABLED);
    const client = { send: jest.fn() };

    // Assert
    expect(xrayLoaded).toBe(false);
    expect(tracer.constructor.name).not.toBe('Tracer');
    expect(tracer.captureAWSv3Client(client as never)).toBe(client);
    expect(tracer.getSegment()).toBeUndefined();
  });

  it("is Powertools' Tracer otherwise", () => {
    // Act
    const { tracer, xrayLoaded } = loadObservability(undefined);

    // Assert
    expect(tracer.constructor.name).toBe('Tracer');
    expect(xrayLoaded).toBe(true);
  });
});
