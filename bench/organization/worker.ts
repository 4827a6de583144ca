/**
 * One "Lambda execution environment" of the organization benchmark: a child process that runs
 * the real org-accounts / org-shard / org-merge handlers, one task at a time, against the fake
 * AWS Organization (its audit bucket a directory shared with the other workers). Tasks arrive and
 * results leave over the IPC channel; each result carries the task's duration, CPU time and the
 * highest RSS sampled while it ran (the shard's memory, not the process's lifetime peak).
 */
import { handler as accountsHandler } from '../../lambdas/org-accounts/handler';
import { handler as mergeHandler } from '../../lambdas/org-merge/handler';
import { handler as shardHandler } from '../../lambdas/org-shard/handler';
import { runScan } from '../../lambdas/scanner/run-scan';
import { loadSettings } from '../../lambdas/scanner/settings';
import { configureClients } from '../../lambdas/shared/clients';
import { logger } from '../../lambdas/shared/observability';
import { FakeAws, type RateLimit } from '../scanner/fake-aws';
import { DirectoryStore, FakeOrganization } from './fake-organization';
import { memberAccount } from './member-account';

export interface WorkerConfig {
  readonly storeDir: string;
  readonly auditBucket: string;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  readonly accounts: readonly string[];
  readonly resourcesPerPart: number;
  readonly latencyMs: number;
  readonly limits?: Readonly<Record<string, RateLimit>>;
  readonly memberRoleName: string;
  readonly externalId: string;
  readonly nowMs: number;
}

export type WorkerTask =
  | {
      readonly id: number;
      readonly kind: 'accounts' | 'shard' | 'merge';
      readonly payload: unknown;
    }
  | {
      readonly id: number;
      readonly kind: 'reference';
      readonly payload: { readonly account: string };
    };

export type WorkerReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly result: unknown;
      readonly durationMs: number;
      readonly cpuMs: number;
      readonly peakRssKiB: number;
    }
  | { readonly id: number; readonly ok: false; readonly error: string };

const RSS_SAMPLE_MS = 20;
const config = JSON.parse(process.argv[2]!) as WorkerConfig;
logger.setLogLevel('ERROR');

const fake = new FakeOrganization({
  rootId: 'r-bench',
  accounts: config.accounts.map((id) => ({ id, name: `bench-${id}`, parent: 'r-bench' })),
  regions: config.regions,
  auditBucket: config.auditBucket,
  store: new DirectoryStore(config.storeDir),
  memberRoleName: config.memberRoleName,
  externalId: config.externalId,
  pageSize: 20,
  part: (account, part) =>
    new FakeAws({
      account: memberAccount(
        config.resourcesPerPart,
        account,
        part === 'global' ? config.homeRegion : part,
        config.nowMs,
      ),
      latencyMs: config.latencyMs,
      limits: config.limits,
      auditBucket: config.auditBucket,
    }),
});
const own = { accessKeyId: 'AKIDBENCHAUDIT', secretAccessKey: 'benchmark-not-a-secret' };
configureClients({ requestHandler: fake, credentials: own });

const context = (name: string) =>
  ({
    functionName: name,
    invokedFunctionArn: `arn:aws:lambda:${config.homeRegion}:999999999999:function:${name}`,
    getRemainingTimeInMillis: () => 900_000,
  }) as never;

async function run(task: WorkerTask): Promise<unknown> {
  switch (task.kind) {
    case 'accounts':
      return accountsHandler(task.payload, context('org-accounts'));
    case 'shard':
      return shardHandler(task.payload, context('org-shard'));
    case 'merge':
      return mergeHandler(task.payload, context('org-merge'));
    case 'reference': {
      // A single-account scan of one member, for the comparison of findings.
      configureClients({
        requestHandler: fake,
        credentials: { accessKeyId: `ASIAFAKE${task.payload.account}`, secretAccessKey: 'x' },
      });
      try {
        return await runScan({
          regions: config.regions,
          auditBucket: config.auditBucket,
          homeRegion: config.homeRegion,
          accountId: task.payload.account,
          settings: loadSettings(),
        });
      } finally {
        configureClients({ requestHandler: fake, credentials: own });
      }
    }
  }
}

process.on('message', (task: WorkerTask) => {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  run(task)
    .then((result) => {
      const cpu = process.cpuUsage(cpu0);
      peak = Math.max(peak, process.memoryUsage.rss());
      const reply: WorkerReply = {
        id: task.id,
        ok: true,
        result,
        durationMs: performance.now() - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssKiB: Math.round(peak / 1024),
      };
      process.send!(reply);
    })
    .catch((err: unknown) => {
      process.send!({ id: task.id, ok: false, error: String((err as Error)?.stack ?? err) });
    })
    .finally(() => clearInterval(sampler));
});
process.send!({ id: -1, ok: true, result: 'ready', durationMs: 0, cpuMs: 0, peakRssKiB: 0 });
