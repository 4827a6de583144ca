/**
 * AWS SDK v3 client factory: one client per class and region per process, adaptive retry,
 * X-Ray capture (a no-op outside Lambda), and a per-operation call counter that the scanner
 * publishes as a metric. Tests mock clients with aws-sdk-client-mock; benchmarks pass their own
 * request handler through `configureClients`.
 */
import { tracer } from './observability';

/** Default attempts per call (first try + retries); AWS_MAX_ATTEMPTS overrides. */
const DEFAULT_MAX_ATTEMPTS = 8;

export interface ClientOptions {
  region?: string;
  retryMode?: string;
  maxAttempts?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SDK handler/credential types differ per client
  requestHandler?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  credentials?: any;
}

type MiddlewareStack = {
  add: (
    mw: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string; clientName?: string }) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ) => void;
};

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

export function awsClient<C extends object>(Client: ClientClass<C>, region: string = defaultRegion()): C {
  let byRegion = clients.get(Client as ClientClass<unknown>);
  if (!byRegion) {
    byRegion = new Map();
    clients.set(Client as ClientClass<unknown>, byRegion);
  }
  const cached = byRegion.get(region) as C | undefined;
  if (cached) return cached;
  const envAttempts = Number(process.env.AWS_MAX_ATTEMPTS);
  const client = new Client({
    region,
    retryMode: 'adaptive',
    maxAttempts: Number.isInteger(envAttempts) && envAttempts > 0 ? envAttempts : DEFAULT_MAX_ATTEMPTS,
    ...extraOptions,
  });
  (client as unknown as { middlewareStack: MiddlewareStack }).middlewareStack.add(
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
