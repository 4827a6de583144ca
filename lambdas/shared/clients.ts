/**
 * AWS SDK v3 client factory: one client per class and region per process, standard retry (with
 * backoff) plus an adaptive send-rate limit per API operation (rate-limit.ts), X-Ray capture (a
 * no-op outside Lambda), and a per-operation call counter that the scanner publishes as a metric.
 * Tests mock clients with aws-sdk-client-mock; benchmarks pass their own request handler through
 * `configureClients`.
 *
 * Why not the SDK's `adaptive` retry mode: its client-side limiter is one per client, so a single
 * throttled API (IAM ListAccessKeys) slows every other API of that client, and its CUBIC recovery
 * is slow. On the scanner benchmark (`npm run bench`, docs/performance.md) a 5,000-resource scan
 * takes about 1.3x as long with it, a 1,000-resource one about 2x. AWS_RETRY_MODE=adaptive brings
 * it back (the benchmark compares the two).
 */
import { classifyError } from './errors';
import { tracer } from './observability';
import { OperationRateLimit } from './rate-limit';

/** Default attempts per call (first try + retries); AWS_MAX_ATTEMPTS overrides. */
const DEFAULT_MAX_ATTEMPTS = 8;
/**
 * Socket timeouts: an endpoint that does not answer (a region the VPC cannot reach) fails the call
 * in seconds, and becomes an ERROR finding or a failed decision, instead of hanging the function
 * until its own timeout with nothing written. The SDK's default is no timeout at all.
 */
export const CONNECTION_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 60_000;
/** The scanner keeps up to SCAN_CONCURRENCY calls in flight per operation; the SDK's 50 sockets per client would queue them. */
const MAX_SOCKETS = 128;

export interface ClientOptions {
  region?: string;
  retryMode?: string;
  maxAttempts?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SDK handler/credential types differ per client
  requestHandler?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  credentials?: any;
}

type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { commandName?: string; clientName?: string },
) => (args: unknown) => Promise<unknown>;
type MiddlewareStack = {
  add: (mw: Middleware, options: { step: 'initialize'; name: string }) => void;
  addRelativeTo: (
    mw: Middleware,
    options: { relation: 'after'; toMiddleware: string; name: string },
  ) => void;
};

/** True for a throttling answer (by error name, or HTTP 429). */
function isThrottle(err: unknown): boolean {
  if (classifyError(err) === 'throttled') return true;
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 429;
}

/**
 * Paces every attempt of each operation of `client` through that operation's own adaptive rate
 * limit. Sits right after the retry middleware (before signing), so retries are paced too.
 */
function addRateLimits(stack: MiddlewareStack): void {
  const limits = new Map<string, OperationRateLimit>();
  stack.addRelativeTo(
    (next, context) => {
      const key = context.commandName ?? 'Command';
      let limit = limits.get(key);
      if (!limit) {
        limit = new OperationRateLimit();
        limits.set(key, limit);
      }
      const op = limit;
      return async (args) => {
        const wait = op.acquire();
        if (wait) await wait;
        try {
          const out = await next(args);
          op.onAdmitted();
          return out;
        } catch (err) {
          if (isThrottle(err)) op.onThrottled();
          else op.onAdmitted();
          throw err;
        }
      };
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'complianceRateLimit' },
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each SDK client has its own config type
export type ClientClass<C> = new (config: any) => C;

const clients = new Map<ClientClass<unknown>, Map<string, unknown>>();
const callCounts = new Map<string, number>();
let extraOptions: Partial<ClientOptions> = {};

export function defaultRegion(): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** Overrides options for clients created from now on (forgets cached clients). */
export function configureClients(options: Partial<ClientOptions>): void {
  extraOptions = { ...options };
  clients.clear();
}

/** The options configureClients last set (a task that switches credentials restores them after). */
export function clientOptions(): Partial<ClientOptions> {
  return { ...extraOptions };
}

export function awsClient<C extends object>(
  Client: ClientClass<C>,
  region: string = defaultRegion(),
): C {
  let byRegion = clients.get(Client as ClientClass<unknown>);
  if (!byRegion) {
    byRegion = new Map();
    clients.set(Client as ClientClass<unknown>, byRegion);
  }
  const cached = byRegion.get(region) as C | undefined;
  if (cached) return cached;
  const envAttempts = Number(process.env.AWS_MAX_ATTEMPTS);
  const adaptive = process.env.AWS_RETRY_MODE === 'adaptive';
  const client = new Client({
    region,
    retryMode: adaptive ? 'adaptive' : 'standard',
    maxAttempts:
      Number.isInteger(envAttempts) && envAttempts > 0 ? envAttempts : DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
    },
    ...extraOptions,
  });
  const stack = (client as unknown as { middlewareStack: MiddlewareStack }).middlewareStack;
  if (!adaptive) addRateLimits(stack);
  stack.add(
    (next, context) => async (args) => {
      const key = `${context.clientName ?? 'Client'}.${context.commandName ?? 'Command'}`;
      callCounts.set(key, (callCounts.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'complianceCallCounter' },
  );
  const traced = tracer.captureAWSv3Client(client);
  byRegion.set(region, traced);
  return traced;
}

/** Calls made since the last reset, by `ClientName.CommandName`. */
export function apiCallCounts(): Record<string, number> {
  return Object.fromEntries(callCounts);
}

export function totalApiCalls(): number {
  let total = 0;
  for (const n of callCounts.values()) total += n;
  return total;
}

export function resetApiCallCounts(): void {
  callCounts.clear();
}
